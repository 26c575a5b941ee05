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
    ) -> None:
        self.leadership = Leadership(engine)
        self.scheduler = Scheduler(jobs)
        self.worker = OutboxWorker(sessions, clock, couriers, limits, on_unreachable=on_unreachable)
        self.leading = asyncio.Event()

    async def run(self, stopping: asyncio.Event) -> None:
        """Until ``stopping``: wait to lead, then run the jobs and the outbox worker."""
        try:
            while not await asyncio.to_thread(self.leadership.try_acquire):
                log.info("another process leads the scheduler and the outbox; waiting")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), timeout=LEADER_RETRY_SECONDS)
                if stopping.is_set():
                    return
            self.leading.set()
            log.info("this process leads: scheduler and outbox worker running")
            self.scheduler.start()
            await self.worker.run(stopping)
        finally:
            self.scheduler.shutdown()
            await asyncio.to_thread(self.leadership.release)
