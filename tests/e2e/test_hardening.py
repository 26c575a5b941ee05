"""The desk on its busiest night: very long texts, stickers and voice notes, forged and
copied buttons, HTML-looking text, a blocked liaison, Telegram answering 429 or going
away for a while, and an update delivered twice. Nothing is lost, nothing is sent twice,
and every person gets a clear answer. The real aiogram transport, outbox worker and
scheduler run against the fake Bot API."""

from __future__ import annotations

import copy
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from bot import storage
from bot.composition import Container
from knowledge.content.calendar import load_calendar
from models import ManualClock, UnitOfWork
from models.outbox import OutboxMessage, OutboxStatus
from models.stages import import_stages
from models.tickets import TicketMessage
from tests.conftest import START
from tests.e2e.harness import LIAISON, Running, eventually, running_bot, say
from tests.e2e.test_desk_telegram import (
    AGENT,
    BANTUL,
    DIY,
    WAIT,
    data_of,
    officer_says,
    open_ticket,
    prepare_desk,
    to,
)
from tests.fake_botapi import FakeBotAPI
from tests.fake_botapi.models import Call

pytestmark = pytest.mark.e2e

LONG = 10_000


LINES = 125


def long_text(marker: str) -> str:
    """Exactly 10,000 characters in numbered lines (the last one padded), so that a lost,
    repeated or reordered piece shows."""
    lines = [f"{marker} baris {n:04d}: " + "data pemilih tetap " * 3 for n in range(LINES)]
    text = "\n".join(lines)
    assert len(text) < LONG
    return text + "x" * (LONG - len(text))


def rendered(call: Call) -> str:
    """What Telegram shows for a sent message (text or caption, after HTML parsing)."""
    result = call.result or {}
    return str(result.get("text") or result.get("caption") or "")


def shown_in(fake: FakeBotAPI, chat_id: int, thread: int | None = None) -> list[str]:
    """Everything the bot managed to show in a chat (or topic), in order."""
    return [
        rendered(c)
        for c in fake.calls
        if c.ok
        and c.method.startswith("send")
        and str(c.params.get("chat_id")) == str(chat_id)
        and (thread is None or c.params.get("message_thread_id") == thread)
    ]


def whole(pieces: list[str]) -> str:
    return "\n".join(pieces)


def with_content(
    fake: FakeBotAPI, chat_id: int, from_id: int, content: dict[str, Any], **kw: Any
) -> dict[str, Any]:
    """A message update carrying ``content`` (a sticker, a voice note, a location)
    instead of text, as Telegram sends it."""
    update = fake.message_update(chat_id=chat_id, from_id=from_id, text="x", **kw)
    message = update["message"]
    message.pop("text", None)
    message.pop("entities", None)
    message.update(content)
    return update


