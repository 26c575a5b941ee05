"""People who talk to the help desk through a messaging app."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, select

from models.interactions import mask_personal_numbers
from models.types import UTCDateTime, enum_type


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


def find_person(session: Session, channel: str, external_id: str) -> Person | None:
    return session.exec(
        select(Person).where(Person.channel == channel, Person.external_id == external_id)
    ).first()


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
    person = find_person(session, channel, external_id)
    if person is None:
        person = Person(
            channel=channel,
            external_id=external_id,
            created_at=now,
            last_seen_at=now,
        )
    person.display_name = mask_personal_numbers(display_name)[:200]  # names may hold numbers
    person.username = username[:64] if username else None
    person.language_hint = language_hint
    person.last_seen_at = now
    if in_private:
        person.reachable = True
    session.add(person)
    session.flush()
    return person
