"""XLSX workbooks: the registers (one sheet each) and the tier report (its tables).

Columns are typed (dates as dates, numbers as numbers), the header row is frozen and
filtered, so an office can sort and count in its own spreadsheet program.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from handlers.reports.columns import CONSULTATION_COLUMNS, GUEST_COLUMNS, Column, cells
from handlers.reports.tables import report_tables
from handlers.reports.words import Words
from models.register import GuestRow, RegisterRow
from models.report_data import ReportData

_HEAD_FILL = PatternFill("solid", fgColor="7A1F1F")
_HEAD_FONT = Font(bold=True, color="FFFFFF")
_DATE_FORMAT = "dd-mm-yyyy hh:mm"
_INT_FORMAT = "#,##0"
_DEC_FORMAT = "#,##0.0"
_PCT_FORMAT = "0.0%"


def render_register_xlsx(
    consultations: Sequence[RegisterRow], guests: Sequence[GuestRow], words: Words
) -> bytes:
    """Both registers of an office and period: one sheet each."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    _register_sheet(book, words("sheet_consultations"), CONSULTATION_COLUMNS, consultations, words)
    _register_sheet(book, words("sheet_guestbook"), GUEST_COLUMNS, guests, words)
    return _save(book)


def _register_sheet(
    book: Workbook, title: str, columns: tuple[Column, ...], rows: Sequence[Any], words: Words
) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append([words(f"col_{c.label}") for c in columns])
    for row in rows:
        sheet.append(cells(columns, row, words))
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        number_format = {"at": _DATE_FORMAT, "duration": _INT_FORMAT}.get(column.label)
        if number_format:
            for cell in sheet[letter][1:]:
                cell.number_format = number_format
    _header(sheet, len(columns), len(rows))


def _header(sheet: Worksheet, width: int, height: int) -> None:
    for cell in sheet[1]:
        cell.fill, cell.font = _HEAD_FILL, _HEAD_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{height + 1}"


def render_report_xlsx(data: ReportData, words: Words) -> bytes:
    """The tier report: a summary sheet, the rows by office with their total, and the
    breakdowns (channel, party, role, topic, stage, gaps, announcements)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    tables = report_tables(data, words)
    sheet.title = words("sheet_summary")[:31]
    sheet.append([words("report_title", office=data.office_name, period=data.period.key)])
    sheet["A1"].font = Font(bold=True, size=13)
    _append_table(sheet, tables.summary, start=3)
    offices = book.create_sheet(words("sheet_offices")[:31])
    _append_table(offices, tables.offices, start=1)
    offices.freeze_panes = "B2"
    offices.auto_filter.ref = (
        f"A1:{get_column_letter(len(tables.offices.head))}{len(tables.offices.rows) + 1}"
    )
    details = book.create_sheet(words("sheet_breakdowns")[:31])
    line = 1
    for table in tables.breakdowns:
        details.cell(line, 1, table.title).font = Font(bold=True)
        line = _append_table(details, table, start=line + 1) + 2
    for ws in book.worksheets:
        ws.column_dimensions["A"].width = 48
        for letter in "BCDEFGHI":
            ws.column_dimensions[letter].width = 16
    return _save(book)


def _append_table(sheet: Worksheet, table: Any, *, start: int) -> int:
    """Writes a table's head and rows from row ``start``; returns the last row used."""
    for col, head in enumerate(table.head, start=1):
        cell = sheet.cell(start, col, head)
        cell.fill, cell.font = _HEAD_FILL, _HEAD_FONT
    line = start
    for values in [*table.rows, *([table.total] if table.total else [])]:
        line += 1
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(line, col, value.raw if hasattr(value, "raw") else value)
            if hasattr(value, "kind"):
                cell.number_format = {
                    "int": _INT_FORMAT,
                    "dec": _DEC_FORMAT,
                    "pct": _PCT_FORMAT,
                }.get(value.kind, "General")
        if table.total and values is table.total:
            for col in range(1, len(values) + 1):
                sheet.cell(line, col).font = Font(bold=True)
    return line


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