STICKER = {
    "sticker": {
        "file_id": "sticker-1",
        "file_unique_id": "usticker-1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
}
VOICE = {"voice": {"file_id": "voice-1", "file_unique_id": "uvoice-1", "duration": 3}}
LOCATION = {"location": {"latitude": -7.888, "longitude": 110.33}}


async def start_ticket(fake: FakeBotAPI, tokens: list[str]) -> int:
    """A ticket is open; the thread id of its topic in Bantul's staff chat."""
    topic, _card = await open_ticket(fake, tokens[0])
    return int(topic.result["message_thread_id"])


def ticket_messages_of(running: Running) -> list[TicketMessage]:
    with running.session() as session:
        return list(session.exec(select(TicketMessage).order_by(col(TicketMessage.id))).all())


# --- 1, 2: very long messages -----------------------------------------------------------


async def test_a_ten_thousand_character_message_reaches_the_officers_whole_and_in_order(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=prepare_desk(tokens)) as running:
        thread = await start_ticket(fake, tokens)
        text = long_text("L")
        say(fake, text)
        told = await fake.wait_for_call("sendMessage", to(LIAISON), timeout=WAIT)
        assert "#BTL-0001" in told.params["text"], "the liaison is told where it went"
        assert await eventually(
            lambda: "L baris 0124" in whole(shown_in(fake, BANTUL, thread)), WAIT
        )
        shown = whole(shown_in(fake, BANTUL, thread))
        for n in range(LINES):
            assert shown.count(f"L baris {n:04d}:") == 1, f"line {n} arrives exactly once"
        positions = [shown.index(f"L baris {n:04d}:") for n in range(LINES)]
        assert positions == sorted(positions), "in the order written"
        assert all(len(p) <= 4096 for p in shown_in(fake, BANTUL))
        stored = [m for m in ticket_messages_of(running) if "L baris" in m.text]
        assert len(stored) == 1 and stored[0].text == text, "the record keeps it all"
        # "sent" is recorded just after Telegram answers (in a commit shared with other
        # senders), so it may trail the message the fake already shows by a moment.
        assert await eventually(
            lambda: all(
                r.status is OutboxStatus.SENT and r.message_id
                for r in outbox_rows(running, ":msg:")
            ),
            WAIT,
        )
        assert outbox_rows(running, ":msg:")
    assert fake.violations == []


async def test_an_officers_ten_thousand_character_answer_reaches_the_liaison_whole(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=prepare_desk(tokens)) as running:
        thread = await start_ticket(fake, tokens)
        officer_says(fake, BANTUL, AGENT, thread, text=long_text("J"))
        assert await eventually(
            lambda: "J baris 0124" in whole(shown_in(fake, LIAISON)), within=WAIT * 2
        )
        shown = whole(shown_in(fake, LIAISON))
        for n in range(LINES):
            assert shown.count(f"J baris {n:04d}:") == 1, f"line {n} arrives exactly once"
        assert "Petugas Helpdesk KPU Kabupaten Bantul" in shown
        stored = [m for m in ticket_messages_of(running) if "J baris" in m.text]
        assert len(stored) == 1 and "J baris 0124" in stored[0].text, "the record keeps it all"


def outbox_rows(running: Running, part: str) -> list[OutboxMessage]:
    with running.session() as session:
        return list(
            session.exec(
                select(OutboxMessage)
                .where(col(OutboxMessage.campaign).contains(part))
                .order_by(col(OutboxMessage.id))
            ).all()
        )


# --- 3: stickers, voice notes, locations, files -----------------------------------------


async def test_stickers_voice_notes_and_locations_are_relayed_or_clearly_answered(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=prepare_desk(tokens)):
        thread = await start_ticket(fake, tokens)

        fake.push_update(with_content(fake, LIAISON, LIAISON, STICKER))
        answer = await fake.wait_for_call("sendMessage", to(LIAISON), timeout=WAIT)
        assert "stiker" in answer.params["text"].lower()
        fake.push_update(with_content(fake, LIAISON, LIAISON, VOICE))
        voice = await fake.wait_for_call("sendVoice", to(BANTUL), timeout=WAIT)
        assert voice.ok and voice.params["message_thread_id"] == thread
        assert voice.params["voice"] == "voice-1"
        fake.push_update(with_content(fake, LIAISON, LIAISON, LOCATION))
        answer = await fake.wait_for_call(
            "sendMessage",
            lambda c: to(LIAISON)(c) and "lokasi" in c.params["text"].lower(),
            timeout=WAIT,
        )
        assert answer.ok

        topic = {"thread_id": thread, "is_topic_message": True, "first_name": "Petugas"}
        fake.push_update(with_content(fake, BANTUL, AGENT, STICKER, **topic))
        told = await fake.wait_for_call("sendMessage", to(BANTUL), timeout=WAIT)
        assert "stiker" in told.params["text"].lower() and "tidak" in told.params["text"]
        assert told.params["message_thread_id"] == thread, "the officer is told in the topic"
        officer_says(fake, BANTUL, AGENT, thread, text="contoh formulir", photo=True)
        photo = await fake.wait_for_call("sendPhoto", to(LIAISON), timeout=WAIT)
        assert "contoh formulir" in photo.params["caption"]
        officer_says(fake, BANTUL, AGENT, thread, text="", document=True)
        document = await fake.wait_for_call("sendDocument", to(LIAISON), timeout=WAIT)
        assert document.ok and str(document.params["document"]).startswith("doc-")
        assert not any(c.method == "sendSticker" for c in fake.calls)


# --- 4, 5: Telegram away for a while, Telegram saying 429 ---------------------------------

CALENDAR = """
calendar:
  id: e2e
  name: {id: "Uji", en: "Test"}
  sources:
    - {kind: regulation, title: "PKPU Nomor 4 Tahun 2022"}
stages:
  - id: e2e-perbaikan
    name: {id: "Penyerahan perbaikan dokumen", en: "Handing in corrections"}
    todo: {id: "Serahkan dokumen perbaikan.", en: "Hand in the corrections."}
    starts_at: "-P1D"
    ends_at: "+PT2M"
    office: "34"
    reminders: [PT1M]
"""


def desk_and_calendar(tokens: list[str], tmp_path: Path) -> Any:
    def prepare(container: Container) -> None:
        prepare_desk(tokens)(container)
        path = tmp_path / "e2e.yaml"
        path.write_text(CALENDAR, encoding="utf-8")
        calendar = load_calendar(path, container.clock.now())
        with UnitOfWork(storage.session_factory(container.engine)) as uow:
            import_stages(uow.session, calendar.id, calendar.stages, container.clock.now())
            uow.commit()

    return prepare


async def test_after_telegram_comes_back_a_pending_relay_and_reminder_arrive_exactly_once(
    fake_botapi: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    clock = ManualClock(START)
    async with running_bot(
        fake,
        database_url,
        prepare=desk_and_calendar(tokens, tmp_path),
        clock=clock,
        scheduler_tick_seconds=0.1,
    ) as running:
        thread = await start_ticket(fake, tokens)
        fake.fail_next("sendMessage", status=502, description="Bad Gateway", times=3)
        officer_says(fake, BANTUL, AGENT, thread, text="Jawaban selama gangguan.")
        clock.advance(timedelta(seconds=60))
        assert await eventually(
            lambda: len([c for c in fake.calls_to("sendMessage") if c.status == 502]) == 3, WAIT
        )

        def arrived(words: str) -> list[Call]:
            return [c for c in fake.calls_to("sendMessage") if c.ok and words in rendered(c)]

        assert await eventually(
            lambda: bool(arrived("Jawaban selama gangguan") and arrived("Penyerahan perbaikan")),
            within=15.0,
        )
        assert not await eventually(
            lambda: (
                len(arrived("Jawaban selama gangguan")) > 1
                or len(arrived("Penyerahan perbaikan")) > 1
            ),
            within=1.5,
        ), "each exactly once"
        statuses = {r.status for r in outbox_rows(running, "")}
        assert statuses == {OutboxStatus.SENT}, statuses


async def test_a_429_in_the_staff_chat_loses_nothing_duplicates_nothing_and_keeps_order(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=prepare_desk(tokens)):
        thread = await start_ticket(fake, tokens)
        fake.fail_next("sendMessage", status=429, retry_after=3, chat_id=BANTUL)
        words = ["pesan-satu", "pesan-dua", "pesan-tiga", "pesan-empat"]
        for word in words:
            say(fake, word)
        assert await eventually(
            lambda: "pesan-empat" in whole(shown_in(fake, BANTUL, thread)), within=12.0
        )
        assert not await eventually(
            lambda: whole(shown_in(fake, BANTUL, thread)).count("pesan-") > 4, within=1.0
        )
        shown = whole(shown_in(fake, BANTUL, thread))
        assert [shown.count(w) for w in words] == [1, 1, 1, 1], "no loss, no duplicate"
        assert [shown.index(w) for w in words] == sorted(shown.index(w) for w in words)
        assert fake.stats.too_many_requests == 1


# --- 6: a liaison who blocked the bot -----------------------------------------------------


async def test_a_liaison_who_blocked_the_bot_is_reported_to_the_officers_and_comes_back(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=prepare_desk(tokens)) as running:
        thread = await start_ticket(fake, tokens)
        fake.block(LIAISON)
        officer_says(fake, BANTUL, AGENT, thread, text="Mohon kirim ulang berkasnya.")
        refused = await fake.wait_for_call(
            "sendMessage", lambda c: to(LIAISON)(c) and c.status == 403, timeout=WAIT
        )
        assert "blocked" in refused.response["description"]
        notice = await fake.wait_for_call(
            "sendMessage",
            lambda c: to(BANTUL)(c) and "tidak dapat dihubungi" in c.params["text"],
            timeout=WAIT,
        )
        assert notice.ok and notice.params["message_thread_id"] == thread
        assert "#BTL-0001" in notice.params["text"]
        rows = [r for r in outbox_rows(running, ":msg:") if r.chat_id == str(LIAISON)]
        assert [r.status for r in rows] == [OutboxStatus.UNREACHABLE]
        assert running.person(LIAISON).reachable is False

        fake.push_update(
            fake.my_chat_member_update(
                chat_id=LIAISON, from_id=LIAISON, old_status="kicked", new_status="member"
            )
        )
        say(fake, "Maaf, tadi terblokir. Ini berkasnya.")
        relayed = await fake.wait_for_call(
            "sendMessage",
            lambda c: to(BANTUL)(c) and "tadi terblokir" in c.params["text"],
            timeout=WAIT,
        )
        assert relayed.ok
        assert running.person(LIAISON).reachable is True
        officer_says(fake, BANTUL, AGENT, thread, text="Sudah kami terima, terima kasih.")
        answer = await fake.wait_for_call(
            "sendMessage",
            lambda c: to(LIAISON)(c) and "Sudah kami terima" in c.params["text"],
            timeout=WAIT,
        )
        assert answer.ok
        notices = [
            c for c in fake.calls_to("sendMessage") if "tidak dapat dihubungi" in c.params["text"]
        ]
        assert len(notices) == 1, "officers are told once per block"


# --- 7: forged and copied buttons ---------------------------------------------------------


async def test_a_forged_card_button_and_one_copied_to_another_staff_chat_are_refused(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=prepare_desk(tokens)) as running:
        _topic, card = await open_ticket(fake, tokens[0])
        real = data_of(card, "Ambil")
        message_id = card.result["message_id"]
        forged = real.replace("dk:c:", "dk:r:")
        assert forged != real
        for chat_id, officer, data in (
            (BANTUL, AGENT, forged),
            (BANTUL, AGENT, "dk:r:1"),
            (DIY, 7003, real),  # a real card's button, pressed in another staff chat
        ):
            fake.push_update(
                fake.callback_update(
                    chat_id=chat_id,
                    from_id=officer,
                    message_id=message_id,
                    data=data,
                    first_name="Petugas",
                )
            )
            answer = await fake.wait_for_call("answerCallbackQuery", timeout=WAIT)
            assert "tidak berlaku" in answer.params.get("text", ""), data
        with running.session() as session:
            from models.tickets import Ticket

            ticket = session.exec(select(Ticket)).one()
            assert ticket.status.value == "new" and ticket.claimed_by is None
        assert not fake.calls_to("editMessageText"), "the card is left as it was"


# --- 8: text that looks like HTML ---------------------------------------------------------


async def test_html_looking_text_reaches_the_topic_escaped_and_unchanged(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=prepare_desk(tokens)):
        thread = await start_ticket(fake, tokens)
        text = "<b>halo</b> & <script>alert(1)</script> 5 < 6 &amp;"
        say(fake, text)
        relayed = await fake.wait_for_call(
            "sendMessage", lambda c: to(BANTUL)(c) and c.ok, timeout=WAIT
        )
        assert relayed.params["message_thread_id"] == thread
        assert text in rendered(relayed), rendered(relayed)
        assert relayed.params.get("parse_mode") == "HTML"
        assert "&lt;b&gt;halo&lt;/b&gt; &amp; &lt;script&gt;" in relayed.params["text"]


# --- 9: the same update twice -------------------------------------------------------------


async def test_an_update_delivered_twice_adds_the_message_to_the_ticket_once(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(
        fake, database_url, webhook=True, prepare=prepare_desk(tokens)
    ) as running:
        thread = await start_ticket(fake, tokens)
        update = fake.message_update(chat_id=LIAISON, from_id=LIAISON, text="pesan-sekali-saja")
        update = {"update_id": 900_001, **update}
        assert await fake.post_webhook(copy.deepcopy(update)) == 200
        assert await fake.post_webhook(copy.deepcopy(update)) == 200
        await fake.wait_for_call(
            "sendMessage",
            lambda c: to(BANTUL)(c) and "pesan-sekali-saja" in c.params["text"],
            timeout=WAIT,
        )
        assert not await eventually(
            lambda: whole(shown_in(fake, BANTUL, thread)).count("pesan-sekali-saja") > 1,
            within=2.5,
        )
        stored = [m for m in ticket_messages_of(running) if m.text == "pesan-sekali-saja"]
        assert len(stored) == 1
