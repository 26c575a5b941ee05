"""The consultation register and the guest book an office's help desk keeps.

A consultation is one question brought to the desk, whatever the channel. A ticket *is*
a consultation: it is not stored twice, the register and the reports read tickets beside
the contacts officers record by hand (a visit, a phone call, an e-mail, a question in a
messaging group, an online meeting). Hand-recorded consultations are numbered per office
and year. Personal numbers (NIK, phone) typed into any free text are masked before they
are stored; the visitor's contact is kept whole for the office and masked in every view
and export (:func:`mask_contact`). Questions the bot answered on its own are counted per
day, entry and office (:class:`SelfServiceCount`), never kept as personal records.
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from models.audit import audit_append
from models.counters import bump_counter
from models.interactions import mask_personal_numbers
from models.offices import get_office
from models.refusals import Refusal
from models.types import UTCDateTime, enum_type

MAX_TEXT = 4000


class Channel(enum.StrEnum):
    """How a consultation reached the desk. ``BOT`` is a ticket opened in chat."""

    BOT = "bot"
    WALK_IN = "walk_in"
    PHONE = "phone"
    EMAIL = "email"
    WA_GROUP = "wa_group"
    ONLINE_MEETING = "online_meeting"


class VisitorRole(enum.StrEnum):
    LIAISON = "liaison"
    SIPOL_ADMIN = "sipol_admin"
    SILON_ADMIN = "silon_admin"
    CANDIDATE = "candidate"
    VOTER = "voter"
    MONITOR = "monitor"
    OTHER = "other"


class ConsultStatus(enum.StrEnum):
    ANSWERED = "answered"  # answered on the spot
    FOLLOW_UP = "follow_up"  # needs a follow-up by the office
    REFERRED = "referred"  # sent to another office or body


class Consultation(SQLModel, table=True):
    """One consultation recorded by hand (tickets are read from the ticket table)."""

    __tablename__ = "consultation"
    __table_args__ = (
        sa.UniqueConstraint("office_code", "year", "seq", name="uq_consultation_number"),
        sa.Index("ix_consultation_office_at", "office_code", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    office_code: str = Field(foreign_key="office.code", max_length=16)
    year: int
    seq: int
    number: str = Field(max_length=32)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    channel: Channel = Field(sa_type=enum_type(Channel, 16))
    visitor_name: str = Field(max_length=120)
    party: str = Field(default="", max_length=120)
    role: VisitorRole = Field(sa_type=enum_type(VisitorRole, 16))
    contact: str = Field(default="", max_length=120)
    topic: str = Field(default="", max_length=64)
    stage: str = Field(default="", max_length=64)
    question: str = Field(default="", sa_type=sa.Text)
    answer: str = Field(default="", sa_type=sa.Text)
    legal_basis: str = Field(default="", max_length=255)
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    officer_name: str = Field(default="", max_length=120)
    status: ConsultStatus = Field(sa_type=enum_type(ConsultStatus, 16))
    follow_up: str = Field(default="", sa_type=sa.Text)
    duration_minutes: int = Field(default=0)
    created_at: datetime = Field(sa_type=UTCDateTime)


class ConsultationCounter(SQLModel, table=True):
    """The last consultation number given out per office and year."""

    __tablename__ = "consultation_counter"

    office_code: str = Field(primary_key=True, foreign_key="office.code", max_length=16)
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last: int = Field(default=0)


class GuestBookEntry(SQLModel, table=True):
    """A visit signed into the guest book (buku kehadiran tamu)."""

    __tablename__ = "guest_book_entry"
    __table_args__ = (sa.Index("ix_guest_book_entry_office_at", "office_code", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    office_code: str = Field(foreign_key="office.code", max_length=16)
    at: datetime = Field(sa_type=UTCDateTime)
    visitor_name: str = Field(max_length=120)
    party: str = Field(default="", max_length=120)
    role: VisitorRole = Field(sa_type=enum_type(VisitorRole, 16))
    contact: str = Field(default="", max_length=120)
    purpose: str = Field(default="", sa_type=sa.Text)
    consultation_id: int | None = Field(default=None, foreign_key="consultation.id")


class SelfServiceCount(SQLModel, table=True):
    """How many questions the bot answered with no officer, per local day, entry, office."""

    __tablename__ = "self_service_count"

    day: date = Field(primary_key=True)
    office_code: str = Field(primary_key=True, foreign_key="office.code", max_length=16)
    entry_id: str = Field(primary_key=True, max_length=64)
    count: int = Field(default=0)


_EMAIL = re.compile(r"^([^@\s]{1,2})[^@\s]*(@.+)$")


def mask_contact(contact: str) -> str:
    """A contact as people may see it: an e-mail keeps two letters and its domain, any
    other value keeps only its last four characters."""
    text = contact.strip()
    if not text:
        return ""
    email = _EMAIL.match(text)
    if email:
        return f"{email.group(1)}***{email.group(2)}"
    return "*" * max(len(text) - 4, 3) + text[-4:]


def _clean(text: str, limit: int = MAX_TEXT) -> str:
    return mask_personal_numbers((text or "").strip())[:limit]


@dataclass(frozen=True)
class ConsultationInput:
    """What an officer records: the register's fields, in the office's words."""

    office_code: str
    channel: Channel
    visitor_name: str
    role: VisitorRole
    question: str
    party: str = ""
    contact: str = ""
    topic: str = ""
    stage: str = ""
    answer: str = ""
    legal_basis: str = ""
    officer_id: int | None = None
    officer_name: str = ""
    status: ConsultStatus = ConsultStatus.ANSWERED
    follow_up: str = ""
    duration_minutes: int = 0
    at: datetime | None = None  # when it happened; now when not given


def record_consultation(
    session: Session, data: ConsultationInput, *, actor: str, now: datetime
) -> Consultation:
    """Records a hand-recorded consultation with the office's next number for the year
    ("BTL/2026/0007"). A bot ticket is never recorded here: it is a consultation already."""
    if data.channel is Channel.BOT:
        raise ValueError("a ticket is a consultation already; record only other channels")
    if not data.visitor_name.strip() or not data.question.strip():
        raise Refusal("desk/refused/empty_question")
    office = get_office(session, data.office_code)
    at = data.at or now
    year = at.year
    seq = bump_counter(session, ConsultationCounter, office_code=office.code, year=year)
    consultation = Consultation(
        office_code=office.code,
        year=year,
        seq=seq,
        number=f"{office.prefix}/{year}/{seq:04d}",
        at=at,
        channel=data.channel,
        visitor_name=_clean(data.visitor_name, 120),
        party=_clean(data.party, 120),
        role=data.role,
        contact=data.contact.strip()[:120],
        topic=data.topic.strip()[:64],
        stage=data.stage.strip()[:64],
        question=_clean(data.question),
        answer=_clean(data.answer),
        legal_basis=_clean(data.legal_basis, 255),
        officer_id=data.officer_id,
        officer_name=_clean(data.officer_name, 120),
        status=data.status,
        follow_up=_clean(data.follow_up),
        duration_minutes=max(0, data.duration_minutes),
        created_at=now,
    )
    session.add(consultation)
    session.flush()
    audit_append(
        session,
        at=now,
        actor=actor,
        action="consultation.recorded",
        data={"office": office.code, "number": consultation.number, "channel": data.channel},
    )
    return consultation


def sign_guest_book(
    session: Session,
    *,
    office_code: str,
    visitor_name: str,
    role: VisitorRole,
    party: str = "",
    contact: str = "",
    purpose: str = "",
    at: datetime,
) -> GuestBookEntry:
    """Signs a visit into the office's guest book."""
    office = get_office(session, office_code)
    if not visitor_name.strip():
        raise Refusal("desk/refused/empty_question")
    entry = GuestBookEntry(
        office_code=office.code,
        at=at,
        visitor_name=_clean(visitor_name, 120),
        party=_clean(party, 120),
        role=role,
        contact=contact.strip()[:120],
        purpose=_clean(purpose),
    )
    session.add(entry)
    session.flush()
    return entry


