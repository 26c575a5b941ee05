"""``helpdesk consult add|guest|export`` and ``helpdesk report`` on a temp database."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from bot.cli import app

runner = CliRunner()


def helpdesk(database_url: str, *args: str) -> Result:
    return runner.invoke(app, list(args), env={"DATABASE_URL": database_url})


def test_an_officer_records_from_the_shell_and_gets_the_register_and_the_report(
    database_url: str, tmp_path: Path
) -> None:
    added = helpdesk(
        database_url, "consult", "add", "--office", "34.02", "--channel", "phone",
        "--name", "Ani", "--party", "pkb", "--question", "Kapan verifikasi faktual?",
        "--contact", "081234567890", "--at", "2026-11-23 09:30",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "recorded BTL/2026/0001" in added.output
    guest = helpdesk(
        database_url, "consult", "guest", "--office", "34.02", "--name", "Budi",
        "--role", "voter", "--question", "Di mana TPS saya?",
    )  # fmt: skip
    assert guest.exit_code == 0, guest.output
    assert "recorded BTL/2026/0002" in guest.output

    export = tmp_path / "register.xlsx"
    exported = helpdesk(
        database_url, "consult", "export", "--office", "34", "--from", "2026-11-01",
        "--to", "2026-12-31", "--format", "xlsx", "--out", str(export),
    )  # fmt: skip
    assert exported.exit_code == 0, exported.output
    book = load_workbook(io.BytesIO(export.read_bytes()))
    assert book["Lembar konsultasi"].max_row == 3 and book["Buku tamu"].max_row == 2

    report = tmp_path / "report.html"
    made = helpdesk(
        database_url, "report", "--office", "34.02", "--period", "2026-11", "--format",
        "html", "--out", str(report),
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "Telepon" in report.read_text(encoding="utf-8")


def test_a_wrong_channel_or_period_is_one_line_of_error(database_url: str) -> None:
    wrong = helpdesk(
        database_url, "consult", "add", "--office", "34.02", "--channel", "fax",
        "--name", "Ani", "--question", "?",
    )  # fmt: skip
    assert wrong.exit_code == 2 and "--channel must be one of" in wrong.stderr
    period = helpdesk(database_url, "report", "--office", "RI", "--period", "November")
    assert period.exit_code == 2 and "2026-W48" in period.stderr
