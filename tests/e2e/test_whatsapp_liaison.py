"""A liaison on WhatsApp, end to end: the real WhatsApp transport (webhook in, courier out)
against the fake Cloud API, beside the real Telegram transport where the officers are,
on one HTTP server and one outbox."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import func, select

from bot.transports.whatsapp.webhook import signature
from models import InboxUpdate, OutboxMessage
from tests.e2e.test_desk_telegram import AGENT, BANTUL, WAIT, officer_says, prepare_desk, to
from tests.e2e.whatsapp_harness import running_both
from tests.fake_botapi import FakeBotAPI
from tests.fake_cloudapi import FakeCloudAPI, Sent

pytestmark = pytest.mark.e2e

SITI = "6281234567890"
QUESTION = "kapan batas akhir pendaftaran partai politik?"


def to_siti(sent: Sent) -> bool:
    return sent.to == SITI


def saying(part: str) -> Callable[[Sent], bool]:
    return lambda sent: sent.to == SITI and part in sent.text


async def test_a_whatsapp_liaison_registers_asks_and_is_answered_from_telegram(
    fake_botapi: FakeBotAPI, fake_cloudapi: FakeCloudAPI, database_url: str
) -> None:
    cloud, telegram = fake_cloudapi, fake_botapi
    tokens: list[str] = []
    async with running_both(telegram, cloud, database_url, prepare=prepare_desk(tokens)) as both:
        # Registers by the invite a wa.me link types in for them.
        await cloud.user_says(SITI, f"DAFTAR {tokens[0]}")
        await cloud.wait_for(saying("Selamat datang"))
        assert cloud.reads and cloud.reads[-1]["typing_indicator"] == {"type": "text"}

        # Walks the FAQ menu: more than three choices arrive as a list.
        mark = len(cloud.sent)
        await cloud.user_says(SITI, "/menu")
        menu = await cloud.wait_for(lambda s: to_siti(s) and s.kind == "interactive", after=mark)
        mark = len(cloud.sent)
        await cloud.user_chooses(SITI, menu, "Tanya jawab")
        categories = await cloud.wait_for(
            lambda s: to_siti(s) and s.kind == "interactive", after=mark
        )
        assert categories.body["interactive"]["type"] == "list"
        assert len(categories.choices()) > 3
        mark = len(cloud.sent)
        first = next(iter(categories.choices()))
        await cloud.user_chooses(SITI, categories, first.split(" ")[0])
        await cloud.wait_for(lambda s: to_siti(s) and s.kind == "interactive", after=mark)

        # Asks in free text, and gets an answer from the knowledge base.
        mark = len(cloud.sent)
        await cloud.user_says(SITI, QUESTION)
        answer = await cloud.wait_for(to_siti, after=mark)
        assert "pendaftaran" in answer.text.lower()
        assert "<b>" not in answer.text, "HTML became WhatsApp's markup"

        # Opens a ticket: it lands in the office's Telegram staff topic, marked WhatsApp.
        await cloud.user_says(SITI, "/tanya Bagaimana cara unggah KTA di SIPOL?")
        await cloud.wait_for(saying("#BTL-0001"))
        topic = await telegram.wait_for_call("createForumTopic", to(BANTUL), timeout=WAIT)
        card = await telegram.wait_for_call("sendMessage", to(BANTUL), timeout=WAIT)
        assert "WhatsApp" in card.params["text"]
        assert SITI not in card.params["text"], "the number is not shown to officers"
        thread = topic.result["message_thread_id"]

        # The officer answers in the topic; the answer reaches WhatsApp, signed by the office.
        officer_says(telegram, BANTUL, AGENT, thread, text="Buka menu Anggota, lalu Unggah KTA.")
        relayed = await cloud.wait_for(saying("Unggah KTA"), within=WAIT)
        assert "Petugas Helpdesk KPU Kabupaten Bantul" in relayed.text

        # A photo both ways.
        await cloud.user_sends_image(SITI, b"\xff\xd8jpeg-bytes", caption="ini tangkapan layarnya")
        photo = await telegram.wait_for_call("sendPhoto", to(BANTUL), timeout=WAIT)
        assert photo.params["message_thread_id"] == thread
        mark = len(cloud.sent)
        officer_says(telegram, BANTUL, AGENT, thread, text="lihat ini", photo=True)
        image = await cloud.wait_for(lambda s: to_siti(s) and s.kind == "image", after=mark)
        assert image.body["image"]["id"] in cloud.media, "uploaded to WhatsApp first"

        # Delivery statuses reach the outbox row of the officer's answer.
        assert await cloud.statuses(relayed, "sent", "delivered", "read") == 200
        with both.session() as session:
            row = session.exec(
                select(OutboxMessage).where(OutboxMessage.message_id == relayed.wamid)
            ).one()
        assert row.delivered_at is not None and row.read_at is not None

        # A message WhatsApp reports failed is marked so, and the officers are told.
        assert await cloud.statuses(image, "failed", error=131026) == 200
        told = await telegram.wait_for_call(
            "sendMessage", lambda c: to(BANTUL)(c) and "tidak sampai" in c.params["text"]
        )
        assert "131026" in told.params["text"] and told.params["message_thread_id"] == thread


async def test_a_forged_webhook_is_refused_and_a_repeated_one_handled_once(
    fake_botapi: FakeBotAPI, fake_cloudapi: FakeCloudAPI, database_url: str
) -> None:
    cloud = fake_cloudapi
    async with running_both(fake_botapi, cloud, database_url) as both:

        def stored() -> int:
            with both.session() as session:
                return int(session.exec(select(func.count()).select_from(InboxUpdate)).one())

        forged = cloud.message_webhook(SITI, {"type": "text", "text": {"body": "halo"}})
        assert await cloud.post(forged, secret="not-the-app-secret") == 401
        assert stored() == 0 and cloud.sent == []

        body = cloud.message_webhook(SITI, {"type": "text", "text": {"body": "halo"}})
        assert await cloud.post(body) == 200
        assert await cloud.post(body) == 200
        await cloud.wait_for(to_siti)
        assert stored() == 1
        with both.session() as session:
            answers = session.exec(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.chat_id == SITI)
            ).one()
        assert answers >= 1
        count = len(cloud.sent)
        await cloud.post(body)
        assert len(cloud.sent) == count, "nothing new was sent for the repeat"
        assert signature(b"x", "s").startswith("sha256=")
