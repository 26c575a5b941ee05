"""The public summary of an office's help desk for a period: the SOP asks the desk to
publish its service as public information. An HTML fragment, made from the report's own
tables and rendered with the report page's table macro; the FAQ site gives each
office and period a page of its own (:func:`summary_pages`).

What it shows is aggregate only: how many consultations, the share the bot answered,
response and resolution times, service-level breaches, and the counts by channel and
by topic. Nothing a person wrote or is named by appears: no questions (not even the
unanswered ones), no names, no parties, no offices' officers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from handlers.reports.html_report import heading, html_pages
from handlers.reports.tables import Table, report_tables
from handlers.reports.words import Words
from handlers.texts import Texts
from models import Language
from models.offices import office_zone
from models.report_data import ReportData
from models.report_scope import Period
from models.reports import ReportCache, build_report

PUBLIC_METRICS = frozenset(
    {
        "consultations",
        "self_service_share",
        "first_response_median",
        "first_response_p90",
        "resolution_median",
        "resolution_p90",
        "sla_breaches",
    }
)
PUBLIC_BREAKDOWNS = ("channel", "topic")


def public_tables(data: ReportData, words: Words) -> list[Table]:
    """The report's tables cut down to what may be published: the public metrics of the
    summary table, and the counts by channel and by topic."""
    tables = report_tables(data, words)
    keep = {words(f"m_{name}") for name in PUBLIC_METRICS}
    summary = tables.summary
    rows = [row for row in summary.rows if row and row[0].raw in keep]
    breakdowns = [t for t in tables.breakdowns if t.key in PUBLIC_BREAKDOWNS]
    return [Table(summary.title, summary.head, rows, key=summary.key), *breakdowns]


def render_public_summary(data: ReportData, words: Words) -> bytes:
    """The fragment for ``data``: its title (a second-level heading) and the public tables."""
    page = html_pages().get_template("public_summary.html.j2")
    return page.render(**heading(data, words), tables=public_tables(data, words)).encode()


@dataclass(frozen=True)
class SummaryPage:
    """One office's public summary for one period, in each language of the site."""

    office_code: str
    office_name: str
    period: Period
    fragments: dict[str, str]  # language code: the HTML fragment


def summary_pages(
    session: Session,
    office_code: str,
    periods: Sequence[Period],
    *,
    now: datetime,
    texts: Texts,
    langs: Sequence[Language] = (Language.ID, Language.EN),
) -> list[SummaryPage]:
    """The summaries a site published by ``office_code`` shows: for each period, the
    office's own and those of the offices its report has a row for (KPU RI: each
    province; a province: each regency and city). The figures are read once per period."""
    cache = ReportCache()
    tree = cache.tree(session)
    found: list[SummaryPage] = []
    for period in periods:
        for office, _members in tree.rows(tree.get(office_code)):
            data = build_report(session, office.code, period, now, cache)
            fragments = {
                lang.value: render_public_summary(
                    data, Words(texts, lang, office_zone(office))
                ).decode()
                for lang in langs
            }
            found.append(SummaryPage(office.code, office.name, period, fragments))
    return found
