"""The scheduler runs its ticks in the leader only, sees the project's clock, and survives
a failing job."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from bot.scheduler import Job, Leadership, Scheduler
from models import ManualClock


async def wait_until(condition: object, within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_ticks_run_at_once_then_every_interval_and_see_the_clock(
    clock: ManualClock,
) -> None:
    seen: list[datetime] = []
    scheduler = Scheduler([Job("reminders", 0.1, lambda: seen.append(clock.now()))])
    scheduler.start()
    try:
        await wait_until(lambda: len(seen) >= 1, within=1.0)
        clock.advance(timedelta(days=3))
        await wait_until(lambda: seen[-1] > seen[0])
    finally:
        scheduler.shutdown()
    assert seen[-1] - seen[0] == timedelta(days=3)


async def test_a_failing_job_runs_again_at_its_next_tick() -> None:
    calls: list[int] = []

    def flaky() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return 1

    scheduler = Scheduler([Job("flaky", 0.1, flaky)])
    scheduler.start()
    try:
        await wait_until(lambda: scheduler.runs["flaky"] >= 1)
    finally:
        scheduler.shutdown()
    assert len(calls) >= 2


def test_only_one_process_leads_on_a_shared_database(engine: Engine) -> None:
    first, second = Leadership(engine), Leadership(engine)
    try:
        assert first.try_acquire()
        if engine.dialect.name == "postgresql":
            assert not second.try_acquire()
            first.release()
            assert second.try_acquire()
        else:  # SQLite serves one process: it always leads
            assert second.try_acquire()
    finally:
        first.release()
        second.release()
