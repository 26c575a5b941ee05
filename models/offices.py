"""The KPU office tree: KPU RI, the provincial offices and the regency/city offices.

Reference fields (name, level, parent, zone) come from shipped data and are refreshed at
every start; local settings (the linked staff chat, working hours, SLA thresholds, the
ticket-number prefix) belong to the deployment and are never overwritten by a sync.
"""

from __future__ import annotations

import enum
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from models.audit import audit_append
from models.chats import Chat
from models.refusals import Refusal
from models.sql import run
from models.types import enum_type

RI = "RI"


class OfficeLevel(enum.StrEnum):
    RI = "ri"
    PROVINCE = "province"
    REGENCY = "regency"
    CITY = "city"


class OfficeSeed(Protocol):
    """An office as the reference data describes it
    (``knowledge.content.reference.OfficeRecord``)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def short(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def parent(self) -> str | None: ...
    @property
    def body(self) -> str: ...
    @property
    def timezone(self) -> str: ...


class Office(SQLModel, table=True):
    """One KPU (or KIP) office. ``staff_chat_id`` is the officers' group linked to it."""

    __tablename__ = "office"
    __table_args__ = (
        sa.UniqueConstraint("prefix", name="uq_office_prefix"),
        sa.UniqueConstraint("staff_chat_id", name="uq_office_staff_chat"),
    )

    code: str = Field(primary_key=True, max_length=16)
    name: str = Field(max_length=120)
    short: str = Field(default="", max_length=80)
    region: str = Field(default="", max_length=80)
    level: OfficeLevel = Field(sa_type=enum_type(OfficeLevel, 16))
    parent_code: str | None = Field(
        default=None, foreign_key="office.code", index=True, max_length=16
    )
    body: str = Field(default="KPU", max_length=8)
    timezone: str = Field(default="Asia/Jakarta", max_length=40)
    prefix: str = Field(max_length=8)
    staff_chat_id: int | None = Field(default=None, foreign_key="chat.id")
    work_start: str = Field(default="08:00", max_length=5)
    work_end: str = Field(default="16:00", max_length=5)
    work_days: str = Field(default="1-6", max_length=16)
    claim_minutes: int = Field(default=60)
    answer_minutes: int = Field(default=240)

    @property
    def label(self) -> str:
        """How the office is named to people: "KPU Kabupaten Bantul"."""
        return self.name


def office_zone(office: Office) -> ZoneInfo:
    return ZoneInfo(office.timezone)


def _office_key(code: str) -> str:
    """The stored code of ``code`` as people type it (spaces around, "ri" for RI)."""
    key = code.strip()
    return RI if key.upper() == RI else key


def find_office(session: Session, code: str) -> Office | None:
    return session.get(Office, _office_key(code))


@functools.cache
def _zone_of_office() -> sa.Select[str, str]:
    # Built once: every answer counted asks (composing costs more than running, see
    # models.sql); two columns, no object loaded.
    return sa.select(col(Office.code), col(Office.timezone)).where(
        col(Office.code) == sa.bindparam("code")
    )


def find_office_zone(session: Session, code: str) -> tuple[str, ZoneInfo] | None:
    """The office ``code`` as :func:`find_office` finds it: its code and time zone."""
    found = run(session, _zone_of_office(), {"code": _office_key(code)}).first()
    return (found[0], ZoneInfo(found[1])) if found is not None else None


def get_office(session: Session, code: str) -> Office:
    office = find_office(session, code)
    if office is None:
        raise Refusal("desk/refused/unknown_office", code=code)
    return office


def parent_of(session: Session, code: str) -> Office | None:
    office = find_office(session, code)
    if office is None or office.parent_code is None:
        return None
    return session.get(Office, office.parent_code)


def ancestors(session: Session, code: str) -> list[Office]:
    """The offices above ``code``, nearest first, up to KPU RI."""
    found: list[Office] = []
    parent = parent_of(session, code)
    while parent is not None and len(found) < 8:
        found.append(parent)
        parent = parent_of(session, parent.code)
    return found


