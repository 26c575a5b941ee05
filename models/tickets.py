"""Tickets: a liaison's question that needs a person, from opening to closing.

Every status change of a ticket goes through :func:`transition` and the one table
:data:`TRANSITIONS`; numbering per office, routing and the escalation path are here too.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from models.counters import bump_counter
from models.offices import Office, OfficeLevel, ancestors, get_office
from models.refusals import Refusal
from models.staff import Liaison, Tier
from models.types import UTCDateTime, enum_type


class TicketStatus(enum.StrEnum):
    NEW = "new"  # waiting for an officer to take it
    CLAIMED = "claimed"  # an officer took it
    WAITING = "waiting"  # answered; waiting for the liaison
    RESOLVED = "resolved"  # the officer considers it done; the liaison may rate or reopen
    CLOSED = "closed"  # done for good (reopen only within the reopen window)
    SPAM = "spam"  # not a real question

    @property
    def open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset({TicketStatus.NEW, TicketStatus.CLAIMED, TicketStatus.WAITING})


class TicketAction(enum.StrEnum):
    CLAIM = "claim"
    OFFICER_REPLY = "officer_reply"
    LIAISON_MESSAGE = "liaison_message"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    RATE = "rate"
    SPAM = "spam"
    ESCALATE = "escalate"
    IDLE_CLOSE = "idle_close"


_S = TicketStatus
_BACK = None  # back to CLAIMED when an officer holds the ticket, else NEW

TRANSITIONS: dict[TicketAction, dict[TicketStatus, TicketStatus | None]] = {
    TicketAction.CLAIM: {_S.NEW: _S.CLAIMED, _S.CLAIMED: _S.CLAIMED, _S.WAITING: _S.WAITING},
    TicketAction.OFFICER_REPLY: {
        _S.NEW: _S.WAITING,
        _S.CLAIMED: _S.WAITING,
        _S.WAITING: _S.WAITING,
    },
    TicketAction.LIAISON_MESSAGE: {_S.NEW: _S.NEW, _S.CLAIMED: _S.CLAIMED, _S.WAITING: _BACK},
    TicketAction.RESOLVE: {_S.NEW: _S.RESOLVED, _S.CLAIMED: _S.RESOLVED, _S.WAITING: _S.RESOLVED},
    TicketAction.CLOSE: {
        _S.NEW: _S.CLOSED,
        _S.CLAIMED: _S.CLOSED,
        _S.WAITING: _S.CLOSED,
        _S.RESOLVED: _S.CLOSED,
    },
    TicketAction.REOPEN: {_S.RESOLVED: _BACK, _S.CLOSED: _BACK},
    TicketAction.RATE: {_S.RESOLVED: _S.RESOLVED, _S.CLOSED: _S.CLOSED},
    TicketAction.SPAM: {_S.NEW: _S.SPAM, _S.CLAIMED: _S.SPAM, _S.WAITING: _S.SPAM},
    TicketAction.ESCALATE: {_S.NEW: _S.NEW, _S.CLAIMED: _S.NEW, _S.WAITING: _S.NEW},
    TicketAction.IDLE_CLOSE: {_S.WAITING: _S.CLOSED, _S.RESOLVED: _S.CLOSED},
}
"""For each action, the statuses it is allowed from and the status it leads to."""


class IllegalTransition(Refusal):
    def __init__(self, status: TicketStatus, action: TicketAction, actor: str) -> None:
        super().__init__(
            "desk/refused/illegal_transition", status=status.value, action=action.value
        )
        self.actor = actor


class AuthorKind(enum.StrEnum):
    LIAISON = "liaison"
    OFFICER = "officer"
    BOT = "bot"
    SYSTEM = "system"


class Ticket(SQLModel, table=True):
    __tablename__ = "ticket"
    __table_args__ = (sa.UniqueConstraint("number", name="uq_ticket_number"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=16)
    office_code: str = Field(foreign_key="office.code", index=True, max_length=16)
    origin_office_code: str = Field(foreign_key="office.code", max_length=16)
    liaison_id: int = Field(foreign_key="liaison.id", index=True)
    subject: str = Field(max_length=120)
    question: str = Field(default="", sa_type=sa.Text)
    category: str | None = Field(default=None, max_length=64)
    stage: str = Field(default="", max_length=64)  # key of the stage it was opened in
    source: str = Field(default="command", max_length=16)
    suggested: str = Field(default="", sa_type=sa.Text)  # JSON list of {"id", "title"}
    status: TicketStatus = Field(
        default=TicketStatus.NEW, sa_type=enum_type(TicketStatus, 12), index=True
    )
    claimed_by: int | None = Field(default=None, foreign_key="officer.id")
    opened_at: datetime = Field(sa_type=UTCDateTime)
    sla_from: datetime = Field(sa_type=UTCDateTime)
    last_activity_at: datetime = Field(sa_type=UTCDateTime)
    first_response_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    rating: int | None = Field(default=None)
    topic_key: str | None = Field(default=None, max_length=120, index=True)
    escalations: int = Field(default=0)
    purged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    def suggestions(self) -> list[dict[str, Any]]:
        """What the bot had already suggested: [{"id": ..., "title": ...}, ...]."""
        return list(json.loads(self.suggested)) if self.suggested else []


class TicketMessage(SQLModel, table=True):
    """One message in a ticket's conversation, stored with personal numbers masked."""

    __tablename__ = "ticket_message"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    author_kind: AuthorKind = Field(sa_type=enum_type(AuthorKind, 12))
    author_person_id: int | None = Field(default=None, foreign_key="person.id")
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    text: str = Field(default="", sa_type=sa.Text)
    attachment_kind: str | None = Field(default=None, max_length=16)
    attachment_file_id: str | None = Field(default=None, max_length=255)
    internal: bool = Field(default=False)
    at: datetime = Field(sa_type=UTCDateTime)


