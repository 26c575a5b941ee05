"""What the leader process runs beside answering events: the scheduler's ticks and the
outbox worker. Other processes (several webhook workers on PostgreSQL) answer events and
write to the outbox; they wait to become leader in case the leader stops."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.delivery.courier import Courier
from bot.delivery.limits import Limits
from bot.delivery.worker import OutboxWorker, Unreachable
from bot.scheduler import LEADER_RETRY_SECONDS, Job, Leadership, Scheduler
from models import Clock

log = logging.getLogger(__name__)


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
        check_every: float = LEADER_RETRY_SECONDS,
    ) -> None:
        self.leadership = Leadership(engine)
        self.scheduler = Scheduler(jobs)
        self._new_worker = lambda: OutboxWorker(
            sessions, clock, couriers, limits, on_unreachable=on_unreachable
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
            if not await self._wait_to_lead(stopping):
                return
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
        self.scheduler.start()
        try:
            while not stopping.is_set() and not worker.done():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), timeout=self._check_every)
                if not stopping.is_set() and not await asyncio.to_thread(
                    self.leadership.still_leading
                ):
                    log.error("lost the lead (the lock's connection is gone); stepping down")
                    break
        finally:
            step_down.set()
            self.leading.clear()
            self.scheduler.shutdown()
            await worker
            await asyncio.to_thread(self.leadership.release)
