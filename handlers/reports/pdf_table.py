"""Tables of the printed report, drawn cell by cell: a head row on the letterhead's
colour (repeated on a new page), ruled rows, a bold total on grey; the first column
left-aligned and wrapped when its text is long, the numbers right-aligned.

fpdf2's own table lays every cell out as a paragraph, which made the tables most of the
time a report took to print; a row of short texts here is one measured line per cell.
"""

from __future__ import annotations

from collections.abc import Sequence

from handlers.reports.pdf_base import FONT, GREY, MAROON, Document

_PAD = 1.2  # mm inside a cell, left and right


def draw_table(
    pdf: Document,
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    total: Sequence[str] | None = None,
    size: float = 8,
    line_height: float = 4.6,
) -> None:
    """Draws the table from the cursor down; ``widths`` are shares of the page width."""
    scale = pdf.epw / sum(widths)
    columns = [w * scale for w in widths]
    table = _Table(pdf, columns, size, line_height)
    table.row(head, "head")
    for values in rows:
        if table.fits_no_more(values):
            pdf.add_page()
            table.row(head, "head")
        table.row(values, "body")
    if total is not None:
        if table.fits_no_more(total):
            pdf.add_page()
            table.row(head, "head")
        table.row(total, "total")
    pdf.set_font(FONT, "", size)


class _Table:
    def __init__(self, pdf: Document, columns: list[float], size: float, line: float) -> None:
        self.pdf, self.columns, self.size, self.line = pdf, columns, size, line

    def _lines(self, values: Sequence[str]) -> list[list[str]]:
        """Each cell's lines: the text itself when it fits, else wrapped at words."""
        pdf = self.pdf
        found = []
        for text, width in zip(values, self.columns, strict=True):
            room = width - 2 * _PAD
            if pdf.get_string_width(text) <= room:
                found.append([text])
            else:
                lines = pdf.multi_cell(room, self.line, text, dry_run=True, output="LINES")
                found.append(list(lines) if isinstance(lines, list) else [text])
        return found

    def fits_no_more(self, values: Sequence[str]) -> bool:
        pdf = self.pdf
        pdf.set_font(FONT, "", self.size)
        height = self.line * max(len(lines) for lines in self._lines(values))
        return pdf.get_y() + height > pdf.page_break_trigger

    def row(self, values: Sequence[str], kind: str) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "" if kind == "body" else "B", self.size)
        cells = self._lines(values)
        height = self.line * max(len(lines) for lines in cells)
        fill = {"head": MAROON, "total": GREY}.get(kind)
        pdf.set_text_color(*((255, 255, 255) if kind == "head" else (0, 0, 0)))
        if fill is not None:
            pdf.set_fill_color(*fill)
        x, y = pdf.l_margin, pdf.get_y()
        for i, (lines, width) in enumerate(zip(cells, self.columns, strict=True)):
            pdf.rect(x, y, width, height, style="DF" if fill is not None else "D")
            for j, text in enumerate(lines):
                pdf.set_xy(x + _PAD, y + j * self.line)
                pdf.cell(width - 2 * _PAD, self.line, text, align="L" if i == 0 else "R")
            x += width
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(pdf.l_margin, y + height)
