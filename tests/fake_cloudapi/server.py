"""A fake WhatsApp Cloud API on 127.0.0.1 for end-to-end tests of the real transport.

Point ``WHATSAPP_BASE_URL`` at ``fake.base_url``. What it does:
* ``POST /{version}/{phone}/messages``: checks the token and every message's shape and
  limits (``checks``), answers with a fresh ``wamid``, and records it in ``sent``; read
  receipts are recorded in ``reads``;
* WhatsApp's refusals: free-form messages to a person who has not written for 24 hours
  (131047, on the fake's clock), more than ``pair_limit`` messages to one person within
  ``pair_seconds`` (131056), more than ``per_second`` a second in all (130429), and any
  code programmed with :meth:`fail_next` (titled as Meta titles it, in ``_TITLES``);
* media: uploads (``POST /{phone}/media``), their lookup and download;
* the account's templates (``GET /{version}/{waba}/message_templates``);
* webhooks: :meth:`user_says` and its kin post a signed webhook, as Meta does, to the
  help desk's real ASGI app; :meth:`statuses` posts delivery statuses for sent messages.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Self

import httpx
from aiohttp import web

from .checks import check_message

JsonDict = dict[str, Any]
WINDOW = timedelta(hours=24)


@dataclass
class Sent:
    to: str
    body: JsonDict
    wamid: str
    at: float = 0.0  # time.monotonic() when it was accepted

    @property
    def kind(self) -> str:
        return str(self.body.get("type"))

    @property
    def text(self) -> str:
        """What the person reads: a text's body, a caption, an interactive body."""
        part = self.body.get(self.kind) or {}
        if self.kind == "text":
            return str(part.get("body", ""))
        if self.kind == "interactive":
            return str((part.get("body") or {}).get("text", ""))
        return str(part.get("caption", ""))

    def choices(self) -> dict[str, str]:
        """An interactive message's choices: title (and description) -> id."""
        part = self.body.get("interactive") or {}
        action = part.get("action") or {}
        found: dict[str, str] = {}
        for button in action.get("buttons") or []:
            found[button["reply"]["title"]] = button["reply"]["id"]
        for section in action.get("sections") or []:
            for row in section.get("rows") or []:
                found[row["title"] + " " + row.get("description", "")] = row["id"]
        return found


@dataclass
class _Failure:
    code: int
    to: str | None
    remaining: int


