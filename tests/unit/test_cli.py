"""The ``helpdesk`` command, run as a person runs it: in this process where the code is
the same, as a process where the installed program or the real terminal is the point."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from tests.cli import HOST_SETTINGS, helpdesk


def process(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The command ``pip install`` wrote, run as its own process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(HOST_SETTINGS)}
    return subprocess.run(
        [str(Path(sys.executable).parent / "helpdesk"), *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_the_installed_command_is_a_working_program(tmp_path: Path) -> None:
    result = process("--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("helpdesk 0.")


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = helpdesk("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("run", "demo", "db", "start"):
        assert command in result.stdout
    assert helpdesk("db", "--help", cwd=tmp_path).stdout.count("upgrade") >= 1


def test_version(tmp_path: Path) -> None:
    result = helpdesk("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("helpdesk 0.")


def test_run_without_a_token_explains_itself_in_one_line(tmp_path: Path) -> None:
    result = helpdesk("run", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "TELEGRAM_BOT_TOKEN is not set" in lines[0]
    assert "helpdesk demo" in lines[0]


def test_a_wrong_setting_stops_start_up_with_one_line(tmp_path: Path) -> None:
    result = helpdesk("run", cwd=tmp_path, env={"LOG_FORMAT": "yaml"})
    assert result.returncode == 2
    assert result.stderr.strip() == "configuration error: LOG_FORMAT must be 'text' or 'json'"


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/x.db"
    result = helpdesk("db", "upgrade", cwd=tmp_path, env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert "database at revision" in result.stdout
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
    engine.dispose()
    assert {"person", "chat", "interaction", "app_state", "alembic_version"} <= tables


def test_the_demo_is_a_working_chat_in_the_terminal(tmp_path: Path) -> None:
    result = process(  # a process: the console reads the real standard input and output
        "demo",
        cwd=tmp_path,
        stdin="1\n5\n2\nkapan batas akhir pendaftaran partai politik?\n/quit\n",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Silakan pilih bahasa" in out
    assert "[1] 🇮🇩 Bahasa Indonesia" in out
    assert "Bahasa disimpan." in out
    assert "Pilih menu di bawah ini" in out
    assert "Pengaturan" in out and "Language saved." in out
    assert "14 Agustus 2022" in out, "free text gets an answer from the knowledge base"
    assert "Goodbye" in out
    assert (tmp_path / "var" / "demo.db").exists()


def test_start_without_a_token_opens_the_demo(tmp_path: Path) -> None:
    result = process("start", cwd=tmp_path, stdin="/quit\n")
    assert result.returncode == 0, result.stderr
    assert "opening the console demo" in result.stderr
    assert "Selamat datang" in result.stdout
