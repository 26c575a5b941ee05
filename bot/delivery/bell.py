"""The outbox's bell across processes on PostgreSQL.

Only the leader sends the outbox (``bot.background``), but any process may commit answers
to it: a webhook worker, or a process that is not leading. Such a process rings the bell
(PostgreSQL's NOTIFY) after its commit, and the leader, which listens (LISTEN), looks at
the outbox at once instead of at its next look. So the leader's worker can look seldom
when nothing happens, as it does alone on SQLite, and an answer handled elsewhere still
leaves at once. A ring that is lost (the leader's listening connection dropped, a
NOTIFY that failed) costs time only: the worker's own looks still find every row.

On SQLite there is one process, whose answers wake its worker directly: the bell is
silent there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

CHANNEL = "helpdesk_outbox"
LISTEN_RETRY_SECONDS = 2.0  # after the listening connection failed, before listening again


class OutboxBell:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.shared = engine.dialect.name == "postgresql"
        self._ringing: asyncio.Task[None] | None = None
        self._again = False
        self.rung = 0  # rings sent (NOTIFYs committed)
        self.heard = 0  # rings heard by this process's listener

    # -- ringing (any process) -------------------------------------------------------------

    def ring(self) -> None:
        """After a commit that put rows in the outbox (called on the event loop). Rings
        close together make one NOTIFY in flight and at most one more after it."""
        if not self.shared:
            return
        if self._ringing is not None and not self._ringing.done():
            self._again = True
            return
        self._ringing = asyncio.get_running_loop().create_task(self._ring())

    async def _ring(self) -> None:
        while True:
            self._again = False
            try:
                await asyncio.to_thread(self._notify)
            except Exception:  # noqa: BLE001 - the leader's own looks find the rows
                log.warning("could not ring the outbox's bell; the leader will look anyway")
                return
            if not self._again:
                return

    def _notify(self) -> None:
        with self._engine.connect() as connection:
            connection.execute(sa.text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
            connection.commit()
        self.rung += 1

    async def quiet(self) -> None:
        """Waits for a ring in flight (a clean stop, tests)."""
        if self._ringing is not None:
            with contextlib.suppress(Exception):
                await self._ringing

    # -- listening (the leader) ------------------------------------------------------------

    async def listen(self, wake: Callable[[], None], stopping: asyncio.Event) -> None:
        """Until ``stopping`` (or cancelled): ``wake()`` at every ring. A connection that
        fails is opened again after ``LISTEN_RETRY_SECONDS``; ``wake()`` after each
        (re)start of listening covers rings that came while nobody listened."""
        if not self.shared:
            return
        import psycopg  # PostgreSQL's driver: present wherever the database is PostgreSQL

        url = self._engine.url.set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        while not stopping.is_set():
            try:
                connection = await psycopg.AsyncConnection.connect(conninfo, autocommit=True)
                async with connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    wake()
                    async for _ in connection.notifies():
                        self.heard += 1
                        wake()
            except Exception as exc:  # noqa: BLE001 - listen again; the worker looks meanwhile
                log.warning("the outbox's bell stopped listening (%s); again shortly", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=LISTEN_RETRY_SECONDS)
