"""The outbox worker: sends what the outbox holds, under the app's limits, each message
at most once, in order within a chat, relays before bulk sends.

How a message goes out (the order is what makes a crash harmless):
1. it waits for its chat's budget and the overall budget (still ``pending``: a crash here
   leaves it to be sent after the restart);
2. it is marked ``sending`` in a commit (shared with the messages other senders claim
   at that moment, see :mod:`bot.delivery.batching`);
3. it is handed to the app;
4. the answer is recorded: ``sent`` with the app's message id (again in a shared
   commit), or what went wrong.
A crash between 2 and 4 leaves it ``sending``; at the next start it becomes ``uncertain``
and is not sent again. With one message in flight per chat and a few chats at a time,
that window holds a handful of messages at most.

The home of the outbox's own limits: ``NETWORK_PAUSES`` (how long everything pauses
while the app is not answering), ``STOP_GRACE`` and ``TOPIC_RETRY``; messages combined
into one are :mod:`bot.delivery.combine`'s. Each app has its own budget (``Limits``):
``channel_limits`` names those that are not the default's (Telegram's).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.delivery.batching import GroupCommit
from bot.delivery.combine import combinable, parcel_of
from bot.delivery.courier import Courier, Delivery, Verdict
from bot.delivery.limits import Limits
from bot.delivery.media import bring_media
from bot.delivery.stats import WorkerStats
from bot.delivery.store import OutboxStore
from bot.delivery.topics import TopicSettler, Unreachable
from bot.metrics import Metrics
from models import Clock
from models.interactions import mask_chat_key
from models.outbox import Lane, OutboxMessage, OutboxStatus, Topic, TopicState
from models.outbox_files import UPLOAD

log = logging.getLogger(__name__)

NETWORK_PAUSES = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
STOP_GRACE = 10.0
TOPIC_RETRY = timedelta(seconds=60)  # a topic the app refused is tried again after this
FOUND_PAUSE = 0.05  # seconds before looking again after queueing work, unless woken
GATHER = 0.005  # seconds a wake-up waits for the answers committed right after it
EXPIRY_CHECK = timedelta(seconds=1)  # how often messages past their expiry are skipped


@dataclass(frozen=True)
class _Job:
    key: tuple[str, str, str]  # channel, chat, thread-or-topic: one in flight per key
    rows: tuple[OutboxMessage, ...] = ()
    topic: Topic | None = None
    topic_target: TopicState | None = None


class OutboxWorker:
    def __init__(
        self,
        sessions: Callable[[], Session],
        clock: Clock,
        couriers: dict[str, Courier],
        limits: Limits,
        *,
        on_unreachable: Unreachable | None = None,
        metrics: Metrics | None = None,
        channel_limits: Mapping[str, Limits] | None = None,
        senders: int = 8,
        idle_pause: float = 0.2,
        quiet_pause: float | None = None,
        batch: int = 100,
    ) -> None:
        """``quiet_pause``: when looks find nothing at all to do, the pause between them
        doubles from ``idle_pause`` up to this (None: no growing). Only for a process
        whose answers all wake the worker (SQLite, one process): on PostgreSQL the
        other processes' answers are found by looking."""
        self.store = OutboxStore(sessions)
        self._clock = clock
        self._couriers = couriers
        self._limits = limits
        self._channel_limits = dict(channel_limits or {})
        self._on_unreachable = on_unreachable
        self._metrics = metrics or Metrics()
        self._senders = senders
        self._idle_pause = idle_pause
        self._quiet_pause = max(idle_pause, quiet_pause or idle_pause)
        self._nothing_found = False  # the last look found nothing due, nothing in flight
        self._batch = batch
        self._queue: asyncio.Queue[_Job] = asyncio.Queue(maxsize=senders * 2)
        self._busy_keys: set[tuple[str, str, str]] = set()
        self._busy_rows: set[int] = set()
        self._network_failures = 0
        self._wake = asyncio.Event()
        self._expired_checked: datetime | None = None
        self.stats = WorkerStats()
        self._topics = TopicSettler(self.store, clock, limits, self.stats, on_unreachable)
        # Claims and "sent" records of messages sent at once share their commits.
        self._claim: GroupCommit[Sequence[int], bool] = GroupCommit(
            lambda jobs: self.store.claim(jobs, self._clock.now())
        )
        self._sent: GroupCommit[tuple[Sequence[int], str | None], None] = GroupCommit(
            lambda sent: self.store.record_sent(sent, self._clock.now())
        )

    def _limits_of(self, channel: str) -> Limits:
        return self._channel_limits.get(channel, self._limits)

    def wake(self) -> None:
        """Something was just enqueued: look now rather than after the idle pause."""
        self._wake.set()

    # -- the loop -----------------------------------------------------------------------------

    async def run(self, stopping: asyncio.Event) -> None:
        await asyncio.to_thread(self.store.recover)
        senders = [asyncio.create_task(self._sender()) for _ in range(self._senders)]
        quiet = self._idle_pause
        try:
            while not stopping.is_set():
                # Cleared before looking, so a wake-up during the look is not lost; with
                # nothing to wake it, the worker looks again after a short pause only (a
                # chat's budget frees up, a sender finishes), not in a tight loop whose
                # reads would take the handlers' time. When the looks find nothing at
                # all, they grow apart (``quiet_pause``): a quiet desk costs little CPU.
                self._wake.clear()
                found = await self._fill()
                if found:
                    pause = FOUND_PAUSE
                elif self._nothing_found:
                    pause, quiet = quiet, min(quiet * 2, self._quiet_pause)
                else:
                    pause = self._idle_pause
                if found or not self._nothing_found or self._wake.is_set():
                    quiet = self._idle_pause
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wait_any(stopping), timeout=pause)
                if self._wake.is_set() and not stopping.is_set():
                    # Woken by an answer just committed: the answers committed in the
                    # next few milliseconds are looked up, claimed and recorded with it
                    # (one look and two commits for several, rather than for each).
                    await asyncio.sleep(GATHER)
        finally:
            # Let messages already handed to a sender finish, so that a clean stop leaves
            # nothing uncertain.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._queue.join(), timeout=STOP_GRACE)
            await _stopped(senders)

    async def _wait_any(self, stopping: asyncio.Event) -> None:
        waits = {asyncio.create_task(stopping.wait()), asyncio.create_task(self._wake.wait())}
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waits:
                task.cancel()

    async def run_until_idle(self, within: float = 30.0) -> None:
        """Sends everything due now, then returns (tests and one-shot commands)."""
        senders = [asyncio.create_task(self._sender()) for _ in range(self._senders)]
        try:
            async with asyncio.timeout(within):
                await asyncio.to_thread(self.store.recover)
                while True:
                    queued = await self._fill()
                    await self._queue.join()
                    if queued:
                        continue
                    if not await asyncio.to_thread(self.store.has_due, self._clock.now()):
                        break
                    await asyncio.sleep(0.05)  # due, but waiting for a chat's budget
        finally:
            await _stopped(senders)

    async def _fill(self) -> int:
        """Queues the next message of every chat that is free to take one; returns how
        many jobs were queued."""
        now = self._clock.now()
        if self._expired_checked is None or now - self._expired_checked >= EXPIRY_CHECK:
            # A write of its own: not at every wake-up, so answers do not queue behind it.
            self._expired_checked = now
            await asyncio.to_thread(self.store.skip_expired, now)
        queued = 0
        # One hop to a thread and one session for both reads (topic jobs hold no rows, so
        # the rows being sent are the same before and after they are queued).
        unsettled, waiting, rows = await asyncio.to_thread(
            self.store.look, now, self._batch, sorted(self._busy_rows)
        )
        topic_jobs = self._topic_jobs(now, unsettled, waiting)
        for job in topic_jobs:
            if job.key not in self._busy_keys:
                queued += await self._put(job)
        self._nothing_found = not (topic_jobs or rows or self._busy_keys)
        # The topics of the rows due are among those messages wait for, read with them (a
        # topic asked for after that read waits for the next look).
        topics = waiting
        seen: set[tuple[str, str, str]] = set()
        by_key: dict[tuple[str, str, str], list[OutboxMessage]] = {}
        for row in rows:
            key = (row.channel, row.chat_id, row.thread or row.topic or "")
            by_key.setdefault(key, []).append(row)
        for key, chat_rows in by_key.items():
            if key in self._busy_keys or key in seen:
                continue
            seen.add(key)
            first = chat_rows[0]
            courier = self._couriers.get(first.channel)
            if courier is None:
                continue
            thread = first.thread
            if first.topic:
                topic = topics.get(first.topic)
                if topic is None or topic.thread is None or topic.actual is not TopicState.OPEN:
                    continue  # the topic job will open it first
                thread = topic.thread
            private = courier.is_private(first.chat_id)
            limits = self._limits_of(first.channel)
            if limits.chat_wait(first.chat_id, private=private) > 0:
                continue
            room = limits.group_room(first.chat_id) if not private else 0
            batch = combinable(chat_rows, private=private, group_room=room)
            queued += await self._put(_Job(key=key, rows=tuple(batch)), thread=thread)
        return queued

    async def _put(self, job: _Job, thread: str | None = None) -> int:
        if job.rows and thread is not None:
            job = _Job(
                key=job.key,
                rows=tuple(_with_thread(r, thread) for r in job.rows),
            )
        self._busy_keys.add(job.key)
        self._busy_rows.update(r.id for r in job.rows if r.id is not None)
        await self._queue.put(job)
        return 1

    @staticmethod
    def _topic_jobs(now: datetime, unsettled: list[Topic], waiting: dict[str, Topic]) -> list[_Job]:
        """Topics to make, open or close (``unsettled``). A topic with messages waiting is
        opened first, even when it is wanted closed; it is closed again afterwards."""
        jobs = []
        for topic in unsettled:
            target = TopicState.OPEN if topic.key in waiting else topic.wanted
            if topic.thread is not None and topic.actual is target:
                continue
            if topic.error and topic.updated_at > now - TOPIC_RETRY:
                continue
            key = (topic.channel, topic.chat_id, topic.key)
            jobs.append(_Job(key=key, topic=topic, topic_target=target))
        for found in waiting.values():
            if found.thread is None or found.actual is not TopicState.CLOSED:
                continue
            job_key = (found.channel, found.chat_id, found.key)
            if all(j.key != job_key for j in jobs):
                jobs.append(_Job(key=job_key, topic=found, topic_target=TopicState.OPEN))
        return jobs

    # -- sending ------------------------------------------------------------------------------

    async def _sender(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                if job.topic is not None:
                    await self._settle_topic(job)
                else:
                    await self._deliver(job)
            except Exception:
                log.exception("outbox job failed unexpectedly: %s", job.key)
            finally:
                self._busy_keys.discard(job.key)
                for row in job.rows:
                    if row.id is not None:
                        self._busy_rows.discard(row.id)
                self._queue.task_done()

    async def _deliver(self, job: _Job) -> None:
        rows = job.rows
        first = rows[0]
        courier = self._couriers[first.channel]
        private = courier.is_private(first.chat_id)
        answer = first.lane == Lane.ANSWER  # takes the reserve kept for answers
        limits = self._limits_of(first.channel)
        # Counted from now until a window after the app's answer (bot.delivery.limits).
        async with limits.sending(first.chat_id, private=private, interactive=answer):
            ids = [r.id for r in rows if r.id is not None]
            if not await self._claim(ids):
                log.info("outbox message(s) %s changed before sending; left alone", ids)
                return
            upload = None
            if first.attachment_kind == UPLOAD and first.attachment_file_id:
                upload = await asyncio.to_thread(self.store.upload, first.attachment_file_id)
            parcel = await bring_media(self._couriers, courier, parcel_of(rows, upload))
            delivery = await courier.send(parcel)
        await self._record(job, delivery)
        self._metrics.delivered(first.channel, delivery, rows, self._clock.now())

    async def _record(self, job: _Job, delivery: Delivery) -> None:
        rows = job.rows
        first = rows[0]
        ids = [r.id for r in rows if r.id is not None]
        now = self._clock.now()
        store = self.store
        verdict = delivery.verdict

        async def finish(status: OutboxStatus, *, again: bool = False) -> None:
            """Ends this send as ``status``; ``again``: it was not delivered, so the
            attempt does not count against the message."""
            if again:
                await asyncio.to_thread(store.give_back_attempt, ids)
            await asyncio.to_thread(store.finish, ids, status, now, error=delivery.error)

        if verdict is Verdict.SENT:
            self._network_failures = 0
            await self._sent((ids, delivery.ref))
            self.stats.sent += 1
            self.stats.combined += len(rows) - 1
        elif verdict is Verdict.RETRY:
            wait, limits = delivery.wait, self._limits_of(first.channel)
            if wait > 0:  # the app's limit: for this chat, or (pause_all) all of the app's
                limits.retry_after(None if delivery.pause_all else first.chat_id, wait)
            else:
                wait = NETWORK_PAUSES[min(self._network_failures, len(NETWORK_PAUSES) - 1)]
                self._network_failures += 1
                limits.retry_after(None, wait)
                log.warning("the app is not answering (%s); pausing %ss", delivery.error, wait)
            # Back in line; the limits hold it (and its chat, or everything) for ``wait``.
            await finish(OutboxStatus.PENDING, again=True)
            self.stats.retried += 1
        elif verdict is Verdict.UNREACHABLE:
            if await asyncio.to_thread(store.is_staff_chat, first.channel, first.chat_id):
                # A lost staff chat: held in line until the bot is back (handlers.desk.lost).
                await finish(OutboxStatus.PENDING, again=True)
            else:
                await finish(OutboxStatus.UNREACHABLE)
                await asyncio.to_thread(
                    store.chat_gone, first.channel, first.chat_id, delivery.error
                )
            self.stats.unreachable += 1
            if self._on_unreachable is not None:
                await self._on_unreachable(first.channel, first.chat_id, delivery.error)
        elif verdict in (Verdict.TOPIC_GONE, Verdict.TOPIC_CLOSED) and first.topic:
            # Not delivered: safe to send again once the topic is back.
            await finish(OutboxStatus.PENDING, again=True)
            topic = (await asyncio.to_thread(store.topics, {first.topic})).get(first.topic)
            if topic is not None and topic.id is not None:
                if verdict is Verdict.TOPIC_GONE:
                    await asyncio.to_thread(store.topic_gone, topic.id, now)
                else:
                    await asyncio.to_thread(store.topic_state, topic.id, TopicState.CLOSED, now)
        elif verdict is Verdict.HELD:
            # Not sent: waits for the person to write (models.receipts.person_wrote).
            await finish(OutboxStatus.HELD, again=True)
            self.stats.held += 1
        elif verdict is Verdict.UNCERTAIN:
            await finish(OutboxStatus.UNCERTAIN)
            self.stats.uncertain += 1
        else:
            log.error(
                "the app refused outbox message(s) %s for chat %s: %s",
                ids,
                mask_chat_key(first.chat_id),
                delivery.error,
            )
            await finish(OutboxStatus.FAILED)
            self.stats.failed += 1

    async def _settle_topic(self, job: _Job) -> None:
        topic = job.topic
        assert topic is not None and topic.id is not None
        courier = self._couriers.get(topic.channel)
        if courier is None:
            return
        await self._topics.settle(courier, topic, job.topic_target or topic.wanted)


def _with_thread(row: OutboxMessage, thread: str) -> OutboxMessage:
    # The row is detached from its session: setting the thread here is not written back.
    row.thread = thread
    return row


async def _stopped(senders: list[asyncio.Task[None]]) -> None:
    for task in senders:
        task.cancel()
    await asyncio.gather(*senders, return_exceptions=True)
