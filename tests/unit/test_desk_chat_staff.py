"""The officers' side in their staff chat: answering in a topic, notes, card buttons,
escalation, reply mode, permissions, one topic under racing messages, and the SLA tick."""

from __future__ import annotations

import threading
from datetime import timedelta

from handlers.desk.auto import ChatDeskNotices
from handlers.desk.quiet import REFUSAL_QUIET
from handlers.desk.ticks import check_sla
from handlers.port import Attachment
from models import Lane, ManualClock
from models.offices import find_office
from models.outbox import TopicState
from models.tickets import TicketStatus
from tests.chat import Chat
from tests.desk import (
    ADMIN,
    AGENT,
    BANTUL_STAFF,
    CITY_AGENT,
    DIY_STAFF,
    PROVINCE_AGENT,
    Desk,
    desk,
)

__all__ = ["desk"]


def opened(
    desk: Desk, question: str = "Bagaimana memperbaiki data keanggotaan?"
) -> tuple[Chat, int]:
    siti = desk.liaison()
    siti.send(f"/tanya {question}")
    desk.deliver()
    return siti, desk.tickets()[-1].id or 0


def card_button(desk: Desk, chat_id: int, action: str) -> str:
    return desk.helpdesk.signer.sign(str(chat_id), action)


def test_an_officers_message_in_the_topic_reaches_the_liaison_signed_with_the_office(
    desk: Desk,
) -> None:
    siti, ticket_id = opened(desk)
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya")
    thread = desk.thread_of(f"ticket:{ticket_id}:34.02")
    andi.send("Silakan buka menu Anggota lalu pilih Perbaiki.", thread=thread)
    assert andi.last == [], "nothing is said in the topic"
    [relay] = desk.outbox(f"ticket:{ticket_id}:msg:")
    assert relay.chat_id == siti.chat_id
    assert "Petugas Helpdesk KPU Kabupaten Bantul" in relay.text
    assert "Andi" not in relay.text, "officers' names stay inside KPU"
    assert desk.ticket(ticket_id).status is TicketStatus.WAITING


def test_an_officers_photo_in_the_topic_is_relayed_as_a_photo(desk: Desk) -> None:
    _siti, ticket_id = opened(desk)
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya")
    thread = desk.thread_of(f"ticket:{ticket_id}:34.02")
    andi.send("contoh isian", attachments=(Attachment("photo", "P-OFF"),), thread=thread)
    [relay] = desk.outbox(f"ticket:{ticket_id}:msg:")
    assert (relay.attachment_kind, relay.attachment_file_id) == ("photo", "P-OFF")


def test_a_note_starting_with_an_exclamation_mark_or_catatan_stays_internal(desk: Desk) -> None:
    _siti, ticket_id = opened(desk)
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya")
    thread = desk.thread_of(f"ticket:{ticket_id}:34.02")
    andi.send("! cek dulu ke bagian teknis", thread=thread)
    andi.send("/catatan sudah ditelepon", thread=thread)
    assert "Catatan internal disimpan" in andi.text()
    assert desk.outbox(f"ticket:{ticket_id}:msg:") == []
    notes = [m for m in desk.messages(ticket_id) if m.internal]
    assert [n.text for n in notes] == ["cek dulu ke bagian teknis", "sudah ditelepon"]
    assert desk.ticket(ticket_id).status is TicketStatus.NEW


def test_claiming_redraws_the_card_and_tells_the_liaison(desk: Desk) -> None:
    siti, ticket_id = opened(desk)
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya")
    andi.press_payload(card_button(desk, BANTUL_STAFF, f"dk:c:{ticket_id}"), message="900")
    assert "diambil oleh Andi Wijaya" in andi.toast_text()
    [card] = andi.replies()
    assert card.edit == "900" and "ditangani" in card.text
    assert all("Ambil" not in b.label for row in card.buttons for b in row)
    [told] = desk.outbox(f"ticket:{ticket_id}:claimed:")
    assert told.chat_id == siti.chat_id and "sedang ditangani" in told.text
    assert desk.ticket(ticket_id).status is TicketStatus.CLAIMED


def test_a_forged_card_button_is_refused(desk: Desk) -> None:
    _siti, ticket_id = opened(desk)
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya")
    andi.press_payload(f"dk:r:{ticket_id}~forgedforge")
    assert "tidak berlaku" in andi.toast_text()
    assert desk.ticket(ticket_id).status is TicketStatus.NEW


