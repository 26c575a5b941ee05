"""The tier report of an office for a period, added up from each office's own figures
(:mod:`models.report_figures`).

A regency's report is its own desk; a province's is itself and each of its regencies and
cities, row by row; KPU RI's is the country, a row per province with everything below
it. Each office's counts land in exactly one row, so the rows add up to the total. Times
are in working hours of the office that held each ticket
(:class:`models.working_time.WorkingTimeline`); the period runs from local midnight in
the zone of the office the report is for.

One report reads the figures of its own subtree. A run of many reports (the scheduled
weekly and monthly ones) shares a :class:`ReportCache`: the offices are read once, and the
figures of every office once per period and zone, so no subtree is read again for the
province and for KPU RI above it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models.offices import Office
from models.report_data import OfficeRow, ReportData
from models.report_figures import PeriodFigures, read_figures
from models.report_scope import OfficeTree, Period


class ReportCache:
    """The office tree and the figures of every office, per period and zone, read on first
    use and kept for the reports made after. For reports of a closed period only: what
    is recorded after it was read is not seen."""

    def __init__(self) -> None:
        self._tree: OfficeTree | None = None
        self._figures: dict[tuple[str, datetime, datetime], PeriodFigures] = {}

    def tree(self, session: Session) -> OfficeTree:
        if self._tree is None:
            self._tree = OfficeTree.load(session)
        return self._tree

    def figures(self, session: Session, period: Period, office: Office) -> PeriodFigures:
        """The figures for reports whose period runs in ``office``'s zone: those of every
        office below an office of that zone (the whole country for KPU RI's)."""
        start, end = period.bounds(office)
        key = (period.key, start, end)
        if key not in self._figures:
            tree = self.tree(session)
            same = [o for o in tree.offices.values() if o.timezone == office.timezone]
            scope: set[str] | None = None
            if all(o.parent_code is not None for o in same):
                scope = {code for o in same for code in tree.subtree(o.code)}
            self._figures[key] = read_figures(session, tree.offices, period, start, end, scope)
        return self._figures[key]


def build_report(
    session: Session,
    office_code: str,
    period: Period,
    now: datetime,
    cache: ReportCache | None = None,
) -> ReportData:
    """The report of ``office_code`` for ``period``: its rows, totals and every breakdown.
    With ``cache``, the figures come from (and go into) the cache."""
    tree = cache.tree(session) if cache is not None else OfficeTree.load(session)
    office = tree.get(office_code)
    start, end = period.bounds(office)
    country = office.parent_code is None
    codes = tree.subtree(office.code)
    if cache is not None:
        figures = cache.figures(session, period, office)
    else:
        scope = None if country else codes
        figures = read_figures(session, tree.offices, period, start, end, scope, office.code)
    rows = [figures.row(part.code, part.name, members) for part, members in tree.rows(office)]
    total = OfficeRow(code=office.code, name=office.name)
    for row in rows:
        total.add(row)
    together = figures.combined(codes, country=country)
    return ReportData(
        office_code=office.code,
        office_name=office.name,
        period=period,
        start=start,
        end=end,
        generated_at=now,
        rows=rows,
        total=total,
        by_channel=together.by["channel"],
        by_party=together.by["party"],
        by_role=together.by["role"],
        by_topic=together.by["topic"],
        by_stage=together.by["stage"],
        durations=together.durations,
        satisfaction=together.satisfaction,
        gaps=together.gaps,
        announcements=together.announcements,
        reminders_sent=together.reminders,
    )
