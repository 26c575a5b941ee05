"""The printed tier report: the summary, each office row by row with the total, charts
where a picture reads faster than a table, and the breakdowns."""

from __future__ import annotations

from handlers.reports import pdf_charts
from handlers.reports.pdf_base import FONT, Document, print_pdf
from handlers.reports.pdf_table import draw_table
from handlers.reports.tables import Table, report_tables
from handlers.reports.words import Words
from models.report_data import ReportData


def render_report_pdf(data: ReportData, words: Words) -> bytes:
    return print_pdf(lambda light: _report(data, words, light))


def _report(data: ReportData, words: Words, light: bool) -> Document:
    title = words("report_title", office=data.office_name, period=data.period.key)
    pdf = Document(words, "KPU", data.office_name, title, light=light)
    pdf.add_page()
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 7, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    first, last = data.period.first_day, data.period.last_day
    pdf.text_line(
        5,
        words("period_range", first=first.strftime("%d-%m-%Y"), last=last.strftime("%d-%m-%Y")),
        "C",
    )
    pdf.set_font(FONT, "", 7)
    pdf.text_line(5, words("generated", at=words.when(data.generated_at)), "C")
    pdf.ln(3)
    tables = report_tables(data, words)
    _table(pdf, tables.summary, widths=(120, 60))
    if len(data.rows) > 1:
        pdf.ln(2)
        _office_chart(pdf, data, words)
    pdf.add_page() if pdf.get_y() > pdf.h / 2 else pdf.ln(4)
    _table(pdf, tables.offices, widths=(52, 20, 16, 20, 18, 20, 16, 18), size=7)
    breakdowns = {t.key: t for t in tables.breakdowns}
    _counts_chart(pdf, breakdowns["channel"])
    _counts_chart(pdf, breakdowns["topic"])
    for table in tables.breakdowns:
        if table.rows:
            widths: tuple[int, ...] | None = (110, 35, 35) if len(table.head) == 3 else None
            if table.key == "gaps":
                widths = (150, 30)
            _table(pdf, table, widths=widths)
    return pdf


def _table(
    pdf: Document, table: Table, *, widths: tuple[int, ...] | None = None, size: int = 8
) -> None:
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.heading(table.title)
    others = len(table.head) - 1
    draw_table(
        pdf,
        table.head,
        [[c.text for c in values] for values in table.rows],
        widths or (60, *(120 // others,) * others),
        total=[c.text for c in table.total] if table.total else None,
        size=size,
    )
    pdf.ln(3)


def _counts_chart(pdf: Document, table: Table) -> None:
    values = [int(row[1].raw or 0) for row in table.rows]
    if pdf_charts.worth_drawing(values):
        pdf_charts.bars(pdf, table.title, [str(row[0].raw) for row in table.rows], values)
        pdf.ln(2)


def _office_chart(pdf: Document, data: ReportData, words: Words) -> None:
    rows = data.rows
    if not pdf_charts.worth_drawing([r.consultations for r in rows]):
        return
    pdf_charts.stacked(
        pdf,
        words("sec_offices"),
        [r.name for r in rows],
        [r.tickets for r in rows],
        [r.recorded for r in rows],
        (words("col_tickets"), words("col_recorded")),
    )
