"""The public summary of an office's help desk for a period: the SOP asks the desk to
publish its service as public information. A fragment of HTML the FAQ site includes.

What it shows is aggregate only: how many consultations, the share the bot answered,
response and resolution times, service-level breaches, and the counts by channel and
by topic. Nothing a person wrote or is named by appears: no questions (not even the
unanswered ones), no names, no parties, no offices' officers.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import jinja2
from sqlmodel import Session

from handlers.reports.tables import Table, report_tables
from handlers.reports.words import Words
from handlers.texts import Texts
from models import Language
from models.offices import get_office, office_zone
from models.report_data import ReportData
from models.report_scope import Period
from models.reports import build_report

_PAGES = Path(__file__).parent / "templates"
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


def _public_summary_table(table: Table, words: Words) -> Table:
    keep = {words(f"m_{name}") for name in PUBLIC_METRICS}
    rows = [row for row in table.rows if row and row[0].raw in keep]
    return Table(table.title, table.head, rows, key=table.key)


def render_public_summary(data: ReportData, words: Words) -> bytes:
    """The page for ``data``: the public metrics and the channel and topic counts."""
    tables = report_tables(data, words)
    breakdowns = [t for t in tables.breakdowns if t.key in PUBLIC_BREAKDOWNS]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_PAGES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    page = env.get_template("public_summary.html.j2").render(
        lang=words.lang.value,
        title=words("report_title", office=data.office_name, period=data.period.key),
        period=words(
            "period_range",
            first=data.period.first_day.strftime("%d-%m-%Y"),
            last=data.period.last_day.strftime("%d-%m-%Y"),
        ),
        generated=words("generated", at=words.when(data.generated_at)),
        tables=[_public_summary_table(tables.summary, words), *breakdowns],
    )
    return page.encode("utf-8")


def write_summary_pages(
    session: Session,
    office_codes: list[str],
    period: Period,
    out_dir: Path,
    *,
    now: datetime,
    texts: Texts,
    lang: Language = Language.ID,
) -> list[Path]:
    """One page per office, ``<out_dir>/ringkasan-<office>-<period>.html``: what the FAQ
    site builder (or ``helpdesk report --format summary``) writes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for code in office_codes:
        office = get_office(session, code)
        data = build_report(session, office.code, period, now)
        words = Words(texts, lang, office_zone(office))
        target = out_dir / f"ringkasan-{office.code}-{period.key}.html"
        target.write_bytes(render_public_summary(data, words))
        written.append(target)
    return written
