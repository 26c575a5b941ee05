"""Time-driven desk use cases, run by the scheduler every so often.

Each function looks at the database and the clock, does what is due, records that it
did it, and commits ticket by ticket; run again, it does nothing more. What people are
told is left to a :class:`DeskNotices` given by the caller (the chat side renders it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.audit import audit_append
from models.clock import Clock
from models.interactions import Interaction
from models.offices import Office, get_office, parent_of
from models.outbox import OutboxMessage, OutboxStatus
from models.sla import Extended, extended_dates, sla_due
from models.stages import last_days
from models.ticket_actions import escalate_ticket
from models.tickets import (
    Ticket,
    TicketAction,
    TicketEscalation,
    TicketMessage,
    TicketSlaMark,
    TicketStatus,
    transition,
)
from models.uow import UnitOfWork

log = logging.getLogger(__name__)

IDLE_AFTER = timedelta(days=7)
RETENTION = timedelta(days=365)

SessionFactory = Callable[[], Session]
ExtendedFor = Callable[[Session, Office, datetime], Extended | None]
"""The last days of stages for an office (the desk works until 23.59 on them)."""


def stage_last_days(session: Session, office: Office, now: datetime) -> Extended:
    """Last days of the stage calendar in the office's zone, from a week back on."""
    return extended_dates(last_days(session, office.timezone, now - timedelta(days=7)))


class DeskNotices(Protocol):
    """What people are told when the desk acts by itself; enqueue into the outbox."""

    def unclaimed(self, session: Session, ticket: Ticket, office: Office, now: datetime) -> None:
        """Remind the office's staff chat that the ticket waits to be claimed."""

    def escalated(
        self, session: Session, ticket: Ticket, escalation: TicketEscalation, now: datetime
    ) -> None:
        """Everything a manual escalation tells: the new office, the old topic, the liaison."""

    def idle_closed(self, session: Session, ticket: Ticket, now: datetime) -> None:
        """Tell the liaison the ticket was closed for inactivity; close its topic."""


def _mark(session: Session, ticket: Ticket, office: Office, kind: str, now: datetime) -> bool:
    """Records that ``kind`` was done for the ticket at this office; False if it was already."""
    assert ticket.id is not None
    try:
        with session.begin_nested():
            session.add(
                TicketSlaMark(ticket_id=ticket.id, office_code=office.code, kind=kind, at=now)
            )
            session.flush()
    except sa.exc.IntegrityError:
        return False
    return True


def check_sla(
    sessions: SessionFactory,
    clock: Clock,
    notices: DeskNotices,
    *,
    extended: ExtendedFor | None = stage_last_days,
) -> int:
    """Pings the staff chat about a ticket unclaimed for ``claim_minutes`` working minutes
    (once per ticket and office) and escalates a ticket unanswered for ``answer_minutes``
    (once per ticket and office; KPU RI has nowhere higher). Returns how many it did.

    One read finds what is due; each due ticket is then handled in its own transaction,
    re-checked there, so a failure with one ticket holds up no other."""
    now = clock.now()
    with UnitOfWork(sessions) as uow:
        due = _due_tickets(uow.session, now, extended)
    done = 0
    for ticket_id in due:
        with UnitOfWork(sessions) as uow:
            done += _check_one(uow.session, ticket_id, now, notices, extended)
            uow.commit()
    return done


Marks = set[tuple[int, str, str]]


def _due_tickets(session: Session, now: datetime, extended: ExtendedFor | None) -> list[int]:
    tickets = session.exec(
        select(Ticket).where(
            col(Ticket.status).in_((TicketStatus.NEW, TicketStatus.CLAIMED)),
            col(Ticket.answered_at).is_(None),
        )
    ).all()
    ids = [t.id for t in tickets if t.id is not None]
    marks: Marks = {
        (m.ticket_id, m.office_code, m.kind)
        for m in session.exec(select(TicketSlaMark).where(col(TicketSlaMark.ticket_id).in_(ids)))
    }
    offices: dict[str, tuple[Office, Extended | None, bool]] = {}
    due: list[int] = []
    for ticket in tickets:
        if ticket.office_code not in offices:
            office = get_office(session, ticket.office_code)
            days = extended(session, office, now) if extended is not None else None
            offices[office.code] = (office, days, parent_of(session, office.code) is not None)
        office, days, has_parent = offices[ticket.office_code]
        if _due(ticket, office, days, has_parent, marks, now):
            due.append(ticket.id or 0)
    return due


def _due(
    ticket: Ticket,
    office: Office,
    days: Extended | None,
    has_parent: bool,
    marks: Marks,
    now: datetime,
) -> list[str]:
    """What the SLA owes this ticket now: "ping" and/or "escalate", not done before."""
    owed: list[str] = []
    key = (ticket.id or 0, office.code)
    if (
        ticket.status is TicketStatus.NEW
        and (*key, "ping") not in marks
        and sla_due(office, ticket.sla_from, office.claim_minutes, days) <= now
    ):
        owed.append("ping")
    if (
        has_parent
        and (*key, "escalate") not in marks
        and sla_due(office, ticket.sla_from, office.answer_minutes, days) <= now
    ):
        owed.append("escalate")
    return owed


