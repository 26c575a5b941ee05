"""The tier report as one HTML page (to read in a browser), and what every HTML rendering
of a report shares: the templates' environment, the heading of a report, and the table
macro (``templates/tables.html.j2``) that the public summary uses too."""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from handlers.reports.tables import report_tables
from handlers.reports.words import Words
from models.report_data import ReportData

_PAGES = Path(__file__).parent / "templates"


@functools.cache
def html_pages() -> jinja2.Environment:
    """The templates of the HTML renderings, autoescaped, loaded once."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_PAGES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def heading(data: ReportData, words: Words) -> dict[str, str]:
    """The report's title, period and making time, in the reader's language."""
    return {
        "lang": words.lang.value,
        "title": words("report_title", office=data.office_name, period=data.period.key),
        "period": words(
            "period_range",
            first=data.period.first_day.strftime("%d-%m-%Y"),
            last=data.period.last_day.strftime("%d-%m-%Y"),
        ),
        "generated": words("generated", at=words.when(data.generated_at)),
    }


def render_report_html(data: ReportData, words: Words) -> bytes:
    page = html_pages().get_template("report.html.j2")
    html = page.render(
        **heading(data, words), office=data.office_name, tables=report_tables(data, words)
    )
    return html.encode("utf-8")
