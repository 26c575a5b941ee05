"""The tier report laid out as tables of typed cells, once for every format: the
spreadsheet keeps the raw numbers, the PDF and HTML print their Indonesian text."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.reports.words import Words, number, percent, safe
from models.report_data import Count, OfficeRow, ReportData


@dataclass(frozen=True)
class Cell:
    raw: str | int | float | None
    kind: str = "text"  # "text", "int", "dec" (one decimal), "pct" (a fraction)

    @property
    def text(self) -> str:
        if self.kind == "int":
            return number(self.raw if isinstance(self.raw, int | float) else None)
        if self.kind == "dec":
            return number(self.raw if isinstance(self.raw, int | float) else None, 1)
        if self.kind == "pct":
            return percent(self.raw if isinstance(self.raw, int | float) else None)
        return "" if self.raw is None else str(self.raw)


@dataclass
class Table:
    title: str
    head: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    total: list[Cell] | None = None
    key: str = ""  # which breakdown: channel, party, ...


@dataclass
class ReportTables:
    summary: Table
    offices: Table
    breakdowns: list[Table]


def report_tables(data: ReportData, words: Words) -> ReportTables:
    return ReportTables(_summary(data, words), _offices(data, words), _breakdowns(data, words))


def _summary(data: ReportData, w: Words) -> Table:
    d, s, t = data.durations, data.satisfaction, data.total
    metrics: list[tuple[str, Cell]] = [
        ("consultations", Cell(t.consultations, "int")),
        ("self_service_share", Cell(data.self_service_share, "pct")),
        ("first_response_median", Cell(d.first_response_median, "dec")),
        ("first_response_p90", Cell(d.first_response_p90, "dec")),
        ("resolution_median", Cell(d.resolution_median, "dec")),
        ("resolution_p90", Cell(d.resolution_p90, "dec")),
        ("sla_breaches", Cell(t.sla_breaches, "int")),
        ("escalations", Cell(t.escalations, "int")),
        ("reopen_rate", Cell(data.reopen_rate, "pct")),
        ("rating", Cell(s.average, "dec")),
        ("rating_rate", Cell(s.response_rate, "pct")),
        ("reminders", Cell(data.reminders_sent, "int")),
    ]
    table = Table(w("sec_summary"), [w("col_metric"), w("col_value")], key="summary")
    table.rows = [[Cell(w(f"m_{name}")), value] for name, value in metrics]
    return table


_ROW_FIELDS = (
    "consultations",
    "tickets",
    "recorded",
    "self_service",
    "sla_breaches",
    "escalations",
    "reopened",
)


def _office_cells(row: OfficeRow, name: str) -> list[Cell]:
    return [Cell(name), *(Cell(getattr(row, f), "int") for f in _ROW_FIELDS)]


def _offices(data: ReportData, w: Words) -> Table:
    table = Table(
        w("sec_offices"), [w("col_office"), *(w(f"col_{f}") for f in _ROW_FIELDS)], key="offices"
    )
    table.rows = [_office_cells(r, f"{r.code} {r.name}") for r in data.rows]
    table.total = _office_cells(data.total, w("total"))
    return table


def _counts(title: str, key: str, counts: list[Count], w: Words, kind: str | None) -> Table:
    total = sum(c.count for c in counts)
    table = Table(title, [title, w("col_count"), w("col_share")], key=key)
    for c in counts:
        label = w.named(kind, c.key) if kind else (safe(c.key) or w("none"))
        table.rows.append([Cell(label), Cell(c.count, "int"), Cell(c.count / total, "pct")])
    table.total = [Cell(w("total")), Cell(total, "int"), Cell(1.0 if total else None, "pct")]
    return table


def _breakdowns(data: ReportData, w: Words) -> list[Table]:
    parties = [Count(c.key.upper(), c.count) for c in data.by_party]
    tables = [
        _counts(w("sec_channel"), "channel", data.by_channel, w, "channel"),
        _counts(w("sec_party"), "party", parties, w, None),
        _counts(w("sec_role"), "role", data.by_role, w, "role"),
        _counts(w("sec_topic"), "topic", data.by_topic, w, None),
        _counts(w("sec_stage"), "stage", data.by_stage, w, None),
    ]  # fmt: skip
    gaps = Table(w("sec_gaps"), [w("col_question"), w("col_count")], key="gaps")
    gaps.rows = [[Cell(safe(g.key)), Cell(g.count, "int")] for g in data.gaps]
    news = Table(
        w("sec_announcements"),
        [w("col_announcement"), w("col_recipients"), w("col_acks"), w("col_share")],
        key="announcements",
    )
    news.rows = [
        [
            Cell(f"{w.day(a.at)} {safe(a.text)}"),
            Cell(a.recipients, "int"),
            Cell(a.acks if a.ack_requested else None, "int"),
            Cell(a.ack_rate, "pct"),
        ]
        for a in data.announcements
    ]
    return [*tables, gaps, news]
