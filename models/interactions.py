"""The record of every consultation: what came in and what the help desk did with it."""

from __future__ import annotations

import enum
import functools
import re
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel

from models.types import UTCDateTime, enum_type

# A NIK is 16 digits; people type them with spaces, dots or dashes between groups.
_NIK = re.compile(r"(?<!\d)(?:\d[ .\-]?){15}\d(?!\d)")
# Indonesian mobile numbers: 08xx / +628xx / 628xx, 9 to 13 digits after the prefix.
_PHONE = re.compile(r"(?<![\d+])(?:\+?62[ .\-]?|0)8\d(?:[ .\-]?\d){6,11}(?!\d)")


def mask_personal_numbers(text: str) -> str:
    """Masks identity numbers (NIK) and phone numbers, keeping the last four digits
    so an officer can still tell two of them apart."""

    def keep_tail(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return "*" * (len(digits) - 4) + digits[-4:]

    return _PHONE.sub(keep_tail, _NIK.sub(keep_tail, text))


_PERSON_KEY = re.compile(r"\+?\d{5,}")  # a WhatsApp id is the phone number; Telegram's a user id
_BSUID = re.compile(r"([A-Z]{2}\.(?:ENT\.)?)(\w{5,})")  # WhatsApp's business-scoped user id


def mask_chat_key(key: str) -> str:
    """A chat as logs may name it: a person's key (a WhatsApp id, which is their phone
    number; a business-scoped user id; a Telegram user id) keeps its last four characters,
    enough to tell two apart in one log; a group's key (negative) names no person and stays."""
    if _PERSON_KEY.fullmatch(key):
        digits = key.lstrip("+")
        return "*" * (len(digits) - 4) + digits[-4:]
    bsuid = _BSUID.fullmatch(key)
    if bsuid:
        prefix, rest = bsuid.groups()
        return prefix + "*" * (len(rest) - 4) + rest[-4:]
    return key


class InteractionKind(enum.StrEnum):
    COMMAND = "command"
    TEXT = "text"
    BUTTON = "button"
    ATTACHMENT = "attachment"
    MEMBERSHIP = "membership"
    OTHER = "other"


class Interaction(SQLModel, table=True):
    """One incoming event and its outcome. Text is stored whole, with personal numbers masked."""

    __tablename__ = "interaction"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    channel: str = Field(max_length=32)
    chat_id: int | None = Field(default=None, foreign_key="chat.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    kind: InteractionKind = Field(sa_type=enum_type(InteractionKind, 16))
    content: str = Field(default="", sa_type=sa.Text)
    outcome: str = Field(default="", max_length=64)


def record_interaction(
    session: Session,
    *,
    at: datetime,
    channel: str,
    kind: InteractionKind,
    content: str,
    outcome: str,
    chat_id: int | None = None,
    person_id: int | None = None,
) -> None:
    """Writes the record of one event in the caller's unit of work (the caller commits).
    Written for every update, so it is one insert composed once, run on the unit of
    work's connection: the ORM's flush would cost several times the insert. The chat
    and person it names are in the database already (``seen_chat``, ``seen_person``)."""
    fields = {
        "at": at,
        "channel": channel,
        "kind": kind,
        "content": mask_personal_numbers(content),
        "outcome": outcome[:64],
        "chat_id": chat_id,
        "person_id": person_id,
    }
    session.connection().execute(_insert(), fields)


@functools.cache
def _insert() -> sa.Insert:
    return sa.insert(Interaction.__table__)  # type: ignore[attr-defined]
