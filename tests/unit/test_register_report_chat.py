"""/laporan in a staff chat: the period and format by button, the file through the
outbox, and only for officers of the chat's office or above."""

from __future__ import annotations

from handlers.reports.scheduled import RECIPIENT
from models.outbox_files import UPLOAD
from tests.desk import (
    AGENT,
    BANTUL_STAFF,
    CITY_AGENT,
    DIY_STAFF,
    PROVINCE_AGENT,
    Desk,
    desk,
)

__all__ = ["desk"]


def test_an_officer_gets_last_weeks_report_as_a_file_in_the_staff_chat(desk: Desk) -> None:
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya")
    andi.send("/laporan")
    assert "Pilih periode" in andi.text()
    andi.press("Minggu lalu")
    assert "format" in andi.text()
    andi.press("XLSX")
    assert "dikirim" in andi.text()
    (message,) = desk.outbox("report-asked:34.02:2026-W47:xlsx:")
    assert message.attachment_kind == UPLOAD
    assert message.chat_id == str(BANTUL_STAFF)
    assert message.recipient == RECIPIENT


def test_a_province_officer_may_ask_in_the_province_chat(desk: Desk) -> None:
    dewi = desk.group(DIY_STAFF, PROVINCE_AGENT, "Dewi Prov")
    dewi.send("/laporan")
    dewi.press("Bulan lalu")
    dewi.press("PDF")
    assert desk.outbox("report-asked:34:2026-10:pdf:")


def test_a_liaison_is_refused(desk: Desk) -> None:
    desk.liaison(5001)
    siti = desk.group(BANTUL_STAFF, 5001, "Siti Rahma")
    siti.send("/laporan")
    assert "Pilih periode" not in siti.text()
    assert not siti.buttons()


def test_an_officer_of_another_office_is_refused(desk: Desk) -> None:
    bayu = desk.group(BANTUL_STAFF, CITY_AGENT, "Bayu Kota")  # Kota Yogyakarta's agent
    bayu.send("/laporan")
    assert not bayu.buttons()


def test_an_officer_of_a_lower_office_is_refused_the_provinces_report(desk: Desk) -> None:
    andi = desk.group(DIY_STAFF, AGENT, "Andi Wijaya")  # Bantul's agent in DIY's chat
    andi.send("/laporan")
    assert not andi.buttons()


def test_a_pressed_button_is_checked_again_for_whoever_presses_it(desk: Desk) -> None:
    andi = desk.group(DIY_STAFF, PROVINCE_AGENT, "Dewi Prov")
    andi.send("/laporan")
    payload = andi.button("Bulan lalu").payload
    assert payload is not None
    intruder = desk.group(DIY_STAFF, AGENT, "Andi Wijaya")
    intruder.press_payload(payload)
    assert "format" not in intruder.text()
    assert not desk.outbox("report-asked:")
