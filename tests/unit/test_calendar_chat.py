"""The stage calendar in chat: /jadwal with countdowns, the .ics file, muting reminders,
and registering a group for broadcasts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from handlers.helpdesk import HelpDesk
from models import ChatKind, ManualClock, UnitOfWork
from models.broadcast import BroadcastGroup
from models.people import find_person
from models.staff import Liaison, LiaisonVia, Officer, Role, Tier
from models.stages import ReminderMute, StageData
from tests.chat import Chat
from tests.unit.calendar_world import BANTUL, MAKASSAR, World


@pytest.fixture
def world(sessions: Callable[[], Session], clock: ManualClock) -> World:
    return World(sessions, clock)


def stage(key: str, ends_local: str, **extra: object) -> StageData:
    naive = datetime.strptime(ends_local, "%Y-%m-%dT%H:%M")
    return StageData(
        key=key,
        calendar="test",
        name_id=f"Tahap {key}",
        name_en=f"Stage {key}",
        starts_at=datetime(2026, 11, 20, 1, 0, tzinfo=UTC),
        ends_at=naive.replace(tzinfo=ZoneInfo("Asia/Jakarta")).astimezone(UTC),
        local_starts="2026-11-20T08:00",
        local_ends=ends_local,
        **extra,  # type: ignore[arg-type]
    )


def make_liaison(world: World, chat: Chat, office: str, tier: Tier = Tier.DPC) -> None:
    chat.send("/start")
    with UnitOfWork(world.sessions) as uow:
        person = find_person(uow.session, "test", chat.person_id)
        assert person is not None and person.id is not None
        uow.session.add(
            Liaison(
                person_id=person.id,
                name=chat.name,
                party="pkb",
                tier=tier,
                office_code=office,
                via=LiaisonVia.SELF,
                created_at=world.now,
            )
        )
        uow.commit()


def make_officer(world: World, chat: Chat, office: str, role: Role) -> None:
    chat.send("/start")
    with UnitOfWork(world.sessions) as uow:
        person = find_person(uow.session, "test", chat.person_id)
        assert person is not None and person.id is not None
        uow.session.add(
            Officer(person_id=person.id, office_code=office, role=role, created_at=world.now)
        )
        uow.commit()


def test_jadwal_shows_upcoming_stages_with_countdowns_in_the_liaison_zone(
    world: World, helpdesk: HelpDesk
) -> None:
    world.stages(
        stage("past", "2026-11-22T23:59"),
        stage("soon", "2026-11-26T23:59", system="SILON"),
        stage("later", "2026-12-10T23:59"),
        stage("elsewhere", "2026-11-27T23:59", office_code=BANTUL),
        stage("dpp-only", "2026-11-28T23:59", tiers=("dpp",)),
    )
    liaison = Chat(helpdesk, chat_id="601", person_id="601")
    make_liaison(world, liaison, MAKASSAR)
    liaison.send("/jadwal")
    text = liaison.text()
    assert "waktu WITA" in text
    assert "Tahap soon" in text and "Tahap later" in text
    assert "Tahap past" not in text and "Tahap elsewhere" not in text and "dpp-only" not in text
    assert "Kamis, 26 November 2026 pukul 23.59 WITA (waktu setempat)" in text
    assert "3 hari 13 jam lagi" in text  # Mon 10.00 WITA → Thu 23.59 WITA
    assert text.index("Tahap soon") < text.index("Tahap later")
    labels = [b.label for b in liaison.buttons()]
    assert labels == ["📅 File kalender (.ics)", "🔕 Senyapkan pengingat", "🏠 Menu utama"]


def test_the_schedule_menu_entry_opens_the_calendar_in_place(
    world: World, helpdesk: HelpDesk
) -> None:
    world.stages(stage("soon", "2026-11-26T23:59"))
    person = Chat(helpdesk, chat_id="602", person_id="602", language="en")
    person.send("/start")
    person.press("English")
    person.press("Stage calendar")
    (reply,) = person.replies()
    assert reply.edit == "77"
    assert "Stage soon" in reply.text and "(WIB time)" in reply.text


def test_the_ics_button_sends_an_icalendar_file_of_the_upcoming_stages(
    world: World, helpdesk: HelpDesk
) -> None:
    world.stages(stage("soon", "2026-11-26T23:59"))
    person = Chat(helpdesk, chat_id="603", person_id="603")
    person.send("/jadwal")
    person.press(".ics")
    (reply,) = person.replies()
    assert reply.file is not None and reply.file.name.endswith(".ics")
    assert reply.file.mime == "text/calendar"
    text = reply.file.content.decode()
    assert text.startswith("BEGIN:VCALENDAR") and "UID:soon@kpu-helpdesk" in text
    assert "DTEND:20261126T165900Z" in text and "END:VCALENDAR" in text
    assert "1 tahapan" in reply.text


def test_mute_and_unmute_by_command_and_by_button(world: World, helpdesk: HelpDesk) -> None:
    liaison = Chat(helpdesk, chat_id="604", person_id="604")
    make_liaison(world, liaison, BANTUL)

    def muted() -> bool:
        with world.sessions() as session:
            return session.exec(select(ReminderMute)).first() is not None

    liaison.send("/senyap")
    assert muted() and "disenyapkan" in liaison.text()
    liaison.send("/aktifkan")
    assert not muted() and "aktif" in liaison.text()
    liaison.send("/jadwal")
    liaison.press("Senyapkan")
    assert muted()
    assert [t.text for t in liaison.toasts()] == ["Pengingat tenggat disenyapkan."]
    assert "sedang disenyapkan" in liaison.text()
    liaison.press("Aktifkan")
    assert not muted()


def test_mute_in_a_group_points_to_the_private_chat(world: World, helpdesk: HelpDesk) -> None:
    group = Chat(helpdesk, chat_id="-100605", person_id="605", kind=ChatKind.GROUP)
    group.send("/senyap")
    assert "chat pribadi" in group.text()


def test_a_supervisor_registers_a_group_for_an_office_below_theirs(
    world: World, helpdesk: HelpDesk
) -> None:
    supervisor = Chat(helpdesk, chat_id="-100606", person_id="606", kind=ChatKind.GROUP)
    make_officer(world, supervisor, "73", Role.SUPERVISOR)
    supervisor.send("/daftarkan_grup 73.71")
    assert "KPU Kota Makassar" in supervisor.text()
    with world.sessions() as session:
        (group,) = session.exec(select(BroadcastGroup)).all()
    assert group.office_code == "73.71" and group.active
    supervisor.send("/daftarkan_grup 34.02")
    assert "hanya petugas KPU" in supervisor.text(), "not their area"
    supervisor.send("/hapus_grup")
    assert "tidak lagi menerima" in supervisor.text()


def test_agents_liaisons_and_private_chats_cannot_register_groups(
    world: World, helpdesk: HelpDesk
) -> None:
    agent = Chat(helpdesk, chat_id="-100607", person_id="607", kind=ChatKind.GROUP)
    make_officer(world, agent, BANTUL, Role.AGENT)
    agent.send("/daftarkan_grup")
    assert "hanya petugas KPU" in agent.text()
    stranger = Chat(helpdesk, chat_id="-100607", person_id="608", kind=ChatKind.GROUP)
    stranger.send("/daftarkan_grup")
    assert "hanya petugas KPU" in stranger.text()
    private = Chat(helpdesk, chat_id="609", person_id="609")
    private.send("/daftarkan_grup")
    assert "di dalam grup" in private.text()
    with world.sessions() as session:
        assert session.exec(select(BroadcastGroup)).all() == []


def test_reminders_are_switched_off_and_on_from_the_settings(
    world: World, helpdesk: HelpDesk
) -> None:
    person = Chat(helpdesk, chat_id="605", person_id="605")
    person.send("/start")
    person.press("Indonesia")
    person.press("Pengaturan")
    person.press("Senyapkan")

    def muted() -> bool:
        with world.sessions() as session:
            return session.exec(select(ReminderMute)).first() is not None

    assert muted()
    person.send("/menu")
    person.press("Pengaturan")
    assert person.button("Aktifkan"), "the settings offer to switch them back on"
    person.press("Aktifkan")
    assert not muted()


def test_a_supervisor_cannot_take_over_a_group_registered_by_another_area(
    world: World, helpdesk: HelpDesk
) -> None:
    province = Chat(helpdesk, chat_id="-100610", person_id="610", kind=ChatKind.GROUP)
    make_officer(world, province, "73", Role.SUPERVISOR)
    province.send("/daftarkan_grup")
    other = Chat(helpdesk, chat_id="-100610", person_id="611", kind=ChatKind.GROUP)
    make_officer(world, other, BANTUL, Role.SUPERVISOR)
    other.send("/daftarkan_grup")
    assert "hanya petugas KPU" in other.text()
    with world.sessions() as session:
        (group,) = session.exec(select(BroadcastGroup)).all()
    assert group.office_code == "73"
