"""The printable consultation sheets (lembar konsultasi): one page per consultation,
with every field of the register and room for the visitor's and the officer's
signatures, as the SOP's paper form has."""

from __future__ import annotations

from collections.abc import Sequence

from fpdf.fonts import FontFace

from handlers.reports.columns import CONSULTATION_COLUMNS
from handlers.reports.pdf_base import FONT, GREY, Document, print_pdf
from handlers.reports.words import Words, number
from models.register import RegisterRow

_LABEL_WIDTH = 48
_LABEL_STYLE = FontFace(emphasis="BOLD", fill_color=GREY, size_pt=8)
_SHEET_FIELDS = tuple(c for c in CONSULTATION_COLUMNS if c.label != "number")


def render_sheets_pdf(
    rows: Sequence[RegisterRow], words: Words, *, office_name: str, place: str
) -> bytes:
    """One sheet per consultation, in register order; ``place`` is where it is signed."""
    title = words("register_title", office=office_name)

    def draw(light: bool) -> Document:
        pdf = Document(words, "KPU", office_name, title, light=light)
        for row in rows:
            pdf.add_page()
            _sheet(pdf, row, words, place)
        if not rows:
            pdf.add_page()
        return pdf

    return print_pdf(draw)


def _sheet(pdf: Document, row: RegisterRow, words: Words, place: str) -> None:
    pdf.set_font(FONT, "B", 12)
    pdf.cell(
        0, 9, words("sheet_title", number=row.number), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    pdf.set_font(FONT, "", 9)
    with pdf.table(
        col_widths=(_LABEL_WIDTH, pdf.epw - _LABEL_WIDTH),
        first_row_as_headings=False,
        line_height=5.5,
        text_align=("LEFT", "LEFT"),
        padding=1,
    ) as table:
        for column in _SHEET_FIELDS:
            line = table.row()
            line.cell(words(f"col_{column.label}"), style=_LABEL_STYLE)
            line.cell(_text(column.value(row, words), row, column.label, words))
    _signatures(pdf, words, place, words.day(row.at))


def _text(value: object, row: RegisterRow, label: str, words: Words) -> str:
    if label == "at":
        return words.when(row.at)
    if isinstance(value, int):
        return number(value)
    return str(value) or "–"


def _signatures(pdf: Document, words: Words, place: str, day: str) -> None:
    if pdf.get_y() > pdf.h - 70:
        pdf.add_page()
    pdf.ln(8)
    pdf.set_font(FONT, "", 9)
    pdf.cell(
        0, 6, words("sign_place", place=place, date=day), align="R", new_x="LMARGIN", new_y="NEXT"
    )
    half = (pdf.w - 30) / 2
    pdf.set_font(FONT, "B", 9)
    pdf.cell(half, 6, words("sign_visitor"), align="C")
    pdf.cell(half, 6, words("sign_officer"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(24)
    pdf.set_font(FONT, "", 8)
    pdf.cell(half, 6, "(" + "." * 40 + ")", align="C")
    pdf.cell(half, 6, "(" + "." * 40 + ")", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 7)
    pdf.cell(half, 4, words("sign_name"), align="C")
    pdf.cell(half, 4, words("sign_name"), align="C", new_x="LMARGIN", new_y="NEXT")
