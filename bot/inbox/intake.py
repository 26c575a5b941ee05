"""The handler loop: stored updates are taken from the inbox and handled, in order within a
chat, several chats at once.

Who wakes whom: a transport stores a batch and calls :meth:`Intake.wake`; the loop reads
the unhandled updates and gives each chat's updates, in order, to one task for that chat.
Each update is handled in one unit of work that also writes its replies to the outbox and
marks it handled (see :func:`bot.inbox.answers.write_answers`); after the commit the
outbox worker is woken at once (``after_commit``), so an answer does not wait for a poll
tick. At start, whatever was stored and not handled is handled first, in order.

An update whose handling raises is tried again after a short pause; after
``MAX_ATTEMPTS`` it is marked failed with the error logged, and the person gets the
apology once (written to the outbox with the failure mark). The attempts are counted in
the database, so a restart does not start them over.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from sqlmodel import Session

from bot.inbox.answers import answer_campaign, write_answers
from bot.inbox.turns import ChatBusy, ChatTurns, Done, NotNext
from bot.metrics import Metrics
from bot.storage import writing
from handlers.helpdesk import HelpDesk
from handlers.port import Event, Out, Toast
from models import UnitOfWork
from models.inbox import (
    MAX_ATTEMPTS,
    Pending,
    forget_handled,
    mark_handled,
    record_failure,
    unhandled,
)
from models.interactions import mask_chat_key

log = logging.getLogger(__name__)

T = TypeVar("T")

BATCH = 200
# Chats handled at once, on threads of their own: the outbox worker's short database
# calls keep the default threads, so sending answers never queues behind handling.
CONCURRENCY = 4
RETRY_PAUSES = (0.2, 0.5)  # before the second and third attempts
BUSY_PAUSE = 0.05  # before asking again for a chat another process is handling
# While it leads several processes, a process leaves the updates another process stored
# to that process for this long (its own it handles at once): the leader's time goes to
# sending, which only it does. A worker that died leaves its updates to whoever looks next.
LEADER_LEAVES = 2.0
MINE_KEPT = 10_000  # how many of the update ids it stored a process remembers
BUSY_TRIES = 100  # then the chat's updates are left for the next look at the inbox
LOOK_EVERY = 1.0  # seconds between looks when nobody wakes the loop
FORGET_EVERY = 500  # handled updates, between two clean-ups of old ones


@dataclass(frozen=True)
class Decoded:
    """A stored update as the help desk sees it: the event (None when it is nothing for
    the help desk) and, for a pressed button, the id to show the toast with."""

    event: Event | None
    callback_id: str | None = None


Decode = Callable[[str], Decoded]
ShowToast = Callable[[str, Toast | None], Awaitable[None]]


class AlreadyHandled(Exception):
    """Another process handled this update meanwhile: this unit of work is rolled back."""


class Intake:
    def __init__(
        self,
        helpdesk: HelpDesk,
        channel: str,
        decode: Decode,
        show_toast: ShowToast,
        after_commit: Callable[[], None],
        metrics: Metrics | None = None,
        turns: ChatTurns | None = None,
        leading_others: Callable[[], bool] = lambda: False,
    ) -> None:
        """``turns`` keeps each chat's order across processes (PostgreSQL); without it the
        order is this process's alone (SQLite, one process). ``leading_others`` says
        whether this process leads others now (see ``LEADER_LEAVES``)."""
        self._helpdesk = helpdesk
        self._turns = turns
        self._leading_others = leading_others
        self._mine: deque[str] = deque(maxlen=MINE_KEPT)
        self._mine_set: set[str] = set()
        self._sessions = helpdesk.sessions
        self._clock = helpdesk.clock
        self._channel = channel
        self._decode = decode
        self._show_toast = show_toast
        self._after_commit = after_commit
        self._metrics = metrics
        self._wake = asyncio.Event()
        self._queued: set[int] = set()
        self._chats: dict[str, deque[Pending]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._room = asyncio.Semaphore(CONCURRENCY)
        self._threads = ThreadPoolExecutor(CONCURRENCY, thread_name_prefix="inbox")
        self._handled = 0

    def wake(self, stored: list[str] | None = None) -> None:
        """Updates were just stored (by this process, with these ids): look now."""
        for update_id in stored or ():
            if len(self._mine) == self._mine.maxlen:
                self._mine_set.discard(self._mine[0])
            self._mine.append(update_id)
            self._mine_set.add(update_id)
        self._wake.set()

    async def run(self, stopping: asyncio.Event) -> None:
        """Until ``stopping``; then the updates being handled finish (within ``grace``)."""
        while not stopping.is_set():
            self._wake.clear()
            try:
                await self._take()
            except Exception:
                log.exception("reading the inbox failed; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wait_any(stopping), timeout=LOOK_EVERY)

    async def _in_thread(self, call: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, functools.partial(call, *args))

    async def drain(self, grace: float) -> None:
        """Lets the chats' tasks finish what they hold (a stop); the rest stays stored."""
        for queue in self._chats.values():
            while len(queue) > 1:  # the one being handled finishes; the others wait
                row = queue.pop()
                self._queued.discard(row.id or 0)
        pending = {t for t in self._tasks if not t.done()}
        try:
            await self._finish(pending, grace)
        finally:
            self._threads.shutdown(wait=False)

    @staticmethod
    async def _finish(pending: set[asyncio.Task[None]], grace: float) -> None:
        if not pending:
            return
        log.info("waiting for %d update(s) being handled", len(pending))
        _, late = await asyncio.wait(pending, timeout=grace)
        for task in late:
            task.cancel()
        if late:
            log.warning(
                "%d update(s) still being handled at stop are left for the next start", len(late)
            )

    async def _wait_any(self, stopping: asyncio.Event) -> None:
        waits = {asyncio.create_task(stopping.wait()), asyncio.create_task(self._wake.wait())}
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waits:
                task.cancel()

    async def _take(self) -> None:
        rows = await asyncio.to_thread(self._unhandled)
        if rows and self._leading_others():
            since = self._clock.now() - timedelta(seconds=LEADER_LEAVES)
            rows = [r for r in rows if r.update_id in self._mine_set or r.received_at < since]
        for row in rows:
            assert row.id is not None
            self._queued.add(row.id)
            queue = self._chats.get(row.chat_key)
            if queue is not None:
                queue.append(row)
                continue
            self._chats[row.chat_key] = deque([row])
            task = asyncio.create_task(self._chat(row.chat_key))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _unhandled(self) -> list[Pending]:
        with self._sessions() as session:
            return unhandled(session, self._channel, BATCH, sorted(self._queued))

    async def _chat(self, chat_key: str) -> None:
        """One chat's updates, one at a time, in the order they were stored."""
        queue = self._chats[chat_key]
        try:
            await self._drain_chat(queue)
        except Exception:
            log.exception(
                "the inbox's task for chat %s failed; its updates wait", mask_chat_key(chat_key)
            )
        finally:
            if self._chats.get(chat_key) is queue:
                del self._chats[chat_key]
            for row in queue:
                self._queued.discard(row.id or 0)

    async def _drain_chat(self, queue: deque[Pending]) -> None:
        busy = 0
        while queue:
            row = queue[0]
            try:
                async with self._room:
                    await self._one(row)
            except ChatBusy:
                busy += 1
                if busy >= BUSY_TRIES:
                    return  # left for the next look; the other process may hold it long
                await asyncio.sleep(BUSY_PAUSE)
                continue
            except NotNext:
                # An older update of this chat, stored by another process, goes first:
                # the chat's updates are read again, in order.
                self._wake.set()
                return
            busy = 0
            queue.popleft()
            self._queued.discard(row.id or 0)

    async def _one(self, row: Pending) -> None:
        for attempt in range(len(RETRY_PAUSES) + 1):
            try:
                decoded = self._decode(row.payload)
                outs = await self._in_thread(self._handle_in_turn, row, decoded)
            except (AlreadyHandled, Done):
                return
            except (ChatBusy, NotNext):
                raise
            except Exception as exc:
                log.exception(
                    "handling failed: update=%s channel=%s chat=%s",
                    row.update_id,
                    row.channel,
                    mask_chat_key(row.chat_key),
                )
                if await self._in_thread(self._failed, row, exc):
                    return
                await asyncio.sleep(RETRY_PAUSES[min(attempt, len(RETRY_PAUSES) - 1)])
                continue
            self._after_commit()
            if self._metrics is not None:
                self._metrics.update_handled(self._channel, kind_of(decoded.event))
            if decoded.callback_id is not None:
                toast = next((o for o in outs if isinstance(o, Toast)), None)
                await self._show_toast(decoded.callback_id, toast)
            return

    def _handle_in_turn(self, row: Pending, decoded: Decoded) -> list[Out]:
        if self._turns is None:
            return self._handle(row, decoded)
        with self._turns.turn(row):
            return self._handle(row, decoded)

    def _handle(self, row: Pending, decoded: Decoded) -> list[Out]:
        assert row.id is not None
        row_id = row.id
        event = decoded.event

        def keep(session: Session, outs: list[Out]) -> None:
            now = self._clock.now()
            if not mark_handled(session, row_id, now):
                raise AlreadyHandled(row.update_id)
            campaign = answer_campaign(row.channel, row.update_id)
            write_answers(
                session,
                channel=row.channel,
                campaign=campaign,
                outs=outs,
                now=now,
                origin_at=row.received_at,
            )
            self._handled += 1
            if self._handled % FORGET_EVERY == 0:
                forget_handled(session, now)

        with writing():  # it reads, then writes: the write lock first (see writing)
            if event is None:
                with UnitOfWork(self._sessions) as uow:
                    keep(uow.session, [])
                    uow.commit()
                return []
            return self._helpdesk.handle(event, keep)

    def _failed(self, row: Pending, exc: Exception) -> bool:
        """Counts the failure; True when the update is given up (the apology is written
        with that mark, so the person gets it once)."""
        assert row.id is not None
        error = f"{type(exc).__name__}: {exc}"
        event: Event | None = None
        with contextlib.suppress(Exception):
            event = self._decode(row.payload).event
        apology = self._helpdesk.apology(event) if event is not None else []
        with writing(), UnitOfWork(self._sessions) as uow:
            now = self._clock.now()
            gave_up = record_failure(uow.session, row.id, error, now)
            if gave_up:
                campaign = answer_campaign(row.channel, row.update_id) + ":apology"
                write_answers(
                    uow.session, channel=row.channel, campaign=campaign, outs=apology, now=now
                )
            uow.commit()
        if gave_up:
            log.error(
                "update %s of %s failed %s times and is given up: %s",
                row.update_id,
                row.channel,
                MAX_ATTEMPTS,
                error,
            )
            self._after_commit()
            if self._metrics is not None:
                self._metrics.update_handled(self._channel, "failed")
        return gave_up


def kind_of(event: Event | None) -> str:
    """What an update was, as the metrics count it."""
    if event is None:
        return "other"
    if event.button is not None:
        return "button"
    if event.membership is not None:
        return "membership"
    if event.attachments:
        return "attachment"
    return "text" if event.text else "other"
