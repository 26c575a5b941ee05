"""Announcements from chat: draft, audience, preview, confirm, outbox, acknowledgements
and the delivery report."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, col, select

from handlers.helpdesk import HelpDesk
from models import ManualClock, UnitOfWork
from models.broadcast import Acknowledgement, Announcement, AnnouncementStatus
from models.outbox import OutboxMessage, OutboxStatus
from models.people import find_person
from models.staff import Officer, Role, Tier
from tests.chat import Chat
from tests.unit.calendar_world import BANTUL, MAKASSAR, World, recipients


@pytest.fixture
def world(sessions: Callable[[], Session], clock: ManualClock) -> World:
    return World(sessions, clock)


def officer_chat(world: World, helpdesk: HelpDesk, office: str, role: Role, ident: str) -> Chat:
    chat = Chat(helpdesk, chat_id=ident, person_id=ident, name="Sari")
    chat.send("/start")
    with UnitOfWork(world.sessions) as uow:
        person = find_person(uow.session, "test", ident)
        assert person is not None and person.id is not None
        uow.session.add(
            Officer(person_id=person.id, office_code=office, role=role, created_at=world.now)
        )
        uow.commit()
    return chat


def announcements(world: World) -> list[Announcement]:
    with world.sessions() as session:
        return list(session.exec(select(Announcement).order_by(col(Announcement.id))))


def test_a_supervisor_narrows_the_audience_previews_confirms_and_it_is_queued(
    world: World, helpdesk: HelpDesk
) -> None:
    dpc = world.liaison(BANTUL, name="Ani", tier=Tier.DPC)
    dpd_en = world.liaison("34", name="Beni", tier=Tier.DPD, language=None)
    world.liaison(BANTUL, name="Cici", tier=Tier.DPP)
    world.liaison(MAKASSAR, name="Dodi", tier=Tier.DPC)  # another province
    group = world.group(BANTUL)
    supervisor = officer_chat(world, helpdesk, "34", Role.SUPERVISOR, "701")

    supervisor.send("/umumkan Rapat koordinasi LO besok 09.00 <b>wajib</b> hadir.")
    preview = supervisor.text()
    assert "Pratinjau pengumuman #1" in preview
    assert "KPU Daerah Istimewa Yogyakarta" in preview or "Yogyakarta" in preview
    assert "Penerima saat ini: <b>4</b>" in preview, "3 liaisons + 1 group in DI Yogyakarta"
    assert "&lt;b&gt;wajib&lt;/b&gt;" in preview, "the officer's text is escaped"

    supervisor.press("DPC")
    supervisor.press("DPD")
    assert "Penerima saat ini: <b>3</b>" in supervisor.text()
    supervisor.press("Saya sudah membaca")
    assert 'Tombol "Saya sudah membaca": ya' in supervisor.text()
    supervisor.press("Kirim")
    assert "Kirim pengumuman ke 3 penerima?" in supervisor.text()
    confirm = supervisor.button("Ya, kirim").payload or ""
    supervisor.press_payload(confirm)
    assert "masuk antrean kirim untuk <b>3</b> penerima" in supervisor.text()

    (ann,) = announcements(world)
    assert ann.status is AnnouncementStatus.SENT and ann.recipients == 3
    assert ann.tier_list == ("dpc", "dpd") and ann.ack
    sent = world.outbox(f"ann:{ann.id}:")
    assert recipients(sent) == {dpc.external_id, dpd_en.external_id, group.external_id}
    by_chat = {m.recipient: m for m in sent}
    assert "📢 <b>Pengumuman KPU" in by_chat[dpc.external_id].text
    assert by_chat[dpc.external_id].lane == 2
    labels = [b["label"] for row in by_chat[dpc.external_id].button_rows() for b in row]
    assert labels == ["✅ Saya sudah membaca"]
    supervisor.press_payload(confirm)
    assert [t.text for t in supervisor.toasts()] == [
        "Pengumuman ini sudah dikirim atau dibatalkan."
    ]
    assert len(world.outbox("ann:")) == 3, "nothing sent twice"


def test_a_party_and_a_sub_office_can_be_chosen(world: World, helpdesk: HelpDesk) -> None:
    pkb = world.liaison(BANTUL, party="pkb")
    world.liaison(BANTUL, party="golkar")
    world.liaison("34.71", party="pkb")  # Kota Yogyakarta: not chosen
    world.group(BANTUL)
    supervisor = officer_chat(world, helpdesk, "34", Role.ADMIN, "702")
    supervisor.send("/umumkan Dokumen perbaikan diterima sampai pukul 16.00.")
    supervisor.press("Ganti kantor")
    supervisor.press("Bantul")
    supervisor.press("Pilih partai")
    assert [b.label for b in supervisor.buttons()][:2] == ["Golkar", "PKB"]
    supervisor.press("PKB")
    supervisor.press("Kembali")
    assert "Partai: PKB" in supervisor.text()
    assert "Penerima saat ini: <b>1</b>" in supervisor.text(), "groups get no party-only news"
    supervisor.press("Kirim")
    supervisor.press("Ya, kirim")
    assert recipients(world.outbox("ann:")) == {pkb.external_id}


def test_agents_and_liaisons_cannot_announce(world: World, helpdesk: HelpDesk) -> None:
    agent = officer_chat(world, helpdesk, BANTUL, Role.AGENT, "703")
    agent.send("/umumkan Halo semua")
    assert "hanya dapat dibuat" in agent.text()
    nobody = Chat(helpdesk, chat_id="704", person_id="704")
    nobody.send("/umumkan Halo semua")
    assert "hanya dapat dibuat" in nobody.text()
    assert announcements(world) == []


def test_without_text_the_command_explains_itself_and_a_long_text_is_refused(
    world: World, helpdesk: HelpDesk
) -> None:
    supervisor = officer_chat(world, helpdesk, BANTUL, Role.SUPERVISOR, "705")
    supervisor.send("/umumkan")
    assert "/umumkan Rapat koordinasi" in supervisor.text()
    supervisor.send("/umumkan " + "x" * 5000)
    assert "terlalu panjang (5000 karakter)" in supervisor.text()
    assert announcements(world) == []


def test_only_the_author_may_change_a_draft_and_a_sent_one_stays_sent(
    world: World, helpdesk: HelpDesk
) -> None:
    world.liaison(BANTUL)
    author = officer_chat(world, helpdesk, BANTUL, Role.SUPERVISOR, "706")
    author.send("/umumkan Pengumuman penting")
    send_payload = author.button("Kirim").payload or ""
    other = officer_chat(world, helpdesk, BANTUL, Role.ADMIN, "707")
    other.press_payload(send_payload)
    assert "tidak berlaku" in other.toasts()[0].text, "signed for another chat"
    author.press("Batalkan")
    author.press_payload(send_payload)
    assert [t.text for t in author.toasts()] == ["Pengumuman ini sudah dikirim atau dibatalkan."]
    assert world.outbox("ann:") == []


def test_acknowledgements_are_recorded_once_and_reported_with_who_has_not_read(
    world: World, helpdesk: HelpDesk
) -> None:
    readers = [world.liaison(BANTUL, name=name) for name in ("Ani", "Budi", "Citra")]
    supervisor = officer_chat(world, helpdesk, BANTUL, Role.SUPERVISOR, "708")
    supervisor.send("/umumkan Mohon konfirmasi kehadiran.")
    supervisor.press("Saya sudah membaca")
    supervisor.press("Kirim")
    supervisor.press("Ya, kirim")
    (ann,) = announcements(world)
    messages = {m.recipient: m for m in world.outbox("ann:")}
    with UnitOfWork(world.sessions) as uow:  # the delivery worker's part, done by hand
        for index, reader in enumerate(readers):
            row = uow.session.get(OutboxMessage, messages[reader.external_id].id)
            assert row is not None
            row.status = OutboxStatus.UNREACHABLE if index == 2 else OutboxStatus.SENT
            row.message_id = str(500 + index)
            uow.session.add(row)
        uow.commit()

    payload = messages[readers[0].external_id].button_rows()[0][0]["payload"] or ""
    ani_event = Chat(helpdesk, chat_id=readers[0].external_id, person_id=readers[0].external_id)
    _press_as_telegram(helpdesk, ani_event, payload)
    _press_as_telegram(helpdesk, ani_event, payload)
    with world.sessions() as session:
        assert len(session.exec(select(Acknowledgement)).all()) == 1

    supervisor.send(f"/laporan_umum {ann.id}")
    report = supervisor.text()
    assert "Penerima: <b>3</b>" in report
    assert "Terkirim: 2" in report and "tidak terjangkau: 1" in report
    assert "Sudah membaca: <b>1</b>" in report
    assert "– Budi" in report and "– Ani" not in report and "– Citra" not in report


def _press_as_telegram(helpdesk: HelpDesk, chat: Chat, payload: str) -> None:
    from handlers.port import ChatRef, Event, Sender
    from models import ChatKind

    event = Event(
        channel="telegram",
        chat=ChatRef(id=chat.chat_id, kind=ChatKind.PRIVATE),
        sender=Sender(id=chat.person_id, name=chat.name, language="id"),
        button=payload,
        ref="9",
    )
    outs = helpdesk.handle(event)
    assert outs and "tercatat" in getattr(outs[0], "text", "")


def test_a_report_is_refused_to_officers_of_another_area(world: World, helpdesk: HelpDesk) -> None:
    supervisor = officer_chat(world, helpdesk, BANTUL, Role.SUPERVISOR, "709")
    supervisor.send("/umumkan Halo")
    outsider = officer_chat(world, helpdesk, MAKASSAR, Role.ADMIN, "710")
    outsider.send("/laporan_umum 1")
    assert "hanya dapat dibuat" in outsider.text()
    outsider.send("/laporan_umum 99")
    assert "tidak ditemukan" in outsider.text()


def test_a_large_audience_is_queued_and_enqueued_by_the_tick_in_chunks_once(
    world: World, helpdesk: HelpDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    import handlers.announce.announce
    import handlers.announce.broadcasts
    from handlers.announce.broadcasts import run_queued_announcements

    monkeypatch.setattr(handlers.announce.announce, "DIRECT_LIMIT", 2)
    monkeypatch.setattr(handlers.announce.broadcasts, "CHUNK", 2)
    people = [world.liaison(BANTUL, name=f"L{i}") for i in range(5)]
    supervisor = officer_chat(world, helpdesk, BANTUL, Role.SUPERVISOR, "711")
    supervisor.send("/umumkan Pengumuman untuk banyak penerima")
    supervisor.press("Kirim")
    supervisor.press("Ya, kirim")
    assert "untuk <b>5</b> penerima" in supervisor.text()
    (ann,) = announcements(world)
    assert ann.status is AnnouncementStatus.QUEUED and world.outbox("ann:") == []

    tick = (world.sessions, world.clock, helpdesk.texts, helpdesk.signer)
    assert run_queued_announcements(*tick) == 5
    assert run_queued_announcements(*tick) == 0
    (ann,) = announcements(world)
    assert ann.status is AnnouncementStatus.SENT and ann.recipients == 5
    assert recipients(world.outbox("ann:")) == {p.external_id for p in people}
