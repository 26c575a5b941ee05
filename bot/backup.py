"""An online, consistent copy of the SQLite database, taken while the bot runs.

SQLite's backup API (``sqlite3.Connection.backup``) copies every page in one step, under
one read transaction: the copy is the database as of one instant, and in WAL mode the
bot's writers are not held up meanwhile. The copy is written beside its destination and
renamed into place only once complete and checked (``PRAGMA quick_check``), so a
half-written file never carries the backup's name. It is left in rollback-journal mode:
one self-contained file, nothing beside it.

PostgreSQL has its own tool for this (``pg_dump``); a copy is refused with that advice.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import make_url

from bot.storage import SQLITE_BUSY_TIMEOUT_MS, normalise_url


class BackupRefused(Exception):
    """The copy cannot be made as asked (one line for a person)."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    pages: int


def backup_sqlite(database_url: str, target: Path, *, force: bool = False) -> Backup:
    """Copies the SQLite database of ``database_url`` to ``target``."""
    parsed = make_url(normalise_url(database_url))
    if parsed.get_backend_name() != "sqlite":
        raise BackupRefused(
            "DATABASE_URL is PostgreSQL: back it up with pg_dump, e.g. "
            '`pg_dump --format=custom --file=helpdesk.dump "$DATABASE_URL"`'
        )
    database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupRefused(f"DATABASE_URL names no database file ({database or 'none'})")
    source = Path(database).expanduser().absolute()
    if not source.is_file():
        raise BackupRefused(f"there is no database at {source}")
    target = target.expanduser().absolute()
    if target.exists() and target.resolve() == source.resolve():
        raise BackupRefused(f"{target} is the database itself; choose another path")
    if target.is_dir():
        raise BackupRefused(f"{target} is a folder; give the backup file's path")
    if target.exists() and not force:
        raise BackupRefused(f"{target} exists: choose another path, or add --force to replace it")
    if not target.parent.is_dir():
        raise BackupRefused(f"the folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        pages = _copy(source, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Backup(target, target.stat().st_size, pages)


def _copy(source: Path, partial: Path) -> int:
    timeout = SQLITE_BUSY_TIMEOUT_MS / 1000
    # mode=rw: the source is never created by mistake; nothing is written to it.
    reader = sqlite3.connect(f"file:{quote(str(source))}?mode=rw", uri=True, timeout=timeout)
    try:
        copy = sqlite3.connect(partial, timeout=timeout)
        try:
            reader.backup(copy)  # every page in one step: one consistent snapshot
            copy.execute("PRAGMA journal_mode=DELETE")
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise BackupRefused(f"the copy failed its check ({verdict}); nothing was kept")
            pages = int(copy.execute("PRAGMA page_count").fetchone()[0])
            copy.commit()
        finally:
            copy.close()
    finally:
        reader.close()
    with open(partial, "rb") as written:
        os.fsync(written.fileno())
    return pages
