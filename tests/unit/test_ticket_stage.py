"""A ticket carries the stage (tahapan) running at its office when it was opened, and the
report's stage breakdown counts it there, like a consultation recorded by hand."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from models import ManualClock
from models.report_scope import parse_period
from models.reports import build_report
from models.staff import Tier
from models.stages import LOCAL_FORMAT, StageData, import_stages
from models.ticket_actions import open_ticket
from models.tickets import Ticket
from tests.unit.consult_world import recorded
from tests.unit.desk_world import World, world_in

WEEK = parse_period("2026-W48")
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09.00 WIB, 11.00 WIT
DAY = timedelta(days=1)


def _stage(key: str, start: datetime, end: datetime, **more: object) -> StageData:
    return StageData(
        key=key,
        calendar="test",
        name_id=key,
        name_en=key,
        starts_at=start,
        ends_at=end,
        **more,  # type: ignore[arg-type]
    )


def _calendar(world: World, *stages: StageData) -> None:
    import_stages(world.session, "test", list(stages), world.now)


def _ticket(
    world: World, office: str = "34.02", tier: Tier = Tier.DPC, entries: Sequence[str] = ()
) -> Ticket:
    liaison = world.liaison(office, tier)
    offered = [{"id": entry, "title": entry} for entry in entries]
    return open_ticket(
        world.session, liaison=liaison, question="Kapan?", now=world.now, suggested=offered
    )


def test_a_ticket_carries_the_running_stage_that_ends_first_or_the_one_its_entry_serves(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        _calendar(
            world,
            _stage("verifikasi", NOW - DAY, NOW + 3 * DAY),
            _stage("pendaftaran", NOW - 2 * DAY, NOW + 9 * DAY, faq_ids=("daftar-syarat",)),
            _stage("pengumuman", NOW - 9 * DAY, NOW - DAY),  # over
            _stage("kampanye", NOW + DAY, NOW + 30 * DAY),  # not begun
        )

        assert _ticket(world).stage == "verifikasi"
        assert _ticket(world, entries=["daftar-syarat"]).stage == "pendaftaran"
        assert _ticket(world, entries=["another-entry"]).stage == "verifikasi"


def test_no_stage_for_the_liaison_or_the_office_leaves_the_ticket_without_one(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        _calendar(
            world,
            _stage("dpp-only", NOW - DAY, NOW + DAY, tiers=(Tier.DPP.value,)),
            _stage("makassar", NOW - DAY, NOW + DAY, office_code="73.71"),
        )

        assert _ticket(world, "34.02", Tier.DPC).stage == ""
        assert _ticket(world, "34.02", Tier.DPP).stage == "dpp-only"
        assert _ticket(world, "73.71", Tier.DPC).stage == "makassar"


def test_a_stage_held_in_local_time_has_closed_in_jayapura_while_bantul_is_still_in_it(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        # Ends Monday 23.59 at each office: 16.59 UTC in Bantul (WIB), 14.59 UTC in Jayapura.
        start, end = datetime(2026, 11, 16, 0, 0), datetime(2026, 11, 23, 23, 59)
        _calendar(
            world,
            _stage(
                "perbaikan",
                start.replace(tzinfo=UTC),
                end.replace(tzinfo=UTC),
                local_starts=start.strftime(LOCAL_FORMAT),
                local_ends=end.strftime(LOCAL_FORMAT),
            ),
        )
        world.clock.set(datetime(2026, 11, 23, 15, 30, tzinfo=UTC))

        assert _ticket(world, "34.02").stage == "perbaikan"
        assert _ticket(world, "91.71").stage == ""


def test_the_stage_breakdown_counts_tickets_with_the_recorded_consultations(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        _calendar(world, _stage("verifikasi", NOW - DAY, NOW + 3 * DAY))
        _ticket(world)
        recorded(world, "34.02", stage="verifikasi")
        recorded(world, "34.02", stage="")
        world.session.commit()

        report = build_report(world.session, "34.02", WEEK, world.now)

        assert {c.key: c.count for c in report.by_stage} == {"verifikasi": 2, "": 1}
