"""The tier report as one HTML page (to read in a browser or include in the FAQ site)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from handlers.reports.tables import report_tables
from handlers.reports.words import Words
from models.report_data import ReportData

_PAGES = Path(__file__).parent / "templates"


def render_report_html(data: ReportData, words: Words) -> bytes:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_PAGES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    page = env.get_template("report.html.j2").render(
        lang=words.lang.value,
        title=words("report_title", office=data.office_name, period=data.period.key),
        period=words(
            "period_range",
            first=data.period.first_day.strftime("%d-%m-%Y"),
            last=data.period.last_day.strftime("%d-%m-%Y"),
        ),
        generated=words("generated", at=words.when(data.generated_at)),
        office=data.office_name,
        tables=report_tables(data, words),
    )
    return page.encode("utf-8")
