"""The help desk's tickets end to end: the real aiogram transport, the outbox worker and
the fake Bot API, with a liaison in a private chat and officers in forum staff chats."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.composition import Container
from models import ManualClock
from models.staff import Role
from tests.conftest import START
from tests.desk import Desk
from tests.e2e.harness import LIAISON, running_bot, say
from tests.fake_botapi import FakeBotAPI
from tests.fake_botapi.models import Call

pytestmark = pytest.mark.e2e

BANTUL, DIY = -1001000003402, -1001000000034
AGENT, PROVINCE, CITY_AGENT = 7001, 7003, 7004
WAIT = 8.0  # the worker keeps Telegram's pace (1 message a second to a person)


def prepare_desk(tokens: list[str]) -> Any:
    """Staff chats for Bantul and DIY, an officer in each and one in Kota Yogyakarta, and
    an invite link for a PKB liaison of Bantul (its token put in ``tokens``)."""

    def prepare(container: Container) -> None:
        desk = Desk(container.helpdesk, container.helpdesk.sessions, container.clock)
        desk.link("34.02", BANTUL)
        desk.link("34", DIY)
        desk.officer(AGENT, "34.02", Role.AGENT, "Andi Wijaya")
        desk.officer(PROVINCE, "34", Role.SUPERVISOR, "Dewi Prov")
        desk.officer(CITY_AGENT, "34.71", Role.AGENT, "Bayu Kota")
        tokens.append(desk.invite("34.02", "pkb", "dpc", uses=1))

    return prepare


def to(chat_id: int) -> Any:
    return lambda c: str(c.params.get("chat_id")) == str(chat_id)


def data_of(call: Call, label_part: str) -> str:
    markup = call.params.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if label_part in button["text"]:
                return str(button["callback_data"])
    raise AssertionError(f"no {label_part!r} button in {markup}")


def officer_press(fake: FakeBotAPI, chat_id: int, officer: int, card: Call, label: str) -> None:
    fake.push_update(
        fake.callback_update(
            chat_id=chat_id,
            from_id=officer,
            message_id=card.result["message_id"],
            data=data_of(card, label),
            first_name="Petugas",
        )
    )


def officer_says(fake: FakeBotAPI, chat_id: int, officer: int, thread: int, **kw: Any) -> None:
    fake.push_update(
        fake.message_update(
            chat_id=chat_id,
            from_id=officer,
            thread_id=thread,
            is_topic_message=True,
            first_name="Petugas",
            **kw,
        )
    )


async def open_ticket(fake: FakeBotAPI, token: str) -> tuple[Call, Call]:
    """The liaison registers by invite and asks; the topic and its card appear."""
    say(fake, f"/start {token}")
    welcome = await fake.wait_for_call("sendMessage", to(LIAISON))
    assert "Selamat datang" in welcome.params["text"]
    say(fake, "/tanya Bagaimana cara unggah KTA di SIPOL?")
    told = await fake.wait_for_call("sendMessage", to(LIAISON))
    assert "#BTL-0001" in told.params["text"]
    topic = await fake.wait_for_call("createForumTopic", to(BANTUL), timeout=WAIT)
    assert topic.params["name"].startswith("#BTL-0001 · PKB · Kab. Bantul · Bagaimana")
    card = await fake.wait_for_call("sendMessage", to(BANTUL), timeout=WAIT)
    assert card.params["message_thread_id"] == topic.result["message_thread_id"]
    assert "Siti" in card.params["text"] or "Budi" in card.params["text"]
    return topic, card


async def test_a_ticket_travels_from_liaison_to_officers_and_back(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=prepare_desk(tokens)):
        topic, card = await open_ticket(fake, tokens[0])
        thread = topic.result["message_thread_id"]

        officer_press(fake, BANTUL, AGENT, card, "Ambil")
        claimed = await fake.wait_for_call("answerCallbackQuery")
        assert "Andi Wijaya" in claimed.params.get("text", "")
        await fake.wait_for_call("editMessageText", to(BANTUL))
        notice = await fake.wait_for_call("sendMessage", to(LIAISON), timeout=WAIT)
        assert "sedang ditangani" in notice.params["text"]

        officer_says(fake, BANTUL, AGENT, thread, text="Buka menu Anggota, lalu Unggah KTA.")
        answer = await fake.wait_for_call("sendMessage", to(LIAISON), timeout=WAIT)
        assert "Petugas Helpdesk KPU Kabupaten Bantul" in answer.params["text"]
        assert "Unggah KTA" in answer.params["text"] and "Andi" not in answer.params["text"]

        say(fake, "ini tangkapan layarnya", photo=True)
        warned = await fake.wait_for_call("sendMessage", to(LIAISON))
        assert "data pribadi" in warned.params["text"]
        photo = await fake.wait_for_call("sendPhoto", to(BANTUL), timeout=WAIT)
        assert photo.params["message_thread_id"] == thread
        assert "tangkapan layarnya" in photo.params["caption"]

        officer_says(fake, BANTUL, AGENT, thread, text="! perlu dicek provinsi")
        officer_press(fake, BANTUL, AGENT, card, "Eskalasi")
        await fake.wait_for_call("answerCallbackQuery")
        new_topic = await fake.wait_for_call("createForumTopic", to(DIY), timeout=WAIT)
        moved = await fake.wait_for_call(
            "sendMessage",
            lambda c: to(BANTUL)(c) and "dipindahkan" in c.params["text"],
            timeout=WAIT,
        )
        assert moved.params["message_thread_id"] == thread
        await fake.wait_for_call("closeForumTopic", to(BANTUL), timeout=WAIT)
        province_card = await fake.wait_for_call("sendMessage", to(DIY), timeout=WAIT)
        assert "Eskalasi dari KPU Kabupaten Bantul" in province_card.params["text"]
        assert "perlu dicek provinsi" in province_card.params["text"], "notes stay inside KPU"
        told = await fake.wait_for_call(
            "sendMessage",
            lambda c: to(LIAISON)(c) and "diteruskan ke" in c.params["text"],
            timeout=WAIT,
        )
        assert "KPU Daerah Istimewa Yogyakarta" in told.params["text"]
        assert all(
            "perlu dicek" not in c.params.get("text", "")
            for c in fake.calls_to("sendMessage")
            if to(LIAISON)(c)
        )

        officer_press(fake, BANTUL, AGENT, card, "Selesai")  # the card the ticket left
        refused = await fake.wait_for_call("answerCallbackQuery")
        assert "sekarang ditangani" in refused.params.get("text", "")
        officer_press(fake, DIY, CITY_AGENT, province_card, "Selesai")  # another office
        refused = await fake.wait_for_call("answerCallbackQuery")
        assert "tidak berwenang" in refused.params.get("text", "")
        assert refused.params.get("show_alert") is True

        officer_press(fake, DIY, PROVINCE, province_card, "Selesai")
        await fake.wait_for_call("answerCallbackQuery")
        await fake.wait_for_call("closeForumTopic", to(DIY), timeout=WAIT)
        rate = await fake.wait_for_call(
            "sendMessage",
            lambda c: to(LIAISON)(c) and "Beri nilai" in c.params["text"],
            timeout=WAIT,
        )
        fake.push_update(
            fake.callback_update(
                chat_id=LIAISON,
                from_id=LIAISON,
                message_id=rate.result["message_id"],
                data=data_of(rate, "5 ⭐"),
            )
        )
        thanks = await fake.wait_for_call("editMessageText", to(LIAISON))
        assert "5/5" in thanks.params["text"]
        fake.push_update(
            fake.callback_update(
                chat_id=LIAISON,
                from_id=LIAISON,
                message_id=rate.result["message_id"],
                data=data_of(rate, "Buka kembali"),
            )
        )
        await fake.wait_for_call("reopenForumTopic", to(DIY), timeout=WAIT)
        reopened = await fake.wait_for_call(
            "sendMessage",
            lambda c: to(DIY)(c) and "membuka kembali" in c.params["text"],
            timeout=WAIT,
        )
        assert reopened.params["message_thread_id"] == new_topic.result["message_thread_id"]

        fake.push_update(
            fake.callback_update(
                chat_id=LIAISON,
                from_id=LIAISON,
                message_id=rate.result["message_id"],
                data=data_of(rate, "Buka kembali").replace("tk:o:", "tk:x:"),
            )
        )
        forged = await fake.wait_for_call(
            "answerCallbackQuery", lambda c: "tidak berlaku" in c.params.get("text", "")
        )
        assert forged.status == 200
    assert fake.violations == []


async def test_quick_messages_share_one_topic_and_a_deleted_topic_is_made_again(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=prepare_desk(tokens)):
        topic, _card = await open_ticket(fake, tokens[0])
        first_thread = topic.result["message_thread_id"]
        say(fake, "tambahan satu")
        say(fake, "tambahan dua")
        await fake.wait_for_call(
            "sendMessage",
            lambda c: to(BANTUL)(c) and "tambahan dua" in c.params["text"],
            timeout=WAIT,
        )
        assert len(fake.calls_to("createForumTopic")) == 1

        fake.delete_topic(BANTUL, first_thread)
        say(fake, "tambahan tiga")
        lost = await fake.wait_for_call(
            "sendMessage", lambda c: to(BANTUL)(c) and c.status == 400, timeout=WAIT
        )
        assert "thread not found" in lost.response["description"]
        again = await fake.wait_for_call("createForumTopic", to(BANTUL), timeout=WAIT)
        second_thread = again.result["message_thread_id"]
        assert second_thread != first_thread
        delivered = await fake.wait_for_call(
            "sendMessage",
            lambda c: to(BANTUL)(c) and c.status == 200 and "tambahan tiga" in c.params["text"],
            timeout=WAIT,
        )
        assert delivered.params["message_thread_id"] == second_thread

        officer_says(fake, BANTUL, AGENT, second_thread, text="Sudah kami terima.")
        answer = await fake.wait_for_call(
            "sendMessage",
            lambda c: to(LIAISON)(c) and "Sudah kami terima" in c.params["text"],
            timeout=WAIT,
        )
        assert "Petugas Helpdesk" in answer.params["text"]


async def test_an_unclaimed_ticket_escalates_by_itself_on_a_controlled_clock(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    """The real scheduler ticks every 0.1 s; the help desk's time is a clock the test moves."""
    fake = fake_botapi
    tokens: list[str] = []
    clock = ManualClock(START)
    async with running_bot(
        fake,
        database_url,
        prepare=prepare_desk(tokens),
        clock=clock,
        scheduler_tick_seconds=0.1,
    ):
        await open_ticket(fake, tokens[0])
        clock.advance(timedelta(minutes=61))
        ping = await fake.wait_for_call(
            "sendMessage", lambda c: to(BANTUL)(c) and "belum diambil" in c.params["text"]
        )
        assert ping is not None
        clock.advance(timedelta(hours=4))
        await fake.wait_for_call("createForumTopic", to(DIY), timeout=WAIT)
        card = await fake.wait_for_call("sendMessage", to(DIY), timeout=WAIT)
        assert "otomatis" in card.params["text"]
        assert await _told(fake, "diteruskan ke")
        pings = [c for c in fake.calls_to("sendMessage") if "belum diambil" in c.params["text"]]
        assert len(pings) == 1, "pinged once, however many ticks passed"


async def _told(fake: FakeBotAPI, words: str) -> bool:
    call = await fake.wait_for_call(
        "sendMessage", lambda c: to(LIAISON)(c) and words in c.params["text"], timeout=WAIT
    )
    return call is not None