def test_an_officer_of_another_office_is_refused_and_it_is_logged(desk: Desk) -> None:
    _siti, ticket_id = opened(desk)
    bayu = desk.group(BANTUL_STAFF, CITY_AGENT, "Bayu Kota")
    bayu.press_payload(card_button(desk, BANTUL_STAFF, f"dk:c:{ticket_id}"))
    assert "tidak berwenang" in bayu.toast_text()
    bayu.send("saya jawab saja", thread=desk.thread_of(f"ticket:{ticket_id}:34.02"))
    assert "tidak berwenang" in bayu.text()
    assert desk.outbox(f"ticket:{ticket_id}:msg:") == []
    assert len(desk.audit("refused")) == 2
    assert desk.ticket(ticket_id).status is TicketStatus.NEW


def test_someone_in_the_staff_group_who_is_not_an_officer_is_told_once_and_nothing_relayed(
    desk: Desk, clock: ManualClock
) -> None:
    _siti, ticket_id = opened(desk)
    guest = desk.group(BANTUL_STAFF, 7999, "Tamu")
    thread = desk.thread_of(f"ticket:{ticket_id}:34.02")
    for line in ("halo", "ada orang?", "halo lagi"):
        guest.send(line, thread=thread)
        assert guest.replies() == [], "no direct answer: it would go ahead of the relays"
    [told] = desk.outbox("refusal:")
    assert "hanya untuk petugas helpdesk" in told.text and told.thread == thread
    assert told.lane == Lane.BULK and told.expires_at is not None, "behind relays, or dropped"
    assert desk.outbox(f"ticket:{ticket_id}:msg:") == []
    clock.advance(REFUSAL_QUIET)
    guest.send("halo?", thread=thread)
    assert len(desk.outbox("refusal:")) == 2, "told again after a quiet spell"


def test_escalation_opens_a_topic_in_the_province_with_the_history_and_tells_everyone(
    desk: Desk,
) -> None:
    siti, ticket_id = opened(desk)
    siti.send("Tambahan penjelasan dari saya")
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya")
    andi.press_payload(card_button(desk, BANTUL_STAFF, f"dk:e:{ticket_id}"), message="901")
    assert "KPU Daerah Istimewa Yogyakarta" in andi.toast_text()
    assert andi.replies()[0].buttons == (), "the old card has no buttons left"
    ticket = desk.ticket(ticket_id)
    assert ticket.office_code == "34" and ticket.topic_key == f"ticket:{ticket_id}:34"
    [new_card] = desk.outbox(f"ticket:{ticket_id}:card:34", exact=True)
    assert new_card.chat_id == str(DIY_STAFF) and new_card.topic == ticket.topic_key
    assert "Eskalasi dari KPU Kabupaten Bantul" in new_card.text
    assert "Tambahan penjelasan dari saya" in new_card.text
    [moved, told] = desk.outbox(f"ticket:{ticket_id}:moved:")
    assert moved.topic == f"ticket:{ticket_id}:34.02" and "dipindahkan" in moved.text
    assert told.chat_id == siti.chat_id and "diteruskan ke" in told.text
    assert desk.topic_state(f"ticket:{ticket_id}:34.02") is TopicState.CLOSED

    desk.deliver()
    andi.send("jawaban terlambat", thread=desk.thread_of(f"ticket:{ticket_id}:34.02"))
    assert "sekarang ditangani" in andi.text()
    dewi = desk.group(DIY_STAFF, PROVINCE_AGENT, "Dewi Prov")
    dewi.send("Kami bantu dari provinsi.", thread=desk.thread_of(f"ticket:{ticket_id}:34"))
    assert desk.outbox(f"ticket:{ticket_id}:msg:")[-1].chat_id == siti.chat_id


def test_in_a_group_without_topics_officers_answer_by_replying_to_the_relay(desk: Desk) -> None:
    desk.link("34.02", BANTUL_STAFF, forum=False)
    siti, ticket_id = opened(desk)
    [card] = desk.outbox(f"ticket:{ticket_id}:card")
    assert card.topic is None and desk.topics() == []
    siti.send("Ada tambahan")
    desk.deliver()
    relay = desk.outbox(f"ticket:{ticket_id}:msg:")[0]
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya", forum=False)
    andi.send("Baik, kami cek.", reply_to=relay.message_id)
    answer = desk.outbox(f"ticket:{ticket_id}:msg:")[-1]
    assert answer.chat_id == siti.chat_id and "Baik, kami cek." in answer.text
    andi.send("Obrolan biasa tanpa membalas")
    assert desk.outbox(f"ticket:{ticket_id}:msg:")[-1].id == answer.id


