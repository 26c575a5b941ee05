"""The reminder tick on a real database with a controlled clock: the right messages, to the
right chats, at the right instants, once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from handlers.calendar.reminders import run_due_reminders
from handlers.signing import Signer
from handlers.texts import Texts
from models import Language, ManualClock, UnitOfWork
from models.staff import Tier
from models.stages import BatchStatus, ReminderBatch, StageData, set_muted
from tests.unit.calendar_world import BANTUL, JAYAPURA, MAKASSAR, World, recipients

SIGNER = Signer(b"k" * 32)
WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"


@pytest.fixture
def world(sessions: Callable[[], Session], clock: ManualClock) -> World:
    return World(sessions, clock)


def local_stage(ends: str, reminders: tuple[str, ...], **extra: object) -> StageData:
    """A stage that closes at ``ends`` local to each office (like Pilkada registration)."""
    start = "2026-11-20T08:00"
    naive = datetime.strptime(ends, "%Y-%m-%dT%H:%M")
    return StageData(
        key=str(extra.pop("key", "pendaftaran")),
        calendar="test",
        name_id="Pendaftaran pasangan calon",
        name_en="Registration of candidate pairs",
        todo_id="Serahkan berkas ke KPU.",
        todo_en="Hand the files to KPU.",
        starts_at=datetime(2026, 11, 20, 1, 0, tzinfo=UTC),
        ends_at=naive.replace(tzinfo=ZoneInfo(WIB)).astimezone(UTC),
        local_starts=start,
        local_ends=ends,
        reminders=reminders,
        faq_ids=("daftar-batas-waktu",),
        system="SILON",
        **extra,  # type: ignore[arg-type]
    )


def tick(world: World, texts: Texts) -> int:
    return run_due_reminders(world.sessions, world.clock, texts, SIGNER)


def at(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)  # type: ignore[misc]


def test_offsets_fire_at_the_right_instants_across_wib_wita_and_wit(
    world: World, texts: Texts
) -> None:
    bantul = world.liaison(BANTUL, name="Ani")
    makassar = world.liaison(MAKASSAR, name="Beni")
    jayapura = world.liaison(JAYAPURA, name="Cici", language=Language.EN)
    (stage,) = world.stages(local_stage("2026-11-30T23:59", ("PT6H",)))

    world.clock.set(at(WIT, 2026, 11, 30, 17, 58))
    assert tick(world, texts) == 0
    world.clock.set(at(WIT, 2026, 11, 30, 17, 59))
    assert tick(world, texts) == 1
    world.clock.set(at(WITA, 2026, 11, 30, 17, 58, 59))
    assert tick(world, texts) == 0
    world.clock.set(at(WITA, 2026, 11, 30, 17, 59))
    assert tick(world, texts) == 1
    world.clock.set(at(WIB, 2026, 11, 30, 17, 59))
    assert tick(world, texts) == 1
    assert tick(world, texts) == 0, "nothing twice"

    sent = {m.recipient: m for m in world.outbox(f"rem:{stage.id}:")}
    assert set(sent) == {bantul.external_id, makassar.external_id, jayapura.external_id}
    assert all(m.campaign == f"rem:{stage.id}:PT6H" for m in sent.values())
    assert "Senin, 30 November 2026 pukul 23.59 WIB" in sent[bantul.external_id].text
    assert "Senin, 30 November 2026 pukul 23.59 WITA" in sent[makassar.external_id].text
    assert "Monday, 30 November 2026 at 23:59 WIT" in sent[jayapura.external_id].text
    assert "6 jam lagi" in sent[bantul.external_id].text
    assert "6 hours left" in sent[jayapura.external_id].text
    assert sent[makassar.external_id].expires_at == at(WITA, 2026, 11, 30, 23, 59)


def test_quiet_hours_hold_a_reminder_and_release_it_at_six_local(
    world: World, texts: Texts
) -> None:
    liaison = world.liaison(MAKASSAR)
    world.stages(local_stage("2026-11-30T23:59", ("P1D",)))
    world.clock.set(at(WITA, 2026, 11, 29, 23, 59))  # P1D is due, but it is night
    assert tick(world, texts) == 0
    world.clock.set(at(WITA, 2026, 11, 30, 5, 59))
    assert tick(world, texts) == 0
    world.clock.set(at(WITA, 2026, 11, 30, 6, 0))
    assert tick(world, texts) == 1
    (message,) = world.outbox("rem:")
    assert message.recipient == liaison.external_id
    assert "17 jam 59 menit lagi" in message.text


def test_the_last_six_hours_are_never_held(world: World, texts: Texts) -> None:
    world.liaison(JAYAPURA)
    world.stages(local_stage("2026-11-30T23:59", ("PT1H",)))
    world.clock.set(at(WIT, 2026, 11, 30, 22, 59))
    assert tick(world, texts) == 1
    assert "1 jam lagi" in world.outbox("rem:")[0].text


def test_a_reminder_missed_while_down_goes_out_late_with_the_right_time_left(
    world: World, texts: Texts
) -> None:
    world.liaison(BANTUL)
    (stage,) = world.stages(local_stage("2026-11-30T23:59", ("P3D", "P1D")))
    world.clock.set(at(WIB, 2026, 11, 30, 9, 30))  # down since before P3D; P1D released 06.00
    assert tick(world, texts) == 1
    (message,) = world.outbox("rem:")
    assert message.campaign == f"rem:{stage.id}:P1D"
    assert "14 jam 29 menit lagi" in message.text
    with world.sessions() as session:
        query = select(ReminderBatch).where(ReminderBatch.zone == WIB)
        batches = {b.offset: b for b in session.exec(query)}
    assert batches["P3D"].status is BatchStatus.SKIPPED and batches["P3D"].reason == "superseded"
    assert batches["P1D"].status is BatchStatus.SENT and batches["P1D"].recipients == 1


def test_a_reminder_missed_past_the_deadline_is_skipped_and_logged(
    world: World, texts: Texts, caplog: pytest.LogCaptureFixture
) -> None:
    world.liaison(BANTUL)
    world.stages(local_stage("2026-11-30T23:59", ("PT6H",)))
    world.clock.set(at(WIB, 2026, 12, 1, 0, 0))
    with caplog.at_level(logging.INFO, logger="handlers.calendar.reminders"):
        assert tick(world, texts) == 0
    assert world.outbox("rem:") == []
    assert any("skipped: deadline passed" in r.getMessage() for r in caplog.records)
    with world.sessions() as session:
        statuses = {b.status for b in session.exec(select(ReminderBatch))}
    assert statuses == {BatchStatus.SKIPPED}
    caplog.clear()
    assert tick(world, texts) == 0 and not caplog.records, "skipped once, logged once"


def test_muted_liaisons_get_no_reminders_until_they_unmute(world: World, texts: Texts) -> None:
    quiet = world.liaison(BANTUL, name="Dedi")
    other = world.liaison(BANTUL, name="Eka")
    world.stages(local_stage("2026-11-30T23:59", ("PT6H", "PT1H")))
    with UnitOfWork(world.sessions) as uow:
        assert quiet.id is not None
        set_muted(uow.session, quiet.id, True, world.now)
        uow.commit()
    world.clock.set(at(WIB, 2026, 11, 30, 17, 59))
    tick(world, texts)
    assert recipients(world.outbox("rem:")) == {other.external_id}
    with UnitOfWork(world.sessions) as uow:
        set_muted(uow.session, quiet.id, False, world.now)
        uow.commit()
    world.clock.set(at(WIB, 2026, 11, 30, 22, 59))
    tick(world, texts)
    assert quiet.external_id in recipients(world.outbox("rem:")) - recipients(
        [m for m in world.outbox("rem:") if m.campaign.endswith("PT6H")]
    )


def test_reimport_with_a_later_deadline_reschedules_without_repeating(
    world: World, texts: Texts
) -> None:
    world.liaison(BANTUL)
    (first,) = world.stages(local_stage("2026-11-30T23:59", ("P1D", "PT6H")))
    world.clock.set(at(WIB, 2026, 11, 30, 6, 0))
    assert tick(world, texts) == 1  # P1D
    (moved,) = world.stages(local_stage("2026-12-02T23:59", ("P1D", "PT6H")))
    assert moved.id == first.id, "updated in place"
    assert moved.deadline_in(WIB) == at(WIB, 2026, 12, 2, 23, 59)
    world.clock.set(at(WIB, 2026, 11, 30, 17, 59))  # the old PT6H time: nothing now
    assert tick(world, texts) == 0
    world.clock.set(at(WIB, 2026, 12, 2, 6, 0))  # the new P1D time: already sent
    assert tick(world, texts) == 0
    world.clock.set(at(WIB, 2026, 12, 2, 17, 59))
    assert tick(world, texts) == 1
    campaigns = sorted(m.campaign for m in world.outbox("rem:"))
    assert campaigns == [f"rem:{first.id}:P1D", f"rem:{first.id}:PT6H"]
    assert "Rabu, 2 Desember 2026 pukul 23.59 WIB" in world.outbox("rem:")[1].text


def test_only_the_stage_audience_in_its_area_gets_the_reminder(world: World, texts: Texts) -> None:
    dpp_pkb = world.liaison(BANTUL, tier=Tier.DPP, party="pkb")
    world.liaison(BANTUL, tier=Tier.DPC, party="pkb")  # wrong tier
    world.liaison(BANTUL, tier=Tier.DPP, party="golkar")  # wrong party
    world.liaison(MAKASSAR, tier=Tier.DPP, party="pkb")  # outside the region
    world.liaison(BANTUL, tier=Tier.DPP, party="pkb", reachable=False)  # blocked the bot
    world.group(BANTUL)  # groups get nothing addressed to some parties only
    world.stages(
        local_stage(
            "2026-11-30T23:59", ("PT6H",), tiers=("dpp",), parties=("pkb",), regions=("34",)
        )
    )
    world.clock.set(at(WIB, 2026, 11, 30, 18, 0))
    for _ in range(3):
        world.clock.advance(timedelta(hours=-2))
        tick(world, texts)
    world.clock.set(at(WIB, 2026, 11, 30, 18, 0))
    tick(world, texts)
    assert recipients(world.outbox("rem:")) == {dpp_pkb.external_id}


def test_registered_groups_in_the_area_get_reminders_in_indonesian_without_a_mute_button(
    world: World, texts: Texts
) -> None:
    group = world.group(MAKASSAR)
    world.group(BANTUL)  # outside the stage's office area
    world.stages(local_stage("2026-11-30T23:59", ("PT6H",), office_code="73"))
    world.clock.set(at(WITA, 2026, 11, 30, 18, 0))
    tick(world, texts)
    (message,) = world.outbox("rem:")
    assert message.recipient == group.external_id
    assert "Pengingat tahapan" in message.text
    labels = [b["label"] for row in message.button_rows() for b in row]
    assert labels == ["📚 Baca panduan", "📅 Jadwal tahapan"]


def test_reminder_buttons_are_signed_for_the_recipient_chat(world: World, texts: Texts) -> None:
    liaison = world.liaison(BANTUL)
    world.stages(local_stage("2026-11-30T23:59", ("PT6H",)))
    world.clock.set(at(WIB, 2026, 11, 30, 18, 0))
    tick(world, texts)
    (message,) = world.outbox("rem:")
    payloads = [b["payload"] for row in message.button_rows() for b in row]
    actions = [SIGNER.verify(liaison.external_id, p or "") for p in payloads]
    assert actions == ["faq:e:daftar-batas-waktu", "sch:v", "sch:mute"]
    assert SIGNER.verify("another-chat", payloads[0] or "") is None


def test_the_opening_notice_goes_out_when_the_stage_opens(world: World, texts: Texts) -> None:
    world.liaison(JAYAPURA)
    world.stages(
        StageData(
            key="buka",
            calendar="test",
            name_id="Perbaikan dokumen",
            name_en="Corrections",
            starts_at=at(WIB, 2026, 11, 24, 8, 0),
            ends_at=at(WIB, 2026, 11, 30, 23, 59),
            local_starts="2026-11-24T08:00",
            local_ends="2026-11-30T23:59",
            reminders=(),
            opening_notice=True,
        )
    )
    world.clock.set(at(WIT, 2026, 11, 24, 7, 59))
    assert tick(world, texts) == 0
    world.clock.set(at(WIT, 2026, 11, 24, 8, 0))
    assert tick(world, texts) == 1
    text = world.outbox("rem:")[0].text
    assert "Tahapan dimulai" in text and "Selasa, 24 November 2026 pukul 08.00 WIT" in text
