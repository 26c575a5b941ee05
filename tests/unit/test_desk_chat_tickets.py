"""A liaison's tickets in chat: opening one, the topic and card in the right staff chat,
adding messages and files, the identity-card warning, seeing, closing, rating, reopening."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import col, select

from handlers.port import Attachment
from models import Chat, ChatKind, ManualClock
from models.outbox import Lane, TopicState
from models.tickets import TicketStatus
from tests.desk import BANTUL_STAFF, DIY_STAFF, Desk, desk

__all__ = ["desk"]


def payloads(row: object) -> list[str]:
    assert hasattr(row, "button_rows")
    return [b["payload"] for r in row.button_rows() for b in r if b["payload"]]


def test_a_liaison_asks_with_tanya_and_the_card_lands_in_a_topic_of_their_office(
    desk: Desk,
) -> None:
    siti = desk.liaison()
    siti.send("/tanya Bagaimana cara unggah KTA di SIPOL? NIK saya 3402011234567890")
    assert "#BTL-0001" in siti.text() and "KPU Kabupaten Bantul" in siti.text()
    assert "paling lambat" in siti.text()

    [ticket] = desk.tickets()
    [topic] = desk.topics()
    assert topic.key == f"ticket:{ticket.id}:34.02" and topic.chat_id == str(BANTUL_STAFF)
    assert topic.name.startswith("#BTL-0001 · PKB · Kab. Bantul · Bagaimana cara unggah")
    assert len(topic.name) <= 128
    [card] = desk.outbox(f"ticket:{ticket.id}:card")
    assert card.topic == topic.key and card.lane == Lane.RELAY
    assert "Siti Rahma" in card.text and "terverifikasi" in card.text
    assert "3402011234567890" in card.text, "the live card may show what the record masks"
    assert "************7890" in ticket.question
    signer = desk.helpdesk.signer
    actions = [signer.verify(str(BANTUL_STAFF), p) for p in payloads(card)]
    assert actions == [
        f"dk:c:{ticket.id}",
        f"dk:r:{ticket.id}",
        f"dk:e:{ticket.id}",
        f"dk:s:{ticket.id}",
    ]


def test_outside_working_hours_the_liaison_is_told_when_the_office_opens(
    desk: Desk, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 11, 22, 5, 0, tzinfo=UTC))  # Sunday noon WIB
    siti = desk.liaison()
    siti.send("/tanya Kapan batas unggah dokumen?")
    assert "di luar jam kerja" in siti.text()
    assert "23/11/2026 08.00 WIB" in siti.text()


def test_an_office_without_a_staff_chat_sends_its_tickets_to_the_nearest_office_above(
    desk: Desk,
) -> None:
    budi = desk.liaison(5002, "Budi Santoso", office_code="34.71")
    budi.send("/tanya Di mana menyerahkan berkas perbaikan?")
    [ticket] = desk.tickets()
    assert (ticket.office_code, ticket.origin_office_code) == ("34", "34.71")
    [card] = desk.outbox(f"ticket:{ticket.id}:card")
    assert card.chat_id == str(DIY_STAFF)
    assert "KPU Kota Yogyakarta belum menautkan grup petugas" in card.text
    assert "KPU Daerah Istimewa Yogyakarta" in budi.text() or "Yogyakarta" in budi.text()


def test_messages_after_opening_go_to_the_open_ticket_combined_and_acknowledged_once(
    desk: Desk,
) -> None:
    siti = desk.liaison()
    siti.send("/tanya Data anggota ganda di SIPOL")
    ticket = desk.tickets()[0]
    siti.send("Ini tambahan: anggota atas nama Ahmad terdaftar dua kali.")
    assert "Diteruskan ke tiket #BTL-0001" not in siti.text(), "same burst: no second notice"
    siti.send("Mohon petunjuk.")
    relays = desk.outbox(f"ticket:{ticket.id}:msg:")
    assert [r.combine for r in relays] == [True, True]
    assert "Ahmad terdaftar dua kali" in relays[0].text and relays[0].topic == ticket.topic_key
    assert [m.text for m in desk.messages(ticket.id or 0)][-1] == "Mohon petunjuk."


def test_a_message_after_a_quiet_while_is_acknowledged(desk: Desk, clock: ManualClock) -> None:
    siti = desk.liaison()
    siti.send("/tanya Pertanyaan pertama")
    clock.advance(__import__("datetime").timedelta(minutes=5))
    siti.send("Apakah sudah dibaca?")
    assert "Diteruskan ke tiket" in siti.text() and "BTL-0001" in siti.text()


def test_a_photo_goes_to_the_ticket_and_the_identity_card_warning_comes_once(
    desk: Desk,
) -> None:
    siti = desk.liaison()
    siti.send("/tanya Berkas saya ditolak")
    ticket = desk.tickets()[0]
    siti.send("foto berkas", attachments=(Attachment("photo", "PHOTO-1"),))
    assert "Hati-hati dengan data pribadi" in siti.text()
    siti.send(attachments=(Attachment("photo", "PHOTO-2"),))
    assert "Hati-hati" not in siti.text()
    photos = desk.outbox(f"ticket:{ticket.id}:msg:")
    assert [(p.attachment_kind, p.attachment_file_id) for p in photos] == [
        ("photo", "PHOTO-1"),
        ("photo", "PHOTO-2"),
    ]
    assert all(len(p.text) <= 1024 and not p.combine for p in photos)


def test_a_document_named_as_an_identity_card_warns_but_an_ordinary_one_does_not(
    desk: Desk,
) -> None:
    siti = desk.liaison()
    siti.send("/tanya Surat tugas")
    siti.send(attachments=(Attachment("document", "DOC-1", name="surat_tugas.pdf"),))
    assert "Hati-hati" not in siti.text()
    siti.send(attachments=(Attachment("document", "DOC-2", name="e-KTP_siti.pdf"),))
    assert "Hati-hati" in siti.text()


def test_without_an_open_ticket_free_text_is_not_taken_by_the_desk(desk: Desk) -> None:
    siti = desk.liaison()
    siti.send("Kapan verifikasi faktual?")
    assert desk.tickets() == []
    assert desk.outbox("ticket:") == []


def test_my_tickets_lists_statuses_and_another_liaisons_ticket_is_refused_and_logged(
    desk: Desk,
) -> None:
    siti = desk.liaison()
    siti.send("/tanya Pertanyaan Siti")
    budi = desk.liaison(5002, "Budi Santoso")
    budi.send("/tanya Pertanyaan Budi")
    siti.send("/tiket")
    assert "#BTL-0001" in siti.text() and "baru" in siti.text() and "BTL-0002" not in siti.text()
    budis = desk.tickets()[1]
    forged = desk.helpdesk.signer.sign(siti.chat_id, f"tk:v:{budis.id}")
    siti.press_payload(forged)
    assert "bukan milik Anda" in siti.toast_text()
    assert desk.audit("refused"), "a refusal is on record"


def test_resolve_rate_and_reopen_from_the_liaisons_side(desk: Desk) -> None:
    siti = desk.liaison()
    siti.send("/tanya Cara cetak formulir?")
    ticket = desk.tickets()[0]
    desk.deliver()
    andi = desk.group(BANTUL_STAFF, 7001, "Andi Wijaya")
    andi.press_payload(desk.helpdesk.signer.sign(str(BANTUL_STAFF), f"dk:r:{ticket.id}"))
    assert "ditandai selesai" in andi.toast_text()
    [asked] = desk.outbox(f"ticket:{ticket.id}:resolved:")
    assert asked.chat_id == siti.chat_id and "Beri nilai 1–5" in asked.text
    assert desk.topic_state(ticket.topic_key or "") is TopicState.CLOSED

    rate_4 = next(
        p
        for p in payloads(asked)
        if desk.helpdesk.signer.verify(siti.chat_id, p) == f"tk:r:{ticket.id}:4"
    )
    siti.press_payload(rate_4)
    assert desk.ticket(ticket.id or 0).rating == 4 and "4/5" in siti.text()

    reopen = next(p for p in payloads(asked) if "tk:o:" in p)
    siti.press_payload(reopen)
    assert (
        desk.ticket(ticket.id or 0).status is TicketStatus.CLAIMED
        or desk.ticket(ticket.id or 0).status is TicketStatus.NEW
    )
    assert desk.topic_state(ticket.topic_key or "") is TopicState.OPEN
    assert desk.outbox(f"ticket:{ticket.id}:reopened:"), "the officers are told"


def test_a_liaison_closes_their_ticket_and_the_topic_closes(desk: Desk) -> None:
    siti = desk.liaison()
    siti.send("/tanya Sudah terjawab sendiri")
    ticket = desk.tickets()[0]
    siti.send("/tiket")
    siti.press("#BTL-0001")
    siti.press("Tutup tiket")
    assert desk.ticket(ticket.id or 0).status is TicketStatus.CLOSED
    assert desk.topic_state(ticket.topic_key or "") is TopicState.CLOSED
    assert json.loads(desk.outbox(f"ticket:{ticket.id}:closed:")[0].buttons or "[]") == []


def test_a_liaison_replying_to_an_officers_answer_adds_to_that_ticket(desk: Desk) -> None:
    siti = desk.liaison()
    siti.send("/tanya Pertanyaan satu")
    siti.send("/tanya Pertanyaan dua")
    first, second = desk.tickets()
    desk.deliver()
    andi = desk.group(BANTUL_STAFF, 7001, "Andi Wijaya")
    andi.send("Jawaban untuk pertanyaan satu", thread=desk.thread_of(first.topic_key or ""))
    desk.deliver()
    [answer] = desk.outbox(f"ticket:{first.id}:msg:")
    siti.send("Terima kasih, tapi masih bingung", reply_to=answer.message_id)
    assert desk.messages(first.id or 0)[-1].text == "Terima kasih, tapi masih bingung"
    assert all(m.text != "Terima kasih, tapi masih bingung" for m in desk.messages(second.id or 0))


def test_tanya_without_registration_is_answered_by_the_faq_side(desk: Desk) -> None:
    stranger = desk.private(5099, "Orang Baru")
    stranger.send("/tanya")
    assert desk.tickets() == []
    stranger.send("/tiket")
    assert "Daftar" in " ".join(b.label for b in stranger.buttons())


def test_with_every_staff_chat_up_the_tree_lost_the_liaison_is_not_told_it_was_forwarded(
    desk: Desk,
) -> None:
    with desk.sessions() as session:
        for chat in session.exec(select(Chat).where(col(Chat.kind) == ChatKind.GROUP)).all():
            chat.reachable = False
            session.add(chat)
        session.commit()
    siti = desk.liaison()
    siti.send("/tanya Kapan batas unggah dokumen?")
    assert "belum tersambung ke layanan" in siti.text()
    [ticket] = desk.tickets()
    assert desk.outbox(f"ticket:{ticket.id}:card"), "the card waits for the chat to be back"
