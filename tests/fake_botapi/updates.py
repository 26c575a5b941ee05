"""Incoming updates: the pending queue, long polling and webhook delivery.

Imitated Telegram behaviour:

* updates get increasing ``update_id``s and stay pending until confirmed: a
  ``getUpdates`` with ``offset`` greater than an update's id confirms (drops) it; a
  negative offset keeps only the last ``-offset`` updates;
* ``limit`` (1-100, default 100) caps a batch; ``allowed_updates`` is remembered across
  calls (an empty list means the default: all types except ``chat_member``,
  ``message_reaction`` and ``message_reaction_count``) and updates of other types are
  dropped;
* with ``timeout`` the request waits for an update (here at most ``long_poll_cap``
  seconds of real time, 2 by default, so tests stay fast) and answers ``[]`` when none
  arrives; a push wakes waiting polls at once;
* a second ``getUpdates`` while one is waiting ends the first with 409 "terminated by
  other getUpdates request"; ``setWebhook`` ends it with "terminated by setWebhook
  request"; while a webhook is set ``getUpdates`` is refused with 409 (use
  ``deleteWebhook`` first);
* with a webhook set, each pending update is POSTed as JSON to the webhook URL, one at a
  time and in order, with ``X-Telegram-Bot-Api-Secret-Token`` when a secret was set.  A
  2xx answer confirms the update; any other answer leaves it pending and is reported by
  ``getWebhookInfo`` (``last_error_message``).  Failed deliveries are not retried.
  Telegram requires https; the fake accepts http for loopback hosts and, being a test
  double, never connects anywhere but loopback (other URLs can be set, not delivered to).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from . import errors
from .errors import ApiError
from .models import WebhookDelivery

JsonDict = dict[str, Any]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
UPDATE_TYPES = (
    "message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
    "business_message", "edited_business_message", "deleted_business_messages",
    "guest_message", "message_reaction", "message_reaction_count", "inline_query",
    "chosen_inline_result", "callback_query", "shipping_query", "pre_checkout_query",
    "purchased_paid_media", "poll", "poll_answer", "my_chat_member", "chat_member",
    "chat_join_request", "chat_boost", "removed_chat_boost", "managed_bot",
)  # fmt: skip
DEFAULT_ALLOWED_UPDATES = frozenset(UPDATE_TYPES) - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class Webhook:
    url: str
    secret_token: str | None
    max_connections: int


def is_loopback(url: str) -> bool:
    return urlsplit(url).hostname in _LOOPBACK_HOSTS


def update_type(update: JsonDict) -> str | None:
    return next((key for key in update if key != "update_id"), None)


class UpdateHub:
    """Pending updates and the two ways a bot receives them."""

    def __init__(self, *, long_poll_cap: float = 2.0) -> None:
        self.long_poll_cap = long_poll_cap
        self.pending: list[JsonDict] = []
        self.allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self.webhook: Webhook | None = None
        self.deliveries: list[WebhookDelivery] = []
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._poll_generation = 0
        self._closing = False
        self._last_error: tuple[int, str] | None = None
        self._outbox: asyncio.Queue[JsonDict] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    # -- pushing ---------------------------------------------------------------------------

    def push(self, update: JsonDict) -> JsonDict:
        """Queue a copy of ``update`` under the next ``update_id`` and return it."""
        body = {k: copy.deepcopy(v) for k, v in update.items() if k != "update_id"}
        stored = {"update_id": self.next_update_id(), **body}
        self.pending.append(stored)
        self._wake()
        if self.webhook is not None:
            self._send_to_webhook(stored)
        return stored

    def next_update_id(self) -> int:
        return next(self._ids)

    # -- long polling ------------------------------------------------------------------------

    async def get_updates(self, params: JsonDict) -> list[JsonDict]:
        if self.webhook is not None:
            raise ApiError(409, errors.WEBHOOK_ACTIVE)
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake()  # an older poll still waiting is terminated
        if "allowed_updates" in params:
            self.allowed_updates = frozenset(params["allowed_updates"]) or DEFAULT_ALLOWED_UPDATES
        offset: int | None = params.get("offset")
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        wait = min(max(float(params.get("timeout", 0)), 0.0), self.long_poll_cap)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            self._confirm(offset)
            batch = self._select(limit)
            remaining = deadline - loop.time()
            if batch or self._closing or remaining <= 0:
                return batch
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)
            if self.webhook is not None:
                raise ApiError(409, errors.TERMINATED_BY_SET_WEBHOOK)
            if generation != self._poll_generation:
                raise ApiError(409, errors.TERMINATED_BY_OTHER_GET_UPDATES)

    def _confirm(self, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        if offset < 0:
            self.pending = self.pending[offset:]
        else:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]

    def _select(self, limit: int) -> list[JsonDict]:
        self.pending = [u for u in self.pending if update_type(u) in self.allowed_updates]
        return copy.deepcopy(self.pending[:limit])

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    # -- webhook configuration ---------------------------------------------------------------

    def set_webhook(self, params: JsonDict) -> bool:
        url: str = params["url"]
        if not url:
            return self.delete_webhook(params)
        parts = urlsplit(url)
        if parts.scheme != "https" and not (
            parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS
        ):
            raise errors.bad_request(errors.WEBHOOK_HTTPS_REQUIRED)
        if params.get("drop_pending_updates"):
            self.pending.clear()
        if "allowed_updates" in params:
            self.allowed_updates = frozenset(params["allowed_updates"]) or DEFAULT_ALLOWED_UPDATES
        self.webhook = Webhook(url, params.get("secret_token"), params.get("max_connections", 40))
        self._last_error = None
        self._wake()  # a waiting getUpdates is terminated
        for update in list(self.pending):
            self._send_to_webhook(update)
        return True

    def delete_webhook(self, params: JsonDict) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self.pending.clear()
        return True

    def webhook_info(self) -> JsonDict:
        info: JsonDict = {
            "url": self.webhook.url if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending),
        }
        if self.webhook is not None:
            info["max_connections"] = self.webhook.max_connections
            info["allowed_updates"] = sorted(self.allowed_updates)
        if self._last_error is not None:
            info["last_error_date"], info["last_error_message"] = self._last_error
        return info

    # -- webhook delivery --------------------------------------------------------------------

    def _send_to_webhook(self, update: JsonDict) -> None:
        if self._outbox is None:
            self._outbox = asyncio.Queue()
            self._worker = asyncio.get_running_loop().create_task(self._deliver_forever())
        self._outbox.put_nowait(update)

    async def _deliver_forever(self) -> None:
        assert self._outbox is not None
        while True:
            update = await self._outbox.get()
            try:
                await self._deliver(update)
            finally:
                self._outbox.task_done()

    async def _deliver(self, update: JsonDict) -> None:
        webhook = self.webhook
        if webhook is None or not any(u is update for u in self.pending):
            return  # webhook removed or update already confirmed
        if update_type(update) not in self.allowed_updates:
            self._forget(update)
            return
        if not is_loopback(webhook.url):
            error = "not delivered: the fake only connects to 127.0.0.1"
            self.deliveries.append(WebhookDelivery(update["update_id"], webhook.url, None, error))
            self._last_error = (int(time.time()), error)
            return
        try:
            status = await self.post(webhook.url, update, webhook.secret_token)
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.deliveries.append(
                WebhookDelivery(update["update_id"], webhook.url, None, str(exc))
            )
            self._last_error = (int(time.time()), f"Connection failed: {exc}")
            return
        self.deliveries.append(WebhookDelivery(update["update_id"], webhook.url, status))
        if 200 <= status < 300:
            self._forget(update)
        else:
            message = f"Wrong response from the webhook: {status} {_phrase(status)}".rstrip()
            self._last_error = (int(time.time()), message)

    def _forget(self, update: JsonDict) -> None:
        self.pending = [u for u in self.pending if u is not update]

    async def post(self, url: str, update: JsonDict, secret: str | None) -> int:
        """POST one update as Telegram does and return the HTTP status of the answer."""
        if not is_loopback(url):
            raise RuntimeError(f"the fake only posts to 127.0.0.1, not to {url}")
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        async with self._session.post(url, json=update, headers=headers) as response:
            await response.read()
            return response.status

    async def wait_deliveries(self) -> None:
        if self._outbox is not None:
            await self._outbox.join()

    # -- shutdown ----------------------------------------------------------------------------

    async def close(self) -> None:
        """End waiting polls at once and stop webhook delivery."""
        self._closing = True
        self._wake()
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        if self._session is not None:
            await self._session.close()


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
