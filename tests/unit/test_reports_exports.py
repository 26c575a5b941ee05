"""Every export of the registers and the report: personal numbers never in the bytes,
the PDF prints something, the workbook has its sheets and totals."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from handlers.reports.files import (
    ExportFormat,
    Register,
    ReportFormat,
    export_register,
    report_file,
)
from handlers.texts import Texts
from models import Language, ManualClock
from models.consultations import Channel, VisitorRole, consult_from_guest, sign_guest_book
from models.gaps import GapReason, record_gap
from models.report_scope import parse_period
from models.ticket_actions import officer_reply
from tests.unit.consult_world import recorded
from tests.unit.desk_world import world_in

NIK = "3402123456789012"
MOBILE = "081234567890"
INTERNATIONAL = "+6281298765432"
SECRETS = (NIK, MOBILE, INTERNATIONAL, INTERNATIONAL.removeprefix("+"))
DIRTY = f"NIK {NIK} telp {MOBILE} / {INTERNATIONAL}"
WEEK = parse_period("2026-W48")
DAYS = (WEEK.first_day, WEEK.last_day)


@pytest.fixture
def dirty_office(sessions: Callable[[], Session], clock: ManualClock) -> Iterator[Session]:
    """Bantul's week with NIKs and phone numbers typed into every free-text field."""
    with world_in(sessions, clock) as world:
        texts = {
            name: DIRTY
            for name in (
                "answer",
                "legal_basis",
                "officer_name",
                "follow_up",
                "visitor_name",
            )
        }
        recorded(
            world,
            "34.02",
            channel=Channel.PHONE,
            party=DIRTY,
            topic="sipol",
            stage=DIRTY,
            question=DIRTY,
            contact=MOBILE,
            **texts,
        )
        guest = sign_guest_book(
            world.session,
            office_code="34.02",
            visitor_name=DIRTY,
            role=VisitorRole.VOTER,
            party=DIRTY,
            contact=INTERNATIONAL,
            purpose=DIRTY,
            at=world.now,
        )
        consult_from_guest(
            world.session, guest, question=DIRTY, answer=DIRTY, actor="t", now=world.now
        )
        officer = world.officer("34.02", name="Petugas")
        ticket = world.ticket(world.liaison("34.02"), question=DIRTY)
        officer_reply(world.session, ticket=ticket, officer=officer, text=DIRTY, now=world.now)
        record_gap(
            world.session,
            at=world.now,
            channel="telegram",
            person_id=None,
            question=DIRTY,
            normalised=DIRTY,
            lang="id",
            reason=GapReason.UNANSWERED,
        )
        world.session.commit()
        yield world.session


def _readable(content: bytes, kind: str, tmp_path: Path) -> str:
    """What a reader of the file could find: XML inside an XLSX, text inside a PDF."""
    if kind == "xlsx":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    if kind == "pdf":
        if shutil.which("pdftotext") is None:
            pytest.skip("pdftotext (poppler-utils) is not installed: apt-get install poppler-utils")
        path = tmp_path / "out.pdf"
        path.write_bytes(content)
        found = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, check=True, timeout=60
        )
        return found.stdout.decode("utf-8")
    return content.decode("utf-8")


def _assert_masked(text: str) -> None:
    digits = re.sub(r"[ .\-]", "", text)
    for secret in SECRETS:
        assert secret not in text and secret not in digits, secret
    assert "9012" in text  # the last four digits stay, so the export is not just empty


@pytest.mark.parametrize("fmt", list(ExportFormat))
@pytest.mark.parametrize("register", list(Register))
def test_no_register_export_shows_a_nik_or_phone_number(
    dirty_office: Session, fmt: ExportFormat, register: Register, tmp_path: Path
) -> None:
    content = export_register(dirty_office, "34.02", *DAYS, fmt, register=register, texts=Texts())
    _assert_masked(_readable(content, fmt.value, tmp_path))


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_no_report_shows_a_nik_or_phone_number(
    dirty_office: Session, clock: ManualClock, fmt: ReportFormat, tmp_path: Path
) -> None:
    content = report_file(dirty_office, "RI", WEEK, fmt, now=clock.now(), texts=Texts())
    text = _readable(content, fmt.value, tmp_path)
    for secret in SECRETS:
        assert secret not in re.sub(r"[ .\-]", "", text) and secret not in text


def test_the_report_pdf_prints_a_page_that_is_not_blank(
    dirty_office: Session, clock: ManualClock, tmp_path: Path
) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: apt-get install poppler-utils")
    content = report_file(
        dirty_office, "34", WEEK, ReportFormat.PDF, now=clock.now(), texts=Texts()
    )
    assert content.startswith(b"%PDF")
    (tmp_path / "report.pdf").write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-gray", "-png", "report.pdf", "page"],
        cwd=tmp_path,
        check=True,
        timeout=60,
    )
    from PIL import Image  # matplotlib's own dependency

    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    histogram = page.histogram()
    ink = sum(histogram[:200])  # pixels clearly darker than paper
    assert ink > 0.01 * page.width * page.height


def test_the_report_workbook_has_its_sheets_and_totals(
    dirty_office: Session, clock: ManualClock
) -> None:
    content = report_file(
        dirty_office,
        "34",
        WEEK,
        ReportFormat.XLSX,
        now=clock.now(),
        texts=Texts(),
        lang=Language.EN,
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Summary", "By office", "Breakdowns"]
    offices = book["By office"]
    head = [c.value for c in offices[1]]
    assert head[:2] == ["Office", "Consultations"]
    rows = list(offices.iter_rows(min_row=2, values_only=True))
    total = rows[-1]
    assert total[0] == "Total"
    assert total[1] == sum(r[1] for r in rows[:-1]) == 3  # two recorded, one ticket
    assert [r[0] for r in rows[:-1]] == [
        "34 KPU Daerah Istimewa Yogyakarta",
        "34.02 KPU Kabupaten Bantul",
        "34.71 KPU Kota Yogyakarta",
    ]


def test_the_register_workbook_has_a_typed_filtered_sheet_per_register(
    dirty_office: Session,
) -> None:
    content = export_register(dirty_office, "34", *DAYS, ExportFormat.XLSX, texts=Texts())
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Lembar konsultasi", "Buku tamu"]
    sheet = book["Lembar konsultasi"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:Q4"
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(numbers) == 3 and {"BTL/2026/0001", "BTL/2026/0002"} <= set(numbers)
    when = sheet.cell(2, 2).value
    assert when.year == 2026 and when.tzinfo is None  # a real date cell, local time
    assert book["Buku tamu"].max_row == 2


def test_a_report_prints_letters_beyond_the_latin_ones(
    sessions: Callable[[], Session], clock: ManualClock, tmp_path: Path
) -> None:
    with world_in(sessions, clock) as world:
        recorded(world, "34.02", topic="Выборы", stage="Εκλογές")
        world.session.commit()
        content = report_file(
            world.session, "34.02", WEEK, ReportFormat.PDF, now=clock.now(), texts=Texts()
        )
    text = _readable(content, "pdf", tmp_path)
    assert "Выборы" in text and "Εκλογές" in text
    assert "Tatap muka" in text
