"""The printed tier report: the summary, each office row by row with the total, charts
where a picture reads faster than a table, and the breakdowns."""

from __future__ import annotations

import io

from fpdf.fonts import FontFace

from handlers.reports import charts
from handlers.reports.pdf_base import FONT, GREY, HEAD_STYLE, Document
from handlers.reports.tables import Table, report_tables
from handlers.reports.words import Words
from models.report_data import ReportData

_TOTAL_STYLE = FontFace(emphasis="BOLD", fill_color=GREY)


def render_report_pdf(data: ReportData, words: Words) -> bytes:
    title = words("report_title", office=data.office_name, period=data.period.key)
    pdf = Document(words, "KPU", data.office_name, title)
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
        _chart(pdf, _office_chart(data, words))
    pdf.add_page() if pdf.get_y() > pdf.h / 2 else pdf.ln(4)
    _table(pdf, tables.offices, widths=(52, 20, 16, 20, 18, 20, 16, 18), size=7)
    breakdowns = {t.key: t for t in tables.breakdowns}
    if data.by_channel:
        _chart(pdf, _counts_chart(breakdowns["channel"]))
    if data.by_topic:
        _chart(pdf, _counts_chart(breakdowns["topic"]))
    for table in tables.breakdowns:
        if table.rows:
            widths: tuple[int, ...] | None = (110, 35, 35) if len(table.head) == 3 else None
            if table.key == "gaps":
                widths = (150, 30)
            _table(pdf, table, widths=widths)
    return pdf.output_bytes()


def _table(
    pdf: Document, table: Table, *, widths: tuple[int, ...] | None = None, size: int = 8
) -> None:
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.heading(table.title)
    pdf.set_font(FONT, "", size)
    align = ("LEFT", *("RIGHT",) * (len(table.head) - 1))
    with pdf.table(
        col_widths=widths or tuple([60] + [120 // (len(table.head) - 1)] * (len(table.head) - 1)),
        headings_style=HEAD_STYLE,
        line_height=4.6,
        text_align=align,
        padding=(0.8, 1.2),
        repeat_headings=1,
    ) as out:
        out.row(table.head)
        for values in table.rows:
            out.row([c.text for c in values])
        if table.total:
            line = out.row()
            for cell in table.total:
                line.cell(cell.text, style=_TOTAL_STYLE)
    pdf.ln(3)


def _chart(pdf: Document, png: bytes) -> None:
    if pdf.get_y() > pdf.h - 80:
        pdf.add_page()
    pdf.image(io.BytesIO(png), w=pdf.epw)
    pdf.ln(2)


def _counts_chart(table: Table) -> bytes:
    labels = [str(row[0].raw) for row in table.rows]
    values = [int(row[1].raw or 0) for row in table.rows]
    return charts.bars(table.title, labels, values)


def _office_chart(data: ReportData, words: Words) -> bytes:
    rows = data.rows
    return charts.stacked(
        words("sec_offices"),
        [r.name for r in rows],
        [r.tickets for r in rows],
        [r.recorded for r in rows],
        (words("col_tickets"), words("col_recorded")),
    )
