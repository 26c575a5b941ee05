"""The printed page every KPU document shares: A4, a letterhead with the office's name,
a page number in the footer, and a font that has every letter people type (DejaVu Sans,
shipped inside matplotlib, so no system fonts are needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.fonts import FontFace

from handlers.reports.words import Words

_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "dejavu"
MAROON = (122, 31, 31)
GREY = (235, 235, 235)
HEAD_STYLE = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=MAROON)


class Document(FPDF):
    """An A4 document with the office's letterhead on every page."""

    def __init__(self, words: Words, body: str, office_name: str, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.words = words
        self.body = body  # "KOMISI PEMILIHAN UMUM" or the KIP's name, from the office
        self.office_name = office_name
        self.doc_title = title
        self.add_font(FONT, "", str(_FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(_FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(title)
        self.set_creator("KPU help desk")

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

    def output_bytes(self) -> bytes:
        return bytes(self.output())
