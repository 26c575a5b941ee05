"""People who talk to the help desk through a messaging app."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, select
from sqlmodel.sql.expression import SelectOfScalar

from models.interactions import mask_personal_numbers
from models.types import UTCDateTime, enum_type

# "Last seen" is kept to the minute: an account that writes again within it costs no
# write of its own (most updates come in bursts from the same people).
SEEN_EVERY = timedelta(minutes=1)


def seen_long_ago(moment: datetime | None, now: datetime) -> bool:
    """Whether a "last seen" mark of ``moment`` is worth writing over with ``now``."""
    return moment is None or now - moment >= SEEN_EVERY


class Language(enum.StrEnum):
    """Languages the help desk speaks. Indonesian first: it is the liaisons' language."""

    ID = "id"
    EN = "en"

    @classmethod
    def from_hint(cls, code: str | None) -> Language:
        """The language to use before a person has chosen: English only when the app says so."""
        if code and code.lower().split("-")[0] == "en":
            return cls.EN
        return cls.ID


class Person(SQLModel, table=True):
    """Someone known to the help desk through one messaging app account."""

    __tablename__ = "person"
    __table_args__ = (sa.UniqueConstraint("channel", "external_id", name="uq_person_account"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    external_id: str = Field(max_length=64)
    display_name: str = Field(default="", max_length=200)
    username: str | None = Field(default=None, max_length=64)
    language_hint: Language = Field(default=Language.ID, sa_type=enum_type(Language, 8))
    language: Language | None = Field(default=None, sa_type=enum_type(Language, 8))
    reachable: bool = Field(default=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)

    @property
    def speaks(self) -> Language:
        """The chosen language, or the app's hint until one is chosen."""
        return self.language or self.language_hint


@cache
def _person_by_account() -> SelectOfScalar[Person]:
    # Built once: composing a statement costs more than running it (see models.sql).
    return select(Person).where(
        Person.channel == sa.bindparam("channel"), Person.external_id == sa.bindparam("external")
    )


def find_person(session: Session, channel: str, external_id: str) -> Person | None:
    params = {"channel": channel, "external": external_id}
    return session.exec(_person_by_account(), params=params).first()


def seen_person(
    session: Session,
    *,
    channel: str,
    external_id: str,
    display_name: str,
    username: str | None,
    language_hint: Language,
    now: datetime,
    in_private: bool,
) -> Person:
    """The person behind an account, created on first contact and refreshed on each one.

    ``reachable`` says whether the bot can write to them privately: a message in their
    private chat proves it again; one in a group proves nothing about it.
    """
    return refresh_person(
        session,
        find_person(session, channel, external_id),
        channel=channel,
        external_id=external_id,
        display_name=display_name,
        username=username,
        language_hint=language_hint,
        now=now,
        in_private=in_private,
    )


def refresh_person(
    session: Session,
    person: Person | None,
    *,
    channel: str,
    external_id: str,
    display_name: str,
    username: str | None,
    language_hint: Language,
    now: datetime,
    in_private: bool,
) -> Person:
    """:func:`seen_person` for an account already looked up: ``person`` as
    :func:`find_person` found it, None on first contact."""
    new = person is None
    if person is None:
        person = Person(
            channel=channel,
            external_id=external_id,
            created_at=now,
            last_seen_at=now,
        )
    # Only what changed is assigned: an unchanged account is not written at all.
    name = mask_personal_numbers(display_name)[:200]  # names may hold numbers
    handle = username[:64] if username else None
    if person.display_name != name:
        person.display_name = name
    if person.username != handle:
        person.username = handle
    if person.language_hint != language_hint:
        person.language_hint = language_hint
    if seen_long_ago(person.last_seen_at, now):
        person.last_seen_at = now
    if in_private and not person.reachable:
        person.reachable = True
    if new:
        session.add(person)
        session.flush()
    return person
