"""Bar charts drawn straight into the printed report as vector shapes: sharp at any zoom
and on paper, and made in a millisecond (a picture drawn by a plotting library and
embedded cost a quarter of a second per chart, which the weekly run pays 553 times).

A chart is drawn only where it shows something a table does not already say at a
glance: two bars or more.
"""

from __future__ import annotations

from collections.abc import Sequence

from handlers.reports.pdf_base import FONT, MAROON, Document
from handlers.reports.words import number

GOLD = (217, 164, 65)
AXIS = (150, 150, 150)
MAX_BARS = 12  # the rest is left to the tables
MAX_ROWS = 40  # offices in the stacked chart
_LABEL_W = 58.0  # mm for the labels left of the bars
_VALUE_W = 16.0  # mm kept right of the longest bar for its number
_ROW_H = 4.4


def worth_drawing(values: Sequence[int]) -> bool:
    """Two bars or more, and something to compare."""
    return len(values) >= 2 and any(values)


def bars(pdf: Document, title: str, labels: Sequence[str], values: Sequence[int]) -> None:
    """Horizontal bars, in the order given (largest first), at most twelve."""
    labels, values = list(labels)[:MAX_BARS], list(values)[:MAX_BARS]
    _draw(pdf, title, labels, [(v,) for v in values], (MAROON,), ())


def stacked(
    pdf: Document,
    title: str,
    labels: Sequence[str],
    first: Sequence[int],
    second: Sequence[int],
    names: tuple[str, str],
) -> None:
    """Two counts per row end to end in one bar (tickets, then recorded consultations)."""
    parts: list[tuple[int, ...]] = []
    for pair in zip(first, second, strict=True):
        parts.append(pair)
    _draw(pdf, title, list(labels)[:MAX_ROWS], parts[:MAX_ROWS], (MAROON, GOLD), names)


def _draw(
    pdf: Document,
    title: str,
    labels: list[str],
    parts: list[tuple[int, ...]],
    colours: tuple[tuple[int, int, int], ...],
    names: tuple[str, ...],
) -> None:
    height = 9 + _ROW_H * len(parts) + (5 if names else 0)
    if pdf.get_y() + height > pdf.h - 20:
        pdf.add_page()
    left = pdf.l_margin
    pdf.set_font(FONT, "B", 9)
    pdf.set_text_color(*MAROON)
    pdf.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    if names:
        _legend(pdf, names, colours)
    top = pdf.get_y() + 1
    x0 = left + _LABEL_W
    span = pdf.epw - _LABEL_W - _VALUE_W
    largest = max((sum(p) for p in parts), default=0) or 1
    pdf.set_font(FONT, "", 7)
    for i, (label, part) in enumerate(zip(labels, parts, strict=True)):
        y = top + i * _ROW_H
        pdf.set_xy(left, y)
        pdf.cell(_LABEL_W - 2, _ROW_H, _fit(pdf, label, _LABEL_W - 2), align="R")
        x = x0
        for value, colour in zip(part, colours, strict=True):
            width = span * value / largest
            if width > 0:
                pdf.set_fill_color(*colour)
                pdf.rect(x, y + 0.6, width, _ROW_H - 1.2, style="F")
            x += width
        pdf.set_xy(x + 0.8, y)
        pdf.cell(_VALUE_W, _ROW_H, number(sum(part)))
    pdf.set_draw_color(*AXIS)
    pdf.line(x0, top, x0, top + _ROW_H * len(parts))
    pdf.set_draw_color(0, 0, 0)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_xy(left, top + _ROW_H * len(parts) + 3)


def _legend(
    pdf: Document, names: tuple[str, ...], colours: tuple[tuple[int, int, int], ...]
) -> None:
    pdf.set_font(FONT, "", 7)
    x, y = pdf.l_margin + _LABEL_W, pdf.get_y()
    for name, colour in zip(names, colours, strict=True):
        pdf.set_fill_color(*colour)
        pdf.rect(x, y + 1, 3, 3, style="F")
        pdf.set_xy(x + 4, y)
        pdf.cell(pdf.get_string_width(name) + 2, 5, name)
        x += pdf.get_string_width(name) + 10
    pdf.set_xy(pdf.l_margin, y + 5)


def _fit(pdf: Document, text: str, width: float) -> str:
    """``text`` cut to fit ``width`` mm in the current font, with an ellipsis if cut."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