class TicketEscalation(SQLModel, table=True):
    """A move of a ticket to an office higher up, by an officer or by the SLA."""

    __tablename__ = "ticket_escalation"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    from_office: str = Field(foreign_key="office.code", max_length=16)
    to_office: str = Field(foreign_key="office.code", max_length=16)
    from_topic_key: str | None = Field(default=None, max_length=120, index=True)
    reason: str = Field(default="manual", max_length=16)
    by_officer: int | None = Field(default=None, foreign_key="officer.id")
    at: datetime = Field(sa_type=UTCDateTime)


class TicketSlaMark(SQLModel, table=True):
    """What the SLA check already did for a ticket at an office: each at most once."""

    __tablename__ = "ticket_sla_mark"
    __table_args__ = (
        sa.UniqueConstraint("ticket_id", "office_code", "kind", name="uq_ticket_sla_mark"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    office_code: str = Field(foreign_key="office.code", max_length=16)
    kind: str = Field(max_length=16)  # "ping", "escalate"
    at: datetime = Field(sa_type=UTCDateTime)


class TicketCounter(SQLModel, table=True):
    """The last ticket number given out per office."""

    __tablename__ = "ticket_counter"

    office_code: str = Field(primary_key=True, foreign_key="office.code", max_length=16)
    last: int = Field(default=0)


def transition(ticket: Ticket, action: TicketAction, actor: str, now: datetime) -> TicketStatus:
    """Moves ``ticket`` by ``action`` according to :data:`TRANSITIONS`, stamping the times;
    raises :class:`IllegalTransition` when the action is not allowed from its status."""
    allowed = TRANSITIONS[action]
    if ticket.status not in allowed:
        raise IllegalTransition(ticket.status, action, actor)
    target = allowed[ticket.status]
    if target is _BACK:
        target = TicketStatus.CLAIMED if ticket.claimed_by is not None else TicketStatus.NEW
    ticket.status = target
    ticket.last_activity_at = now
    if target is TicketStatus.RESOLVED:
        ticket.resolved_at = now
    elif target in (TicketStatus.CLOSED, TicketStatus.SPAM) and ticket.closed_at is None:
        ticket.closed_at = now
    elif action is TicketAction.REOPEN:
        ticket.resolved_at = ticket.closed_at = None
    return target


def next_number(session: Session, office: Office) -> str:
    """The office's next ticket number ("BTL-0042"), from its locked counter row."""
    return f"{office.prefix}-{bump_counter(session, TicketCounter, office_code=office.code):04d}"


# --- routing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoutingRule:
    """Questions of these tiers in these FAQ categories go to the liaison's office at
    ``level`` (their own office when it is already at or above that level)."""

    tiers: frozenset[Tier]
    categories: frozenset[str]  # top-level FAQ category ids
    level: OfficeLevel
    why: str


_NATIONAL = frozenset({"pendaftaran", "sipol", "verifikasi", "parpol", "pencalonan", "silon"})

ROUTING_RULES: tuple[RoutingRule, ...] = (
    RoutingRule(
        frozenset({Tier.DPP}),
        _NATIONAL,
        OfficeLevel.RI,
        "a party's central board registers and nominates with KPU RI",
    ),
    RoutingRule(
        frozenset({Tier.DPD}),
        _NATIONAL,
        OfficeLevel.PROVINCE,
        "a party's provincial board deals with the provincial KPU",
    ),
)


def route_office(session: Session, liaison: Liaison, category: str | None) -> Office:
    """Where a new ticket goes: the liaison's office, unless a routing rule sends
    questions of this tier and category to an office higher up."""
    office = get_office(session, liaison.office_code)
    top = (category or "").split("/", 1)[0].strip().lower()
    for rule in ROUTING_RULES:
        if liaison.tier in rule.tiers and (not rule.categories or top in rule.categories):
            chain = [office, *ancestors(session, office.code)]
            return next((o for o in chain if o.level is rule.level), office)
    return office


# --- lookups ------------------------------------------------------------------------------


def find_ticket(session: Session, ticket_id: int) -> Ticket | None:
    return session.get(Ticket, ticket_id)


def find_ticket_by_number(session: Session, number: str) -> Ticket | None:
    return session.exec(
        select(Ticket).where(Ticket.number == number.strip().lstrip("#").upper())
    ).first()


def ticket_for_topic(session: Session, topic_key: str) -> Ticket | None:
    """The ticket a staff-chat topic belongs to, also for topics it has since left."""
    ticket = session.exec(select(Ticket).where(Ticket.topic_key == topic_key)).first()
    if ticket is not None:
        return ticket
    moved = session.exec(
        select(TicketEscalation.ticket_id).where(TicketEscalation.from_topic_key == topic_key)
    ).first()
    return session.get(Ticket, moved) if moved is not None else None


def liaison_tickets(
    session: Session, liaison_id: int, *, open_only: bool = False, limit: int = 20
) -> list[Ticket]:
    """A liaison's tickets, newest first."""
    query = select(Ticket).where(Ticket.liaison_id == liaison_id)
    if open_only:
        query = query.where(col(Ticket.status).in_(OPEN_STATUSES))
    return list(session.exec(query.order_by(col(Ticket.id).desc()).limit(limit)).all())


def office_tickets(
    session: Session,
    office_codes: set[str],
    *,
    statuses: frozenset[TicketStatus] | None = None,
    limit: int = 100,
) -> list[Ticket]:
    query = select(Ticket).where(col(Ticket.office_code).in_(office_codes))
    if statuses:
        query = query.where(col(Ticket.status).in_(statuses))
    return list(session.exec(query.order_by(col(Ticket.id).desc()).limit(limit)).all())


def ticket_messages(
    session: Session, ticket_id: int, *, include_internal: bool = True
) -> list[TicketMessage]:
    query = select(TicketMessage).where(TicketMessage.ticket_id == ticket_id)
    if not include_internal:
        query = query.where(col(TicketMessage.internal).is_(False))
    return list(session.exec(query.order_by(col(TicketMessage.id))).all())


def suggestions_json(suggested: Iterable[Mapping[str, Any]]) -> str:
    """JSON for ``Ticket.suggested`` from [{"id", "title"}] (at most ten, titles cut)."""
    items = [
        {"id": str(item.get("id", ""))[:64], "title": str(item.get("title", ""))[:200]}
        for item in list(suggested)[:10]
    ]
    return json.dumps(items, ensure_ascii=False) if items else ""