def is_within(session: Session, code: str, ancestor_code: str) -> bool:
    """Whether office ``code`` is ``ancestor_code`` itself or lies below it in the tree."""
    if code == ancestor_code:
        return True
    return any(o.code == ancestor_code for o in ancestors(session, code))


def subtree_codes(session: Session, code: str) -> set[str]:
    """``code`` and every office below it."""
    found = {code}
    frontier = {code}
    while frontier:
        children = set(
            session.exec(select(Office.code).where(col(Office.parent_code).in_(frontier))).all()
        )
        frontier = children - found
        found |= children
    return found


def staffed_office(session: Session, code: str) -> Office | None:
    """The office that answers for ``code``: itself when its staff chat is linked and the
    bot can write there, else the nearest office above it whose chat is; None when no
    office on the way has one. A staff chat the bot was removed from (or lost its rights
    in) is lost until the bot is back: new tickets go to the next office up."""
    office = find_office(session, code)
    chain = [office, *ancestors(session, code)] if office is not None else []
    return next((o for o in chain if o is not None and staff_chat_up(session, o)), None)


def staff_chat_up(session: Session, office: Office) -> bool:
    """Whether the office has a staff chat and the bot can write there."""
    if office.staff_chat_id is None:
        return False
    chat = session.get(Chat, office.staff_chat_id)
    return chat is not None and chat.reachable


def office_for_staff_chat(session: Session, chat_id: int) -> Office | None:
    """The office whose staff chat is ``chat_id`` (our chat row id)."""
    return session.exec(select(Office).where(Office.staff_chat_id == chat_id)).first()


# --- sync from the reference data -------------------------------------------------------

_REFERENCE_FIELDS = ("name", "short", "region", "level", "parent_code", "body", "timezone")


def sync_offices(session: Session, seeds: Iterable[OfficeSeed]) -> int:
    """Brings the office table in line with the reference data; returns how many rows
    were added or changed. Local settings stay as they are; new offices get a unique
    ticket-number prefix derived from their name."""
    existing = {o.code: o for o in session.exec(select(Office)).all()}
    taken = {o.prefix for o in existing.values()}
    ordered = sorted(seeds, key=lambda s: (_depth(s.code), s.code))
    added: list[dict[str, Any]] = []  # parents before their children
    changed = 0
    for seed in ordered:
        values: dict[str, Any] = {
            "name": seed.name[:120],
            "short": (seed.short or seed.name)[:80],
            "region": (seed.region or "")[:80],
            "level": OfficeLevel(seed.level),
            "parent_code": seed.parent,
            "body": (seed.body or "KPU")[:8],
            "timezone": seed.timezone,
        }
        office = existing.get(seed.code)
        if office is None:
            prefix = next(p for p in prefix_candidates(seed) if p not in taken)
            taken.add(prefix)
            added.append({"code": seed.code, "prefix": prefix, **values})
        elif all(getattr(office, f) == values[f] for f in _REFERENCE_FIELDS):
            continue
        else:
            for name, value in values.items():
                setattr(office, name, value)
            session.add(office)
        changed += 1
    if added:  # one statement (a first start adds some 550 offices), the columns' defaults
        session.execute(sa.insert(Office), added)
    session.flush()
    return changed


def _depth(code: str) -> int:
    return 0 if code == RI else 1 + code.count(".")


_VOWELS = frozenset("AEIOU")
_ADMIN_WORDS = frozenset({"KABUPATEN", "KAB", "KOTA", "PROVINSI", "PROV", "KPU", "KIP"})


