"""Telegram's refusals on the answer path, through the real client (each runtime) to the fake
Bot API: a 429 met while answering holds the chat in the limits the outbox shares."""

from __future__ import annotations

import asyncio

from bot.delivery.limits import Limits
from bot.transports.telegram.api import BotApi
from bot.transports.telegram.sender import TelegramSender
from handlers.port import ChatRef, Reply
from models import ChatKind
from tests.fake_botapi import FakeBotAPI

LIAISON = 5551234


async def test_a_429_on_an_answer_holds_the_chat_for_the_outbox_too(
    fake_botapi: FakeBotAPI, api: BotApi
) -> None:
    async def unreachable(chat_id: str, reason: str) -> None:
        raise AssertionError(f"chat {chat_id} is reachable ({reason})")

    limits = Limits()
    sender = TelegramSender(api, unreachable, limits=limits)
    fake_botapi.fail_next("sendMessage", status=429, retry_after=2, chat_id=LIAISON)
    chat = ChatRef(id=str(LIAISON), kind=ChatKind.PRIVATE)
    answer = asyncio.create_task(sender.deliver(Reply(chat=chat, text="Halo")))

    held = 0.0
    for _ in range(500):  # at most 5 s: until the sender has read Telegram's answer
        held = limits.chat_wait(str(LIAISON), private=True)
        if held > 0 or answer.done():
            break
        await asyncio.sleep(0.01)
    assert held > 1.0, "the outbox, asking the shared limits, would write to the chat now"

    assert await asyncio.wait_for(answer, timeout=15) is not None
    assert len(fake_botapi.calls_to("sendMessage")) == 2
