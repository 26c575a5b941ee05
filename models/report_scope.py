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

import sqlalchemy as sa
from sqlmodel import Session

from models.offices import RI, Office, OfficeLevel, office_zone
from models.refusals import Refusal
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


def closed_months(today: date, count: int) -> list[Period]:
    """The ``count`` calendar months before the month of ``today``, the latest first."""
    found: list[Period] = []
    day = today.replace(day=1)
    for _ in range(max(count, 0)):
        day = (day - timedelta(days=1)).replace(day=1)
        found.append(parse_period(f"{day:%Y-%m}"))
    return found


@dataclass(frozen=True)
class OfficeTree:
    """Every office, read once, with the offices under each: the shape of the reports.
    The offices are copies that belong to no session, so one tree serves a whole run of
    reports made in many units of work."""

    offices: dict[str, Office]
    children: dict[str, list[str]]

    @classmethod
    def load(cls, session: Session) -> OfficeTree:
        rows = session.execute(sa.select(Office.__table__)).mappings()  # type: ignore[attr-defined]
        offices = {row["code"]: Office.model_construct(**row) for row in rows}  # no checks: read
        children: dict[str, list[str]] = {}
        for code in sorted(offices):
            parent = offices[code].parent_code
            if parent is not None:
                children.setdefault(parent, []).append(code)
        return cls(offices, children)

    def get(self, code: str) -> Office:
        key = code.strip()
        office = self.offices.get(RI if key.upper() == RI else key)
        if office is None:
            raise Refusal("desk/refused/unknown_office", code=code)
        return office

    def subtree(self, code: str) -> set[str]:
        """``code`` and every office below it."""
        found, frontier = {code}, [code]
        while frontier:
            below = [c for parent in frontier for c in self.children.get(parent, ())]
            frontier = [c for c in below if c not in found]
            found.update(frontier)
        return found

    def rows(self, office: Office) -> list[tuple[Office, set[str]]]:
        """The report's rows: each an office and the office codes counted in it. Their
        sets never overlap, so the rows add up to the whole subtree."""
        rows = [(office, {office.code})]
        for code in self.children.get(office.code, ()):
            child = self.offices[code]
            members = {code} if office.level is OfficeLevel.PROVINCE else self.subtree(code)
            rows.append((child, members))
        return rows


def can_see_report(session: Session, viewer: Officer | Liaison | None, office_code: str) -> bool:
    """An active officer may see the report of their own office and of any office below
    it. A liaison never sees a desk report; an officer of another branch or of a lower
    office is refused."""
    if not isinstance(viewer, Officer):
        return False
    return can_act(session, viewer, office_code)
