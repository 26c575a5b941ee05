"""Reports on a schedule: Monday and the 1st at 07.00 in each office's own zone, into
the linked staff chat, once per (office, period) however often the tick runs."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl

from handlers.reports.scheduled import send_scheduled_reports
from models import ManualClock
from models.outbox_files import UPLOAD, load_upload
from tests.desk import BANTUL_STAFF, Desk, desk

__all__ = ["desk"]

PAPUA_STAFF = -100_91


def _linked(desk: Desk) -> Desk:
    desk.prepare(("RI", "34", "34.02", "34.71", "33", "33.01", "91"))  # Bantul, DIY linked
    desk.link("91", PAPUA_STAFF)  # Papua keeps WIT, two hours ahead of WIB
    return desk


def _tick(desk: Desk, at: datetime) -> int:
    clock = desk.clock
    assert isinstance(clock, ManualClock)
    clock.set(at)
    return send_scheduled_reports(desk.sessions, clock, desk.helpdesk.texts)


def test_the_weekly_report_goes_out_at_seven_local_time_of_each_office(desk: Desk) -> None:
    _linked(desk)
    # Monday 30 Nov 2026, 05.30 WIB = 07.30 WIT: Papua's is due, Bantul's not yet
    assert _tick(desk, datetime(2026, 11, 29, 22, 30, tzinfo=UTC)) == 1
    assert [m.campaign for m in desk.outbox("report:")] == ["report:91:2026-W48"]
    # 07.00 WIB: Bantul's and DIY's too; offices with no staff chat (33.01) get none
    assert _tick(desk, datetime(2026, 11, 30, 0, 0, tzinfo=UTC)) == 2
    campaigns = sorted(m.campaign for m in desk.outbox("report:"))
    assert campaigns == ["report:34.02:2026-W48", "report:34:2026-W48", "report:91:2026-W48"]


def test_a_report_is_queued_once_however_many_ticks_and_restarts(desk: Desk) -> None:
    _linked(desk)
    monday = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    assert _tick(desk, monday) == 3
    assert _tick(desk, monday) == 0
    assert _tick(desk, datetime(2026, 11, 30, 9, 0, tzinfo=UTC)) == 0
    assert len(desk.outbox("report:")) == 3


def test_nothing_is_sent_on_other_days_or_before_seven(desk: Desk) -> None:
    _linked(desk)
    _tick(desk, datetime(2026, 11, 29, 23, 59, tzinfo=UTC))  # 06.59 WIB, 08.59 WIT
    assert [m.campaign for m in desk.outbox("report:")] == ["report:91:2026-W48"]
    assert _tick(desk, datetime(2026, 12, 2, 3, 0, tzinfo=UTC)) == 0  # a Wednesday


def test_the_first_of_the_month_brings_last_months_report_as_an_xlsx_file(desk: Desk) -> None:
    _linked(desk)
    assert _tick(desk, datetime(2026, 12, 1, 0, 5, tzinfo=UTC)) == 3  # Tuesday 1 Dec
    (message,) = desk.outbox("report:34.02:")
    assert message.campaign == "report:34.02:2026-11"
    assert message.chat_id == str(BANTUL_STAFF)
    assert message.attachment_kind == UPLOAD
    assert "2026-11" in message.text
    with desk.sessions() as session:
        stored = load_upload(session, message.attachment_file_id or "")
        assert stored is not None
        assert stored.name.endswith(".xlsx")
        book = openpyxl.load_workbook(io.BytesIO(stored.content))
    assert book.sheetnames
