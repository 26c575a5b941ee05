"""The two documents people ask for, as one call each: an office's registers for a
span of days, and an office's tier report for a period. The CLI calls these now; the
staff chat and the scheduled sending can call the same ones.

The renderers are imported when a document is made: their libraries (matplotlib, fpdf2,
openpyxl) are most of the process's memory, and most processes never make a document."""

from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from handlers.reports.words import Words
from handlers.texts import Texts
from models import Language
from models.offices import get_office, office_zone, subtree_codes
from models.register import guest_rows, register_rows
from models.report_scope import Period
from models.reports import ReportCache, build_report


class ExportFormat(enum.StrEnum):
    XLSX = "xlsx"
    PDF = "pdf"
    CSV = "csv"


class ReportFormat(enum.StrEnum):
    PDF = "pdf"
    XLSX = "xlsx"
    HTML = "html"
    SUMMARY = "summary"  # the public summary: aggregate only, an HTML fragment


class Register(enum.StrEnum):
    CONSULTATIONS = "consultations"
    GUESTBOOK = "guestbook"


def export_register(
    session: Session,
    office_code: str,
    first: date,
    last: date,
    fmt: ExportFormat,
    *,
    register: Register = Register.CONSULTATIONS,
    texts: Texts,
    lang: Language = Language.ID,
) -> bytes:
    """The office's own registers (with the offices below it) for local days
    ``first``..``last``. XLSX holds both registers; PDF prints one consultation sheet per
    consultation (the guest book as its register table in XLSX and CSV only); CSV holds
    the register asked for."""
    from handlers.reports.csv_export import register_csv
    from handlers.reports.pdf_sheets import render_sheets_pdf
    from handlers.reports.xlsx import render_register_xlsx

    office = get_office(session, office_code)
    zone = office_zone(office)
    start = datetime.combine(first, time(0, 0), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time(0, 0), tzinfo=zone)
    codes = subtree_codes(session, office.code)
    words = Words(texts, lang, zone)
    consultations = register_rows(session, codes, start, end)
    if fmt is ExportFormat.PDF:
        return render_sheets_pdf(
            consultations, words, office_name=office.name, place=office.region or office.name
        )
    guests = guest_rows(session, codes, start, end)
    if fmt is ExportFormat.XLSX:
        return render_register_xlsx(consultations, guests, words)
    if register is Register.GUESTBOOK:
        return register_csv(guests, words, guestbook=True)
    return register_csv(consultations, words)


def report_file(
    session: Session,
    office_code: str,
    period: Period,
    fmt: ReportFormat,
    *,
    now: datetime,
    texts: Texts,
    lang: Language = Language.ID,
    cache: ReportCache | None = None,
) -> bytes:
    """The tier report of ``office_code`` for ``period`` as a file. A run that makes many
    reports passes one ``cache`` to all of them (see :class:`models.reports.ReportCache`)."""
    from handlers.reports.html_report import render_report_html
    from handlers.reports.pdf_report import render_report_pdf
    from handlers.reports.public_summary import render_public_summary
    from handlers.reports.xlsx import render_report_xlsx

    data = build_report(session, office_code, period, now, cache)
    words = Words(texts, lang, office_zone(get_office(session, office_code)))
    if fmt is ReportFormat.XLSX:
        return render_report_xlsx(data, words)
    if fmt is ReportFormat.HTML:
        return render_report_html(data, words)
    if fmt is ReportFormat.SUMMARY:
        return render_public_summary(data, words)
    return render_report_pdf(data, words)
