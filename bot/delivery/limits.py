"""Telegram's limits, kept on our side so that we never meet a 429 or a refused text.

Telegram's size limits live in ``models.message_limits``; they count UTF-16 code units,
which ``utf16_len`` here measures.

Telegram asks bots to stay under 30 messages a second overall, about one a second per
private chat (short bursts pass) and 20 a minute per group
(https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this). Read
strictly, "30 a second" means at most 30 in ANY one-second window, and "20 a minute" at
most 20 in any sixty seconds: both are sliding windows here (:class:`_Window`), never a
token bucket, whose burst after a quiet spell breaks the strict reading.

A send counts in its window from the moment it is asked for until one window after its
answer came back. Telegram sees a message somewhere between the two, so counting from the
answer makes the 31st send of a window leave only after the first one's answer plus a
whole window: no network delay can bring two sends closer together at Telegram's end
than they were here. The cost is the round trip: 30 per (1 s + one round trip).

One :class:`Limits` per process is shared by the interactive replies and the outbox
worker; with several processes only the leader sends (``bot.background``), so its budget
is the bot's. Interactive replies come first, and a broadcast uses the whole budget only
while nobody is asking:

- the worker's sends leave evenly, one per ``window / per_second`` at most, so a full
  window frees a send every thirtieth of a second rather than thirty at once a second
  later: an answer that finds the window full waits for the next one to free, never a
  whole second;
- while an answer waits, the worker takes nothing;
- for ``reserve_hold`` seconds after an answer, the worker leaves ``reserve`` sends of
  every window to the answers (people who have just asked tend to ask again);
- it never waits on a chat's budget while holding others up.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass


def utf16_len(text: str) -> int:
    """A text's length as Telegram counts it (UTF-16 code units; an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class LimitSettings:
    per_second: int = 30  # sends in any one-second window, the whole bot
    private_per_second: float = 1.0
    private_burst: float = 2.0
    group_per_minute: int = 20  # sends in any sixty-second window, per group
    reserve: int = 2  # sends of every second the outbox leaves for interactive replies
    window: float = 1.0  # seconds of the overall window
    reserve_hold: float = 30.0  # seconds after an answer for which the reserve is kept


IN_FLIGHT_LOOK = 0.01  # seconds between looks while a full window waits for an answer


def whatsapp_limits(per_second: float = 80.0) -> LimitSettings:
    """WhatsApp's Cloud API, per business phone number: 80 messages a second by default
    (Meta raises it up to 1,000; refused beyond with 130429), and to one person about one
    every 6 seconds after a short burst (the pair rate, 131056)
    (https://developers.facebook.com/docs/whatsapp/cloud-api/overview#throughput).
    Groups do not exist there; the group window is never used."""
    # Room under the limit for requests that leave evenly and arrive bunched (a busy
    # machine or network): bench/whatsapp_broadcast.py met 130429 at 0.9 of the limit,
    # not at 0.8 (under a load average of 9 to 29 on 2 cores).
    return LimitSettings(
        per_second=max(1, int(per_second * 0.8)),
        private_per_second=1 / 6,
        private_burst=10.0,
        reserve=2,
    )


class _Bucket:
    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.updated = now

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def wait(self, now: float) -> float:
        """Seconds until one token can be taken."""
        self.refill(now)
        missing = 1.0 - self.tokens
        return 0.0 if missing <= 0 else missing / self.rate

    def take(self) -> None:
        self.tokens -= 1.0


class _Window:
    """At most ``limit`` sends in any ``span`` seconds. A send is in flight from
    :meth:`take` to :meth:`done`, and counts until ``span`` after :meth:`done`."""

    def __init__(self, limit: int, span: float) -> None:
        self.limit = limit
        self.span = span
        self.in_flight = 0
        self.done_at: deque[float] = deque()  # answers' times, oldest first

    def used(self, now: float) -> int:
        while self.done_at and self.done_at[0] <= now - self.span:
            self.done_at.popleft()
        return self.in_flight + len(self.done_at)

    def wait(self, now: float, keep: int = 0) -> float:
        """Seconds until one more send fits leaving ``keep`` of the window unused."""
        over = self.used(now) + keep + 1 - self.limit
        if over <= 0:
            return 0.0
        if over <= len(self.done_at):
            return max(self.done_at[over - 1] + self.span - now, IN_FLIGHT_LOOK)
        return IN_FLIGHT_LOOK  # only answers still awaited can free the window

    def take(self) -> None:
        self.in_flight += 1

    def give_back(self) -> None:
        """A send taken and not made after all: it never counted."""
        self.in_flight = max(0, self.in_flight - 1)

    def done(self, now: float) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        self.done_at.append(now)

    @property
    def idle(self) -> bool:
        return self.in_flight == 0 and not self.done_at


