"""Telegram's webhook, served by the help desk's HTTP server (bot/http/server.py).

The secret token is checked first (401 otherwise, nothing read); the update is stored and
committed, and only then answered 200. Nothing here depends on a Telegram library: the
update is stored as Telegram sent it, and decoded when the inbox handles it.
"""

from __future__ import annotations

import hmac
import json
import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.http.server import BodyTooLarge, read_body
from bot.transports.telegram.intake import SECRET_HEADER, Store, received

log = logging.getLogger(__name__)


def webhook_route(path: str, secret: str, store: Store) -> Route:
    """The POST route Telegram delivers updates to."""

    async def handle(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return PlainTextResponse("Unauthorized", status_code=401)
        try:
            body = (await read_body(request)).decode("utf-8")
            raw = json.loads(body)
            if not isinstance(raw, dict) or not isinstance(raw.get("update_id"), int):
                raise ValueError("no update_id")
        except BodyTooLarge:
            return PlainTextResponse("Payload Too Large", status_code=413)
        except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            return PlainTextResponse("Bad Request", status_code=400)
        try:
            await store([received(raw, body)])
        except Exception:
            log.exception("storing update %s failed; Telegram will send it again", raw["update_id"])
            return PlainTextResponse("not stored", status_code=500)
        return PlainTextResponse("ok")

    return Route(path, handle, methods=["POST"])