def consult_from_guest(
    session: Session,
    entry: GuestBookEntry,
    *,
    question: str,
    answer: str = "",
    topic: str = "",
    stage: str = "",
    officer_id: int | None = None,
    officer_name: str = "",
    actor: str,
    now: datetime,
) -> Consultation:
    """Turns a guest-book visit into a walk-in consultation, linked both ways: the
    visitor's name, party, role and contact are carried over, not typed again."""
    if entry.consultation_id is not None:
        found = session.get(Consultation, entry.consultation_id)
        if found is not None:
            return found
    consultation = record_consultation(
        session,
        ConsultationInput(
            office_code=entry.office_code,
            channel=Channel.WALK_IN,
            visitor_name=entry.visitor_name,
            role=entry.role,
            party=entry.party,
            contact=entry.contact,
            question=question,
            answer=answer,
            topic=topic,
            stage=stage,
            officer_id=officer_id,
            officer_name=officer_name,
            at=entry.at,
        ),
        actor=actor,
        now=now,
    )
    entry.consultation_id = consultation.id
    session.add(entry)
    session.flush()
    return consultation


def count_self_service(session: Session, *, day: date, office_code: str, entry_id: str) -> None:
    """Adds one to the day's count of questions the bot answered alone with ``entry_id``
    (``day`` is the office's local date)."""
    entry = entry_id[:64]
    # The counter's rows are never loaded as objects: the statement, composed once, runs
    # on the unit of work's connection (nothing of the ORM's to keep in step with it).
    params = {"on_day": day, "office": office_code, "entry": entry}
    if session.connection().execute(_bump_self_service(), params).rowcount:
        return
    try:
        with session.begin_nested():
            session.add(SelfServiceCount(day=day, office_code=office_code, entry_id=entry, count=1))
            session.flush()
    except sa.exc.IntegrityError:
        session.connection().execute(_bump_self_service(), params)


@functools.cache
def _bump_self_service() -> sa.Update:
    table = SelfServiceCount.__table__  # type: ignore[attr-defined]
    return (
        sa.update(table)
        .where(
            table.c.day == sa.bindparam("on_day"),
            table.c.office_code == sa.bindparam("office"),
            table.c.entry_id == sa.bindparam("entry"),
        )
        .values(count=table.c.count + 1)
    )


def office_consultations(
    session: Session, office_codes: set[str], start: datetime, end: datetime
) -> list[Consultation]:
    """Hand-recorded consultations of these offices in [start, end), in order."""
    return list(
        session.exec(
            select(Consultation)
            .where(col(Consultation.office_code).in_(office_codes))
            .where(col(Consultation.at) >= start, col(Consultation.at) < end)
            .order_by(col(Consultation.at), col(Consultation.id))
        ).all()
    )


def office_guests(
    session: Session, office_codes: set[str], start: datetime, end: datetime
) -> list[GuestBookEntry]:
    return list(
        session.exec(
            select(GuestBookEntry)
            .where(col(GuestBookEntry.office_code).in_(office_codes))
            .where(col(GuestBookEntry.at) >= start, col(GuestBookEntry.at) < end)
            .order_by(col(GuestBookEntry.at), col(GuestBookEntry.id))
        ).all()
    )
