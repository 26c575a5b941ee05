"""The consultation register as people read it: hand-recorded consultations and tickets
side by side, one row each, with the contact already masked.

A ticket is read from the ticket tables (it is not copied into the register): its
visitor is the liaison, its answer the first answer an officer sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from models.consultations import (
    Channel,
    Consultation,
    GuestBookEntry,
    VisitorRole,
    mask_contact,
    office_consultations,
    office_guests,
)
from models.staff import Liaison, Officer, Tier
from models.tickets import AuthorKind, Ticket, TicketMessage, TicketStatus


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register; every text already masked."""

    number: str
    at: datetime
    office_code: str
    channel: str  # a Channel value
    visitor_name: str
    party: str
    role: str  # a VisitorRole value
    contact: str  # masked
    topic: str
    stage: str
    question: str
    answer: str
    legal_basis: str
    officer: str
    status: str  # a ConsultStatus or TicketStatus value
    follow_up: str
    duration_minutes: int


@dataclass(frozen=True)
class GuestRow:
    at: datetime
    office_code: str
    visitor_name: str
    party: str
    role: str
    contact: str  # masked
    purpose: str
    consultation_number: str


def register_rows(
    session: Session, office_codes: set[str], start: datetime, end: datetime
) -> list[RegisterRow]:
    """The register of these offices for [start, end), in time order."""
    rows = [_from_consultation(c) for c in office_consultations(session, office_codes, start, end)]
    rows += _ticket_rows(session, office_codes, start, end)
    return sorted(rows, key=lambda r: (r.at, r.number))


def guest_rows(
    session: Session, office_codes: set[str], start: datetime, end: datetime
) -> list[GuestRow]:
    entries = office_guests(session, office_codes, start, end)
    linked = {e.consultation_id for e in entries if e.consultation_id is not None}
    numbers = dict(
        session.exec(
            select(Consultation.id, Consultation.number).where(col(Consultation.id).in_(linked))
        ).all()
    )
    return [_guest(e, numbers.get(e.consultation_id or -1, "")) for e in entries]


def _guest(entry: GuestBookEntry, number: str) -> GuestRow:
    return GuestRow(
        entry.at,
        entry.office_code,
        entry.visitor_name,
        entry.party,
        entry.role.value,
        mask_contact(entry.contact),
        entry.purpose,
        number,
    )


def _from_consultation(c: Consultation) -> RegisterRow:
    return RegisterRow(
        number=c.number,
        at=c.at,
        office_code=c.office_code,
        channel=c.channel.value,
        visitor_name=c.visitor_name,
        party=c.party,
        role=c.role.value,
        contact=mask_contact(c.contact),
        topic=c.topic,
        stage=c.stage,
        question=c.question,
        answer=c.answer,
        legal_basis=c.legal_basis,
        officer=c.officer_name,
        status=c.status.value,
        follow_up=c.follow_up,
        duration_minutes=c.duration_minutes,
    )


def _ticket_rows(
    session: Session, office_codes: set[str], start: datetime, end: datetime
) -> list[RegisterRow]:
    first_answer = (
        sa.select(col(TicketMessage.ticket_id), func.min(col(TicketMessage.id)).label("mid"))
        .where(col(TicketMessage.author_kind) == AuthorKind.OFFICER)
        .where(col(TicketMessage.internal).is_(False))
        .group_by(col(TicketMessage.ticket_id))
        .subquery()
    )
    query = (
        sa.select(Ticket, Liaison, col(Officer.name), col(TicketMessage.text))
        .join(Liaison, col(Liaison.id) == col(Ticket.liaison_id))
        .outerjoin(Officer, col(Officer.id) == col(Ticket.claimed_by))
        .outerjoin(first_answer, first_answer.c.ticket_id == col(Ticket.id))
        .outerjoin(TicketMessage, col(TicketMessage.id) == first_answer.c.mid)
        .where(col(Ticket.office_code).in_(office_codes))
        .where(col(Ticket.opened_at) >= start, col(Ticket.opened_at) < end)
        .where(col(Ticket.status) != TicketStatus.SPAM)
    )
    rows = []
    for ticket, liaison, officer_name, answer in session.execute(query).all():
        end_at = ticket.resolved_at or ticket.closed_at
        role = VisitorRole.SILON_ADMIN if liaison.tier is Tier.ADMIN_SILON else VisitorRole.LIAISON
        rows.append(
            RegisterRow(
                number=ticket.number,
                at=ticket.opened_at,
                office_code=ticket.office_code,
                channel=Channel.BOT.value,
                visitor_name=liaison.name,
                party=liaison.party,
                role=role.value,
                contact="",  # reached through the bot: no contact is kept
                topic=ticket.category or "",
                stage="",
                question=ticket.question or ticket.subject,
                answer=answer or "",
                legal_basis="",
                officer=officer_name or "",
                status=ticket.status.value,
                follow_up="",
                duration_minutes=int((end_at - ticket.opened_at).total_seconds() // 60)
                if end_at
                else 0,
            )
        )
    return rows