def test_two_messages_at_the_same_moment_make_one_topic(desk: Desk) -> None:
    """Both relays name the ticket's topic key; the topic was asked for once, when the
    ticket opened, so the worker makes one. (On SQLite, one writer at a time: the two
    events are handled one after the other, as the transport does per chat anyway.)"""
    siti, ticket_id = opened(desk)
    with desk.sessions() as session:
        concurrent = session.get_bind().dialect.name != "sqlite"
    if not concurrent:
        siti.send("pesan 0")
        siti.send("pesan 1")
    errors: list[BaseException] = []

    def write(text: str) -> None:
        try:
            siti.send(text)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    writers = [
        threading.Thread(target=write, args=(f"pesan {i}",)) for i in range(2 if concurrent else 0)
    ]
    for w in writers:
        w.start()
    for w in writers:
        w.join(timeout=10)
    assert errors == []
    assert [t.key for t in desk.topics()] == [f"ticket:{ticket_id}:34.02"]
    relays = desk.outbox(f"ticket:{ticket_id}:msg:")
    assert len(relays) == 2 and {r.topic for r in relays} == {f"ticket:{ticket_id}:34.02"}


def test_admin_commands_link_add_and_remove_officers_and_make_invites(desk: Desk) -> None:
    rina = desk.group(-100_5555, ADMIN, "Rina Lestari")
    rina.send("/tautkan")
    assert "grup petugas <b>KPU Kabupaten Bantul</b>" in rina.text()
    rina.send("/petugas_tambah 7100 agent Joko")
    assert "Joko sekarang petugas KPU Kabupaten Bantul" in rina.text()
    rina.send(
        "/petugas_tambah supervisor",
        reply_to="55",
        reply_to_sender=__import__("handlers.port", fromlist=["Sender"]).Sender(
            id="7101", name="Maya"
        ),
    )
    assert "Maya sekarang petugas" in rina.text()
    rina.send("/petugas_hapus 7100")
    assert "Joko tidak lagi" in rina.text()
    rina.send("/undangan PKB dpc 3")
    assert "https://t.me/kpu_helpdesk_test_bot?start=" in rina.text()
    andi = desk.group(-100_5555, AGENT, "Andi Wijaya")
    andi.send("/petugas_tambah 7200 admin")
    assert "tidak berwenang" in andi.text()
    assert {o.name for o in desk.officers() if o.active} >= {"Maya", "Rina Lestari"}


def test_an_unclaimed_ticket_pings_once_and_then_escalates_by_itself(
    desk: Desk, clock: ManualClock
) -> None:
    siti, ticket_id = opened(desk)
    notices = ChatDeskNotices(desk.helpdesk.texts, desk.helpdesk.signer)
    assert check_sla(desk.sessions, clock, notices) == 0
    clock.advance(timedelta(minutes=61))
    assert check_sla(desk.sessions, clock, notices) == 1
    assert check_sla(desk.sessions, clock, notices) == 0
    [ping] = desk.outbox(f"ticket:{ticket_id}:ping:")
    assert ping.topic == f"ticket:{ticket_id}:34.02" and "belum diambil" in ping.text
    clock.advance(timedelta(hours=4))
    assert check_sla(desk.sessions, clock, notices) == 1
    ticket = desk.ticket(ticket_id)
    assert ticket.office_code == "34" and ticket.topic_key == f"ticket:{ticket_id}:34"
    [card] = desk.outbox(f"ticket:{ticket_id}:card:34", exact=True)
    assert "otomatis" in card.text
    assert any(m.chat_id == siti.chat_id for m in desk.outbox(f"ticket:{ticket_id}:moved:"))


def test_an_admin_cannot_move_an_officer_of_an_office_above_into_their_own(desk: Desk) -> None:
    rina = desk.group(BANTUL_STAFF, ADMIN, "Rina Lestari")
    rina.send(f"/petugas_tambah {PROVINCE_AGENT} agent Dewi")
    assert "tidak berwenang" in rina.text()
    [dewi] = [o for o in desk.officers() if o.name == "Dewi Prov"]
    assert dewi.office_code == "34" and dewi.active


def test_an_admin_cannot_take_over_the_staff_chat_of_an_office_above(desk: Desk) -> None:
    rina = desk.group(DIY_STAFF, ADMIN, "Rina Lestari")
    rina.send("/tautkan")
    assert "tidak berwenang" in rina.text()
    with desk.sessions() as session:
        province = find_office(session, "34")
        assert province is not None and province.staff_chat_id is not None
