"""Telegram updates into the inbox, and out of it as events.

Long polling: one ``getUpdates`` at a time; a batch is stored and committed before the
next ``getUpdates`` confirms it with ``offset = last + 1`` (Telegram counts an update as
delivered only then), so a crash at any instant loses nothing: what was not stored is
sent again. A refused token (401) stops the process with one line, since retrying cannot
help; so does a 409 that persists (another process polls with this token, or a webhook
is set) — the supervisor restarts or alerts.

Webhook: bot/transports/telegram/webhook.py, on the help desk's HTTP server.

``allowed_updates`` is given explicitly (aiogram would compute it from handlers we do
not register): messages, button presses, and the bot's own membership.

Updates are stored as Telegram sent them (JSON) and decoded by the runtime's library only
when handled; the bookkeeping here knows no library.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.inbox.intake import Decoded
from bot.transports.telegram.api import ApiFailure, BotApi
from bot.transports.telegram.convert import decoded
from bot.transports.telegram.raw import raw_update
from bot.transports.telegram.refusals import Outcome, conflict, refusal_of, token_refused
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


class Decoder:
    """A stored update into the help desk's event, read from its JSON as it is
    (``bot.transports.telegram.raw``): the same for either runtime."""

    def __init__(self, api: BotApi) -> None:
        self._api = api
        self.username = ""
        self.bot_id = 0

    def __call__(self, payload: str) -> Decoded:
        return decoded(raw_update(payload), self.username, self.bot_id)


async def poll(api: BotApi, store: Store, stopping: asyncio.Event) -> None:
    """Until ``stopping``: fetch, store, then confirm with the next fetch."""
    offset: int | None = None
    failures = 0
    conflicts = 0
    while not stopping.is_set():
        pause = 0.0
        updates: list[dict[str, Any]] | None = None
        try:
            updates = await _until_stopped(
                api.get_updates(offset, POLL_SECONDS, ALLOWED_UPDATES), stopping
            )
            failures = conflicts = 0
        except api.errors as exc:
            failure = api.failure(exc)
            if failure is None:
                raise
            if token_refused(failure):
                raise PollingStopped(
                    "Telegram refused TELEGRAM_BOT_TOKEN while polling (401 Unauthorized): "
                    "the token was revoked or replaced; set the current one from @BotFather"
                ) from exc
            if conflict(failure):
                conflicts += 1
                if conflicts >= CONFLICT_GIVE_UP:
                    raise PollingStopped(
                        "Telegram answers 409 Conflict to every poll: another process is "
                        "polling with this token, or a webhook is set for it"
                    ) from exc
                if conflicts == 1:
                    log.warning(
                        "409 Conflict while polling (%s); trying again", failure.description
                    )
                pause = 5.0
            else:
                wait = _poll_pause(failure, failures)
                if wait is None:
                    raise
                pause, failures = wait, failures + 1
        if updates:
            try:
                await store([received(u) for u in updates])
            except Exception:
                log.exception("storing %d update(s) failed; they are fetched again", len(updates))
                pause = PAUSES[min(failures, len(PAUSES) - 1)]
                failures += 1
            else:
                offset = int(updates[-1]["update_id"]) + 1  # confirmed by the next getUpdates
        if pause:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=pause)


def _poll_pause(failure: ApiFailure, failures: int) -> float | None:
    """How long to wait after a failed getUpdates: what a 429 asks, a growing pause after
    network trouble or a 5xx; None for an error that waiting will not mend."""
    refusal = refusal_of(failure)
    if refusal is None or refusal.outcome not in (Outcome.RATE_LIMITED, Outcome.TRANSIENT):
        return None
    if refusal.outcome is Outcome.RATE_LIMITED:
        return refusal.wait
    pause = PAUSES[min(failures, len(PAUSES) - 1)]
    log.warning("getUpdates failed (%s); trying again in %ss", failure.description, pause)
    return pause


async def _until_stopped(
    call: Awaitable[list[dict[str, Any]]], stopping: asyncio.Event
) -> list[dict[str, Any]]:
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
