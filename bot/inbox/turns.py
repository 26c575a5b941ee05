"""Per-chat order across processes: a chat's updates are handled one at a time, oldest
first, whichever process stored them.

In one process the inbox's loop keeps a chat's updates in one task (``bot.inbox.intake``).
Several processes on PostgreSQL all read the same inbox, so each also takes the chat's
*turn* before handling one of its updates: a session-level advisory lock keyed by the
chat, on a connection held for the length of the unit of work (``pg_try_advisory_lock``;
a process that dies loses its connection, and the lock with it, and its unit of work is
rolled back). Holding the turn, it checks that the update is still the chat's oldest one
pending: one stored earlier and not yet handled goes first; one handled meanwhile by
another process is left alone. SQLite serves one process, whose loop already keeps the
order: no lock there.

A chat whose turn another process holds is tried again shortly; two chats whose keys
share a hash only wait for each other, which is harmless.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from models.inbox import InboxStatus, InboxUpdate, Pending
from models.interactions import mask_chat_key

log = logging.getLogger(__name__)

TURN_LOCK_SPACE = 0x4B50  # first key of a chat's two-key advisory lock ("KP")


class ChatBusy(Exception):
    """Another process is handling this chat's update now: try again shortly."""


class NotNext(Exception):
    """An older update of this chat is still pending: it goes first (read the inbox again)."""


class Done(Exception):
    """The update was handled (or given up) meanwhile by another process."""


def turn_key(channel: str, chat_key: str) -> int:
    """A chat's second lock key: 32 bits of a hash of the channel and the chat."""
    digest = hashlib.blake2b(f"{channel}:{chat_key}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


class ChatTurns:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.shared = engine.dialect.name == "postgresql"

    @contextlib.contextmanager
    def turn(self, update: Pending | InboxUpdate) -> Iterator[None]:
        """Holds the update's chat for the length of the block, or raises :class:`ChatBusy`
        (another process has it), :class:`NotNext` (an older one of the chat is pending)
        or :class:`Done` (no longer pending)."""
        if not self.shared:
            yield
            return
        params = {"space": TURN_LOCK_SPACE, "key": turn_key(update.channel, update.chat_key)}
        connection = self._engine.connect()
        held = False
        try:
            held = bool(
                connection.execute(
                    sa.text("SELECT pg_try_advisory_lock(:space, :key)"), params
                ).scalar()
            )
            connection.commit()
            if not held:
                raise ChatBusy(update.chat_key)
            _check_next(connection, update)
            yield
        finally:
            if held:
                try:
                    connection.execute(sa.text("SELECT pg_advisory_unlock(:space, :key)"), params)
                    connection.commit()
                except Exception:
                    log.exception("releasing chat %s's turn failed", mask_chat_key(update.chat_key))
                    connection.invalidate()  # the lock goes with the connection
            connection.close()


def _check_next(connection: sa.Connection, update: Pending | InboxUpdate) -> None:
    oldest = connection.execute(
        select(InboxUpdate.id)
        .where(
            InboxUpdate.channel == update.channel,
            InboxUpdate.chat_key == update.chat_key,
            InboxUpdate.status == InboxStatus.PENDING,
        )
        .order_by(col(InboxUpdate.id))
        .limit(1)
    ).scalar()
    connection.commit()
    assert update.id is not None
    if oldest is None or oldest > update.id:
        raise Done(update.update_id)
    if oldest < update.id:
        raise NotNext(update.update_id)
