"""One person, several app accounts: a liaison links their WhatsApp and Telegram accounts,
so either reaches the same liaison record, tickets and reminders.

The rule: the account the liaison registered with stays the record's (``primary``); each
other account is linked to it once, by a short code the liaison asks for in one app and
sends from the other (``LINK_WORD <code>`` on WhatsApp, a deep link on Telegram). The code
lives ``CODE_TTL`` and is used once. What the help desk sends to a liaison goes to the
account they last wrote from that can still be reached (:func:`preferred_account`), so an
answer follows them to the app they use, and a broadcast reaches them once.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Field, Session, SQLModel, col, delete, select

from models.people import Person
from models.types import UTCDateTime

CODE_TTL = timedelta(minutes=30)
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread
CODE_LENGTH = 8
LINK_WORD = "HUBUNGKAN"  # typed before the code on WhatsApp


class PersonLink(SQLModel, table=True):
    """``person_id`` is another account of the person whose account is ``primary_id``."""

    __tablename__ = "person_link"

    person_id: int = Field(primary_key=True, foreign_key="person.id")
    primary_id: int = Field(foreign_key="person.id", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class LinkCode(SQLModel, table=True):
    __tablename__ = "link_code"

    code: str = Field(primary_key=True, max_length=16)
    person_id: int = Field(foreign_key="person.id", index=True)
    expires_at: datetime = Field(sa_type=UTCDateTime)


def new_link_code(session: Session, person_id: int, now: datetime) -> str:
    """A fresh code for linking another account to ``person_id`` (earlier ones end)."""
    session.exec(delete(LinkCode).where(col(LinkCode.person_id) == person_id))
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    session.add(LinkCode(code=code, person_id=person_id, expires_at=now + CODE_TTL))
    session.flush()
    return code


def looks_like_link_code(text: str) -> bool:
    return len(text) == CODE_LENGTH and all(c in CODE_ALPHABET for c in text.upper())


def redeem_link_code(session: Session, code: str, person: Person, now: datetime) -> Person | None:
    """Links ``person`` (this account) to the account that asked for ``code``; that
    account's person, or None when the code is unknown, expired, or asked for here."""
    found = session.get(LinkCode, code.strip().upper())
    if found is None or found.expires_at <= now or found.person_id == person.id:
        return None
    primary = session.get(Person, primary_of(session, found.person_id))
    if primary is None or person.id is None or primary.id == person.id:
        return None
    session.delete(found)
    link = session.get(PersonLink, person.id)
    if link is None:
        link = PersonLink(person_id=person.id, primary_id=primary.id or 0, created_at=now)
    link.primary_id = primary.id or 0
    session.add(link)
    session.flush()
    return primary


def primary_of(session: Session, person_id: int) -> int:
    """The account the person's records name (itself when it is not linked)."""
    link = session.get(PersonLink, person_id)
    return link.primary_id if link is not None else person_id


def accounts_of(session: Session, primary_ids: Sequence[int]) -> dict[int, list[Person]]:
    """Each primary account's linked accounts (not itself)."""
    if not primary_ids:
        return {}
    rows = session.exec(
        select(PersonLink.primary_id, Person)
        .join(Person, col(Person.id) == PersonLink.person_id)
        .where(col(PersonLink.primary_id).in_(list(primary_ids)))
    ).all()
    found: dict[int, list[Person]] = {}
    for primary_id, person in rows:
        found.setdefault(primary_id, []).append(person)
    return found


def preferred_account(
    session: Session, primary: Person, linked: Sequence[Person] | None = None
) -> Person:
    """Where to write to the person: of their reachable accounts, the one they last wrote
    from; the primary when none is reachable."""
    if linked is None:
        linked = accounts_of(session, [primary.id or 0]).get(primary.id or 0, [])
    reachable = [p for p in (primary, *linked) if p.reachable]
    if not reachable:
        return primary
    return max(reachable, key=lambda p: (p.last_seen_at, p is primary))


def account_for(session: Session, person_id: int) -> Person | None:
    """The account to write to for the person whose record names ``person_id``."""
    primary = session.get(Person, person_id)
    return preferred_account(session, primary) if primary is not None else None
