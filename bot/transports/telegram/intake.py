"""Telegram updates into the inbox, and out of it as events.

Long polling: one ``getUpdates`` at a time; a batch is stored and committed before the
next ``getUpdates`` confirms it with ``offset = last + 1`` (Telegram counts an update as
delivered only then), so a crash at any instant loses nothing: what was not stored is
sent again. A refused token (401) stops the process with one line, since retrying cannot
help; so does a 409 that persists (another process polls with this token, or a webhook
is set) — the supervisor restarts or alerts.

Webhook: bot/transports/telegram/webhook.py, on the help desk's HTTP server.

``allowed_updates`` is given explicitly (aiogram would compute it from handlers we no
longer register): messages, button presses, and the bot's own membership.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.client.default import Default
from aiogram.exceptions import (
    TelegramConflictError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import Update

from bot.inbox.intake import Decoded
from bot.transports.telegram.convert import callback_event, membership_event, message_event
from models.inbox import Received

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
POLL_SECONDS = 30
PAUSES = (1.0, 2.0, 5.0, 10.0, 30.0)
CONFLICT_GIVE_UP = 12  # consecutive 409s (about a minute) before stopping
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

Store = Callable[[list[Received]], Awaitable[None]]


class PollingStopped(Exception):
    """Telegram refuses to let this process poll, for a reason a person must fix."""


def chat_key(raw: dict[str, Any]) -> str:
    """The chat an update belongs to (its updates are handled in order); the sender for a
    button press whose message is gone."""
    for field in ("message", "edited_message", "channel_post", "my_chat_member"):
        part = raw.get(field)
        if isinstance(part, dict) and isinstance(part.get("chat"), dict):
            return str(part["chat"].get("id", ""))
    query = raw.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message")
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            return str(message["chat"].get("id", ""))
        sender = query.get("from")
        if isinstance(sender, dict):
            return str(sender.get("id", ""))
    return ""


def received(raw: dict[str, Any], payload: str | None = None) -> Received:
    return Received(
        update_id=str(raw["update_id"]),
        chat_key=chat_key(raw),
        payload=payload if payload is not None else json.dumps(raw, ensure_ascii=False),
    )


def as_received(update: Update) -> Received:
    # aiogram's ``Default`` placeholders (for a bot-wide default) mean "not given".
    raw = update.model_dump(mode="json", by_alias=True, exclude_none=True, fallback=_unset)
    return received(raw)


def _unset(value: Any) -> None:
    if isinstance(value, Default):
        return None
    raise TypeError(f"cannot store a {type(value).__name__} of an update")


class Decoder:
    """A stored update back into an aiogram Update, then into the help desk's event."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot
        self.username = ""
        self.bot_id = 0

    def __call__(self, payload: str) -> Decoded:
        update = Update.model_validate_json(payload, context={"bot": self._bot})
        if update.message is not None:
            event = message_event(update.message, update.update_id, self.username, self.bot_id)
            return Decoded(event)
        if update.edited_message is not None:
            message = update.edited_message
            event = message_event(message, update.update_id, self.username, self.bot_id)
            return Decoded(dataclasses.replace(event, edited=True) if event else None)
        if update.callback_query is not None:
            query = update.callback_query
            return Decoded(callback_event(query, update.update_id), callback_id=query.id)
        if update.my_chat_member is not None:
            return Decoded(membership_event(update.my_chat_member, update.update_id))
        return Decoded(None)


async def poll(bot: Bot, store: Store, stopping: asyncio.Event) -> None:
    """Until ``stopping``: fetch, store, then confirm with the next fetch."""
    offset: int | None = None
    failures = 0
    conflicts = 0
    while not stopping.is_set():
        pause = 0.0
        try:
            updates = await _until_stopped(
                bot.get_updates(
                    offset=offset,
                    timeout=POLL_SECONDS,
                    allowed_updates=ALLOWED_UPDATES,
                    request_timeout=POLL_SECONDS + 15,
                ),
                stopping,
            )
            failures = conflicts = 0
        except TelegramUnauthorizedError as exc:
            raise PollingStopped(
                "Telegram refused TELEGRAM_BOT_TOKEN while polling (401 Unauthorized): "
                "the token was revoked or replaced; set the current one from @BotFather"
            ) from exc
        except TelegramConflictError as exc:
            conflicts += 1
            if conflicts >= CONFLICT_GIVE_UP:
                raise PollingStopped(
                    "Telegram answers 409 Conflict to every poll: another process is "
                    "polling with this token, or a webhook is set for it"
                ) from exc
            if conflicts == 1:
                log.warning("409 Conflict while polling (%s); trying again", exc.message)
            pause = 5.0
            updates = None
        except TelegramRetryAfter as exc:
            pause, updates = float(exc.retry_after), None
        except (TelegramNetworkError, TelegramServerError) as exc:
            pause, updates = PAUSES[min(failures, len(PAUSES) - 1)], None
            failures += 1
            log.warning("getUpdates failed (%s); trying again in %ss", exc, pause)
        if updates:
            try:
                await store([as_received(u) for u in updates])
            except Exception:
                log.exception("storing %d update(s) failed; they are fetched again", len(updates))
                pause = PAUSES[min(failures, len(PAUSES) - 1)]
                failures += 1
            else:
                offset = updates[-1].update_id + 1  # confirmed by the next getUpdates
        if pause:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=pause)


async def _until_stopped(call: Awaitable[list[Update]], stopping: asyncio.Event) -> list[Update]:
    """The call's answer, or [] when ``stopping`` comes first (the call is abandoned: what
    it fetched is not confirmed, so Telegram sends it again)."""
    fetch = asyncio.ensure_future(call)
    stop = asyncio.create_task(stopping.wait())
    try:
        await asyncio.wait({fetch, stop}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
    if fetch.done():
        return fetch.result()
    fetch.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await fetch
    return []
