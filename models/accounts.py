"""One person, several app accounts: a liaison links their WhatsApp and Telegram accounts,
so either reaches the same liaison record, tickets and reminders.

The rule: the account the liaison registered with stays the record's (``primary``); each
other account is linked to it once, by a short code the liaison asks for in one app and
sends from the other (``LINK_WORD <code>`` on WhatsApp, a deep link on Telegram). The code
lives ``CODE_TTL`` and is used once. What the help desk sends to a liaison goes to the
account they last wrote from that can still be reached (:func:`preferred_account`), so an
answer follows them to the app they use, and a broadcast reaches them once.

A link can be undone from either side (:func:`unlink`): a linked account leaves the
registration, or the registration's own account lets every linked account go. Linking and
unlinking are audited (ids only, never numbers).
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, delete, select

from models.audit import audit_append
from models.interactions import Interaction
from models.people import Person
from models.sql import run
from models.types import UTCDateTime

CODE_TTL = timedelta(minutes=30)
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread
CODE_LENGTH = 8
LINK_WORD = "HUBUNGKAN"  # typed before the code on WhatsApp
LINKS_CHANGED = "person_links_changed"  # in Session.info


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
    audit_append(
        session,
        at=now,
        actor=f"person:{person.id}",
        action="account.linked",
        data={"registration": primary.id, "account": person.id},
    )
    session.flush()
    session.info[LINKS_CHANGED] = links_changed(session) + 1
    return primary


def linked_with(session: Session, person_id: int) -> list[Person]:
    """The other accounts that reach the same registration as ``person_id`` (none when
    it is linked to nothing)."""
    primary_id = primary_of(session, person_id)
    others = accounts_of(session, [primary_id]).get(primary_id, [])
    if primary_id != person_id:
        primary = session.get(Person, primary_id)
        others = [primary, *others] if primary is not None else others
    return [p for p in others if p.id != person_id]


def unlink(session: Session, person_id: int, now: datetime) -> list[Person]:
    """Undoes the links of ``person_id``'s account: a linked account leaves its
    registration; the registration's own account lets every linked account go. The
    accounts no longer linked to it (empty: nothing was linked)."""
    primary_id = primary_of(session, person_id)
    if primary_id != person_id:
        gone = [person_id]
    else:
        gone = list(
            session.exec(select(PersonLink.person_id).where(PersonLink.primary_id == person_id))
        )
    if not gone:
        return []
    others = linked_with(session, person_id)
    session.exec(delete(PersonLink).where(col(PersonLink.person_id).in_(gone)))
    audit_append(
        session,
        at=now,
        actor=f"person:{person_id}",
        action="account.unlinked",
        data={"registration": primary_id, "accounts": sorted(gone)},
    )
    session.flush()
    session.info[LINKS_CHANGED] = links_changed(session) + 1
    gone_set = set(gone)
    return [p for p in others if p.id in gone_set] if primary_id == person_id else others


def links_changed(session: Session) -> int:
    """How many times accounts were linked in this session: what a session remembers
    about a person (``models.staff.find_liaison``) is stale once this moves."""
    return int(session.info.get(LINKS_CHANGED, 0))


def primary_account(person_id: sa.ColumnElement[int]) -> sa.ColumnElement[int]:
    """:func:`primary_of` as an expression, for a statement that reads the primary
    account's records in the same query."""
    linked = select(PersonLink.primary_id).where(PersonLink.person_id == person_id)
    return sa.func.coalesce(linked.scalar_subquery(), person_id)


@functools.cache
def _primary_of_account() -> sa.Select[int]:
    # Built once: asked for every question (composing costs more than running, see
    # models.sql); only the column, no object to load for the many who are not linked.
    return sa.select(primary_account(sa.bindparam("person", type_=sa.Integer)))


def primary_of(session: Session, person_id: int) -> int:
    """The account the person's records name (itself when it is not linked)."""
    primary: int = run(session, _primary_of_account(), {"person": person_id}).scalar_one()
    return primary


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
    if len(reachable) < 2:
        return reachable[0] if reachable else primary
    # "Last seen" is written at most once a minute; the record of what each account sent
    # tells which one wrote last, to the second (it may have been purged: then last seen).
    ids = [p.id for p in reachable if p.id is not None]
    wrote = dict(
        session.exec(
            select(Interaction.person_id, sa.func.max(Interaction.at))
            .where(col(Interaction.person_id).in_(ids))
            .group_by(col(Interaction.person_id))
        ).all()
    )

    def last(p: Person) -> datetime:
        moment = wrote.get(p.id)
        return max(p.last_seen_at, moment) if moment is not None else p.last_seen_at

    return max(reachable, key=lambda p: (last(p), p is primary))


def account_for(session: Session, person_id: int) -> Person | None:
    """The account to write to for the person whose record names ``person_id``."""
    primary = session.get(Person, person_id)
    return preferred_account(session, primary) if primary is not None else None
