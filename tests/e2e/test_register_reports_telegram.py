"""The register and the weekly report end to end: the real aiogram transport, the outbox
worker, the real scheduler on a clock the test moves, and the fake Bot API. An officer
records a walk-in with /catat, a liaison's question arrives as a ticket, and Monday's
report, posted by the scheduler at 07.00 WIB, counts both in the file the fake received."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime
from typing import Any

import openpyxl
import pytest

from models import ManualClock
from tests.e2e.harness import LIAISON, running_bot, say
from tests.e2e.test_desk_telegram import (
    AGENT,
    BANTUL,
    WAIT,
    data_of,
    officer_press,
    officer_says,
    prepare_desk,
    to,
)
from tests.fake_botapi import FakeBotAPI
from tests.fake_botapi.models import Call

pytestmark = pytest.mark.e2e

TUESDAY = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
NEXT_MONDAY_0701_WIB = datetime(2026, 11, 30, 0, 1, tzinfo=UTC)


def _officer_types(fake: FakeBotAPI, text: str, reply_to: Call | None = None) -> None:
    """In a group the bot reads commands and replies to its own messages only, so the
    typed parts of a form answer the form's message."""
    replied = None
    if reply_to is not None:
        replied = reply_to.params.get("message_id") or reply_to.result["message_id"]
    fake.push_update(
        fake.message_update(
            chat_id=BANTUL,
            from_id=AGENT,
            text=text,
            first_name="Andi",
            reply_to_message_id=replied,
        )
    )


def _officer_presses(fake: FakeBotAPI, shown: Call, label: str) -> None:
    message_id = shown.params.get("message_id") or shown.result["message_id"]
    fake.push_update(
        fake.callback_update(
            chat_id=BANTUL,
            from_id=AGENT,
            message_id=message_id,
            data=data_of(shown, label),
            first_name="Andi",
        )
    )


async def _next(fake: FakeBotAPI, method: str, words: str) -> Call:
    def wanted(call: Call) -> bool:
        return to(BANTUL)(call) and words in call.params.get("text", "")

    return await fake.wait_for_call(method, wanted, timeout=WAIT)


async def _record_walk_in(fake: FakeBotAPI) -> None:
    _officer_types(fake, "/catat")
    shown = await _next(fake, "sendMessage", "Lewat saluran apa")
    for label, words in (
        ("Tatap muka", "Kedudukan"),
        ("Petugas penghubung", "Partai atau organisasi"),
        ("Lewati", "Topik"),
        ("Lewati", "Tahapan"),
        ("Lewati", "nama pengunjung"),
    ):
        _officer_presses(fake, shown, label)
        shown = await _next(fake, "editMessageText", words)
    for text, words in (
        ("Budi Santoso", "pertanyaannya"),
        ("Kapan batas unggah dokumen?", "jawaban"),
        ("Sampai 23.59 waktu setempat.", "Simpan catatan"),
    ):
        _officer_types(fake, text, reply_to=shown)
        shown = await _next(fake, "sendMessage", words)
    _officer_presses(fake, shown, "Simpan")
    await _next(fake, "editMessageText", "BTL/2026/0001")


async def _ticket_card(fake: FakeBotAPI, token: str) -> Call:
    """A PKB liaison of Bantul registers by invite and asks: the ticket's card."""
    say(fake, f"/start {token}")
    await fake.wait_for_call("sendMessage", to(LIAISON))
    say(fake, "/tanya Bagaimana cara unggah KTA di SIPOL?")
    return await fake.wait_for_call(
        "sendMessage",
        lambda c: to(BANTUL)(c) and "Ambil" in str(c.params.get("reply_markup")),
        timeout=WAIT,
    )


def _week48_to_bantul(call: Call) -> bool:
    return to(BANTUL)(call) and "2026-W48" in (call.params.get("caption") or "")


def _rows(content: bytes) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


async def test_the_weekly_report_posted_by_the_scheduler_counts_a_walk_in_and_a_ticket(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    clock = ManualClock(TUESDAY)  # Tuesday 24 Nov 2026, 09.00 WIB: week 2026-W48
    async with running_bot(
        fake, database_url, prepare=prepare_desk(tokens), clock=clock, scheduler_tick_seconds=0.1
    ):
        card = await _ticket_card(fake, tokens[0])
        # answered and resolved, so no service level moves it up to the province meanwhile
        officer_press(fake, BANTUL, AGENT, card, "Ambil")
        await fake.wait_for_call("answerCallbackQuery")
        thread = card.params["message_thread_id"]
        officer_says(fake, BANTUL, AGENT, thread, text="Buka menu Anggota, lalu Unggah KTA.")
        await fake.wait_for_call("sendMessage", to(LIAISON), timeout=WAIT)
        officer_press(fake, BANTUL, AGENT, card, "Selesai")
        await fake.wait_for_call("answerCallbackQuery")
        await _record_walk_in(fake)
        clock.set(NEXT_MONDAY_0701_WIB)
        sent = await fake.wait_for_call("sendDocument", _week48_to_bantul, timeout=WAIT * 3)
        upload = sent.upload("document")
        assert upload is not None
        assert upload.filename == "laporan-34.02-2026-W48.xlsx"
        rows = _rows(upload.data)
        walk_in = [r for r in rows if r and r[0] == "Tatap muka"]
        ticket = [r for r in rows if r and r[0] == "Bot (tiket)"]
        assert walk_in and walk_in[0][1] == 1, rows
        assert ticket and ticket[0][1] == 1, rows
        clock.set(datetime(2026, 11, 30, 5, 0, tzinfo=UTC))  # ticks go on; no second file
        await asyncio.sleep(1.0)
        assert len([c for c in fake.calls_to("sendDocument") if _week48_to_bantul(c)]) == 1
