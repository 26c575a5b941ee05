"""Working time: office hours in each office's own zone, the last-day extension, and
due times counted in working minutes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from handlers.desk.ticks import stage_last_days
from models import ManualClock
from models.offices import Office, OfficeLevel, get_office
from models.sla import (
    extended_dates,
    is_working,
    next_working_moment,
    sla_due,
    working_minutes_between,
)
from tests.unit.desk_world import world_in

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")


def office(zone: str = "Asia/Jakarta", **settings: Any) -> Office:
    return Office(
        code="34.02",
        name="KPU Kabupaten Bantul",
        level=OfficeLevel.REGENCY,
        prefix="BTL",
        timezone=zone,
        **settings,
    )


def local(zone: ZoneInfo, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def test_an_office_works_eight_to_four_local_monday_to_saturday() -> None:
    bantul = office()
    assert is_working(bantul, local(WIB, 2026, 11, 23, 8, 0))  # Monday
    assert is_working(bantul, local(WIB, 2026, 11, 28, 15, 59))  # Saturday
    assert not is_working(bantul, local(WIB, 2026, 11, 23, 16, 0))
    assert not is_working(bantul, local(WIB, 2026, 11, 23, 7, 59))
    assert not is_working(bantul, local(WIB, 2026, 11, 29, 10, 0))  # Sunday


def test_the_same_instant_is_inside_hours_in_wita_and_wit_but_not_yet_in_wib() -> None:
    instant = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)  # 07.30 WIB, 08.30 WITA, 09.30 WIT
    assert not is_working(office("Asia/Jakarta"), instant)
    assert is_working(office("Asia/Makassar"), instant)
    assert is_working(office("Asia/Jayapura"), instant)
    assert next_working_moment(office("Asia/Jakarta"), instant) == local(WIB, 2026, 11, 23, 8, 0)
    assert next_working_moment(office("Asia/Jayapura"), instant) == instant


def test_after_saturday_closing_the_next_working_moment_is_monday_morning() -> None:
    saturday_evening = local(WIB, 2026, 11, 28, 17, 0)
    monday = next_working_moment(office(), saturday_evening)
    assert monday == local(WIB, 2026, 11, 30, 8, 0) and monday.tzinfo is UTC


def test_due_times_count_working_minutes_only() -> None:
    bantul = office()
    assert sla_due(bantul, local(WIB, 2026, 11, 23, 9, 0), 60) == local(WIB, 2026, 11, 23, 10, 0)
    assert sla_due(bantul, local(WIB, 2026, 11, 23, 15, 30), 60) == local(WIB, 2026, 11, 24, 8, 30)
    assert sla_due(bantul, local(WIB, 2026, 11, 28, 15, 30), 60) == local(WIB, 2026, 11, 30, 8, 30)
    assert sla_due(bantul, local(WIB, 2026, 11, 29, 12, 0), 240) == local(WIB, 2026, 11, 30, 12, 0)
    assert sla_due(office("Asia/Jayapura"), local(WIT, 2026, 11, 23, 15, 0), 120) == local(
        WIT, 2026, 11, 24, 9, 0
    )


def test_hours_and_days_are_configurable_per_office() -> None:
    short_week = office(work_start="07:30", work_end="15:00", work_days="1-5")
    assert sla_due(short_week, local(WIB, 2026, 11, 27, 14, 30), 60) == local(
        WIB, 2026, 11, 30, 8, 0
    )


def test_on_the_last_day_of_a_stage_the_desk_works_until_midnight_even_on_sunday() -> None:
    bantul = office()
    friday, sunday = date(2026, 11, 27), date(2026, 11, 29)
    extended = extended_dates([friday, sunday])
    assert is_working(bantul, local(WIB, 2026, 11, 27, 23, 59), extended)
    assert not is_working(bantul, local(WIB, 2026, 11, 27, 23, 59))
    assert sla_due(bantul, local(WIB, 2026, 11, 27, 15, 30), 60, extended) == local(
        WIB, 2026, 11, 27, 16, 30
    )
    assert is_working(bantul, local(WIB, 2026, 11, 29, 20, 0), extended)
    saturday_evening = local(WIB, 2026, 11, 28, 20, 0)
    assert next_working_moment(bantul, saturday_evening, extended) == local(WIB, 2026, 11, 29, 8, 0)


def test_working_minutes_between_two_instants_skip_nights_and_sundays() -> None:
    bantul = office()
    assert (
        working_minutes_between(
            bantul, local(WIB, 2026, 11, 28, 15, 0), local(WIB, 2026, 11, 30, 9, 0)
        )
        == 120
    )
    assert (
        working_minutes_between(
            bantul, local(WIB, 2026, 11, 23, 9, 0), local(WIB, 2026, 11, 23, 8, 0)
        )
        == 0
    )


@pytest.mark.parametrize("minutes", [1, 59, 60, 479, 480, 481, 2000])
def test_the_due_time_is_exactly_that_many_working_minutes_later(minutes: int) -> None:
    bantul = office()
    start = local(WIB, 2026, 11, 27, 13, 17)
    due = sla_due(bantul, start, minutes)
    assert working_minutes_between(bantul, start, due) == minutes
    assert is_working(bantul, due - timedelta(seconds=1))


def test_the_stage_calendar_feeds_the_last_day_extension(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    from models.stages import Stage

    now = clock.now()
    with world_in(sessions, clock) as world:
        makassar = get_office(world.session, "73.71")
        world.session.add(
            Stage(
                key="t1",
                calendar="test",
                name_id="Uji",
                name_en="Test",
                starts_at=now - timedelta(days=3),
                ends_at=local(WITA, 2026, 11, 27, 23, 59),
                created_at=now,
                updated_at=now,
            )
        )
        world.session.flush()
        extended = stage_last_days(world.session, makassar, now)
        assert extended(date(2026, 11, 27)) and not extended(date(2026, 11, 26))