def _check_one(
    session: Session,
    ticket_id: int,
    now: datetime,
    notices: DeskNotices,
    extended: ExtendedFor | None,
) -> int:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.status not in (TicketStatus.NEW, TicketStatus.CLAIMED):
        return 0
    if ticket.answered_at is not None:
        return 0
    office = get_office(session, ticket.office_code)
    days = extended(session, office, now) if extended is not None else None
    has_parent = parent_of(session, office.code) is not None
    owed = _due(ticket, office, days, has_parent, set(), now)
    done = 0
    if "ping" in owed and _mark(session, ticket, office, "ping", now):
        audit_append(
            session,
            at=now,
            actor="system",
            action="ticket.sla_ping",
            ticket_id=ticket.id,
            data={"number": ticket.number, "office": office.code},
        )
        notices.unclaimed(session, ticket, office, now)
        done += 1
    if "escalate" in owed and _mark(session, ticket, office, "escalate", now):
        escalation = escalate_ticket(session, ticket=ticket, officer=None, now=now, reason="sla")
        notices.escalated(session, ticket, escalation, now)
        done += 1
    return done


def close_idle_tickets(
    sessions: SessionFactory, clock: Clock, notices: DeskNotices, *, idle: timedelta = IDLE_AFTER
) -> int:
    """Closes tickets answered or resolved and then left alone for ``idle``, telling the
    liaison. Returns how many it closed."""
    now = clock.now()
    with UnitOfWork(sessions) as uow:
        ids = uow.session.exec(
            select(Ticket.id).where(
                col(Ticket.status).in_((TicketStatus.WAITING, TicketStatus.RESOLVED)),
                col(Ticket.last_activity_at) < now - idle,
            )
        ).all()
    closed = 0
    for ticket_id in ids:
        with UnitOfWork(sessions) as uow:
            ticket = uow.session.get(Ticket, ticket_id)
            if ticket is None or ticket.status not in (TicketStatus.WAITING, TicketStatus.RESOLVED):
                continue
            if ticket.last_activity_at >= now - idle:
                continue
            transition(ticket, TicketAction.IDLE_CLOSE, "system", now)
            uow.session.add(ticket)
            audit_append(
                uow.session,
                at=now,
                actor="system",
                action="ticket.idle_closed",
                ticket_id=ticket.id,
                data={
                    "number": ticket.number,
                    "status": ticket.status.value,
                    "idle_days": idle.days,
                },
            )
            notices.idle_closed(uow.session, ticket, now)
            uow.commit()
            closed += 1
    return closed


def purge_transcripts(
    sessions: SessionFactory, clock: Clock, *, retention: timedelta = RETENTION
) -> int:
    """Blanks what people wrote in tickets closed longer than ``retention`` ago: the
    question, the messages (rows and their kinds stay, so counts stay), and the text of
    the ticket's outbox messages (campaigns ``ticket:<id>:...``); and what was written in
    every recorded event (``Interaction``) older than ``retention``. Returns tickets
    purged."""
    now = clock.now()
    with UnitOfWork(sessions) as uow:
        ids = uow.session.exec(
            select(Ticket.id).where(
                col(Ticket.status).in_((TicketStatus.CLOSED, TicketStatus.SPAM)),
                col(Ticket.closed_at) < now - retention,
                col(Ticket.purged_at).is_(None),
            )
        ).all()
    for ticket_id in ids:
        with UnitOfWork(sessions) as uow:
            _purge_one(uow.session, ticket_id, now)
            uow.commit()
    with UnitOfWork(sessions) as uow:
        _purge_interactions(uow.session, now - retention)
        uow.commit()
    return len(ids)


def _purge_interactions(session: Session, before: datetime) -> int:
    """The record of every event (``Interaction``) falls under the same retention as the
    transcripts: what was written is blanked, the row (kind, outcome, time) stays for the
    reports' counts."""
    return int(
        session.execute(
            sa.update(Interaction)
            .where(col(Interaction.at) < before, col(Interaction.content) != "")
            .values(content="")
        ).rowcount  # type: ignore[attr-defined]
    )


def _purge_one(session: Session, ticket_id: int | None, now: datetime) -> None:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.purged_at is not None:
        return
    messages = session.execute(
        sa.update(TicketMessage)
        .where(col(TicketMessage.ticket_id) == ticket_id)
        .values(text="", attachment_file_id=None)
    ).rowcount  # type: ignore[attr-defined]
    relays = session.execute(
        sa.update(OutboxMessage)
        .where(
            col(OutboxMessage.campaign).startswith(f"ticket:{ticket_id}:", autoescape=True),
            col(OutboxMessage.status) != OutboxStatus.PENDING,
            col(OutboxMessage.status) != OutboxStatus.SENDING,
        )
        .values(text="", attachment_file_id=None, buttons="")
    ).rowcount  # type: ignore[attr-defined]
    ticket.question = ""
    ticket.suggested = ""
    ticket.purged_at = now
    session.add(ticket)
    audit_append(
        session,
        at=now,
        actor="system",
        action="ticket.purged",
        ticket_id=ticket.id,
        data={"number": ticket.number, "messages": messages, "outbox": relays},
    )