def _letters(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    return [w for w in re.findall(r"[A-Z]+", plain) if w not in _ADMIN_WORDS]


def prefix_candidates(seed: OfficeSeed) -> Iterator[str]:
    """Readable three-letter prefixes for an office's ticket numbers, best first ("Bantul"
    → BTL, "Jawa Tengah" → JTG), ending with one built from the code, which is unique."""
    if seed.code == RI:
        yield RI
    words = _letters(seed.region or seed.short or seed.name) or ["X"]
    if len(words) > 1:
        initials = "".join(w[0] for w in words)
        last = words[-1]
        tail = [c for c in last[1:] if c not in _VOWELS]
        if len(initials) >= 3:
            yield initials[:3]
        for c in tail[::-1]:
            yield initials[:2] + c
    joined = "".join(words)
    consonants = joined[0] + "".join(c for c in joined[1:] if c not in _VOWELS)
    if len(consonants) >= 3:
        yield consonants[0] + consonants[-2] + consonants[-1]
        yield consonants[:3]
        for i, j in itertools.combinations(range(1, len(consonants)), 2):
            yield consonants[0] + consonants[i] + consonants[j]
    for i, j in itertools.combinations(range(1, len(joined)), 2):
        yield joined[0] + joined[i] + joined[j]
    yield "K" + seed.code.replace(".", "")[:7]


# --- local settings -----------------------------------------------------------------------

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_DAYS = re.compile(r"^[1-7](-[1-7])?(,[1-7](-[1-7])?)*$")


def parse_work_days(days: str) -> frozenset[int]:
    """ISO weekdays from "1-6" or "1,3,5" or "1-5,7"."""
    if not _DAYS.match(days):
        raise ValueError(f"working days must look like 1-6 or 1,3,5 (Mon=1), not {days!r}")
    found: set[int] = set()
    for part in days.split(","):
        first, _, last = part.partition("-")
        found.update(range(int(first), int(last or first) + 1))
    return frozenset(found)


def set_hours(
    session: Session,
    office: Office,
    *,
    start: str | None = None,
    end: str | None = None,
    days: str | None = None,
    claim_minutes: int | None = None,
    answer_minutes: int | None = None,
    actor: str,
    now: datetime,
) -> Office:
    """Changes an office's working hours and SLA thresholds (office-local times)."""
    start = start or office.work_start
    end = end or office.work_end
    if not (_HHMM.match(start) and _HHMM.match(end)) or start >= end:
        raise ValueError("hours must be HH:MM with the start before the end, e.g. 08:00 16:00")
    if days is not None:
        parse_work_days(days)
    for minutes in (claim_minutes, answer_minutes):
        if minutes is not None and not 1 <= minutes <= 7 * 24 * 60:
            raise ValueError("SLA minutes must be between 1 and 10080")
    office.work_start, office.work_end = start, end
    office.work_days = days or office.work_days
    office.claim_minutes = claim_minutes or office.claim_minutes
    office.answer_minutes = answer_minutes or office.answer_minutes
    session.add(office)
    audit_append(
        session,
        at=now,
        actor=actor,
        action="office.hours",
        data={
            "office": office.code,
            "hours": f"{start}-{end}",
            "days": office.work_days,
            "claim_minutes": office.claim_minutes,
            "answer_minutes": office.answer_minutes,
        },
    )
    return office


def link_staff_chat(
    session: Session, office: Office, chat_id: int, *, actor: str, now: datetime
) -> Office:
    """Makes chat ``chat_id`` (our chat row id) the office's staff chat. A chat serves one
    office: linking it elsewhere unlinks it from the office it served before."""
    previous = office_for_staff_chat(session, chat_id)
    if previous is not None and previous.code != office.code:
        previous.staff_chat_id = None
        session.add(previous)
        session.flush()
    office.staff_chat_id = chat_id
    session.add(office)
    session.flush()
    audit_append(
        session,
        at=now,
        actor=actor,
        action="office.linked",
        data={
            "office": office.code,
            "chat": chat_id,
            "moved_from": previous.code if previous and previous.code != office.code else None,
        },
    )
    return office