@dataclass
class FakeCloudAPI:
    token: str = "EAAG-test-token"
    phone_number_id: str = "106540352242922"
    display_number: str = "6281100000000"
    business_account_id: str = "102290129340398"
    app_secret: str = "app-secret-for-tests"
    version: str = "v23.0"
    now: Callable[[], datetime] = field(default=lambda: datetime.now().astimezone())
    per_second: int = 80
    pair_limit: int = 0  # 0: no pair-rate refusals; else at most this many per pair_seconds
    pair_seconds: float = 6.0
    templates: dict[tuple[str, str], int] = field(default_factory=dict)  # (name, lang) -> params
    template_buttons: dict[tuple[str, str], int] = field(default_factory=dict)  # quick replies
    webhook_url: str = ""
    auto_status: bool = False  # post a "sent" status for each message taken, as Meta does
    sent: list[Sent] = field(default_factory=list)
    reads: list[JsonDict] = field(default_factory=list)
    refused: list[tuple[str, int]] = field(default_factory=list)  # (to, code)
    violations: list[str] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    base_url: str = ""

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._last_inbound: dict[str, datetime] = {}
        self._recent: deque[float] = deque()
        self._pairs: dict[str, deque[float]] = {}
        self._failures: list[_Failure] = []
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Condition()
        self._client = httpx.AsyncClient(timeout=10.0)
        self._posting: set[asyncio.Task[None]] = set()
        self.statuses_delivered = 0

    # -- life --------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        root = f"/{self.version}"
        app.router.add_post(f"{root}/{self.phone_number_id}/messages", self._messages)
        app.router.add_post(f"{root}/{self.phone_number_id}/media", self._upload)
        app.router.add_get(f"{root}/{self.business_account_id}/message_templates", self._list)
        app.router.add_get(f"{root}/{{media_id}}", self._media_info)
        app.router.add_get("/download/{media_id}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"

    async def stop(self) -> None:
        for task in self._posting:
            task.cancel()
        await asyncio.gather(*self._posting, return_exceptions=True)
        await self._client.aclose()
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

    # -- programming it ------------------------------------------------------------------

    def fail_next(self, code: int, *, to: str | None = None, times: int = 1) -> None:
        """The next ``times`` sends (to ``to``, or to anyone) are refused with ``code``."""
        self._failures.append(_Failure(code, to, times))

    def template(
        self, name: str, language: str = "id", parameters: int = 0, buttons: int = 0
    ) -> None:
        """The account has this template, approved, with ``buttons`` quick replies."""
        self.templates[(name, language)] = parameters
        self.template_buttons[(name, language)] = buttons

    # -- the Graph API -------------------------------------------------------------------

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization", "") == f"Bearer {self.token}"

    async def _messages(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, 190, "Invalid OAuth access token")
        body = await request.json()
        problems = check_message(body, self.templates, self.template_buttons)
        if problems:
            self.violations += problems
            return _error(400, 100, "; ".join(problems))
        if "status" in body:
            self.reads.append(body)
            return web.json_response({"success": True})
        to = str(body.get("to") or body.get("recipient"))
        code = self._refusal(to, body)
        if code:
            self.refused.append((to, code))
            return _error(400, code, _TITLES.get(code, "refused"))
        wamid = f"wamid.FAKE{next(self._ids):08d}"
        sent = Sent(to, body, wamid, time.monotonic())
        self.sent.append(sent)
        if self.auto_status and self.webhook_url:
            task = asyncio.create_task(self._status_until_taken(sent))
            self._posting.add(task)
            task.add_done_callback(self._posting.discard)
        async with self._changed:
            self._changed.notify_all()
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": wamid}],
            }
        )

    def _refusal(self, to: str, body: JsonDict) -> int:
        for failure in self._failures:
            if failure.remaining > 0 and failure.to in (None, to):
                failure.remaining -= 1
                return failure.code
        if body.get("type") != "template":
            last = self._last_inbound.get(to)
            if last is None or self.now() - last >= WINDOW:
                return 131047
        moment = time.monotonic()
        while self._recent and self._recent[0] <= moment - 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.per_second:
            return 130429
        if self.pair_limit:
            pair = self._pairs.setdefault(to, deque())
            while pair and pair[0] <= moment - self.pair_seconds:
                pair.popleft()
            if len(pair) >= self.pair_limit:
                return 131056
            pair.append(moment)
        self._recent.append(moment)
        return 0

    async def _upload(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, 190, "Invalid OAuth access token")
        form = await request.post()
        upload = form.get("file")
        if form.get("messaging_product") != "whatsapp" or not isinstance(upload, web.FileField):
            self.violations.append("a media upload needs messaging_product and a file")
            return _error(400, 100, "bad upload")
        media_id = f"{next(self._ids):015d}"
        self.media[media_id] = (upload.file.read(), str(form.get("type") or upload.content_type))
        return web.json_response({"id": media_id})

    async def _media_info(self, request: web.Request) -> web.Response:
        media_id = request.match_info["media_id"]
        if not self._authorised(request):
            return _error(401, 190, "Invalid OAuth access token")
        if media_id not in self.media:
            return _error(404, 100, "unknown media")
        content, mime = self.media[media_id]
        return web.json_response(
            {
                "url": f"{self.base_url}/download/{media_id}",
                "mime_type": mime,
                "file_size": len(content),
                "id": media_id,
                "messaging_product": "whatsapp",
            }
        )

    async def _download(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.Response(status=401)
        content, mime = self.media[request.match_info["media_id"]]
        return web.Response(body=content, content_type=mime.split(";")[0])

    async def _list(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, 190, "Invalid OAuth access token")
        data = [
            {
                "name": name,
                "language": lang,
                "status": "APPROVED",
                "category": "UTILITY",
                "components": [
                    {
                        "type": "BODY",
                        "text": " ".join(f"{{{{{i + 1}}}}}" for i in range(count)) or "x",
                    },
                    {
                        "type": "BUTTONS",
                        "buttons": [
                            {"type": "QUICK_REPLY", "text": f"Tombol {i + 1}"}
                            for i in range(self.template_buttons.get((name, lang), 0))
                        ],
                    },
                ],
            }
            for (name, lang), count in sorted(self.templates.items())
        ]
        return web.json_response({"data": data, "paging": {"cursors": {}}})

    # -- waiting for what the help desk sends --------------------------------------------

    async def wait_for(
        self, predicate: Callable[[Sent], bool], *, within: float = 8.0, after: int = 0
    ) -> Sent:
        """The first message sent (from index ``after``) that matches, within ``within`` s."""

        def found() -> Sent | None:
            return next((s for s in self.sent[after:] if predicate(s)), None)

        async with asyncio.timeout(within), self._changed:
            while (hit := found()) is None:
                await self._changed.wait()
            return hit

    # -- webhooks, as Meta posts them ----------------------------------------------------

    def _envelope(self, value: JsonDict) -> JsonDict:
        value = {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": self.display_number,
                "phone_number_id": self.phone_number_id,
            },
            **value,
        }
        return {
            "object": "whatsapp_business_account",
            "entry": [
                {"id": self.business_account_id, "changes": [{"field": "messages", "value": value}]}
            ],
        }

    def message_webhook(
        self, wa_id: str, message: JsonDict, *, name: str = "Siti Rahma", user_id: str | None = None
    ) -> JsonDict:
        """A webhook of one message from a person (its id in ``message['id']``)."""
        message = {
            "from": wa_id,
            "id": f"wamid.IN{next(self._ids):08d}",
            "timestamp": str(int(self.now().timestamp())),
            **message,
        }
        contact: JsonDict = {"profile": {"name": name}, "wa_id": wa_id}
        if user_id:
            contact["user_id"] = user_id
            message["from_user_id"] = user_id
        return self._envelope({"contacts": [contact], "messages": [message]})

    async def post(self, body: JsonDict, *, secret: str | None = None) -> int:
        """Posts a webhook, signed with the app secret (or ``secret``); the HTTP status."""
        raw = json.dumps(body).encode()
        key = (secret if secret is not None else self.app_secret).encode()
        signature = "sha256=" + hmac.new(key, raw, hashlib.sha256).hexdigest()
        # The person wrote before Meta posts the webhook, so the window opens first: an
        # app quick enough to answer before its 200 reaches us is inside it, as with Meta.
        before: dict[str, datetime | None] = {}
        for change in body["entry"][0]["changes"]:
            for message in change["value"].get("messages") or []:
                for person in {message.get("from_user_id") or message["from"], message["from"]}:
                    before.setdefault(person, self._last_inbound.get(person))
                    self._last_inbound[person] = self.now()
        response = await self._client.post(
            self.webhook_url,
            content=raw,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
        )
        if response.status_code != 200:  # not taken (a forged signature): no window opened
            for person, last in before.items():
                if last is None:
                    self._last_inbound.pop(person, None)
                else:
                    self._last_inbound[person] = last
        return response.status_code

    async def user_says(self, wa_id: str, text: str, **kw: Any) -> JsonDict:
        body = self.message_webhook(wa_id, {"type": "text", "text": {"body": text}}, **kw)
        assert await self.post(body) == 200
        return body

    async def user_chooses(self, wa_id: str, sent: Sent, title_part: str, **kw: Any) -> JsonDict:
        """The person taps the choice of ``sent`` whose title holds ``title_part``."""
        choices = sent.choices()
        matches = [i for t, i in choices.items() if title_part in t]
        assert matches, f"no choice with {title_part!r} in {list(choices)}"
        kind = sent.body["interactive"]["type"]
        reply = {"id": matches[0], "title": title_part[:24]}
        interactive = (
            {"type": "button_reply", "button_reply": reply}
            if kind == "button"
            else {"type": "list_reply", "list_reply": reply}
        )
        message = {
            "type": "interactive",
            "interactive": interactive,
            "context": {"from": self.display_number, "id": sent.wamid},
        }
        body = self.message_webhook(wa_id, message, **kw)
        assert await self.post(body) == 200
        return body

    async def user_presses(self, wa_id: str, sent: Sent, index: int, **kw: Any) -> JsonDict:
        """The person taps quick-reply button ``index`` of the template ``sent``: a message
        of type ``button`` with the payload that button was sent with."""
        components = sent.body["template"].get("components") or []
        (button,) = [
            c for c in components if c.get("type") == "button" and c.get("index") == str(index)
        ]
        message = {
            "type": "button",
            "button": {"payload": button["parameters"][0]["payload"], "text": f"Tombol {index}"},
            "context": {"from": self.display_number, "id": sent.wamid},
        }
        body = self.message_webhook(wa_id, message, **kw)
        assert await self.post(body) == 200
        return body

    async def user_sends_image(
        self, wa_id: str, content: bytes, caption: str = "", **kw: Any
    ) -> JsonDict:
        media_id = f"{next(self._ids):015d}"
        self.media[media_id] = (content, "image/jpeg")
        image = {"id": media_id, "mime_type": "image/jpeg", "sha256": "x"}
        if caption:
            image["caption"] = caption
        body = self.message_webhook(wa_id, {"type": "image", "image": image}, **kw)
        assert await self.post(body) == 200
        return body

    async def _status_until_taken(self, sent: Sent) -> None:
        """Posts the "sent" status, again and again (as Meta retries) until taken."""
        pause = 0.5
        while True:
            try:
                if await self.statuses(sent, "sent") == 200:
                    self.statuses_delivered += 1
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(pause)
            pause = min(pause * 2, 5.0)

    async def statuses(self, sent: Sent, *names: str, error: int | None = None) -> int:
        """Posts delivery statuses (sent, delivered, read, failed) for ``sent``."""
        statuses = []
        for name in names:
            status: JsonDict = {
                "id": sent.wamid,
                "status": name,
                "timestamp": str(int(self.now().timestamp())),
                "recipient_id": sent.to,
            }
            if sent.body.get("biz_opaque_callback_data"):
                status["biz_opaque_callback_data"] = sent.body["biz_opaque_callback_data"]
            if name == "failed":
                code = error or 131026
                status["errors"] = [{"code": code, "title": _TITLES.get(code, "failed")}]
            statuses.append(status)
        return await self.post(self._envelope({"statuses": statuses}))


_TITLES = {
    131047: "Re-engagement message",
    130429: "Rate limit hit",
    131056: "(Business Account, Consumer Account) pair rate limit hit",
    131026: "Message undeliverable",
    131048: "Spam rate limit hit",
    131000: "Something went wrong",
    131016: "Service unavailable",
    131049: "This message was not delivered to maintain healthy ecosystem engagement.",
    131042: "Business eligibility payment issue",
    131051: "Unsupported message type",
    131053: "Media upload error",
    131064: "Message failed to reach messaging limit",
    132001: "Template name does not exist in the translation",
    132015: "Template is paused",
    368: "Temporarily blocked for policies violations",
    131031: "Account has been locked",
}


def _error(status: int, code: int, message: str) -> web.Response:
    return web.json_response(
        {
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": code,
                "fbtrace_id": "FAKE",
            }
        },
        status=status,
    )
