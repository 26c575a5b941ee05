"""A staff group the bot is removed from is not a black hole: its admins and the office
above are alerted once, new tickets go to the office above, the liaison is told the
truth, and what was held is delivered in the ticket's topic when the bot is back."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.composition import Container
from models import Language, UnitOfWork
from models.people import seen_person
from models.staff import Role, add_officer
from tests.e2e.harness import LIAISON, running_bot, say
from tests.e2e.test_desk_telegram import BANTUL, DIY, WAIT, open_ticket, prepare_desk, to
from tests.e2e.test_hardening import shown_in
from tests.fake_botapi import FakeBotAPI

pytestmark = pytest.mark.e2e

ADMIN = 7010  # an admin of KPU Kabupaten Bantul, with a private chat with the bot


def prepare_with_admin(tokens: list[str]) -> Any:
    desk = prepare_desk(tokens)

    def prepare(container: Container) -> None:
        desk(container)
        now = container.clock.now()
        with UnitOfWork(container.helpdesk.sessions) as uow:
            person = seen_person(
                uow.session,
                channel="telegram",
                external_id=str(ADMIN),
                display_name="Sari Admin",
                username=None,
                language_hint=Language.ID,
                now=now,
                in_private=True,
            )
            add_officer(
                uow.session,
                person=person,
                office_code="34.02",
                role=Role.ADMIN,
                name="Sari",
                actor="cli",
                now=now,
            )
            uow.commit()

    return prepare


def membership(fake: FakeBotAPI, old: str, new: str) -> None:
    fake.push_update(
        fake.my_chat_member_update(chat_id=BANTUL, from_id=ADMIN, old_status=old, new_status=new)
    )


async def test_the_bot_removed_from_a_staff_group_and_added_back(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=prepare_with_admin(tokens)):
        topic, _card = await open_ticket(fake, tokens[0])
        thread = topic.result["message_thread_id"]

        await asyncio.sleep(0.5)
        kicked_at = len(fake.calls)
        membership(fake, "administrator", "kicked")
        alert = await fake.wait_for_call("sendMessage", to(ADMIN), timeout=WAIT)
        assert (
            "tidak dapat lagi bekerja di grup petugas KPU Kabupaten Bantul"
            in (alert.params["text"])
        )
        above = await fake.wait_for_call(
            "sendMessage", lambda c: to(DIY)(c) and "tidak dapat lagi" in c.params["text"], WAIT
        )
        assert "KPU Daerah Istimewa Yogyakarta (grup ini)" in above.params["text"]

        say(fake, "Tambahan: KTA sudah saya pindai ulang")
        held = await fake.wait_for_call("sendMessage", to(LIAISON))
        assert "disimpan" in held.params["text"] and "#BTL-0001" in held.params["text"]

        say(fake, "/tanya Kapan batas akhir perbaikan dokumen?")
        told = await fake.wait_for_call("sendMessage", to(LIAISON))
        assert "#BTL-0002" in told.params["text"]
        assert "KPU Daerah Istimewa Yogyakarta" in told.params["text"], "the truth"
        second = await fake.wait_for_call("createForumTopic", to(DIY), timeout=WAIT)
        assert second.params["name"].startswith("#BTL-0002")
        await asyncio.sleep(1.0)
        tried = [c.method for c in fake.calls[kicked_at:] if to(BANTUL)(c)]
        assert tried == [], "nothing is tried in a lost chat"

        membership(fake, "kicked", "administrator")
        relayed = await fake.wait_for_call(
            "sendMessage",
            lambda c: to(BANTUL)(c) and "pindai ulang" in c.params.get("text", ""),
            timeout=WAIT,
        )
        assert relayed.ok and relayed.params["message_thread_id"] == thread, "held, then sent"
        await asyncio.sleep(1.0)
        alerts = [t for t in shown_in(fake, ADMIN) if "tidak dapat lagi" in t]
        assert len(alerts) == 1, "alerted once"
