"""Telegram's flood limits for bots, and delivery statistics.

Telegram documents (Bots FAQ, "My bot is hitting limits") roughly: no more than one
message per second in a single private chat (short bursts are tolerated), no more than
20 messages per minute in one group, and about 30 messages per second overall.  Going
over them is answered with ``429 Too Many Requests: retry after N`` and
``parameters.retry_after = N``.

The fake models a private chat and the whole bot as token buckets (capacity = burst,
refill = rate) and a group as a sliding one-minute window. With ``strict``, the whole bot
is a sliding one-second window instead: a message that would make more than
``global_per_second`` accepted in any one second is refused, the strict reading of
Telegram's limit that a sender must meet with no burst at all.  ``retry_after`` is the time
until the refused message would have been accepted, rounded up to whole seconds, as
Telegram only ever sends whole seconds.  A refused message consumes no capacity.
"""

from __future__ import annotations

import math
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

ChatKey = int | str


@dataclass(frozen=True)
class TelegramLimits:
    """Flood limits to enforce; the defaults are Telegram's documented ones."""

    global_per_second: float = 30
    private_per_second: float = 1
    private_burst: int = 3
    group_per_minute: int = 20
    strict: bool = False  # the overall limit as "at most N in ANY one second"


@dataclass
class Stats:
    """What the fake delivered and refused, for benchmarks and loss/duplicate checks.

    ``sent`` counts accepted message-creating calls, ``too_many_requests`` every 429
    answered (flood limits and ``fail_next(status=429)`` alike), and ``delivered`` the
    accepted messages per chat id.
    """

    sent: int = 0
    too_many_requests: int = 0
    delivered: Counter[ChatKey] = field(default_factory=Counter)


class _TokenBucket:
    def __init__(self, capacity: float, per_second: float, now: float) -> None:
        self.capacity = capacity
        self.per_second = per_second
        self.tokens = capacity
        self.updated = now

    def wait(self, now: float) -> float:
        """Seconds until one token is available (0 when one is available now)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.per_second

    def take(self) -> None:
        self.tokens -= 1


class _MinuteWindow:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.sent: deque[float] = deque()

    def wait(self, now: float) -> float:
        while self.sent and self.sent[0] <= now - 60:
            self.sent.popleft()
        return 0.0 if len(self.sent) < self.limit else self.sent[0] + 60 - now

    def take(self, now: float) -> None:
        self.sent.append(now)


class _SecondWindow(_MinuteWindow):
    """At most ``limit`` accepted in any one second (``(now - 1, now]``)."""

    def wait(self, now: float) -> float:
        while self.sent and self.sent[0] <= now - 1:
            self.sent.popleft()
        return 0.0 if len(self.sent) < self.limit else self.sent[0] + 1 - now


class RateLimiter:
    """Decides whether one more message to a chat is allowed right now."""

    def __init__(self, limits: TelegramLimits, clock: Callable[[], float] = time.monotonic):
        self.limits = limits
        self.clock = clock
        self._global = _TokenBucket(limits.global_per_second, limits.global_per_second, clock())
        self._second = _SecondWindow(int(limits.global_per_second)) if limits.strict else None
        self._private: dict[ChatKey, _TokenBucket] = {}
        self._groups: dict[ChatKey, _MinuteWindow] = {}

    def acquire(self, chat_id: ChatKey, *, private: bool) -> int | None:
        """Take capacity for one message; ``None`` if allowed, else ``retry_after`` seconds."""
        now = self.clock()
        overall = self._second if self._second is not None else self._global
        waits = [overall.wait(now)]
        if private:
            bucket = self._private.get(chat_id)
            if bucket is None:
                bucket = _TokenBucket(
                    self.limits.private_burst, self.limits.private_per_second, now
                )
                self._private[chat_id] = bucket
            waits.append(bucket.wait(now))
        else:
            window = self._groups.setdefault(chat_id, _MinuteWindow(self.limits.group_per_minute))
            waits.append(window.wait(now))
        wait = max(waits)
        if wait > 0:
            return max(1, math.ceil(wait))
        if self._second is not None:
            self._second.take(now)
        else:
            self._global.take()
        if private:
            self._private[chat_id].take()
        else:
            self._groups[chat_id].take(now)
        return None
