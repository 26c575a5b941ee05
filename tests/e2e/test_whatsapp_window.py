"""WhatsApp's 24-hour window on a moved clock: an officer's answer that finds it closed is
held, the liaison gets the approved template instead, the officers are told, and the
answer goes out once the liaison writes again, here by pressing the template's "read it"
button."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from models import ManualClock, OutboxMessage, OutboxStatus
from tests.conftest import START
from tests.e2e.harness import eventually
from tests.e2e.test_desk_telegram import AGENT, BANTUL, WAIT, officer_says, prepare_desk, to
from tests.e2e.whatsapp_harness import running_both
from tests.fake_botapi import FakeBotAPI
from tests.fake_cloudapi import FakeCloudAPI

pytestmark = pytest.mark.e2e

SITI = "6281234567890"


async def test_an_answer_after_25_hours_is_held_until_the_liaison_writes(
    fake_botapi: FakeBotAPI, fake_cloudapi: FakeCloudAPI, database_url: str
) -> None:
    cloud, telegram = fake_cloudapi, fake_botapi
    clock = ManualClock(START)
    tokens: list[str] = []
    async with running_both(
        telegram, cloud, database_url, prepare=prepare_desk(tokens), clock=clock
    ) as both:
        await cloud.user_says(SITI, f"DAFTAR {tokens[0]}")
        await cloud.wait_for(lambda s: "Selamat datang" in s.text)
        await cloud.user_says(SITI, "/tanya Bagaimana cara unggah KTA di SIPOL?")
        topic = await telegram.wait_for_call("createForumTopic", to(BANTUL), timeout=WAIT)
        thread = topic.result["message_thread_id"]
        officer_says(telegram, BANTUL, AGENT, thread, text="Jawaban pertama.")
        await cloud.wait_for(lambda s: "Jawaban pertama" in s.text, within=WAIT)

        clock.advance(timedelta(hours=25))
        mark = len(cloud.sent)
        officer_says(telegram, BANTUL, AGENT, thread, text="Jawaban kedua, sehari kemudian.")
        told = await cloud.wait_for(lambda s: s.kind == "template", after=mark, within=WAIT)
        assert told.body["template"]["name"] == "kpu_helpdesk_answered"
        notice = await telegram.wait_for_call(
            "sendMessage", lambda c: to(BANTUL)(c) and "24 jam" in c.params["text"], timeout=WAIT
        )
        assert notice.params["message_thread_id"] == thread
        assert not any("Jawaban kedua" in s.text for s in cloud.sent), "nothing free-form"
        assert 131047 not in [code for _, code in cloud.refused], "held before WhatsApp refused"

        def held() -> list[str]:
            with both.session() as session:
                rows = session.exec(
                    select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.HELD)
                ).all()
            return [r.chat_id for r in rows]

        assert await eventually(lambda: held() == [SITI]), held()

        # The template's "read it" quick reply is the liaison writing back.
        mark = len(cloud.sent)
        await cloud.user_presses(SITI, told, 0)
        answer = await cloud.wait_for(lambda s: "Jawaban kedua" in s.text, after=mark, within=WAIT)
        assert answer.kind == "text"
        assert await eventually(lambda: held() == []), held()
        assert sum("Jawaban kedua" in s.text for s in cloud.sent) == 1
        assert [s.text for s in cloud.sent[mark:]] == [answer.text], "nothing else said"
