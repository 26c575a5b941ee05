"""The outbox's statements for every send, composed once and run with parameters (see
``models.sql``): composing a statement costs more than running it. ``bot.delivery.store``
runs them, each in a short transaction of its own."""

from __future__ import annotations

import functools

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from models.chats import Chat
from models.offices import Office
from models.outbox import OutboxMessage, OutboxStatus, Topic


def lost_staff_chats() -> sa.Select[str]:
    """The app ids of staff chats the bot cannot write to now: what waits for them is held."""
    return (
        sa.select(col(Chat.external_id))
        .join(Office, col(Office.staff_chat_id) == col(Chat.id))
        .where(col(Chat.reachable).is_(False))
    )


def outbox_table() -> sa.Table:
    return OutboxMessage.__table__  # type: ignore[attr-defined]


@functools.cache
def due() -> SelectOfScalar[OutboxMessage]:
    return (
        select(OutboxMessage)
        .where(
            col(OutboxMessage.status) == OutboxStatus.PENDING,
            col(OutboxMessage.not_before) <= sa.bindparam("now"),
            col(OutboxMessage.chat_id).not_in(lost_staff_chats()),
            col(OutboxMessage.id).not_in(sa.bindparam("exclude", expanding=True)),
        )
        .order_by(col(OutboxMessage.lane), col(OutboxMessage.id))
        .limit(sa.bindparam("limit"))
    )


@functools.cache
def topics_in_view() -> sa.Select[Topic, bool, bool]:
    to_settle = sa.and_(
        sa.or_(
            col(Topic.thread).is_(None),
            col(Topic.actual).is_(None),
            col(Topic.actual) != col(Topic.wanted),
        ),
        col(Topic.chat_id).not_in(lost_staff_chats()),
    )
    waited_for = col(Topic.key).in_(
        sa.select(col(OutboxMessage.topic)).where(
            col(OutboxMessage.status) == OutboxStatus.PENDING,
            col(OutboxMessage.topic).is_not(None),
        )
    )
    return sa.select(Topic, to_settle.label("to_settle"), waited_for.label("waited_for")).where(
        sa.or_(to_settle, waited_for)
    )


@functools.cache
def skip_expired() -> sa.Update:
    table = outbox_table()
    return (
        sa.update(table)
        .where(
            table.c.status == OutboxStatus.PENDING,
            table.c.expires_at.is_not(None),
            table.c.expires_at <= sa.bindparam("now", type_=table.c.expires_at.type),
        )
        .values(status=OutboxStatus.SKIPPED, error="expired before it could be sent")
        .returning(table.c.id, table.c.text, table.c.buttons)
    )


@functools.cache
def claim() -> sa.Update:
    table = outbox_table()
    return (
        sa.update(table)
        .where(
            table.c.id.in_(sa.bindparam("ids", expanding=True)),
            table.c.status == OutboxStatus.PENDING,
        )
        .values(
            status=OutboxStatus.SENDING,
            sending_at=sa.bindparam("now", type_=table.c.sending_at.type),
            attempts=table.c.attempts + 1,
        )
        .returning(table.c.id)
    )


@functools.cache
def sent() -> sa.Update:
    table = outbox_table()
    return (
        sa.update(table)
        .where(table.c.id.in_(sa.bindparam("ids", expanding=True)))
        .values(
            status=OutboxStatus.SENT,
            sent_at=sa.bindparam("now", type_=table.c.sent_at.type),
            message_id=sa.bindparam("message_id", type_=table.c.message_id.type),
            error=None,
        )
        .returning(table.c.id, table.c.text, table.c.buttons)
    )


@functools.cache
def masked() -> sa.Update:
    table = outbox_table()
    return (
        sa.update(table)
        .where(table.c.id == sa.bindparam("row_id"))
        .values(
            text=sa.bindparam("text", type_=table.c.text.type),
            buttons=sa.bindparam("buttons", type_=table.c.buttons.type),
        )
    )
