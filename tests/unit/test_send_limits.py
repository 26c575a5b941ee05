"""The send budget read strictly: at most 30 sends in ANY one-second window, and 20 per
group in any sixty seconds, wherever in its round trip the app counted each send. The
limiter runs on a clock the test moves: every pause a sender takes moves it on."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import random
from collections.abc import Awaitable
from typing import TypeVar

import pytest

from bot.delivery.limits import Limits, LimitSettings

T = TypeVar("T")


class VirtualTime:
    """A monotonic clock that moves only when every task is asleep on it: then it jumps
    to the earliest wake-up. Real time plays no part."""

    def __init__(self) -> None:
        self.now = 1000.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._count = 0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        self._count += 1
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), self._count, future))
        await future

    async def run(self, work: Awaitable[T]) -> T:
        task = asyncio.ensure_future(work)
        while not task.done():
            for _ in range(20):  # let every task run until it sleeps on this clock
                await asyncio.sleep(0)
            if self._sleepers and not task.done():
                wake, _, future = heapq.heappop(self._sleepers)
                self.now = max(self.now, wake)
                if not future.done():  # a sleeper cancelled meanwhile
                    future.set_result(None)
        return task.result()


def most_in_any_window(spans: list[tuple[float, float]], window: float) -> int:
    """The most sends an app could have counted in one window, each counted at any
    instant between being asked for (start) and answered (end)."""
    best = 0
    for _, end_j in spans:
        # The window [end_j, end_j + window) meets every send answered no earlier than
        # end_j and asked for before it closes; windows starting at an answer are the worst.
        count = sum(1 for start, end in spans if end >= end_j and start < end_j + window)
        best = max(best, count)
    return best


async def send_many(
    limits: Limits,
    time: VirtualTime,
    chats: list[tuple[str, bool]],
    *,
    senders: int,
    interactive: bool = False,
    seed: int = 7,
) -> list[tuple[str, float, float]]:
    """Sends one message per entry of ``chats`` with ``senders`` at once, each answered
    after a random round trip; (chat, asked, answered) of each."""
    rng = random.Random(seed)
    queue = list(chats)
    done: list[tuple[str, float, float]] = []

    async def sender() -> None:
        while queue:
            chat, private = queue.pop(0)
            async with limits.sending(chat, private=private, interactive=interactive):
                asked = time()
                await time.sleep(rng.choice([0.0, 0.001, 0.02, 0.2, 0.6]))
                answered = time()
            done.append((chat, asked, answered))

    await asyncio.gather(*(sender() for _ in range(senders)))
    return done


@pytest.fixture
def time() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
def limits(time: VirtualTime) -> Limits:
    return Limits(LimitSettings(), monotonic=time, sleep=time.sleep)


async def test_a_broadcast_never_puts_more_than_thirty_in_any_second(
    time: VirtualTime, limits: Limits
) -> None:
    chats = [(str(10_000 + n), True) for n in range(600)]
    spans = await time.run(send_many(limits, time, chats, senders=8))
    assert len(spans) == 600
    assert most_in_any_window([(a, b) for _, a, b in spans], 1.0) <= 30
    # and the budget is used, not starved: 600 sends take well under a minute
    assert max(b for _, _, b in spans) - min(a for _, a, _ in spans) < 60


async def test_after_a_quiet_spell_there_is_no_burst_over_thirty(
    time: VirtualTime, limits: Limits
) -> None:
    first = await time.run(send_many(limits, time, [(str(n), True) for n in range(45)], senders=45))
    time.now += 30.0  # quiet: a token bucket would now let a burst through on top
    second = await time.run(
        send_many(
            limits, time, [(str(100 + n), True) for n in range(45)], senders=45, interactive=True
        )
    )
    spans = [(a, b) for _, a, b in first + second]
    assert most_in_any_window(spans, 1.0) <= 30


async def test_a_group_gets_at_most_twenty_in_any_minute(time: VirtualTime, limits: Limits) -> None:
    chats = [("-100777", False)] * 70 + [("-100888", False)] * 30
    spans = await time.run(send_many(limits, time, chats, senders=6))
    for group in ("-100777", "-100888"):
        mine = [(a, b) for chat, a, b in spans if chat == group]
        assert most_in_any_window(mine, 60.0) <= 20
    assert most_in_any_window([(a, b) for _, a, b in spans], 1.0) <= 30


async def test_the_outbox_sends_evenly_and_uses_the_whole_second_while_nobody_asks(
    time: VirtualTime, limits: Limits
) -> None:
    async def thirty() -> list[float]:
        times = []
        for n in range(30):
            await limits.take(str(n), private=True, interactive=False)
            times.append(time())
        return times

    times = await time.run(thirty())
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) == pytest.approx(1 / 30), "one send every thirtieth of a second"
    assert times[-1] - times[0] < 1.0, "all thirty in the second: no reserve while nobody asks"


async def test_an_answer_finding_the_window_full_waits_for_the_next_send_only(
    time: VirtualTime, limits: Limits
) -> None:
    async def broadcast() -> None:  # 120 sends, each answered at once
        for n in range(120):
            async with limits.sending(str(n), private=True, interactive=False):
                pass

    async def answer_mid_way() -> float:
        await time.sleep(1.5)  # the window is full of the broadcast by now
        asked = time()
        await limits.take("answer", private=True, interactive=True)
        limits.done("answer", private=True)
        return time() - asked

    async def both() -> float:
        waited, _ = await asyncio.gather(answer_mid_way(), broadcast())
        return waited

    waited = await time.run(both())
    assert waited <= 1 / 30 + 0.011, "an answer never waits a whole window"


async def test_after_an_answer_the_outbox_leaves_a_reserve_to_answers(
    time: VirtualTime, limits: Limits
) -> None:
    await limits.take("asked", private=True, interactive=True)
    limits.done("asked", private=True)

    async def bulk(count: int) -> None:
        for n in range(count):
            await limits.take(str(n), private=True, interactive=False)
            limits.done(str(n), private=True)

    await time.run(bulk(27))  # 1 + 27 = 28 of this window: the outbox's share is used
    started = time()
    late = asyncio.ensure_future(bulk(1))
    for _ in range(5):
        await asyncio.sleep(0)
    assert not late.done(), "the outbox must not take the answers' reserve"
    answer = asyncio.ensure_future(limits.take("answer", private=True, interactive=True))
    for _ in range(5):
        await asyncio.sleep(0)
    assert answer.done() and time() == started, "an answer goes at once"
    limits.done("answer", private=True)
    late.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await late
    time.now += limits.settings.reserve_hold + 1.0  # nobody asked for a while
    started = time()
    await time.run(bulk(30))
    assert time() - started < 1.0, "the whole window is the outbox's again"
