"""What the Telegram transport tells the help desk's health: when Telegram last answered
(``bot.health.contact.Contact``) and how often it answered 429 (``bot.metrics``).

Every Bot API call passes through :func:`observed`, whichever runtime carries it. Any
answer from Telegram counts, an error included (400, 403, 409, 429: Telegram is there
and speaking); a network failure or a 5xx does not. When nothing was asked for a while
(a webhook on a quiet night), :func:`keep_in_touch` asks ``getMe``, so readiness speaks
of Telegram itself rather than of how busy the desk is.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any, cast

from bot.health.contact import Contact
from bot.metrics import Metrics
from bot.transports.telegram.api import BotApi
from bot.transports.telegram.convert import CHANNEL

log = logging.getLogger(__name__)

NOT_CALLS = frozenset({"close", "decode", "failure"})  # nothing asked of Telegram


class _Observed:
    """The runtime's ``BotApi``, each call's answer (or its absence) told to ``contact``."""

    def __init__(self, api: BotApi, contact: Contact, metrics: Metrics | None) -> None:
        self._api = api
        self._contact = contact
        self._metrics = metrics
        self.errors = api.errors

    def __getattr__(self, name: str) -> Any:
        member = getattr(self._api, name)
        if name in NOT_CALLS or not inspect.iscoroutinefunction(member):
            return member
        return self._watch(member)

    def _watch(self, call: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        @functools.wraps(call)
        async def watched(*args: Any, **kwargs: Any) -> Any:
            try:
                result = await call(*args, **kwargs)
            except Exception as exc:
                self._heard(exc)
                raise
            self._contact.answered()
            return result

        return watched

    def _heard(self, exc: Exception) -> None:
        failure = self._api.failure(exc)
        if failure is None or failure.status is None or failure.status >= 500:
            reason = failure.description if failure is not None else str(exc)
            self._contact.failed(f"{type(exc).__name__}: {reason}")
            return
        self._contact.answered()
        if failure.status == HTTPStatus.TOO_MANY_REQUESTS and self._metrics is not None:
            self._metrics.rate_limited(CHANNEL)


def observed(api: BotApi, contact: Contact, metrics: Metrics | None) -> BotApi:
    return cast(BotApi, _Observed(api, contact, metrics))


async def keep_in_touch(
    api: BotApi, contact: Contact, silent_limit: float, stopping: asyncio.Event
) -> None:
    """Until ``stopping``: asks ``getMe`` whenever Telegram has been silent for a third
    of ``silent_limit`` (:func:`observed` records the answer, or its absence). The first
    look comes a third of ``silent_limit`` after start: start-up asks Telegram itself."""
    every = max(silent_limit / 3, 0.2)
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), timeout=every)
        if stopping.is_set():
            return
        silent = contact.silent_for()
        if silent is None or silent >= every:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(api.get_me(), timeout=max(every, 1.0))
