"""``helpdesk db backup PATH``: an online, consistent copy of the SQLite database."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import Session

from models import Lane, ManualClock
from models.outbox import enqueue
from tests.cli import helpdesk

pytestmark = pytest.mark.only_on("sqlite")


def rows_in(path: Path) -> list[int]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as copy:
        return [r[0] for r in copy.execute("SELECT id FROM outbox_message ORDER BY id")]


def test_a_backup_taken_while_the_desk_writes_opens_with_every_row_up_to_its_moment(
    database_url: str,
    sessions: Callable[[], Session],
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    written: list[int] = []
    stop = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            n = 0
            while not stop.is_set():
                with sessions() as session:
                    enqueue(
                        session,
                        campaign=f"announcement:{n}",
                        recipient="5001",
                        channel="telegram",
                        chat_id="5001",
                        text="pengumuman " + "x" * 500,
                        lane=Lane.BULK,
                        now=clock.now(),
                    )
                    session.commit()
                n += 1
                written.append(n)
        except Exception as exc:  # noqa: BLE001 (reported by the test below)
            errors.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        deadline = time.monotonic() + 10
        while len(written) < 50 and time.monotonic() < deadline:
            time.sleep(0.01)
        before = len(written)
        copies = []
        for n in range(3):
            target = tmp_path / f"backup-{n}.db"
            result = helpdesk(
                "db", "backup", str(target), cwd=tmp_path, env={"DATABASE_URL": database_url}
            )
            assert result.returncode == 0, result.stderr
            assert f"backup written to {target}" in result.stdout
            copies.append(target)
        during = len(written)
    finally:
        stop.set()
        writer.join(timeout=10)
    assert not errors, errors
    assert before >= 50 and during > before  # the desk went on writing meanwhile

    for target in copies:
        ids = rows_in(target)
        assert len(ids) >= 50
        assert ids == list(range(1, len(ids) + 1))  # every row up to one instant, none torn
        assert not Path(f"{target}-wal").exists()  # one self-contained file
        with sqlite3.connect(target) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    source = Path(make_url(database_url).database or "")
    assert len(rows_in(source)) == len(written)


def test_a_backup_does_not_replace_a_file_unless_told_to(database_url: str, tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    target.write_text("an older backup")
    env = {"DATABASE_URL": database_url}

    refused = helpdesk("db", "backup", str(target), cwd=tmp_path, env=env)
    assert refused.returncode == 2
    assert "exists" in refused.stderr and "--force" in refused.stderr
    assert target.read_text() == "an older backup"

    forced = helpdesk("db", "backup", str(target), "--force", cwd=tmp_path, env=env)
    assert forced.returncode == 0, forced.stderr
    assert rows_in(target) == []
    assert not list(tmp_path.glob(".backup.db.partial-*"))


def test_a_backup_of_postgresql_is_refused_with_pg_dump_named(tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    result = helpdesk(
        "db",
        "backup",
        str(target),
        cwd=tmp_path,
        env={"DATABASE_URL": "postgresql://helpdesk@127.0.0.1:1/helpdesk"},
    )
    assert result.returncode == 2
    assert "pg_dump" in result.stderr
    assert not target.exists()


def test_a_backup_of_a_missing_database_is_refused_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "helpdesk.db"
    result = helpdesk(
        "db",
        "backup",
        str(tmp_path / "backup.db"),
        cwd=tmp_path,
        env={"DATABASE_URL": f"sqlite:///{missing}"},
    )
    assert result.returncode == 2
    assert "there is no database at" in result.stderr
    assert not missing.parent.exists() and not (tmp_path / "backup.db").exists()
