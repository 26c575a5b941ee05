"""Tier reports: rows that add up, working hours in each office's own zone, and who may
see which office's report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from models import ManualClock
from models.consultations import Channel, VisitorRole, count_self_service
from models.report_scope import can_see_report, parse_period
from models.reports import ReportCache, build_report
from models.staff import Role
from models.ticket_actions import officer_reply, rate_ticket, reopen_ticket, resolve_ticket
from tests.unit.consult_world import recorded
from tests.unit.desk_world import World, world_in

WEEK = parse_period("2026-W48")  # Monday 23 to Sunday 29 November 2026
MONDAY_06_UTC = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 13.00 WIB, 15.00 WIT
TUESDAY_00_UTC = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # 07.00 WIB, 09.00 WIT


def _answered_ticket(world: World, office: str, opened: datetime, answered: datetime) -> None:
    world.clock.set(opened)
    ticket = world.ticket(world.liaison(office))
    world.clock.set(answered)
    officer = world.officer(office)
    officer_reply(world.session, ticket=ticket, officer=officer, text="Ok", now=answered)
    resolve_ticket(world.session, ticket=ticket, officer=officer, now=answered)


def test_a_provinces_total_is_its_own_desk_plus_each_regency(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        recorded(world, "34")
        recorded(world, "34.02", channel=Channel.PHONE)
        recorded(world, "34.02", channel=Channel.EMAIL, role=VisitorRole.VOTER)
        recorded(world, "34.71")
        world.ticket(world.liaison("34.02"))
        world.ticket(world.liaison("34.71", party="pdip"))
        recorded(world, "73.71")  # another province: not in this report
        count_self_service(world.session, day=WEEK.first_day, office_code="34.02", entry_id="a")
        world.session.commit()

        report = build_report(world.session, "34", WEEK, world.now)

        rows = {r.code: r for r in report.rows}
        assert list(rows) == ["34", "34.02", "34.71"]
        assert (rows["34.02"].recorded, rows["34.02"].tickets) == (2, 1)
        for field in ("consultations", "tickets", "recorded", "self_service"):
            assert getattr(report.total, field) == sum(getattr(r, field) for r in report.rows)
        assert report.total.consultations == 6
        assert sum(c.count for c in report.by_channel) == 6
        assert sum(c.count for c in report.by_party) == 6
        assert sum(c.count for c in report.by_role) == 6
        assert {c.key: c.count for c in report.by_channel}["bot"] == 2
        assert report.self_service_share == 1 / 7

        country = build_report(world.session, "RI", WEEK, world.now)
        national = {r.code: r.consultations for r in country.rows}
        assert national["34"] == 6 and national["73"] == 1
        assert country.total.consultations == 7


def test_times_are_working_hours_in_each_offices_own_zone(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        # Opened Monday 15.00 WIT, answered Tuesday 09.00 WIT: one hour each day.
        _answered_ticket(world, "91.71", MONDAY_06_UTC, TUESDAY_00_UTC)
        # The same instants in Bantul (WIB): 13.00 to 16.00 Monday, Tuesday before 08.00.
        _answered_ticket(world, "34.02", MONDAY_06_UTC, TUESDAY_00_UTC)
        world.session.commit()

        papua = build_report(world.session, "91.71", WEEK, world.now).durations
        bantul = build_report(world.session, "34.02", WEEK, world.now).durations
        country = build_report(world.session, "RI", WEEK, world.now).durations

        assert (papua.first_response_median, papua.resolution_median) == (2.0, 2.0)
        assert bantul.first_response_median == 3.0
        assert country.first_response_median == 2.5
        assert country.first_response_p90 == 2.9
        assert country.first_response_n == 2


def test_a_run_sharing_one_cache_makes_the_reports_made_one_at_a_time(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        _answered_ticket(world, "91.71", MONDAY_06_UTC, TUESDAY_00_UTC)
        _answered_ticket(world, "34.02", MONDAY_06_UTC, TUESDAY_00_UTC)
        recorded(world, "34")
        recorded(world, "34.71", channel=Channel.PHONE)
        recorded(world, "73.71", role=VisitorRole.VOTER)
        count_self_service(world.session, day=WEEK.first_day, office_code="91.71", entry_id="a")
        world.session.commit()
        cache = ReportCache()

        for code in ("34.02", "91.71", "34", "91", "RI", "73.71", "73"):
            alone = build_report(world.session, code, WEEK, world.now)
            assert build_report(world.session, code, WEEK, world.now, cache) == alone, code
        assert build_report(world.session, "RI", WEEK, world.now, cache).total.consultations == 5


def test_reopened_and_rated_tickets_show_in_the_rates(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        liaison, officer = world.liaison("34.02", verified=True), world.officer("34.02")
        first, second = world.ticket(liaison), world.ticket(liaison)
        for ticket in (first, second):
            resolve_ticket(world.session, ticket=ticket, officer=officer, now=world.now)
        world.clock.advance(timedelta(hours=1))
        reopen_ticket(world.session, ticket=first, liaison=liaison, now=world.now)
        rate_ticket(world.session, ticket=second, liaison=liaison, rating=4, now=world.now)
        world.session.commit()

        report = build_report(world.session, "34.02", WEEK, world.now)

        assert report.reopen_rate == 0.5
        assert report.satisfaction.average == 4.0
        assert report.satisfaction.response_rate == 1.0  # one could be rated, and was


def test_only_officers_of_the_office_or_above_may_see_its_report(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        bantul_agent = world.officer("34.02")
        province = world.officer("34", Role.SUPERVISOR)
        national = world.officer("RI", Role.ADMIN)
        makassar = world.officer("73.71", Role.ADMIN)
        liaison = world.liaison("34.02")
        s = world.session

        assert can_see_report(s, bantul_agent, "34.02")
        assert can_see_report(s, province, "34.02") and can_see_report(s, province, "34")
        assert can_see_report(s, national, "34")
        assert not can_see_report(s, liaison, "34.02")  # a liaison
        assert not can_see_report(s, makassar, "34.02")  # an officer of another office
        assert not can_see_report(s, bantul_agent, "34")  # an officer of a lower office
        assert not can_see_report(s, None, "34.02")
        bantul_agent.active = False
        assert not can_see_report(s, bantul_agent, "34.02")
