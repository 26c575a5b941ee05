"""Webhook mode through the inbox: 200 only once the update is on disk, nothing read into
the database for a wrong secret, and an update posted twice is handled once."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from models.inbox import InboxUpdate
from tests.e2e.harness import LIAISON, running_bot
from tests.fake_botapi import FakeBotAPI

pytestmark = pytest.mark.e2e


async def test_the_webhook_answers_only_once_the_update_is_stored(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    async with running_bot(fake_botapi, database_url, webhook=True) as bot:
        update = fake_botapi.message_update(chat_id=LIAISON, from_id=LIAISON, text="/start")
        update["update_id"] = 4242
        assert await fake_botapi.post_webhook(update, secret="guessed") == 401
        with bot.session() as session:
            assert session.exec(select(InboxUpdate)).all() == []  # nothing read in

        assert await fake_botapi.post_webhook(update) == 200
        with bot.session() as session:  # on disk the moment Telegram hears 200
            stored = session.exec(select(InboxUpdate.update_id)).all()
        assert stored == ["4242"]

        assert await fake_botapi.post_webhook(update) == 200  # Telegram sends it again
        await fake_botapi.wait_for_call("sendMessage")
        await asyncio.sleep(1.0)
    assert len(fake_botapi.calls_to("sendMessage")) == 1, "the repeat was answered again"
