"""/catat and /tamu in a staff chat: a consultation or a visit recorded in a few taps,
the typed parts kept in the database between messages, for the office's own officers."""

from __future__ import annotations

from sqlmodel import select

from handlers.helpdesk import HelpDesk
from models.consultations import Channel, Consultation, GuestBookEntry, VisitorRole
from tests.desk import ADMIN, AGENT, BANTUL_STAFF, DIY_STAFF, PROVINCE_AGENT, Desk, desk

__all__ = ["desk"]

NIK = "3402123456789012"


def _consultations(desk: Desk) -> list[Consultation]:
    with desk.sessions() as session:
        return list(session.exec(select(Consultation)).all())


def _guests(desk: Desk) -> list[GuestBookEntry]:
    with desk.sessions() as session:
        return list(session.exec(select(GuestBookEntry)).all())


def test_an_officer_records_a_walk_in_consultation_in_a_few_taps(desk: Desk) -> None:
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya")
    andi.send("/catat")
    andi.press("Tatap muka")
    andi.press("Petugas penghubung")
    andi.press("Berikutnya")  # the second page of parties
    andi.press("Lewati")  # no party after all
    andi.press("Lewati")  # topic
    andi.press("Lewati")  # stage
    andi.send("Budi Santoso")
    andi.send(f"Bagaimana mengunggah KTA? NIK saya {NIK}")
    andi.send("Unggah lewat menu Anggota, format PDF.")
    assert "Budi Santoso" in andi.text()
    andi.press("Simpan")
    assert "BTL/2026/0001" in andi.text()
    (consultation,) = _consultations(desk)
    assert consultation.channel is Channel.WALK_IN
    assert consultation.role is VisitorRole.LIAISON
    assert consultation.visitor_name == "Budi Santoso"
    assert consultation.office_code == "34.02"
    assert consultation.officer_name == "Andi Wijaya"
    assert NIK not in consultation.question
    assert consultation.answer.startswith("Unggah")


def test_a_party_is_picked_from_the_pages(desk: Desk) -> None:
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya")
    andi.send("/catat")
    andi.press("Telepon")
    andi.press("Admin SIPOL")
    andi.press("PKB")
    andi.press("Lewati")
    andi.press("Lewati")
    andi.send("Sari")
    andi.send("Kapan verifikasi?")
    andi.press("Lewati")  # no answer yet
    andi.press("Simpan")
    (consultation,) = _consultations(desk)
    assert consultation.party == "PKB"
    assert consultation.channel is Channel.PHONE


def test_the_form_survives_a_restart_of_the_help_desk(desk: Desk) -> None:
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya")
    andi.send("/catat")
    andi.press("Surel")
    andi.press("Pemilih")
    andi.press("Lewati")
    andi.press("Lewati")
    andi.press("Lewati")
    andi.send("Rudi")
    # the same database, a new help desk: the draft is in the database, not in memory
    fresh = HelpDesk(desk.sessions, desk.clock, desk.helpdesk.texts)
    andi.helpdesk = fresh
    andi.send("Di mana saya memilih?")
    assert "Rudi" in andi.text() and "memilih" in andi.text()


def test_a_stale_button_of_an_earlier_step_is_refused(desk: Desk) -> None:
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya")
    andi.send("/catat")
    channel_payload = andi.button("Telepon").payload
    andi.press("Tatap muka")
    assert channel_payload is not None
    andi.press_payload(channel_payload)
    assert andi.toast_text()


def test_cancel_records_nothing(desk: Desk) -> None:
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya")
    andi.send("/catat")
    andi.press("Batal")
    assert "dibatalkan" in andi.text()
    andi.send("Budi")  # no form waits for text any more
    assert _consultations(desk) == []


def test_a_visit_is_signed_in_and_then_made_a_consultation(desk: Desk) -> None:
    rina = desk.group(BANTUL_STAFF, ADMIN, "Rina Lestari")
    rina.send("/tamu")
    rina.press("Calon")
    rina.press("Lewati")
    rina.send("Joko")
    rina.send("Konsultasi syarat pencalonan")
    rina.press("Simpan")
    assert "buku tamu" in rina.text()
    (visit,) = _guests(desk)
    assert visit.visitor_name == "Joko" and visit.role is VisitorRole.CANDIDATE
    rina.press("Jadikan konsultasi")
    rina.press("Lewati")
    rina.press("Lewati")
    rina.send("Apa syarat calon perseorangan?")
    rina.send("Dijelaskan sesuai PKPU.")
    rina.press("Simpan")
    (consultation,) = _consultations(desk)
    assert consultation.visitor_name == "Joko"
    assert consultation.channel is Channel.WALK_IN
    assert _guests(desk)[0].consultation_id == consultation.id


def test_catat_offers_the_guest_book_too(desk: Desk) -> None:
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya")
    andi.send("/catat")
    andi.press("Buku tamu")
    assert "Buku tamu" in andi.text()


def test_only_officers_of_the_chats_own_office_may_record(desk: Desk) -> None:
    dewi = desk.group(BANTUL_STAFF, PROVINCE_AGENT, "Dewi Prov")  # the province's officer
    dewi.send("/catat")
    assert not dewi.buttons()
    andi = desk.group(DIY_STAFF, AGENT, "Andi Wijaya")  # Bantul's agent in DIY's chat
    andi.send("/catat")
    assert not andi.buttons()
    desk.liaison(5001)
    siti = desk.group(BANTUL_STAFF, 5001, "Siti Rahma")
    siti.send("/tamu")
    assert not siti.buttons()


def test_a_reply_to_a_ticket_goes_to_the_ticket_even_while_a_form_waits(desk: Desk) -> None:
    desk.link("34.02", BANTUL_STAFF, forum=False)  # reply mode: no topics
    siti = desk.liaison()
    siti.send("/tanya Bagaimana memperbaiki data keanggotaan?")
    desk.deliver()
    ticket_id = desk.tickets()[-1].id
    siti.send("Ada tambahan")
    desk.deliver()
    relay = desk.outbox(f"ticket:{ticket_id}:msg:")[0]
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya", forum=False)
    andi.send("/tamu")
    andi.press("Calon")
    andi.press("Lewati")  # the form now waits for the visitor's name
    andi.send("Baik, kami cek.", reply_to=relay.message_id)
    answer = desk.outbox(f"ticket:{ticket_id}:msg:")[-1]
    assert answer.chat_id == siti.chat_id and "Baik, kami cek." in answer.text
    andi.send("Joko")  # the form still takes its reply
    assert "Joko" in andi.text()
