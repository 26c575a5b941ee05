"""Each office's own figures for one period, read from the database in a few grouped
queries, from which the report of any office is added up.

A report of a province covers its own desk and each of its regencies; KPU RI's covers
every office. Reading those subtrees again for each office would read every ticket three
times over in a run that makes all 553 reports; instead each query here groups by the
office that holds the record, once for all the offices asked for, and
:meth:`PeriodFigures.combined` adds up any set of offices in memory. Counts add up;
times are kept per ticket (in working hours of the office that held it) so that medians
and percentiles of a subtree are taken over its tickets, not averaged over offices.

Consultations are tickets opened in the period (spam left out) plus the consultations
recorded by hand, each counted at the office that holds it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from models.consultations import Channel
from models.offices import Office
from models.report_data import AnnouncementLine, Count, Durations, OfficeRow, Satisfaction
from models.report_queries import TOP_GAPS, FigureQueries, Scope
from models.report_scope import Period
from models.working_time import percentile

BREAKDOWNS = ("channel", "party", "role", "topic", "stage")
ROW_COUNTS = ("tickets", "recorded", "self_service", "sla_breaches", "escalations", "reopened")


@dataclass
class OfficeFigures:
    """One office's own desk in the period (nothing of the offices below it)."""

    counts: Counter[str] = field(default_factory=Counter)  # ROW_COUNTS
    by: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    first_response: list[float] = field(default_factory=list)  # working hours, per ticket
    resolution: list[float] = field(default_factory=list)
    rated: int = 0
    rating_sum: int = 0
    closed: int = 0  # tickets that could be rated (resolved or closed)
    gaps: dict[str, tuple[int, str]] = field(default_factory=dict)  # normalised: (n, question)
    announcements: list[AnnouncementLine] = field(default_factory=list)
    reminders: int = 0


@dataclass
class Combined:
    """A set of offices' figures added up: what a report shows beside its rows."""

    by: dict[str, list[Count]]
    durations: Durations
    satisfaction: Satisfaction
    gaps: list[Count]
    announcements: list[AnnouncementLine]
    reminders: int


@dataclass
class PeriodFigures:
    """Every office's own figures for ``[start, end)`` (the period's bounds in one zone)."""

    start: datetime
    end: datetime
    offices: dict[str, OfficeFigures]
    country_gaps: list[Count] | None = None  # every unanswered question; None: not read

    def _of(self, code: str) -> OfficeFigures | None:
        return self.offices.get(code)

    def row(self, code: str, name: str, members: Iterable[str]) -> OfficeRow:
        """A report's row: the offices ``members`` counted under ``code``."""
        row = OfficeRow(code=code, name=name)
        for member in members:
            figures = self._of(member)
            if figures is not None:
                for name_ in ROW_COUNTS:
                    setattr(row, name_, getattr(row, name_) + figures.counts[name_])
        return row

    def combined(self, codes: Iterable[str], *, country: bool = False) -> Combined:
        """The figures of ``codes`` together; ``country``: KPU RI's report, whose unanswered
        questions are everyone's (also those of people registered with no office)."""
        found = [f for f in (self._of(c) for c in codes) if f is not None]
        by = {name: _ordered(sum((f.by[name] for f in found), Counter())) for name in BREAKDOWNS}
        first = [h for f in found for h in f.first_response]
        resolved = [h for f in found for h in f.resolution]
        rated = sum(f.rated for f in found)
        rating_sum = sum(f.rating_sum for f in found)
        if country and self.country_gaps is not None:
            gaps = self.country_gaps
        else:
            gaps = _top_gaps(f.gaps for f in found)
        return Combined(
            by=by,
            durations=_durations(first, resolved),
            satisfaction=Satisfaction(
                rated, sum(f.closed for f in found), rating_sum / rated if rated else None
            ),
            gaps=gaps,
            announcements=sorted(
                (a for f in found for a in f.announcements), key=lambda a: (a.at, a.id)
            ),
            reminders=sum(f.reminders for f in found),
        )


def _durations(first: list[float], resolved: list[float]) -> Durations:
    return Durations(
        first_response_median=percentile(first, 0.5),
        first_response_p90=percentile(first, 0.9),
        first_response_n=len(first),
        resolution_median=percentile(resolved, 0.5),
        resolution_p90=percentile(resolved, 0.9),
        resolution_n=len(resolved),
    )


def _ordered(counts: Counter[str]) -> list[Count]:
    """Largest first, then by key; empty counts left out."""
    return [Count(k, n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n]


def _top_gaps(parts: Iterable[dict[str, tuple[int, str]]]) -> list[Count]:
    total: dict[str, tuple[int, str]] = {}
    for part in parts:
        for key, (n, question) in part.items():
            had, asked = total.get(key, (0, question))
            total[key] = (had + n, max(asked, question))
    ranked = sorted(total.values(), key=lambda nq: (-nq[0], nq[1]))
    return [Count(q, n) for n, q in ranked[:TOP_GAPS]]


# --- reading ------------------------------------------------------------------------------


def read_figures(
    session: Session,
    offices: dict[str, Office],
    period: Period,
    start: datetime,
    end: datetime,
    codes: Scope,
    lump: str | None = None,
) -> PeriodFigures:
    """The own figures of every office in ``codes`` (None: all) for ``[start, end)``;
    ``offices`` holds at least those offices (their hours and zones count the times).
    ``lump``: one report's figures, all but its rows' counts credited to its own office
    (see :class:`models.report_queries.FigureQueries`)."""
    figures: dict[str, OfficeFigures] = defaultdict(OfficeFigures)
    reader = FigureQueries(session, codes, start, end, lump)
    for name, pairs in reader.row_counts(period):
        for code, n in pairs:
            figures[code].counts[name] += int(n or 0)
            if name == "tickets":  # a ticket is a consultation through the bot
                figures[code].by["channel"][Channel.BOT.value] += int(n)
    for name, triples in reader.breakdowns():
        for code, key, n in triples:
            figures[code].by[name][key] += int(n)
    for code, first, resolved in reader.times(offices):
        figures[lump or code].first_response.extend(first)
        figures[lump or code].resolution.extend(resolved)
    for code, rated, rating_sum, closed in reader.satisfaction():
        figure = figures[code]
        figure.rated += int(rated or 0)
        figure.rating_sum += int(rating_sum or 0)
        figure.closed += int(closed or 0)
    for code, key, n, question in reader.gaps():
        figures[code].gaps[key] = (int(n), question)
    for code, line in reader.announcements():
        figures[code].announcements.append(line)
    for code, n in reader.reminders():
        figures[code].reminders += int(n or 0)
    country = reader.country_gaps() if codes is None else None
    return PeriodFigures(start, end, dict(figures), country)
