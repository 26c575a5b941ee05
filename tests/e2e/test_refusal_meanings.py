"""Telegram's refusals mean the same whichever library carries the call: each runtime
sends through the fake Bot API, which answers with an error, and the outbox reads the
same verdict. python-telegram-bot folds a 404 into "invalid token" and a 413 or a 5xx
into "network error"; the transport keeps the status, so the verdicts do not differ."""

from __future__ import annotations

import pytest

from bot.delivery.courier import Parcel, Verdict
from bot.transports.telegram.api import BotApi
from bot.transports.telegram.courier import TelegramCourier
from tests.fake_botapi import FakeBotAPI

pytestmark = pytest.mark.e2e

LIAISON = 5001


@pytest.mark.parametrize(
    ("status", "description", "verdict"),
    [
        (403, "Forbidden: bot was blocked by the user", Verdict.UNREACHABLE),
        (400, "Bad Request: chat not found", Verdict.UNREACHABLE),
        (400, "Bad Request: message thread not found", Verdict.TOPIC_GONE),
        (400, "Bad Request: TOPIC_CLOSED", Verdict.TOPIC_CLOSED),
        (400, "Bad Request: message text is empty", Verdict.FAILED),
        (404, "Not Found", Verdict.FAILED),
        (413, "Request Entity Too Large", Verdict.FAILED),
        (500, "Internal Server Error", Verdict.RETRY),
        (502, "Bad Gateway", Verdict.RETRY),
    ],
)
async def test_a_refusal_reads_as_the_same_verdict_on_every_runtime(
    fake_botapi: FakeBotAPI, api: BotApi, status: int, description: str, verdict: Verdict
) -> None:
    fake_botapi.fail_next("sendMessage", status=status, description=description)
    delivery = await TelegramCourier(api).send(Parcel(chat_id=str(LIAISON), text="halo"))
    assert delivery.verdict is verdict, delivery
    assert delivery.pause_all == (status >= 500)  # Telegram's trouble: every chat waits
    assert description.split(": ")[-1] in delivery.error


async def test_a_429_asks_for_the_wait_telegram_named(fake_botapi: FakeBotAPI, api: BotApi) -> None:
    fake_botapi.fail_next("sendMessage", status=429, retry_after=7)
    delivery = await TelegramCourier(api).send(Parcel(chat_id=str(LIAISON), text="halo"))
    assert (delivery.verdict, delivery.wait) == (Verdict.RETRY, 7.0)


async def test_a_sent_message_gives_its_id(fake_botapi: FakeBotAPI, api: BotApi) -> None:
    delivery = await TelegramCourier(api).send(Parcel(chat_id=str(LIAISON), text="<b>halo</b>"))
    (sent,) = fake_botapi.calls_to("sendMessage")
    assert delivery.verdict is Verdict.SENT
    assert delivery.ref == str(sent.result["message_id"])
    assert sent.params["parse_mode"] == "HTML"
