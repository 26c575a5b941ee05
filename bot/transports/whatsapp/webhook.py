"""WhatsApp's webhook, served by the help desk's HTTP server (bot/http/server.py).

GET answers Meta's verification handshake (``hub.mode=subscribe``, the verify token we
chose, echo ``hub.challenge``). POST is checked first: ``X-Hub-Signature-256`` must be
``sha256=`` and the HMAC-SHA256 of the raw body under the app secret, compared in constant
time; anything else is 401 and nothing is stored. The messages and statuses are then
stored and committed, and only then answered 200 (Meta sends again what is not
acknowledged, for up to 7 days).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.http.server import BodyTooLarge, read_body
from bot.transports.whatsapp.convert import Webhook, read_webhook

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"

Store = Callable[[Webhook], Awaitable[None]]


def signature(body: bytes, app_secret: str) -> str:
    """The header value Meta sends with ``body``."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_routes(
    path: str, *, app_secret: str, verify_token: str | None, phone_number_id: str, store: Store
) -> list[Route]:
    async def verify(request: Request) -> Response:
        params = request.query_params
        given = params.get("hub.verify_token", "")
        if (
            verify_token
            and params.get("hub.mode") == "subscribe"
            and hmac.compare_digest(given.encode(), verify_token.encode())
        ):
            return PlainTextResponse(params.get("hub.challenge", ""))
        return PlainTextResponse("Forbidden", status_code=403)

    async def receive(request: Request) -> Response:
        try:
            body = await read_body(request)
        except BodyTooLarge:
            return PlainTextResponse("Payload Too Large", status_code=413)
        given = request.headers.get(SIGNATURE_HEADER, "")
        if not hmac.compare_digest(given.encode(), signature(body, app_secret).encode()):
            return PlainTextResponse("Unauthorized", status_code=401)
        try:
            raw = json.loads(body.decode("utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("not an object")
            webhook = read_webhook(raw, phone_number_id)
        except (ValueError, TypeError, AttributeError):
            return PlainTextResponse("Bad Request", status_code=400)
        try:
            await store(webhook)
        except Exception:
            log.exception("storing a WhatsApp webhook failed; Meta will send it again")
            return PlainTextResponse("not stored", status_code=500)
        return PlainTextResponse("ok")

    return [
        Route(path, verify, methods=["GET"]),
        Route(path, receive, methods=["POST"]),
    ]
