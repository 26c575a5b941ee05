"""The outbox, delivered to the terminal: what the help desk sends later rather than in
answer (a ticket's topic and card in the staff chat, the liaison's messages relayed
there, the officer's answers relayed back) goes through the real outbox worker, whose
courier here writes nothing anywhere but keeps what was "sent" for the console to show."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlmodel import Session

from bot.delivery.courier import Delivery, Parcel, Verdict
from bot.delivery.limits import Limits, LimitSettings
from bot.delivery.worker import OutboxWorker
from models import Clock

# A terminal has no rate limits: the demo's messages leave at once.
NO_LIMITS = LimitSettings(
    per_second=10_000,
    private_per_second=10_000.0,
    private_burst=10_000.0,
    group_per_minute=1_000_000,
    reserve=0,
)
DELIVERY_WITHIN = 15.0  # seconds the console waits at most for the outbox to empty


@dataclass(frozen=True)
class Delivered:
    """A message the outbox handed over, with the id the console gave it."""

    parcel: Parcel
    ref: str


@dataclass(frozen=True)
class TopicChange:
    """A topic made, closed or reopened in a staff chat."""

    chat_id: str
    thread: str
    name: str
    change: str  # "opened", "closed", "reopened"


class ConsoleCourier:
    """The outbox worker's courier for the console channel: every message is taken at
    once and kept, in order, for the console to print."""

    def __init__(self, channel: str, private_chats: set[str], ids: Iterator[int]) -> None:
        self.channel = channel
        self._private = private_chats
        self._ids = ids  # shared with the console's own replies: one id space per chat
        self._threads = itertools.count(1)
        self.topics: dict[tuple[str, str], str] = {}  # (chat, thread) → topic name
        self.delivered: list[Delivered | TopicChange] = []

    def is_private(self, chat_id: str) -> bool:
        return chat_id in self._private

    async def send(self, parcel: Parcel) -> Delivery:
        ref = parcel.edit or str(next(self._ids))
        self.delivered.append(Delivered(parcel, ref))
        return Delivery(Verdict.SENT, ref=ref)

    async def create_topic(self, chat_id: str, name: str) -> Delivery:
        thread = str(next(self._threads))
        self.topics[(chat_id, thread)] = name
        self.delivered.append(TopicChange(chat_id, thread, name, "opened"))
        return Delivery(Verdict.SENT, ref=thread)

    async def set_topic_closed(self, chat_id: str, thread: str, closed: bool) -> Delivery:
        name = self.topics.get((chat_id, thread), thread)
        self.delivered.append(
            TopicChange(chat_id, thread, name, "closed" if closed else "reopened")
        )
        return Delivery(Verdict.SENT)

    def take(self) -> list[Delivered | TopicChange]:
        taken, self.delivered = self.delivered, []
        return taken


class ConsoleOutbox:
    """Runs the outbox worker until nothing is due, after each thing typed."""

    def __init__(
        self,
        sessions: Callable[[], Session],
        clock: Clock,
        channel: str,
        private_chats: set[str],
        ids: Iterator[int],
    ) -> None:
        self.courier = ConsoleCourier(channel, private_chats, ids)
        self._worker = OutboxWorker(
            sessions, clock, {channel: self.courier}, Limits(NO_LIMITS), idle_pause=0.01
        )
        self._runner = asyncio.Runner()  # one loop for the worker's queues, all along

    def deliver(self) -> list[Delivered | TopicChange]:
        """What the outbox had due, handed over now."""
        self._runner.run(self._worker.run_until_idle(within=DELIVERY_WITHIN))
        return self.courier.take()

    def close(self) -> None:
        self._runner.close()
