"""Telegram's limits, kept on our side so that we rarely meet a 429 or a refused text.

Telegram's size limits live in ``models.message_limits``; they count UTF-16 code units,
which ``utf16_len`` here measures.

Telegram asks bots to stay under about 30 messages a second overall, about one a second
per private chat (short bursts pass) and 20 a minute per group
(https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
One :class:`Limits` per process is shared by the interactive replies and the outbox
worker. Interactive replies come first: the worker only takes from the overall budget
while a small reserve is left for them, and it never waits on a chat's budget while
holding others up.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


def utf16_len(text: str) -> int:
    """A text's length as Telegram counts it (UTF-16 code units; an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class LimitSettings:
    per_second: float = 29.5  # a hair under Telegram's 30/s, for clock jitter
    burst: float = 5.0  # how many may leave at once after a quiet spell
    private_per_second: float = 1.0
    private_burst: float = 2.0
    group_per_minute: int = 20
    reserve: float = 2.0  # overall tokens the worker leaves for interactive replies


def whatsapp_limits(per_second: float = 80.0) -> LimitSettings:
    """WhatsApp's Cloud API, per business phone number: 80 messages a second by default
    (Meta raises it up to 1,000; refused beyond with 130429), and to one person about one
    every 6 seconds after a short burst (the pair rate, 131056)
    (https://developers.facebook.com/docs/whatsapp/cloud-api/overview#throughput).
    Groups do not exist there; the group window is never used."""
    # A burst plus a second at the steady rate stays under the limit in any one second,
    # with room for requests that leave evenly and arrive bunched (a busy machine or
    # network): bench/whatsapp_broadcast.py met 130429 at 0.9 of the limit, not at 0.8
    # (under a load average of 9 to 29 on 2 cores).
    return LimitSettings(
        per_second=per_second * 0.8,
        burst=max(1.0, per_second * 0.05),
        private_per_second=1 / 6,
        private_burst=10.0,
        reserve=2.0,
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

    def wait(self, now: float, keep: float = 0.0) -> float:
        """Seconds until one token can be taken leaving ``keep`` behind."""
        self.refill(now)
        missing = 1.0 + keep - self.tokens
        return 0.0 if missing <= 0 else missing / self.rate

    def take(self) -> None:
        self.tokens -= 1.0


class _Window:
    """At most ``limit`` in any 60 seconds."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.sent: deque[float] = deque()

    def wait(self, now: float) -> float:
        while self.sent and self.sent[0] <= now - 60.0:
            self.sent.popleft()
        return 0.0 if len(self.sent) < self.limit else self.sent[0] + 60.0 - now

    def take(self, now: float) -> None:
        self.sent.append(now)


class Limits:
    def __init__(
        self,
        settings: LimitSettings | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = s = settings or LimitSettings()
        self._now = monotonic
        self._overall = _Bucket(s.per_second, s.burst, monotonic())
        self._private: dict[str, _Bucket] = {}
        self._groups: dict[str, _Window] = {}
        self._blocked_until: dict[str, float] = {}  # a chat's retry_after
        self._global_blocked_until = 0.0

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
        window.wait(self._now())
        return window.limit - len(window.sent)

    def _take_chat(self, chat_id: str, *, private: bool) -> None:
        now = self._now()
        if private:
            bucket = self._private.get(chat_id)
            if bucket is None:
                s = self.settings
                bucket = self._private[chat_id] = _Bucket(
                    s.private_per_second, s.private_burst, now
                )
                bucket.refill(now)
            bucket.take()
        else:
            self._groups.setdefault(chat_id, _Window(self.settings.group_per_minute)).take(now)
        if len(self._private) > 50_000:  # forget chats idle long enough to be full again
            self._private = {
                k: b for k, b in self._private.items() if b.wait(now) > 0 or b.tokens < 1
            }

    # -- the overall budget ----------------------------------------------------------------

    async def take_overall(self, *, interactive: bool) -> None:
        """Waits for one message of the overall budget. The worker keeps a reserve free
        for interactive replies, so a broadcast never delays an answer."""
        s = self.settings
        keep = 0.0 if interactive else max(0.0, min(s.reserve, s.burst - 1.0))
        while True:
            now = self._now()
            wait = max(self._global_blocked_until - now, self._overall.wait(now, keep))
            if wait <= 0:
                self._overall.take()
                return
            await asyncio.sleep(min(wait, 1.0))

    async def take(self, chat_id: str, *, private: bool, interactive: bool) -> None:
        """One message to ``chat_id``: waits for the chat's budget, then the overall one."""
        while (wait := self.chat_wait(chat_id, private=private)) > 0:  # noqa: ASYNC110
            await asyncio.sleep(min(wait, 1.0))
        await self.take_overall(interactive=interactive)
        self._take_chat(chat_id, private=private)

    def retry_after(self, chat_id: str | None, seconds: float) -> None:
        """Telegram said 429 (to the outbox or to an answer): nothing more to that chat for
        ``seconds``; with no chat, the app is not answering: nothing more at all."""
        until = self._now() + seconds
        if chat_id is None:
            self._global_blocked_until = max(self._global_blocked_until, until)
        else:
            self._blocked_until[chat_id] = max(self._blocked_until.get(chat_id, 0.0), until)
