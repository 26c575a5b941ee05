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
