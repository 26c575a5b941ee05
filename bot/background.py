"""What the leader process runs beside answering events: the scheduler's ticks and the
outbox worker. Other processes (several webhook workers on PostgreSQL) answer events and
write to the outbox; they wait to become leader in case the leader stops.

The leader supervises its outbox worker: a worker that stops on an error (the database
went away) makes the process step down, pause ``WORKER_RESTART_SECONDS`` and contend
again, so a database that comes back finds a worker sending again."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.delivery.bell import OutboxBell
from bot.delivery.courier import Courier
from bot.delivery.limits import Limits
from bot.delivery.worker import OutboxWorker, Unreachable
from bot.metrics import Metrics
from bot.scheduler import LEADER_RETRY_SECONDS, Job, Leadership, Scheduler
from models import Clock

log = logging.getLogger(__name__)

FIRST = asyncio.FIRST_COMPLETED
WORKER_RESTART_SECONDS = 2.0  # after the outbox worker stopped on an error, before leading again
# Seconds between the outbox worker's looks when they find nothing; what is written without
# waking it (the scheduler's jobs, a command run in another process) waits at most this
# long. Answers wake it: their own process's directly, another process's by the outbox's
# bell (PostgreSQL, ``bot.delivery.bell``).
QUIET_PAUSE = 1.6


class Background:
    def __init__(
        self,
        engine: Engine,
        sessions: Callable[[], Session],
        clock: Clock,
        jobs: list[Job],
        couriers: dict[str, Courier],
        limits: Limits,
        on_unreachable: Unreachable | None = None,
        metrics: Metrics | None = None,
        check_every: float = LEADER_RETRY_SECONDS,
        channel_limits: Mapping[str, Limits] | None = None,
        bell: OutboxBell | None = None,
    ) -> None:
        self.leadership = Leadership(engine)
        self.bell = bell or OutboxBell(engine)
        self.scheduler = Scheduler(jobs)
        self._new_worker = lambda: OutboxWorker(
            sessions,
            clock,
            couriers,
            limits,
            on_unreachable=on_unreachable,
            metrics=metrics,
            channel_limits=channel_limits,
            # Every answer wakes the worker (its bell, from other processes): a quiet desk
            # looks seldom.
            quiet_pause=QUIET_PAUSE,
        )
        self.worker = self._new_worker()
        self._check_every = check_every
        self.leading = asyncio.Event()

    def check_start(self) -> None:
        """On SQLite the one process leads from its start: a second process is refused
        here with :class:`bot.scheduler.OneProcessOnly`. On PostgreSQL, nothing to check:
        the lead is contended for in :meth:`run`."""
        if not self.leadership.shared:
            self.leadership.try_acquire()

    async def run(self, stopping: asyncio.Event) -> None:
        """Until ``stopping``: wait to lead, then run the jobs and the outbox worker; if
        the lead is lost (the lock's connection died), stop both and contend again, so two
        processes never send the outbox at once."""
        while not stopping.is_set():
            try:
                if not await self._wait_to_lead(stopping):
                    return
            except Exception:  # the database is away: contend again after a pause
                log.exception("could not contend for the lead; trying again")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), timeout=LEADER_RETRY_SECONDS)
                continue
            await self._lead(stopping)

    async def _wait_to_lead(self, stopping: asyncio.Event) -> bool:
        while not await asyncio.to_thread(self.leadership.try_acquire):
            log.info("another process leads the scheduler and the outbox; waiting")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=LEADER_RETRY_SECONDS)
            if stopping.is_set():
                return False
        return True

    async def _lead(self, stopping: asyncio.Event) -> None:
        self.leading.set()
        log.info("this process leads: scheduler and outbox worker running")
        step_down = asyncio.Event()
        self.worker = self._new_worker()
        worker = asyncio.create_task(self.worker.run(step_down))
        bell = asyncio.create_task(self.bell.listen(self.worker.wake, step_down))
        self.scheduler.start()
        stop = asyncio.ensure_future(stopping.wait())
        failed = False
        try:
            while not stopping.is_set() and not worker.done():
                await asyncio.wait({stop, worker}, timeout=self._check_every, return_when=FIRST)
                if (
                    not stopping.is_set()
                    and not worker.done()
                    and not await asyncio.to_thread(self.leadership.still_leading)
                ):
                    log.error("lost the lead (the lock's connection is gone); stepping down")
                    break
        finally:
            stop.cancel()
            step_down.set()
            bell.cancel()
            self.leading.clear()
            self.scheduler.shutdown()
            try:
                await worker
            except Exception:  # the database went away: the worker stopped
                log.exception("the outbox worker stopped; stepping down to contend again")
                failed = True
            await asyncio.to_thread(self.leadership.release)
        if failed:  # not at once: the database may still be away
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=WORKER_RESTART_SECONDS)
