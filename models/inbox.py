"""The inbox: every update a messaging app hands us, stored before the app is told it
arrived, and handled from here.

With long polling, Telegram counts an update as delivered once the next poll is made;
with a webhook, once the HTTP answer is 200. Either way, from that moment the app will
not send it again, so it must already be on disk: the transport stores a batch and
commits, and only then confirms it. A handler loop takes stored updates in order (per
chat; different chats may go at once) and marks each ``handled`` in the same unit of work
as what it changed and the replies it produced, so a crash leaves either all of it or
none, and at the next start the update is handled again.

An update whose handling keeps failing is tried ``MAX_ATTEMPTS`` times, then marked
``failed`` with the error (the person gets one apology), so that it never blocks its
chat's queue. Each (channel, update id) is stored once: an app delivering it again is
ignored. A handled update's payload (which may hold personal data) is emptied at once and
its row forgotten after ``KEEP``; a failed one keeps its payload for an operator to read.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, delete

from models.sql import insert_new, run
from models.types import UTCDateTime, enum_type

MAX_ATTEMPTS = 3
KEEP = timedelta(days=2)  # an app re-delivers an update for at most a day


class InboxStatus(enum.StrEnum):
    PENDING = "pending"  # stored; not handled yet (or its handling failed and is retried)
    HANDLED = "handled"  # its effects and replies are committed
    FAILED = "failed"  # gave up after MAX_ATTEMPTS; the error is kept


class InboxUpdate(SQLModel, table=True):
    __tablename__ = "inbox_update"
    __table_args__ = (
        sa.UniqueConstraint("channel", "update_id", name="uq_inbox_channel_update"),
        sa.Index("ix_inbox_status", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    update_id: str = Field(max_length=64)
    chat_key: str = Field(default="", max_length=64)  # updates of one chat go in order
    payload: str = Field(default="", sa_type=sa.Text)  # the app's update, as JSON
    status: InboxStatus = Field(default=InboxStatus.PENDING, sa_type=enum_type(InboxStatus, 8))
    attempts: int = Field(default=0)
    received_at: datetime = Field(sa_type=UTCDateTime)
    handled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    error: str | None = Field(default=None, max_length=255)


@dataclass(frozen=True)
class Received:
    """One update as a transport hands it to the inbox."""

    update_id: str
    chat_key: str
    payload: str


def store_updates(
    session: Session, channel: str, updates: Sequence[Received], now: datetime
) -> int:
    """Stores the updates not stored before (the caller commits); how many were new. One
    statement for the batch: an update stored before, or by another process this very
    instant, is skipped by the database (``ON CONFLICT DO NOTHING``) rather than failing
    the batch; the rows it returns are those it wrote (a driver may not count them:
    psycopg does not)."""
    if not updates:
        return 0
    known: set[str] = set()  # a batch may hold one update twice
    rows: list[dict[str, object]] = []
    for update in updates:
        if update.update_id in known:
            continue
        known.add(update.update_id)
        rows.append(
            {
                "channel": channel,
                "update_id": update.update_id,
                "chat_key": update.chat_key[:64],
                "payload": update.payload,
                "status": InboxStatus.PENDING,
                "attempts": 0,
                "received_at": now,
            }
        )
    if not rows:
        return 0
    table = InboxUpdate.__table__  # type: ignore[attr-defined]
    insert = _returning_id(insert_new(session, table, ["channel", "update_id"]))
    return len(run(session, insert, rows).all())


@dataclass(frozen=True, slots=True)
class Pending:
    """A stored update still to handle, as the inbox reads it: what handling it needs."""

    id: int
    channel: str
    update_id: str
    chat_key: str
    payload: str
    received_at: datetime


def unhandled(
    session: Session, channel: str, limit: int, exclude: Sequence[int] = ()
) -> list[Pending]:
    """Stored updates still to handle, oldest first. Read as columns on the session's
    connection (``models.sql.run``): loading them as the ORM's rows cost about a quarter
    more, and the inbox reads them for every update (or batch of them)."""
    params: dict[str, object] = {"channel": channel, "limit": limit}
    if exclude:
        params["exclude"] = list(exclude)
    return [Pending(*row) for row in run(session, _pending(bool(exclude)), params)]


# The inbox's statements, composed once (every update runs them; see models.sql).


@functools.cache
def _returning_id(insert: sa.Insert) -> sa.Insert:
    # Keyed by the insert, itself composed once per database kind (models.sql).
    return insert.returning(InboxUpdate.__table__.c.id)  # type: ignore[attr-defined]


@functools.cache
def _pending(excluding: bool) -> sa.Select[int, str, str, str, str, datetime]:
    table = InboxUpdate.__table__  # type: ignore[attr-defined]
    c = table.c
    query = (
        sa.select(c.id, c.channel, c.update_id, c.chat_key, c.payload, c.received_at)
        .where(c.channel == sa.bindparam("channel"), c.status == InboxStatus.PENDING)
        .order_by(c.id)
        .limit(sa.bindparam("limit"))
    )
    if excluding:
        query = query.where(c.id.not_in(sa.bindparam("exclude", expanding=True)))
    return query


def mark_handled(session: Session, row_id: int, now: datetime) -> bool:
    """Marks the update handled in the caller's unit of work; False when it was already
    (handled by another process meanwhile: the caller must roll back). One statement,
    whose condition on the status is the check; composed once and run on the unit of
    work's connection (nothing of the ORM's to flush for it), as it is for every update."""
    result = session.connection().execute(_mark_handled(), {"row_id": row_id, "now": now})
    return bool(result.rowcount)


@functools.cache
def _mark_handled() -> sa.Update:
    table = InboxUpdate.__table__  # type: ignore[attr-defined]
    return (
        sa.update(table)
        .where(table.c.id == sa.bindparam("row_id"), table.c.status == InboxStatus.PENDING)
        .values(
            status=InboxStatus.HANDLED,
            handled_at=sa.bindparam("now", type_=table.c.handled_at.type),
            payload="",  # what people wrote is not kept here once handled
            error=None,
        )
    )


def record_failure(session: Session, row_id: int, error: str, now: datetime) -> bool:
    """Counts a failed attempt (the caller commits); True when the update is given up
    (``failed``) and the person should get the apology."""
    row = session.get(InboxUpdate, row_id)
    if row is None or row.status is not InboxStatus.PENDING:
        return False
    row.attempts += 1
    row.error = error[:255]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = InboxStatus.FAILED
        row.handled_at = now
    session.add(row)
    return row.status is InboxStatus.FAILED


def forget_handled(session: Session, now: datetime) -> int:
    """Forgets handled updates older than ``KEEP``."""
    result = session.exec(
        delete(InboxUpdate).where(
            col(InboxUpdate.status) == InboxStatus.HANDLED,
            col(InboxUpdate.received_at) < now - KEEP,
        )
    )
    return int(result.rowcount or 0)