class Limits:
    def __init__(
        self,
        settings: LimitSettings | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """``monotonic`` and ``sleep`` are the clock the limits keep time by (tests move one)."""
        self.settings = s = settings or LimitSettings()
        self._now = monotonic
        self._sleep = sleep
        self._overall = _Window(s.per_second, s.window)
        self._private: dict[str, _Bucket] = {}
        self._groups: dict[str, _Window] = {}
        self._blocked_until: dict[str, float] = {}  # a chat's retry_after
        self._global_blocked_until = 0.0
        self._answers_waiting = 0  # interactive sends waiting for the overall budget
        self._answered_at = float("-inf")  # when the last interactive send left
        self._next_bulk_at = float("-inf")  # the worker's next send may leave from then

    # -- the per-chat budget ---------------------------------------------------------------

    def chat_wait(self, chat_id: str, *, private: bool) -> float:
        """Seconds before one more message to this chat fits its own budget."""
        now = self._now()
        wait = max(0.0, self._blocked_until.get(chat_id, 0.0) - now)
        if private:
            bucket = self._private.get(chat_id)
            if bucket is not None:
                wait = max(wait, bucket.wait(now))
        else:
            window = self._groups.get(chat_id)
            if window is not None:
                wait = max(wait, window.wait(now))
        return wait

    def group_room(self, chat_id: str) -> int:
        """How many more messages this group takes in the current minute."""
        window = self._groups.get(chat_id)
        if window is None:
            return self.settings.group_per_minute
        return window.limit - window.used(self._now())

    def _take_chat(self, chat_id: str, *, private: bool) -> None:
        now = self._now()
        if private:
            bucket = self._private.get(chat_id)
            if bucket is None:
                s = self.settings
                bucket = self._private[chat_id] = _Bucket(
                    s.private_per_second, s.private_burst, now
                )
            bucket.take()
        else:
            window = self._groups.get(chat_id)
            if window is None:
                window = self._groups[chat_id] = _Window(self.settings.group_per_minute, 60.0)
            window.take()
        if len(self._private) > 50_000:  # forget chats idle long enough to be full again
            self._private = {k: b for k, b in self._private.items() if b.wait(now) > 0}
        if len(self._groups) > 50_000:
            self._groups = {k: w for k, w in self._groups.items() if w.used(now) or not w.idle}

    # -- the overall budget ----------------------------------------------------------------

    async def take_overall(self, *, interactive: bool) -> None:
        """Waits for one send of the overall budget and counts it in flight (until
        :meth:`done_overall`). The worker's sends leave evenly and give way to answers
        (see the module's notes), so a broadcast never holds an answer up for long."""
        if interactive:
            self._answers_waiting += 1
        try:
            while True:
                now = self._now()
                wait = self._global_blocked_until - now
                if interactive:
                    wait = max(wait, self._overall.wait(now))
                else:
                    wait = max(wait, self._bulk_wait(now))
                if wait <= 0:
                    self._overall.take()
                    if interactive:
                        self._answered_at = now
                    else:
                        self._next_bulk_at = now + self.settings.window / self.settings.per_second
                    return
                await self._sleep(min(wait, 1.0))
        finally:
            if interactive:
                self._answers_waiting -= 1

    def _bulk_wait(self, now: float) -> float:
        """Seconds before the worker's next send may leave: evenly spaced, never while an
        answer waits, and leaving the reserve while answers are recent."""
        if self._answers_waiting:
            return IN_FLIGHT_LOOK
        s = self.settings
        recent = now - self._answered_at < s.reserve_hold
        keep = max(0, min(s.reserve, s.per_second - 1)) if recent else 0
        return max(self._next_bulk_at - now, self._overall.wait(now, keep))

    def done_overall(self) -> None:
        """The app answered a send counted by :meth:`take_overall`."""
        self._overall.done(self._now())

    async def take(self, chat_id: str, *, private: bool, interactive: bool) -> None:
        """One message to ``chat_id``: waits for the chat's budget, then the overall one;
        counts it in flight until :meth:`done`."""
        while True:
            while (wait := self.chat_wait(chat_id, private=private)) > 0:
                await self._sleep(min(wait, 1.0))
            await self.take_overall(interactive=interactive)
            if self.chat_wait(chat_id, private=private) <= 0:
                self._take_chat(chat_id, private=private)
                return
            # Another send to this chat took its budget while this one waited for the
            # overall one: the overall send goes back unused, and this one waits again.
            self._overall.give_back()

    def done(self, chat_id: str, *, private: bool) -> None:
        """The app answered the message counted by :meth:`take` (whatever it said)."""
        self.done_overall()
        if not private:
            window = self._groups.get(chat_id)
            if window is not None:
                window.done(self._now())

    @contextlib.asynccontextmanager
    async def sending(
        self, chat_id: str, *, private: bool, interactive: bool
    ) -> AsyncIterator[None]:
        """``async with limits.sending(...)``: the send inside counts from the moment it
        may leave until a window after the block ends (the app's answer)."""
        await self.take(chat_id, private=private, interactive=interactive)
        try:
            yield
        finally:
            self.done(chat_id, private=private)

    @contextlib.asynccontextmanager
    async def calling(self, *, interactive: bool) -> AsyncIterator[None]:
        """A call that counts in the overall budget only (a topic made or closed)."""
        await self.take_overall(interactive=interactive)
        try:
            yield
        finally:
            self.done_overall()

    def retry_after(self, chat_id: str | None, seconds: float) -> None:
        """Telegram said 429 (to the outbox or to an answer): nothing more to that chat for
        ``seconds``; with no chat, the app is not answering: nothing more at all."""
        until = self._now() + seconds
        if chat_id is None:
            self._global_blocked_until = max(self._global_blocked_until, until)
        else:
            self._blocked_until[chat_id] = max(self._blocked_until.get(chat_id, 0.0), until)
