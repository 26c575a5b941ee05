"""The scheduler runs its ticks in the leader only, sees the project's clock, and survives
a failing job."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot import background as background_module
from bot.background import Background
from bot.delivery.limits import Limits
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


@pytest.mark.only_on("postgresql")
def test_a_leader_whose_lock_connection_died_knows_it_no_longer_leads(engine: Engine) -> None:
    leader, other = Leadership(engine), Leadership(engine)
    try:
        assert leader.try_acquire() and leader.still_leading()
        assert leader._connection is not None
        pid = leader._connection.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        leader._connection.commit()
        with engine.connect() as admin:
            admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        assert not leader.still_leading()
        assert other.try_acquire(), "the lock went with the connection"
    finally:
        leader.release()
        other.release()


@pytest.mark.only_on("postgresql")
async def test_the_background_steps_down_when_the_lead_is_lost_and_contends_again(
    engine: Engine, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    background = Background(engine, sessions, clock, [], {}, Limits(), check_every=0.1)
    stopping = asyncio.Event()
    task = asyncio.create_task(background.run(stopping))
    try:
        await wait_until(background.leading.is_set)
        first = background.worker
        connection = background.leadership._connection
        assert connection is not None
        pid = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        connection.commit()
        with engine.connect() as admin:
            admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        await wait_until(lambda: background.worker is not first and background.leading.is_set())
    finally:
        stopping.set()
        await asyncio.wait_for(task, timeout=15)


async def test_a_worker_stopped_by_the_database_is_started_again_when_it_is_back(
    engine: Engine,
    sessions: Callable[[], Session],
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(background_module, "WORKER_RESTART_SECONDS", 0.1)
    away = [True]

    def flaky_sessions() -> Session:
        if away[0]:
            raise sa.exc.OperationalError("SELECT 1", {}, Exception("the database is away"))
        return sessions()

    background = Background(engine, flaky_sessions, clock, [], {}, Limits(), check_every=0.1)
    stopping = asyncio.Event()
    task = asyncio.create_task(background.run(stopping))
    try:
        # Each lead starts a new worker, which stops at once while the database is away:
        # the lead lasts an instant, so it is seen by the worker it started, not polled.
        built = background.worker
        await wait_until(lambda: background.worker is not built)  # led once
        first = background.worker
        await wait_until(lambda: background.worker is not first)  # stopped, led again
        assert not task.done()
        away[0] = False
        await asyncio.sleep(0.5)
        working = background.worker
        await asyncio.sleep(0.5)
        assert background.worker is working and background.leading.is_set()
    finally:
        stopping.set()
        await asyncio.wait_for(task, timeout=15)
