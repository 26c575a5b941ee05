"""One liaison, two apps: registered on Telegram, they link their WhatsApp account with a
code; a ticket opened from WhatsApp is theirs, and officers' answers go to the app they
wrote from last. The link is undone from WhatsApp, confirmed and audited: that account is
no longer the liaison's."""

from __future__ import annotations

import re

import pytest
from sqlmodel import col, select

from models.audit import AuditEntry
from tests.e2e.harness import LIAISON, say
from tests.e2e.test_desk_telegram import AGENT, BANTUL, WAIT, officer_says, prepare_desk, to
from tests.e2e.whatsapp_harness import running_both
from tests.fake_botapi import FakeBotAPI
from tests.fake_cloudapi import FakeCloudAPI

pytestmark = pytest.mark.e2e

SITI_WA = "6281234567890"


async def test_a_liaison_links_whatsapp_to_a_telegram_registration(
    fake_botapi: FakeBotAPI, fake_cloudapi: FakeCloudAPI, database_url: str
) -> None:
    cloud, telegram = fake_cloudapi, fake_botapi
    tokens: list[str] = []
    async with running_both(telegram, cloud, database_url, prepare=prepare_desk(tokens)) as both:
        say(telegram, f"/start {tokens[0]}")
        await telegram.wait_for_call("sendMessage", to(LIAISON))
        say(telegram, "/akun")
        coded = await telegram.wait_for_call(
            "sendMessage", lambda c: to(LIAISON)(c) and "HUBUNGKAN" in c.params["text"]
        )
        code = re.search(r"HUBUNGKAN ([A-Z0-9]{8})", coded.params["text"])
        assert code is not None
        assert (
            f"https://wa.me/{cloud.display_number}?text=HUBUNGKAN%20{code[1]}"
            in (coded.params["text"])
        )

        await cloud.user_says(SITI_WA, "HUBUNGKAN " + code[1].lower())
        linked = await cloud.wait_for(lambda s: "terhubung" in s.text)
        assert "Siti" in linked.text or "Budi" in linked.text

        await cloud.user_says(SITI_WA, "/tanya Bagaimana cara unggah KTA di SIPOL?")
        await cloud.wait_for(lambda s: "#BTL-0001" in s.text)
        topic = await telegram.wait_for_call("createForumTopic", to(BANTUL), timeout=WAIT)
        thread = topic.result["message_thread_id"]
        officer_says(telegram, BANTUL, AGENT, thread, text="Jawaban ke WhatsApp.")
        await cloud.wait_for(lambda s: "Jawaban ke WhatsApp" in s.text, within=WAIT)

        say(telegram, "/tiket")
        await telegram.wait_for_call(
            "sendMessage", lambda c: to(LIAISON)(c) and "BTL-0001" in c.params["text"]
        )
        officer_says(telegram, BANTUL, AGENT, thread, text="Jawaban ke Telegram.")
        answer = await telegram.wait_for_call(
            "sendMessage",
            lambda c: to(LIAISON)(c) and "Jawaban ke Telegram" in c.params["text"],
            timeout=WAIT,
        )
        assert answer is not None
        assert not any("Jawaban ke Telegram" in s.text for s in cloud.sent)

        await cloud.user_says(SITI_WA, "HUBUNGKAN " + code[1])
        await cloud.wait_for(lambda s: "tidak dikenal" in s.text or "sendiri" in s.text)

        # Undone from WhatsApp: /akun names the link and offers to undo it, once confirmed.
        mark = len(cloud.sent)
        await cloud.user_says(SITI_WA, "/akun")
        offer = await cloud.wait_for(lambda s: "Sudah terhubung" in s.text, after=mark)
        assert "Telegram" in offer.text
        await cloud.user_chooses(SITI_WA, offer, "Putuskan")
        asked = await cloud.wait_for(lambda s: "Putuskan tautan akun?" in s.text, after=mark)
        await cloud.user_chooses(SITI_WA, asked, "Ya, putuskan")
        await cloud.wait_for(lambda s: "Tautan diputus" in s.text, after=mark)

        with both.session() as session:
            actions = col(AuditEntry.action).in_(["account.linked", "account.unlinked"])
            entries = session.exec(select(AuditEntry).where(actions)).all()
        assert [e.action for e in entries] == ["account.linked", "account.unlinked"]
        assert SITI_WA not in entries[1].data, "ids only, never the number"

        mark = len(cloud.sent)
        await cloud.user_says(SITI_WA, "/akun")
        await cloud.wait_for(lambda s: "hanya dapat dihubungkan" in s.text, after=mark)
