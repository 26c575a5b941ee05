"""The outbox's bell across processes: an answer committed by a process that does not
lead (a webhook worker) reaches the leader's worker at once, by PostgreSQL's NOTIFY, not
at the worker's next look; on SQLite the bell is silent."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot import storage
from bot.background import Background
from bot.delivery.bell import OutboxBell
from bot.delivery.limits import Limits
from bot.delivery.worker import OutboxWorker
from models import Lane, ManualClock
from models.outbox import enqueue
from tests.unit.test_outbox_quiet import Recorder


def answer(sessions: Callable[[], Session], clock: ManualClock, chat_id: str) -> None:
    with sessions() as session:
        enqueue(
            session,
            campaign=f"answer:telegram:{chat_id}",
            recipient=chat_id,
            channel="telegram",
            chat_id=chat_id,
            text=f"jawaban {chat_id}",
            lane=Lane.ANSWER,
            now=clock.now(),
        )
        session.commit()


@pytest.mark.only_on("postgresql")
async def test_an_answer_committed_elsewhere_wakes_the_leaders_worker_at_once(
    database_url: str, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    leader_engine = storage.make_engine(database_url)
    other_engine = storage.make_engine(database_url)  # the process that handled the update
    courier = Recorder()
    # It looks once at its start, then not for a minute: only a ring brings it back.
    worker = OutboxWorker(
        sessions, clock, {"telegram": courier}, Limits(), idle_pause=60.0, quiet_pause=60.0
    )
    listening = asyncio.Event()

    def wake() -> None:
        listening.set()
        worker.wake()

    leader_bell, other_bell = OutboxBell(leader_engine), OutboxBell(other_engine)
    stopping = asyncio.Event()
    running = asyncio.create_task(worker.run(stopping))
    listener = asyncio.create_task(leader_bell.listen(wake, stopping))
    try:
        await asyncio.wait_for(listening.wait(), timeout=10)  # listening, first look done
        await asyncio.sleep(0.3)
        other_sessions = storage.session_factory(other_engine)
        for n in range(3):
            courier.arrived.clear()
            answer(other_sessions, clock, str(5001 + n))
            other_bell.ring()
            await asyncio.wait_for(courier.arrived.wait(), timeout=10)
        assert courier.sent == ["jawaban 5001", "jawaban 5002", "jawaban 5003"]
        assert leader_bell.heard >= 3
    finally:
        stopping.set()
        await other_bell.quiet()
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener
        await asyncio.wait_for(running, timeout=30)
        leader_engine.dispose()
        other_engine.dispose()


@pytest.mark.only_on("postgresql")
async def test_rings_close_together_make_few_notifies(engine: Engine) -> None:
    bell = OutboxBell(engine)
    for _ in range(50):
        bell.ring()
    await bell.quiet()
    assert 1 <= bell.rung <= 2


@pytest.mark.only_on("postgresql")
async def test_a_listener_whose_database_is_away_keeps_trying_and_stops_when_told(
    engine: Engine,
) -> None:
    away = storage.make_engine("postgresql://postgres@127.0.0.1:9/none")  # nobody listens
    stopping = asyncio.Event()
    listening = asyncio.create_task(OutboxBell(away).listen(lambda: None, stopping))
    await asyncio.sleep(0.5)
    assert not listening.done(), "a connection that fails is tried again, not given up"
    stopping.set()
    await asyncio.wait_for(listening, timeout=10)
    away.dispose()


@pytest.mark.only_on("sqlite")
async def test_on_sqlite_the_bell_is_silent(engine: Engine) -> None:
    bell = OutboxBell(engine)
    bell.ring()
    await bell.quiet()
    assert bell.rung == 0
    await asyncio.wait_for(bell.listen(lambda: None, asyncio.Event()), timeout=1)


async def test_the_leader_listens_for_the_bell_while_it_leads(
    engine: Engine, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    background = Background(engine, sessions, clock, [], {"telegram": Recorder()}, Limits())
    heard: list[Callable[[], None]] = []

    async def listen(wake: Callable[[], None], stopping: asyncio.Event) -> None:
        heard.append(wake)
        await stopping.wait()

    background.bell.listen = listen  # type: ignore[method-assign]
    stopping = asyncio.Event()
    running = asyncio.create_task(background.run(stopping))
    try:
        await asyncio.wait_for(background.leading.wait(), timeout=10)
        for _ in range(100):
            if heard:
                break
            await asyncio.sleep(0.01)
        assert heard == [background.worker.wake]
    finally:
        stopping.set()
        await asyncio.wait_for(running, timeout=30)
