"""A quiet desk alone on SQLite: the outbox worker's looks that find nothing grow apart
(``quiet_pause``), and a message still goes out when the worker is woken."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlmodel import Session

from bot.delivery.courier import Delivery, Parcel, Verdict
from bot.delivery.limits import Limits
from bot.delivery.worker import OutboxWorker
from models import Lane, ManualClock
from models.outbox import enqueue


class Recorder:
    channel = "telegram"

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.arrived = asyncio.Event()

    def is_private(self, chat_id: str) -> bool:
        return True

    async def send(self, parcel: Parcel) -> Delivery:
        self.sent.append(parcel.text)
        self.arrived.set()
        return Delivery(Verdict.SENT, ref=str(len(self.sent)))

    async def create_topic(self, chat_id: str, name: str) -> Delivery:
        raise AssertionError("no topics here")

    async def set_topic_closed(self, chat_id: str, thread: str, closed: bool) -> Delivery:
        raise AssertionError("no topics here")


def looks_in(worker: OutboxWorker) -> Callable[[], int]:
    """Counts the worker's looks for due messages."""
    look = worker.store.look
    count = [0]

    def counted(*args: object) -> object:
        count[0] += 1
        return look(*args)  # type: ignore[arg-type]

    worker.store.look = counted  # type: ignore[method-assign]
    return lambda: count[0]


async def test_quiet_looks_grow_apart_and_a_wake_up_still_sends(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    courier = Recorder()
    worker = OutboxWorker(
        sessions, clock, {"telegram": courier}, Limits(), idle_pause=0.02, quiet_pause=0.32
    )
    looks = looks_in(worker)
    stopping = asyncio.Event()
    running = asyncio.create_task(worker.run(stopping))
    try:
        await asyncio.sleep(1.5)
        # Every 0.02 s that is about 75 looks; growing to 0.32 s, about 9.
        assert looks() < 20
        with sessions() as session:
            enqueue(
                session,
                campaign="answer:telegram:1",
                recipient="0",
                channel="telegram",
                chat_id="5001",
                text="jawaban",
                lane=Lane.ANSWER,
                now=clock.now(),
            )
            session.commit()
        worker.wake()
        await asyncio.wait_for(courier.arrived.wait(), timeout=10)
        assert courier.sent == ["jawaban"]
    finally:
        stopping.set()
        await asyncio.wait_for(running, timeout=30)
