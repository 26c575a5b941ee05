"""The real aiogram transport in webhook mode: the fake Bot API posts updates to it."""

from __future__ import annotations

import asyncio

import pytest

from tests.e2e.harness import LIAISON, running_bot, say
from tests.fake_botapi import FakeBotAPI

pytestmark = pytest.mark.e2e


async def test_webhook_mode_registers_the_hook_and_answers_start(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    async with running_bot(fake_botapi, database_url, webhook=True):
        (registered,) = fake_botapi.calls_to("setWebhook")
        assert registered.params["url"].endswith("/telegram/hook")
        assert registered.params["secret_token"] == "s3cret-for-tests"
        assert "callback_query" in registered.params["allowed_updates"]
        say(fake_botapi, "/start")
        answered = await fake_botapi.wait_for_call("sendMessage")
        assert "Silakan pilih bahasa" in answered.params["text"]
    assert fake_botapi.calls_to("getUpdates") == [], "no polling while a webhook serves"


async def test_a_wrong_webhook_secret_is_refused(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    async with running_bot(fake_botapi, database_url, webhook=True):
        update = fake_botapi.message_update(chat_id=LIAISON, from_id=LIAISON, text="/start")
        assert await fake_botapi.post_webhook(update, secret="guessed") == 401
        assert await fake_botapi.post_webhook(update, secret=None) == 401
        await asyncio.sleep(0.3)
        assert fake_botapi.calls_to("sendMessage") == []
        assert await fake_botapi.post_webhook(update, secret="s3cret-for-tests") == 200
        await fake_botapi.wait_for_call("sendMessage")


async def _raw_post(
    port: int, path: str, body: bytes, secret: str, *, send: int | None = None
) -> bytes:
    """POSTs ``body`` (only its first ``send`` bytes, with its whole length declared)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 5)
    writer.write(
        (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        ).encode()
        + body[:send]
    )
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    return answer


async def test_a_malformed_or_oversized_webhook_body_is_refused_and_stores_nothing(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    async with running_bot(fake_botapi, database_url, webhook=True) as running:
        port, secret = running.transport.http.port, "s3cret-for-tests"
        assert b" 400 " in await _raw_post(port, "/telegram/hook", b"{not json", secret)
        assert b" 400 " in await _raw_post(port, "/telegram/hook", b'{"no": "id"}', secret)
        assert b" 400 " in await _raw_post(port, "/telegram/hook", b"\xff\xfe", secret)
        huge = b'{"update_id": 1, "x": "' + b"a" * (2 << 20) + b'"}'
        assert b" 413 " in await _raw_post(port, "/telegram/hook", huge, secret, send=4096)
    assert fake_botapi.calls_to("sendMessage") == []


async def test_long_polling_serves_the_health_check_too(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    async with running_bot(fake_botapi, database_url) as running:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", running.transport.http.port), 5
        )
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 5)
        writer.close()
        assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"ok")
