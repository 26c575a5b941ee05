"""The help desk's figures read from the database: the outbox's backlog, open tickets and
service-level breaches. Read by readiness, by ``/metrics`` when scraped and by
``helpdesk status``; each read is a few aggregate queries in one short transaction.

The outbox's "due" rows are the ones the worker would take now: pending, their time
come, and not held for a lost staff chat (those wait for the chat, not for the worker).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col

from bot.delivery.statements import lost_staff_chats
from models.outbox import Lane, OutboxMessage, OutboxStatus
from models.tickets import OPEN_STATUSES, Ticket, TicketSlaMark, TicketStatus
from models.types import UTCDateTime

# What reading the figures may raise when the database is unwell.
DatabaseTrouble = (sa.exc.SQLAlchemyError, OSError)


@dataclass(frozen=True)
class LaneBacklog:
    pending: int = 0  # waiting, due or not
    due: int = 0  # of which the worker would take now
    oldest_due: datetime | None = None


@dataclass(frozen=True)
class DeskFigures:
    read_at: datetime
    outbox: dict[Lane, LaneBacklog] = field(default_factory=dict)
    open_tickets: dict[str, int] = field(default_factory=dict)  # by status
    sla_breaches: dict[str, int] = field(default_factory=dict)  # by kind: ping, escalate

    @property
    def outbox_pending(self) -> int:
        return sum(b.pending for b in self.outbox.values())

    @property
    def oldest_due_age(self) -> float:
        """Seconds the oldest due message has waited (0 when none is due)."""
        oldest = [b.oldest_due for b in self.outbox.values() if b.oldest_due is not None]
        return max((self.read_at - min(oldest)).total_seconds(), 0.0) if oldest else 0.0

    def lane_age(self, lane: Lane) -> float:
        oldest = self.outbox.get(lane, LaneBacklog()).oldest_due
        return max((self.read_at - oldest).total_seconds(), 0.0) if oldest else 0.0


UTC_TIME = UTCDateTime()


def read_figures(sessions: Callable[[], Session], now: datetime) -> DeskFigures:
    """The figures as of ``now``; raises what the database raises (``DatabaseTrouble``)."""
    with sessions() as session:
        return DeskFigures(
            read_at=now,
            outbox=_outbox(session, now),
            open_tickets=_open_tickets(session),
            sla_breaches=_breaches(session),
        )


def _outbox(session: Session, now: datetime) -> dict[Lane, LaneBacklog]:
    due = sa.and_(
        col(OutboxMessage.not_before) <= now,
        col(OutboxMessage.chat_id).not_in(lost_staff_chats()),
    )
    query = (
        sa.select(
            col(OutboxMessage.lane),
            sa.func.count(),
            sa.func.count(sa.case((due, 1))),
            # min() over a CASE loses the column's type: given back, it is read as one
            sa.type_coerce(sa.func.min(sa.case((due, col(OutboxMessage.not_before)))), UTC_TIME),
        )
        .where(col(OutboxMessage.status) == OutboxStatus.PENDING)
        .group_by(col(OutboxMessage.lane))
    )
    found = {
        Lane(lane): LaneBacklog(int(pending), int(due_count), oldest)
        for lane, pending, due_count, oldest in session.execute(query).all()
    }
    return {lane: found.get(lane, LaneBacklog()) for lane in Lane}


def _open_tickets(session: Session) -> dict[str, int]:
    query = (
        sa.select(col(Ticket.status), sa.func.count())
        .where(col(Ticket.status).in_(list(OPEN_STATUSES)))
        .group_by(col(Ticket.status))
    )
    counts = {str(status): int(n) for status, n in session.execute(query).all()}
    return {s.value: counts.get(s.value, 0) for s in TicketStatus if s in OPEN_STATUSES}


def _breaches(session: Session) -> dict[str, int]:
    query = sa.select(col(TicketSlaMark.kind), sa.func.count()).group_by(col(TicketSlaMark.kind))
    counts = {str(kind): int(n) for kind, n in session.execute(query).all()}
    return {kind: counts.get(kind, 0) for kind in ("ping", "escalate")} | counts
