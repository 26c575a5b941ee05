"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests of the real transport.

Point aiogram at it with
``AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url))``.  Every request to
``/bot<token>/<method>`` is checked against the Bot API spec, answered as Telegram would
answer it, and recorded in ``calls``.  What is imitated:

* a wrong token is answered 401 "Unauthorized"; an unknown method 404 "Not Found" (and a
  spec violation); method names are case-insensitive and recorded in canonical spelling;
* spec violations (unknown fields, missing or mistyped fields) are collected in
  ``violations``; the call is still answered as Telegram would, e.g. 400 "Bad Request:
  chat_id is empty" for a missing required field;
* message sending, editing, deleting, forum topics and callbacks (see ``methods``),
  content refusals (see ``content``), flood limits (see ``limits``), long polling and
  webhooks (see ``updates``);
* programmed failures (``fail_next``) and users who block the bot (``block``);
* answers lost on the way (``hold_answers``): the call is carried out and recorded, but
  its answer waits until ``release_answers`` (or the fake stops), as when Telegram did
  the work and the client died before hearing of it.
"""

from __future__ import annotations

import asyncio
import copy
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from . import builders, errors
from .errors import ApiError
from .http_params import dangling_attachments, read_params, resolve_attachments
from .limits import RateLimiter, Stats, TelegramLimits
from .methods import BotMethods
from .models import Call, UploadedFile, WebhookDelivery
from .spec import BotApiSpec, Violation, load_spec
from .state import World, blocked_description
from .update_factory import UpdateFactory
from .updates import UpdateHub

JsonDict = dict[str, Any]
CallPredicate = Callable[[Call], bool]
_UNSET: Any = object()
_CHAT_WRITE_PREFIXES = ("send", "edit", "copy", "forward")


@dataclass
class _Failure:
    method: str
    status: int
    description: str | None
    retry_after: int | None
    chat_id: int | str | None
    remaining: int

    def matches(self, method: str, params: JsonDict) -> bool:
        return method == self.method and (
            self.chat_id is None or params.get("chat_id") == self.chat_id
        )

    def error(self) -> ApiError:
        if self.status == 429:
            retry_after = self.retry_after if self.retry_after is not None else 1
            error = errors.too_many_requests(retry_after)
            if self.description is not None:
                error.description = self.description
            return error
        description = self.description or errors.DEFAULT_DESCRIPTIONS.get(self.status, "Error")
        return ApiError(self.status, description)


class FakeBotAPI(UpdateFactory):
    """The fake server; use ``async with FakeBotAPI() as fake:`` or ``start``/``stop``."""

    def __init__(
        self,
        token: str = "123456:TEST",
        *,
        bot_id: int = 123456,
        bot_username: str = "kpu_helpdesk_test_bot",
        bot_first_name: str = "KPU Helpdesk (test)",
        limits: TelegramLimits | None = None,
        long_poll_cap: float = 2.0,
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_user: JsonDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.spec: BotApiSpec = load_spec()
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.stats = Stats()
        self.limits = limits
        self._world = World()
        self._hub = UpdateHub(long_poll_cap=long_poll_cap)
        limiter = RateLimiter(limits) if limits is not None else None
        self._methods = BotMethods(self.spec, self._world, self.bot_user, self.stats, limiter)
        self._failures: list[_Failure] = []
        self._holds: dict[str, int] = {}
        self._released = asyncio.Event()
        self._returned: set[Call] = set()
        self._call_recorded = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"

    async def stop(self) -> None:
        """Stop serving; long polls waiting for updates are answered at once."""
        self.release_answers()
        await self._hub.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- inspection ------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        canonical = self._canonical(method)
        return [call for call in self.calls if call.method == canonical]

    def messages(self, chat_id: int) -> list[JsonDict]:
        """The bot's messages in a chat as they are now (after edits, without deleted ones)."""
        chat = self._world.chats.get(chat_id)
        return copy.deepcopy(list(chat.sent.values())) if chat else []

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        return self._hub.deliveries

    @property
    def pending_updates(self) -> list[JsonDict]:
        return copy.deepcopy(self._hub.pending)

    async def wait_for_call(
        self,
        method: str,
        predicate: CallPredicate | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - a bounded wait is the point of the helper
    ) -> Call:
        """The first matching call not returned by an earlier ``wait_for_call``."""
        canonical = self._canonical(method)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for call in self.calls:
                if call.method != canonical or call in self._returned:
                    continue
                if predicate is None or predicate(call):
                    self._returned.add(call)
                    return call
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(self._wait_failure(canonical, predicate, timeout))
            recorded = self._call_recorded
            try:
                await asyncio.wait_for(recorded.wait(), remaining)
            except TimeoutError:
                continue

    def _wait_failure(self, method: str, predicate: CallPredicate | None, timeout: float) -> str:
        wanted = f"{method} call" + (" matching the predicate" if predicate else "")
        seen = [c.summary() for c in self.calls if c.method == method]
        lines = [f"no new {wanted} within {timeout}s;", f"{method} calls seen ({len(seen)}):"]
        lines += [f"  {line}" for line in seen] or ["  (none)"]
        others = sorted({c.method for c in self.calls} - {method})
        lines.append(f"other methods called: {', '.join(others) or '(none)'}")
        return "\n".join(lines)

    # -- programming the fake --------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        description: str | None = None,
        retry_after: int | None = None,
        chat_id: int | str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (to ``chat_id``) with an error.

        429 is answered as flood control: "Too Many Requests: retry after N" with
        ``parameters.retry_after = N`` (N defaults to 1).
        """
        failure = _Failure(
            self._canonical(method), status, description, retry_after, chat_id, times
        )
        self._failures.append(failure)

    def clear_failures(self) -> None:
        """Forgets the failures programmed with ``fail_next`` and not yet answered."""
        self._failures.clear()

    def hold_answers(self, method: str, *, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` are carried out and recorded at once (a
        topic is made, a message is sent), but answered only after ``release_answers``."""
        canonical = self._canonical(method)
        self._holds[canonical] = self._holds.get(canonical, 0) + times

    def release_answers(self) -> None:
        """Answers every held call (to a client still listening)."""
        self._released.set()
        self._released = asyncio.Event()

    def block(self, chat_id: int, *, description: str | None = None) -> None:
        """From now on sends/edits to the chat get 403, as after a user blocks the bot.

        The default description is "Forbidden: bot was blocked by the user" for private
        chats and "Forbidden: bot was kicked from the (super)group chat" for groups.
        """
        chat = self._world.chat(chat_id)
        chat.blocked = description or blocked_description(chat)

    def unblock(self, chat_id: int) -> None:
        self._world.chat(chat_id).blocked = None

    def make_forum(self, chat_id: int, title: str | None = None) -> None:
        """The supergroup ``chat_id`` has topics turned on (what ``getChat`` says of it)."""
        chat = self._world.chat(chat_id)
        chat.chat.update(
            builders.chat(chat_id, title=title or chat.chat.get("title"), is_forum=True)
        )

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """What ``getChatMember`` answers for the user ("creator", "administrator", ...)."""
        builders.chat_member(status, {})  # validates the status
        self._world.members[(chat_id, user_id)] = status

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """A person deletes a forum topic by hand: its messages go, and sending into the
        thread fails with "message thread not found"."""
        chat = self._world.chat(chat_id)
        chat.topic(thread_id).deleted = True
        chat.forget_thread(thread_id)

    # -- updates ---------------------------------------------------------------------------

    def push_update(self, update: JsonDict) -> int:
        """Queue an update for getUpdates (and deliver it to the webhook if one is set).

        The update gets the next ``update_id`` (any given one is replaced).  What it says
        about chats is remembered: messages can then be copied, forwarded or replied to,
        callback query ids answered, and a ``my_chat_member`` change to "kicked"/"left"
        blocks the chat (unblocked again by a change to another status).
        """
        stored = self._hub.push(update)
        self._world.observe_update(stored)
        return int(stored["update_id"])

    async def post_webhook(self, update: JsonDict, *, secret: str | None = _UNSET) -> int:
        """POST one update to the webhook with a chosen secret; returns the HTTP status.

        ``secret`` defaults to the webhook's own secret token; ``None`` sends no header.
        The update is not queued (but remembered like a pushed one); it gets an
        ``update_id`` if it has none.
        """
        webhook = self._hub.webhook
        if webhook is None:
            raise RuntimeError("post_webhook needs a webhook: the bot has not called setWebhook")
        if "update_id" not in update:
            update = {"update_id": self._hub.next_update_id(), **update}
        self._world.observe_update(copy.deepcopy(update))
        token = webhook.secret_token if secret is _UNSET else secret
        return await self._hub.post(webhook.url, update, token)

    async def wait_webhook_deliveries(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109 - bounded wait, like wait_for_call
    ) -> list[WebhookDelivery]:
        """Wait until every pushed update has been POSTed to the webhook."""
        async with asyncio.timeout(timeout):
            await self._hub.wait_deliveries()
        return self._hub.deliveries

    # -- HTTP ------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        canonical = self.spec.canonical_method(name)
        method = canonical or name
        params: JsonDict = {}
        files: dict[str, UploadedFile] = {}
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, errors.UNAUTHORIZED)
            if canonical is None:
                self.violations.append(f"{name}: unknown method ({self.spec.version})")
                raise ApiError(404, errors.NOT_FOUND)
            raw, files = await read_params(request)
            params, files = self._decode(method, raw, files)
            self._refuse_invalid(method, params, files)
            self._programmed_failure(method, params)
            self._refuse_blocked(method, params)
            result = await self._dispatch(method, params, files)
            status, payload = 200, {"ok": True, "result": result}
        except ApiError as error:
            status, payload = error.status, error.payload()
        if status == 429:
            self.stats.too_many_requests += 1
        body = json.dumps(payload, ensure_ascii=False)
        self._record(Call(method, params, json.loads(body), status, time.monotonic(), files))
        if self._holds.get(method, 0) > 0:
            self._holds[method] -= 1
            await self._released.wait()
        return web.Response(text=body, status=status, content_type="application/json")

    def _decode(
        self, method: str, raw: JsonDict, files: dict[str, UploadedFile]
    ) -> tuple[JsonDict, dict[str, UploadedFile]]:
        """Typed parameters; file parts named like a field become that field's value."""
        params = self.spec.coerce_params(method, raw)
        fields = self.spec.method_fields(method)
        for key in [key for key in files if key in fields and key not in params]:
            params[key] = files.pop(key)
        return params, files

    def _refuse_invalid(
        self, method: str, params: JsonDict, files: dict[str, UploadedFile]
    ) -> None:
        """Record spec violations; refuse the call where Telegram would refuse it.

        Unknown fields are ignored by Telegram, so they are only recorded.  A missing
        required field is refused as Telegram words it ("chat_id is empty"); a wrongly
        typed or nested-missing field with the fake's own wording "Bad Request: <path>:
        <problem>".
        """
        found = self.spec.check_params(method, params)
        found += [
            Violation(method, "", "wrong_type", f"{ref} names no uploaded multipart part")
            for ref in dangling_attachments(params, files)
        ]
        self.violations.extend(str(v) for v in found)
        for field in self.spec.method_fields(method).values():
            if field.required and field.name not in params:
                raise errors.missing_field(field.name)
        for violation in found:
            if violation.kind != "unknown_field":
                where = violation.path or method
                raise errors.bad_request(f"Bad Request: {where}: {violation.detail}")

    def _programmed_failure(self, method: str, params: JsonDict) -> None:
        for failure in self._failures:
            if failure.matches(method, params):
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self._failures.remove(failure)
                raise failure.error()

    def _refuse_blocked(self, method: str, params: JsonDict) -> None:
        chat_id = params.get("chat_id")
        if not method.startswith(_CHAT_WRITE_PREFIXES) or not isinstance(chat_id, int):
            return
        chat = self._world.chats.get(chat_id)
        if chat is not None and chat.blocked:
            raise ApiError(403, chat.blocked)

    async def _dispatch(self, method: str, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        if method == "getUpdates":
            return await self._hub.get_updates(params)
        if method == "setWebhook":
            return self._hub.set_webhook(params)
        if method == "deleteWebhook":
            return self._hub.delete_webhook(params)
        if method == "getWebhookInfo":
            return self._hub.webhook_info()
        return self._methods.call(method, resolve_attachments(params, files))

    async def _download(self, request: web.Request) -> web.Response:
        """``/file/bot<token>/<file_path>`` as returned by getFile."""
        if request.match_info["token"] != self.token:
            raise web.HTTPUnauthorized()
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        data = self._world.files.get(file_id, f"fake content of {file_id}".encode())
        return web.Response(body=data, content_type="application/octet-stream")

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._call_recorded.set()
        self._call_recorded = asyncio.Event()

    def _canonical(self, method: str) -> str:
        canonical = self.spec.canonical_method(method)
        if canonical is None:
            raise ValueError(f"{method!r} is not a Bot API {self.spec.version} method")
        return canonical
