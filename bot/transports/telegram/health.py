"""What the Telegram transport tells the help desk's health: when Telegram last answered
(``bot.health.contact.Contact``) and how often it answered 429 (``bot.metrics``).

Every Bot API call passes through :class:`ContactKeeper`, an aiogram request middleware.
Any answer from Telegram counts, an error included (400, 403, 409, 429: Telegram is there
and speaking); a network failure or a 5xx does not. When nothing was asked for a while
(a webhook on a quiet night), :func:`keep_in_touch` asks ``getMe``, so readiness speaks
of Telegram itself rather than of how busy the desk is.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.health.contact import Contact
from bot.metrics import Metrics
from bot.transports.telegram.convert import CHANNEL

log = logging.getLogger(__name__)


class ContactKeeper(BaseRequestMiddleware):
    def __init__(self, contact: Contact, metrics: Metrics | None) -> None:
        self._contact = contact
        self._metrics = metrics

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            response = await make_request(bot, method)
        except (TelegramNetworkError, TelegramServerError) as exc:
            self._contact.failed(f"{type(exc).__name__}: {exc.message}")
            raise
        except TelegramAPIError as exc:
            self._contact.answered()
            if isinstance(exc, TelegramRetryAfter) and self._metrics is not None:
                self._metrics.rate_limited(CHANNEL)
            raise
        except Exception as exc:  # an answer aiogram could not read
            self._contact.failed(f"{type(exc).__name__}: {exc}")
            raise
        self._contact.answered()
        return response


async def keep_in_touch(
    bot: Bot, contact: Contact, silent_limit: float, stopping: asyncio.Event
) -> None:
    """Until ``stopping``: asks ``getMe`` whenever Telegram has been silent for a third
    of ``silent_limit`` (the ContactKeeper records the answer, or its absence). The first
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
                await bot.get_me(request_timeout=max(int(every), 1))
