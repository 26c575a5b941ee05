"""The reminder rules as pure functions: fire instants, quiet hours, the late rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.reminder_times import (
    OPEN,
    canonical_offset,
    parse_duration,
    plan,
    release_instant,
    slots,
    time_left,
)
from models.stages import Stage

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"


def local(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)  # type: ignore[misc]


def pilkada_registration() -> Stage:
    return Stage(
        key="pilkada",
        calendar="t",
        name_id="Pendaftaran",
        name_en="Registration",
        starts_at=local(WIB, 2024, 8, 27, 8, 0),
        ends_at=local(WIB, 2024, 8, 29, 23, 59),
        local_starts="2024-08-27T08:00",
        local_ends="2024-08-29T23:59",
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
        updated_at=datetime(2024, 1, 1, tzinfo=UTC),
    )


def test_a_local_deadline_is_2359_in_each_office_zone() -> None:
    stage = pilkada_registration()
    assert stage.deadline_in(WIB) == datetime(2024, 8, 29, 16, 59, tzinfo=UTC)
    assert stage.deadline_in(WITA) == datetime(2024, 8, 29, 15, 59, tzinfo=UTC)
    assert stage.deadline_in(WIT) == datetime(2024, 8, 29, 14, 59, tzinfo=UTC)
    assert stage.start_in(WIT) == datetime(2024, 8, 26, 23, 0, tzinfo=UTC)


def test_offsets_fire_at_the_deadline_minus_the_offset_in_each_zone() -> None:
    stage = pilkada_registration()
    for zone, utc_hour in ((WIB, 10), (WITA, 9), (WIT, 8)):
        (six_hours,) = slots(
            start=stage.start_in(zone),
            deadline=stage.deadline_in(zone),
            offsets=["PT6H"],
            opening=False,
            zone=ZoneInfo(zone),
        )
        assert (
            six_hours.fire == six_hours.release == datetime(2024, 8, 29, utc_hour, 59, tzinfo=UTC)
        )


def test_quiet_hours_hold_a_reminder_until_six_in_the_morning_local() -> None:
    deadline = local(WITA, 2024, 8, 29, 23, 59)
    fire = deadline - timedelta(days=1)  # 23.59 WITA the day before: quiet
    assert release_instant(fire, deadline, ZoneInfo(WITA)) == local(WITA, 2024, 8, 29, 6, 0)


def test_a_reminder_in_the_last_six_hours_is_not_held() -> None:
    deadline = local(WIT, 2024, 8, 29, 23, 59)
    fire = deadline - timedelta(hours=1)  # 22.59 WIT: quiet, but the deadline is close
    assert release_instant(fire, deadline, ZoneInfo(WIT)) == fire


def test_a_held_reminder_is_released_when_the_last_six_hours_begin() -> None:
    deadline = local(WIB, 2024, 8, 30, 5, 0)
    fire = deadline - timedelta(hours=8)  # 21.00: quiet; quiet hours end after 23.00
    assert release_instant(fire, deadline, ZoneInfo(WIB)) == local(WIB, 2024, 8, 29, 23, 0)


def test_the_opening_notice_waits_for_the_morning_too() -> None:
    start = local(WIB, 2024, 8, 27, 0, 0)
    (opening,) = slots(
        start=start,
        deadline=start + timedelta(days=3),
        offsets=[],
        opening=True,
        zone=ZoneInfo(WIB),
    )
    assert opening.offset == OPEN
    assert opening.release == local(WIB, 2024, 8, 27, 6, 0)


def test_of_several_overdue_reminders_only_the_nearest_to_the_deadline_goes_out() -> None:
    deadline = local(WIB, 2024, 8, 29, 23, 59)
    all_slots = slots(
        start=deadline - timedelta(days=10),
        deadline=deadline,
        offsets=["P7D", "P3D", "P1D"],
        opening=True,
        zone=ZoneInfo(WIB),
    )
    now = deadline - timedelta(hours=12)
    decided = plan(all_slots, deadline=deadline, now=now, done={"P7D"})
    assert decided.send is not None and decided.send.offset == "P1D"
    assert decided.skip == {"open": "superseded", "P3D": "superseded"}


def test_after_the_deadline_every_due_reminder_is_skipped() -> None:
    deadline = local(WIB, 2024, 8, 29, 23, 59)
    all_slots = slots(
        start=deadline,
        deadline=deadline,
        offsets=["P1D", "PT1H"],
        opening=False,
        zone=ZoneInfo(WIB),
    )
    decided = plan(all_slots, deadline=deadline, now=deadline + timedelta(minutes=1), done=set())
    assert decided.send is None
    assert decided.skip == {"P1D": "deadline passed", "PT1H": "deadline passed"}


def test_nothing_is_planned_before_the_first_release_or_after_all_are_done() -> None:
    deadline = local(WIB, 2024, 8, 29, 23, 59)
    all_slots = slots(
        start=deadline, deadline=deadline, offsets=["PT6H"], opening=False, zone=ZoneInfo(WIB)
    )
    assert plan(all_slots, deadline=deadline, now=deadline - timedelta(hours=7), done=()).empty
    assert plan(all_slots, deadline=deadline, now=deadline, done={"PT6H"}).empty


@pytest.mark.parametrize(
    ("written", "canonical", "seconds"),
    [
        ("P7D", "P7D", 7 * 86400),
        ("p1w", "P7D", 7 * 86400),
        ("PT6H", "PT6H", 6 * 3600),
        ("P1DT6H30M", "P1DT6H30M", 86400 + 6 * 3600 + 1800),
        ("PT90M", "PT1H30M", 5400),
    ],
)
def test_iso_durations_are_read_and_written_canonically(
    written: str, canonical: str, seconds: int
) -> None:
    assert parse_duration(written).total_seconds() == seconds
    assert canonical_offset(written) == canonical


@pytest.mark.parametrize("bad", ["P1M", "P1Y", "7D", "P", "PT", "P1DT", "", "soon"])
def test_durations_with_months_years_or_nonsense_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        canonical_offset(bad)


def test_time_left_is_rounded_up_to_the_minute_and_never_negative() -> None:
    deadline = datetime(2024, 8, 29, 16, 59, tzinfo=UTC)
    assert time_left(deadline - timedelta(days=3, hours=4), deadline) == (3, 4, 0)
    assert time_left(deadline - timedelta(minutes=59, seconds=30), deadline) == (0, 1, 0)
    assert time_left(deadline + timedelta(hours=1), deadline) == (0, 0, 0)
