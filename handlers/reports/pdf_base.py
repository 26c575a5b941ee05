"""The printed page every KPU document shares: A4, a letterhead with the office's name,
a page number in the footer, and a font that has every letter people type (DejaVu Sans,
shipped inside matplotlib, so no system fonts are needed).

Speed: a document embeds the letters it uses, cut from the font file when it is written;
cutting them from the whole of DejaVu (6,000 letters, with tables for scripts the reports
never show) took longer than drawing the report. So a document is drawn first with a
light copy of the font holding the Latin letters, punctuation and symbols (made once per
process), and drawn again with the whole font only when a text needs a letter the light
copy lacks (:func:`print_pdf`).
"""

from __future__ import annotations

import copy
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import matplotlib
from fontTools import subset, ttLib
from fpdf import FPDF
from fpdf.fonts import FontFace, SubsetMap, TTFFont

from handlers.reports.words import Words

_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "dejavu"
_PARSED: dict[tuple[str, bool], object] = {}  # a face's metrics, read once (Document._font)
_LIGHT: dict[str, Path] = {}  # face file -> its light copy, made once per process
LIGHT_LETTERS = (
    *range(0x20, 0x250),  # Latin, Latin-1, Latin Extended A and B
    *range(0x2000, 0x2070),  # general punctuation (dashes, quotes, bullet, ellipsis)
    *range(0x20A0, 0x20C1),  # currency signs
    *range(0x2100, 0x2200),  # letter-like symbols, number forms, arrows
    *range(0x25A0, 0x2600),  # geometric shapes
)
MAROON = (122, 31, 31)
GREY = (235, 235, 235)
HEAD_STYLE = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=MAROON)


class Document(FPDF):
    """An A4 document with the office's letterhead on every page."""

    def __init__(
        self, words: Words, body: str, office_name: str, title: str, *, light: bool = True
    ) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.words = words
        self.body = body  # "KOMISI PEMILIHAN UMUM" or the KIP's name, from the office
        self.office_name = office_name
        self.doc_title = title
        self._font("", "DejaVuSans.ttf", light)
        self._font("B", "DejaVuSans-Bold.ttf", light)
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(title)
        self.set_creator("KPU help desk")

    def _font(self, style: str, file: str, light: bool) -> None:
        """Adds a face of the font. Its metrics are read once per process and each
        document gets a copy with a file handle and a subset of its own (the subset is cut
        from the file when the document is written, so the file cannot be shared)."""
        key, path = f"{FONT}{style}", _light_copy(file) if light else _FONTS / file
        parsed = _PARSED.get((key, light))
        if parsed is None:
            self.add_font(FONT, style, str(path))
            _PARSED[(key, light)] = copy.copy(self.fonts[key])
            return
        font = copy.copy(parsed)
        assert isinstance(font, TTFFont)
        font.i = len(self.fonts) + 1
        font.ttfont = ttLib.TTFont(path, recalcTimestamp=False, lazy=True)
        font.subset = SubsetMap(font)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        self.fonts[key] = font

    def header(self) -> None:
        self.set_font(FONT, "B", 11)
        self.set_text_color(*MAROON)
        self.cell(0, 6, self.office_name.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 4, self.doc_title, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*MAROON)
        self.set_line_width(0.6)
        self.line(15, self.get_y() + 1.5, self.w - 15, self.get_y() + 1.5)
        self.set_line_width(0.2)
        self.set_draw_color(0, 0, 0)
        self.set_text_color(0, 0, 0)
        self.ln(5)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7)
        self.set_text_color(120, 120, 120)
        self.cell(0, 5, self.words("page", number=str(self.page_no())), align="R")
        self.set_text_color(0, 0, 0)

    def text_line(self, height: float, text: str, align: str = "L") -> None:
        """One line across the page, then the cursor moves to the next line."""
        self.cell(0, height, text, align=align, new_x="LMARGIN", new_y="NEXT")

    def heading(self, text: str) -> None:
        self.set_font(FONT, "B", 10)
        self.set_text_color(*MAROON)
        self.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.set_font(FONT, "", 8)

    def lacks_letters(self) -> bool:
        """Whether a text drawn so far needs a letter the document's font does not have."""
        return any(getattr(font, "missing_glyphs", None) for font in self.fonts.values())

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def print_pdf(draw: Callable[[bool], Document]) -> bytes:
    """The bytes of the document ``draw(light)`` makes: drawn with the light font, or
    again with the whole font when the light one lacks a letter of the texts."""
    pdf = draw(True)
    if pdf.lacks_letters():
        pdf = draw(False)
    return pdf.output_bytes()


def _light_copy(file: str) -> Path:
    """A copy of the face ``file`` with only :data:`LIGHT_LETTERS` and what drawing
    them needs (no hinting, no tables for complex scripts), kept in the temporary folder
    under a name that changes with the source file and the letters kept."""
    if file in _LIGHT:
        return _LIGHT[file]
    source = _FONTS / file
    stamp = hashlib.sha256(f"{source.stat().st_size}:{LIGHT_LETTERS}".encode()).hexdigest()
    target = Path(tempfile.gettempdir()) / "kpu-report-fonts" / f"{stamp[:16]}-{file}"
    if not target.exists():
        font = ttLib.TTFont(source, recalcTimestamp=False)
        options = subset.Options(notdef_outline=True, recommended_glyphs=True, glyph_names=True)
        options.hinting = False
        options.layout_features = []
        options.drop_tables += ["GDEF", "GPOS", "GSUB", "MATH", "kern", "hdmx", "FFTM"]
        cutter = subset.Subsetter(options)
        cutter.populate(unicodes=LIGHT_LETTERS)
        cutter.subset(font)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.part")
        font.save(partial)
        os.replace(partial, target)  # whole or not at all, even with processes side by side
    _LIGHT[file] = target
    return target
