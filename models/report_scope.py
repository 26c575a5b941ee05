"""Which period and which offices a report covers, and who may see it.

A regency or city office's report covers its own desk; a province's covers itself and
each of its regencies and cities, row by row; KPU RI's covers the country, one row per
province (each with everything below it). Periods are a calendar month ("2026-11") or
an ISO week ("2026-W48"), in the local time of the office the report is for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from models.offices import Office, OfficeLevel, office_zone, subtree_codes
from models.staff import Liaison, Officer, can_act

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True)
class Period:
    key: str  # "2026-11" or "2026-W48"
    first_day: date
    last_day: date  # inclusive

    def bounds(self, office: Office) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight of the first day to after the last day."""
        zone = office_zone(office)
        start = datetime.combine(self.first_day, time(0, 0), tzinfo=zone)
        end = datetime.combine(self.last_day + timedelta(days=1), time(0, 0), tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)


def parse_period(text: str) -> Period:
    """A month "2026-11" or an ISO week "2026-W48"; ValueError otherwise."""
    value = text.strip().upper()
    month = _MONTH.match(value)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        first = date(year, number, 1)
        following = date(year + number // 12, number % 12 + 1, 1)
        return Period(value, first, following - timedelta(days=1))
    week = _WEEK.match(value)
    if week:
        first = date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
        return Period(value, first, first + timedelta(days=6))
    raise ValueError(f"a period is a month like 2026-11 or a week like 2026-W48, not {text!r}")


def report_rows(session: Session, office: Office) -> list[tuple[Office, set[str]]]:
    """The report's rows: each an office and the office codes counted in it. Their
    sets never overlap, so the rows add up to the whole subtree."""
    children = list(
        session.exec(
            select(Office).where(Office.parent_code == office.code).order_by(col(Office.code))
        ).all()
    )
    if not children:
        return [(office, {office.code})]
    rows = [(office, {office.code})]
    for child in children:
        codes = {child.code} if office.level is OfficeLevel.PROVINCE else None
        rows.append((child, codes if codes is not None else subtree_codes(session, child.code)))
    return rows


def can_see_report(session: Session, viewer: Officer | Liaison | None, office_code: str) -> bool:
    """An active officer may see the report of their own office and of any office below
    it. A liaison never sees a desk report; an officer of another branch or of a lower
    office is refused."""
    if not isinstance(viewer, Officer):
        return False
    return can_act(session, viewer, office_code)
