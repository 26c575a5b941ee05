"""The outbox: every message that is not a direct answer to the event being handled.

Ticket relays, topic changes in staff chats, reminders and announcements are written here
in the same unit of work as the change that causes them, so they are exactly as durable
as that change. A delivery worker sends them under the messaging app's limits.

Each (campaign, recipient) exists once: enqueuing it again does nothing. A message is
marked ``sending`` in its own commit just before it is handed to the app and ``sent``
(with the app's message id) just after; a message found ``sending`` after a crash may or
may not have arrived, and is marked ``uncertain`` instead of being sent again: the help
desk prefers one message possibly missing, and reported, to a message sent twice.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, func, select

from models.message_limits import TOPIC_NAME_LIMIT
from models.sql import insert_new, inserted, run
from models.types import UTCDateTime, enum_type


class Lane(enum.IntEnum):
    """Who goes first when the app's limits allow only some: answers to a person's own
    update, then relays, then bulk sends."""

    ANSWER = 0
    RELAY = 1
    BULK = 2


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its time and its turn
    SENDING = "sending"  # handed to the app; the answer is not recorded yet
    SENT = "sent"  # the app accepted it (message_id recorded)
    FAILED = "failed"  # refused for good (bad request), or gave up after retries
    UNREACHABLE = "unreachable"  # the chat blocked the bot or is gone
    SKIPPED = "skipped"  # no longer worth sending (past expires_at, or cancelled)
    UNCERTAIN = "uncertain"  # a crash came between handing it over and the answer
    HELD = "held"  # the app may not carry it now (WhatsApp's 24-hour window): it waits

    @property
    def final(self) -> bool:
        return self not in (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.HELD)


class TopicState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (
        sa.UniqueConstraint("campaign", "recipient", name="uq_outbox_campaign_recipient"),
        sa.Index("ix_outbox_due", "status", "lane", "not_before"),
        sa.Index("ix_outbox_sent_ref", "channel", "chat_id", "message_id"),
        sa.Index("ix_outbox_app_ref", "channel", "message_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign: str = Field(max_length=120)
    recipient: str = Field(max_length=64)
    channel: str = Field(max_length=32)
    chat_id: str = Field(max_length=64)
    thread: str | None = Field(default=None, max_length=32)
    topic: str | None = Field(default=None, max_length=120)
    lane: int = Field(default=Lane.BULK)
    text: str = Field(default="", sa_type=sa.Text)
    buttons: str = Field(default="", sa_type=sa.Text)  # JSON rows of {label, payload, url}
    attachment_kind: str | None = Field(default=None, max_length=16)
    attachment_file_id: str | None = Field(default=None, max_length=255)
    combine: bool = Field(default=False)
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=enum_type(OutboxStatus, 12))
    attempts: int = Field(default=0)
    not_before: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sending_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    message_id: str | None = Field(default=None, max_length=128)  # WhatsApp's wamid is long
    error: str | None = Field(default=None, max_length=255)
    edit_ref: str | None = Field(default=None, max_length=32)  # replace this message of ours
    file_name: str | None = Field(default=None, max_length=255)  # a file made for the person
    file_mime: str | None = Field(default=None, max_length=127)
    file_content: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    # What the app reported after accepting it (WhatsApp's delivery statuses).
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # An answer's: when the update it answers was received, so that whichever process sends
    # it observes the answer latency (bot.metrics).
    origin_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    def button_rows(self) -> list[list[dict[str, str | None]]]:
        return json.loads(self.buttons) if self.buttons else []


class Topic(SQLModel, table=True):
    """A forum topic the help desk keeps in a staff chat, known by a key of the caller's
    choosing (for example ``ticket:42``). ``wanted`` is what the help desk wants; ``thread``
    and ``actual`` are what the app has, kept by the delivery worker."""

    __tablename__ = "topic"
    __table_args__ = (
        sa.UniqueConstraint("key", name="uq_topic_key"),
        sa.Index("ix_topic_thread", "channel", "chat_id", "thread"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=120)
    channel: str = Field(max_length=32)
    chat_id: str = Field(max_length=64)
    name: str = Field(max_length=TOPIC_NAME_LIMIT)
    thread: str | None = Field(default=None, max_length=32)
    wanted: TopicState = Field(default=TopicState.OPEN, sa_type=enum_type(TopicState, 8))
    actual: TopicState | None = Field(default=None, sa_type=enum_type(TopicState, 8))
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    recreated: int = Field(default=0)  # how often it was made again after being deleted
    error: str | None = Field(default=None, max_length=255)
    # Set just before the app is asked to create the topic; cleared when its thread is
    # recorded. Found set at start: a topic may exist that we never learnt of.
    creating_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    orphans: int = Field(default=0)  # topics possibly left behind by a crash while creating


ButtonRows = Sequence[Sequence[Mapping[str, str | None]]]


def outbox_row(
    *,
    campaign: str,
    recipient: str,
    channel: str,
    chat_id: str,
    text: str,
    lane: Lane,
    now: datetime,
    thread: str | None = None,
    topic: str | None = None,
    buttons: ButtonRows = (),
    attachment: tuple[str, str] | None = None,
    not_before: datetime | None = None,
    expires_at: datetime | None = None,
    combine: bool = False,
    edit: str | None = None,
    file: tuple[str, str, bytes] | None = None,
    origin_at: datetime | None = None,
) -> dict[str, Any]:
    """The column values of one outbox message (:func:`enqueue` tells the arguments;
    ``origin_at``: an answer's, when the update it answers was received)."""
    if thread is not None and topic is not None:
        raise ValueError("give a thread or a topic key, not both")
    return {
        "campaign": campaign,
        "recipient": recipient,
        "channel": channel,
        "chat_id": chat_id,
        "thread": thread,
        "topic": topic,
        "lane": int(lane),
        "text": text,
        "buttons": json.dumps([[dict(b) for b in row] for row in buttons]) if buttons else "",
        "attachment_kind": attachment[0] if attachment else None,
        "attachment_file_id": attachment[1] if attachment else None,
        "combine": combine and not buttons and attachment is None and not edit and not file,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "edit_ref": edit,
        "file_name": file[0] if file else None,
        "file_mime": file[1] if file else None,
        "file_content": file[2] if file else None,
        "not_before": not_before or now,
        "expires_at": expires_at,
        "created_at": now,
        "origin_at": origin_at,
    }


def enqueue(
    session: Session,
    *,
    campaign: str,
    recipient: str,
    channel: str,
    chat_id: str,
    text: str,
    lane: Lane,
    now: datetime,
    thread: str | None = None,
    topic: str | None = None,
    buttons: ButtonRows = (),
    attachment: tuple[str, str] | None = None,
    not_before: datetime | None = None,
    expires_at: datetime | None = None,
    combine: bool = False,
    edit: str | None = None,
    file: tuple[str, str, bytes] | None = None,
) -> OutboxMessage | None:
    """Puts one message in the outbox; None when this (campaign, recipient) is already
    there, so a use case may enqueue again after a crash or a re-run without harm.
    ``edit`` names a message of ours to replace; ``file`` is (name, mime, content) of a
    file made for the recipient, sent with ``text`` as its caption."""
    values = outbox_row(
        campaign=campaign,
        recipient=recipient,
        channel=channel,
        chat_id=chat_id,
        text=text,
        lane=lane,
        now=now,
        thread=thread,
        topic=topic,
        buttons=buttons,
        attachment=attachment,
        not_before=not_before,
        expires_at=expires_at,
        combine=combine,
        edit=edit,
        file=file,
    )
    exists = session.exec(
        select(OutboxMessage.id).where(
            OutboxMessage.campaign == values["campaign"],
            OutboxMessage.recipient == values["recipient"],
        )
    ).first()
    if exists is not None:
        return None
    row = OutboxMessage(**values)
    # A savepoint, so that a concurrent insert of the same pair loses quietly.
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except sa.exc.IntegrityError:
        return None
    return row


def enqueue_all(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Puts several messages (:func:`outbox_row` values) in the outbox in one statement,
    skipping each (campaign, recipient) already there; how many were added. For writers
    that do not need the rows back, such as the answers to an update."""
    if not rows:
        return 0
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    insert = insert_new(session, table, ["campaign", "recipient"])
    return inserted(run(session, insert, list(rows)), len(rows))


def open_topic(
    session: Session, *, key: str, channel: str, chat_id: str, name: str, now: datetime
) -> Topic:
    """The topic for ``key``, asked for once: the worker creates it in the app. Asking
    again returns the same topic (reopened if it was closed), so two racing messages make
    one topic."""
    topic = find_topic(session, key)
    if topic is None:
        topic = Topic(
            key=key,
            channel=channel,
            chat_id=chat_id,
            name=name[:TOPIC_NAME_LIMIT],
            created_at=now,
            updated_at=now,
        )
        try:
            with session.begin_nested():
                session.add(topic)
                session.flush()
        except sa.exc.IntegrityError:
            found = find_topic(session, key)
            assert found is not None
            topic = found
    if topic.wanted is not TopicState.OPEN:
        topic.wanted = TopicState.OPEN
        topic.updated_at = now
        session.add(topic)
    return topic


def _want(session: Session, key: str, state: TopicState, now: datetime) -> Topic | None:
    topic = find_topic(session, key)
    if topic is not None and topic.wanted is not state:
        topic.wanted = state
        topic.updated_at = now
        session.add(topic)
    return topic


def close_topic(session: Session, key: str, now: datetime) -> Topic | None:
    return _want(session, key, TopicState.CLOSED, now)


def reopen_topic(session: Session, key: str, now: datetime) -> Topic | None:
    return _want(session, key, TopicState.OPEN, now)


def find_topic(session: Session, key: str) -> Topic | None:
    return session.exec(select(Topic).where(Topic.key == key)).first()


def find_topic_by_thread(
    session: Session, channel: str, chat_id: str, thread: str | None
) -> Topic | None:
    if thread is None:
        return None
    return session.exec(
        select(Topic).where(
            Topic.channel == channel, Topic.chat_id == chat_id, Topic.thread == thread
        )
    ).first()


def find_sent(
    session: Session, channel: str, chat_id: str, message_id: str
) -> OutboxMessage | None:
    """The outbox message that became app message ``message_id`` in a chat (for example
    the relay an officer replies to)."""
    return session.exec(
        select(OutboxMessage).where(
            OutboxMessage.channel == channel,
            OutboxMessage.chat_id == chat_id,
            OutboxMessage.message_id == message_id,
        )
    ).first()


def campaign_report(session: Session, campaign_prefix: str) -> dict[OutboxStatus, int]:
    """How many messages of the campaigns starting with ``campaign_prefix`` are in each
    state."""
    rows = session.exec(
        select(OutboxMessage.status, func.count())
        .where(col(OutboxMessage.campaign).startswith(campaign_prefix, autoescape=True))
        .group_by(OutboxMessage.status)
    ).all()
    report = dict.fromkeys(OutboxStatus, 0)
    for status, count in rows:
        report[OutboxStatus(status)] = int(count)
    return report
