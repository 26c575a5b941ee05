"""Chats the help desk is in: private chats with people, groups, staff supergroups."""

from __future__ import annotations

import enum
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from models.interactions import mask_personal_numbers
from models.people import Person, seen_long_ago
from models.types import UTCDateTime, enum_type


class ChatKind(enum.StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    CHANNEL = "channel"


class Chat(SQLModel, table=True):
    """A conversation place. ``member`` says whether the bot is still in it,
    ``reachable`` whether the last attempt to write there could be delivered."""

    __tablename__ = "chat"
    __table_args__ = (sa.UniqueConstraint("channel", "external_id", name="uq_chat_account"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    external_id: str = Field(max_length=64)
    kind: ChatKind = Field(sa_type=enum_type(ChatKind, 16))
    title: str = Field(default="", max_length=255)
    forum: bool = Field(default=False)
    member: bool = Field(default=True)
    reachable: bool = Field(default=True)
    unreachable_reason: str | None = Field(default=None, max_length=255)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


@cache
def _chat_by_id() -> SelectOfScalar[Chat]:
    # Built once: composing a statement costs more than running it (see models.sql).
    return select(Chat).where(
        Chat.channel == sa.bindparam("channel"), Chat.external_id == sa.bindparam("external")
    )


def find_chat(
    session: Session, channel: str, external_id: str, *, for_update: bool = False
) -> Chat | None:
    """The chat ``external_id`` of ``channel``. ``for_update`` locks its row until the
    transaction ends (PostgreSQL): a change made meanwhile by another process (a group
    moved to its new id) is waited for, and the row read after it, not overwritten."""
    params = {"channel": channel, "external": external_id}
    statement = _chat_by_id().with_for_update() if for_update else _chat_by_id()
    return session.exec(statement, params=params).first()


@cache
def _sender_and_chat() -> sa.Select[Person, Chat]:
    # Both optional: one row whether either is known or not (joined to a row of its own).
    one_row = sa.select(sa.literal_column("1").label("one")).subquery()
    person = sa.and_(
        col(Person.channel) == sa.bindparam("channel"),
        col(Person.external_id) == sa.bindparam("person"),
    )
    chat = sa.and_(
        col(Chat.channel) == sa.bindparam("channel"),
        col(Chat.external_id) == sa.bindparam("chat"),
    )
    return select(Person, Chat).select_from(one_row).outerjoin(Person, person).outerjoin(Chat, chat)


def find_sender_and_chat(
    session: Session, channel: str, person_id: str, chat_id: str
) -> tuple[Person | None, Chat | None]:
    """:func:`models.people.find_person` and :func:`find_chat` in one statement (every
    update asks both)."""
    params = {"channel": channel, "person": person_id, "chat": chat_id}
    person, chat = session.execute(_sender_and_chat(), params).one()
    return person, chat


def seen_chat(
    session: Session,
    *,
    channel: str,
    external_id: str,
    kind: ChatKind,
    title: str,
    forum: bool,
    now: datetime,
) -> Chat:
    """The chat an event came from, created on first contact. An event from a chat
    proves the bot is in it and can write there again."""
    return refresh_chat(
        session,
        find_chat(session, channel, external_id),
        channel=channel,
        external_id=external_id,
        kind=kind,
        title=title,
        forum=forum,
        now=now,
    )


def refresh_chat(
    session: Session,
    chat: Chat | None,
    *,
    channel: str,
    external_id: str,
    kind: ChatKind,
    title: str,
    forum: bool,
    now: datetime,
) -> Chat:
    """:func:`seen_chat` for a chat already looked up: ``chat`` as :func:`find_chat`
    found it, None on first contact."""
    new = chat is None
    if chat is None:
        chat = Chat(
            channel=channel, external_id=external_id, kind=kind, created_at=now, updated_at=now
        )
    # Only what changed is assigned: a chat as it was is not written at all.
    masked = mask_personal_numbers(title)[:255]
    changes = {
        "kind": kind,
        "title": masked,
        "forum": forum,
        "member": True,
        "reachable": True,
        "unreachable_reason": None,
    }
    changed = False
    for field, value in changes.items():
        if getattr(chat, field) != value:
            setattr(chat, field, value)
            changed = True
    if changed or seen_long_ago(chat.updated_at, now):
        chat.updated_at = now
    if new:
        session.add(chat)
        session.flush()
    return chat
