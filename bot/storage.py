"""The database: engine, sessions and migrations, for SQLite and PostgreSQL alike.

The home of ``SQLITE_BUSY_TIMEOUT_MS`` and of where the migrations live (``MIGRATIONS``).

Alembic is imported only when a migration is to run: whether the database is at the newest
migration is read without it (``at_head``), and a serving process migrates in a child
process (``upgrade(..., apart=True)``), so that the 11 MiB Alembic and its templates hold
stay out of a process that serves for weeks.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

import models

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(models.__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000

_BEGIN_IMMEDIATE: ContextVar[bool] = ContextVar("sqlite_begin_immediate", default=False)


@contextmanager
def writing() -> Iterator[None]:
    """The next transaction begun here takes SQLite's write lock at once (``BEGIN
    IMMEDIATE``). A unit of work that reads before it writes needs it: in WAL mode a
    transaction that read cannot start writing once another connection has committed
    (its snapshot is stale), and SQLite then fails it at once with "database is locked",
    without waiting out the busy timeout. Only the next transaction: a session opened
    inside the unit of work only to read stays deferred and does not wait for its own
    caller. No effect on PostgreSQL."""
    token = _BEGIN_IMMEDIATE.set(True)
    try:
        yield
    finally:
        _BEGIN_IMMEDIATE.reset(token)


def normalise_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` get the psycopg 3 driver; SQLite stays as it is."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, *, pool_size: int | None = None) -> Engine:
    """An engine for ``url``. SQLite gets WAL (readers never wait for the writer), a busy
    timeout (writers wait their turn instead of failing), foreign keys, and its folder.
    PostgreSQL keeps ``pool_size`` connections, and as many more at a peak.

    A pooled connection is tested before use (``pool_pre_ping``) only where it can go
    stale, a server's; a SQLite file's connection cannot, and the test was a ``SELECT 1``
    at every unit of work and every outbox read or write."""
    url = normalise_url(url)
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"pool_pre_ping": parsed.get_backend_name() != "sqlite"}
    if pool_size is not None and parsed.get_backend_name() == "postgresql":
        kwargs |= {"pool_size": pool_size, "max_overflow": pool_size}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {
            "check_same_thread": False,
            "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
        }
    engine = sa.create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        writer = _WriterTurn()
        sa.event.listen(engine, "begin", writer.begin)
        sa.event.listen(engine, "savepoint", writer.savepoint)
        sa.event.listen(engine.pool, "reset", writer.reset)
        sa.event.listen(engine.pool, "checkin", writer.done)
    return engine


class _WriterTurn:
    """When a SQLite transaction begins, and who gets the write lock next.

    Python's sqlite3 driver begins a transaction just before the first write, so reads
    before it see the newest data and a writer never holds a stale snapshot (in WAL mode
    a transaction that read cannot start writing once another connection committed, and
    SQLite fails it at once with "database is locked"). That stays the default. Two cases
    begin here instead, with the write lock taken at once (``BEGIN IMMEDIATE``, which
    waits its turn):

    - inside :func:`writing`, a unit of work that reads before it writes;
    - a savepoint taken before the first write (a unit of work that starts with
      ``begin_nested``): left to the driver it would be a transaction of its own and
      commit on release, whatever the unit of work decides later.

    The threads of this process that want the write lock queue for it here, and the next
    one gets it the moment the previous one's connection is back in the pool. Left to
    SQLite, a waiting writer sleeps in growing steps (up to 100 ms) and the lock sits idle
    meanwhile: under a burst of updates that halved the handling rate. Other processes
    still wait in SQLite's busy timeout."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def begin(self, connection: sa.Connection) -> None:
        if _BEGIN_IMMEDIATE.get():
            _BEGIN_IMMEDIATE.set(False)
            self._begin_writing(connection)

    def savepoint(self, connection: sa.Connection, _name: str | None) -> None:
        dbapi_connection = connection.connection.dbapi_connection
        if dbapi_connection is not None and not dbapi_connection.in_transaction:
            self._begin_writing(connection)

    def _begin_writing(self, connection: sa.Connection) -> None:
        # Waits no longer than SQLite would: a writer of this very thread that is still
        # open (a bug) then fails with "database is locked" rather than hanging.
        turn = self._lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        if turn:
            connection.info[_TURN] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if connection.info.pop(_TURN, False):
                self._lock.release()
            raise

    def done(self, _dbapi_connection: Any, record: Any) -> None:
        """The connection is back in the pool (committed or rolled back): next writer."""
        if record is not None and record.info.pop(_TURN, False):
            self._lock.release()

    def reset(self, dbapi_connection: Any, record: Any, _state: Any) -> None:
        self.done(dbapi_connection, record)


_TURN = "helpdesk_writer_turn"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def probe_engine(url: str, timeout: float) -> Engine:
    """An engine for health checks: a new connection each time (a pooled one would keep
    answering from a SQLite file that is gone, or hide a server that went away), that
    never creates the SQLite file (``mode=rw``), and whose waits end after ``timeout``
    seconds (SQLite's busy timeout; PostgreSQL's connect and statement timeouts)."""
    url = normalise_url(url)
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"poolclass": sa.pool.NullPool}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database).expanduser().absolute()
            parsed = parsed.set(
                database=f"file:{quote(str(path))}", query={"mode": "rw", "uri": "true"}
            )
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": timeout}
    else:
        milliseconds = int(timeout * 1000)
        kwargs["connect_args"] = {
            "connect_timeout": max(1, int(timeout)),
            "options": f"-c statement_timeout={milliseconds} -c lock_timeout={milliseconds}",
        }
    return sa.create_engine(parsed, **kwargs)


def session_factory(engine: Engine) -> Callable[[], Session]:
    def open_session() -> Session:
        return Session(engine, expire_on_commit=False)

    return open_session


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


class MigrationFailed(RuntimeError):
    """The migration run in a child process did not finish; its error is on stderr."""


def upgrade(
    engine: Engine,
    revision: str = "head",
    *,
    apart: bool = False,
    then: Callable[[], object] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> None:
    """Brings the schema to ``revision``. Safe to run at every start: a database at the
    newest migration is left alone without importing Alembic. ``apart``: migrate in a
    forked child process (a serving process, before it starts threads), so that Alembic
    never enters this one; :class:`MigrationFailed` when the child fails.

    ``then`` runs once the schema is migrated, in the process that migrated (the child,
    when apart). ``meanwhile`` is work of this process that needs no database: it runs
    while the child migrates (on another core), otherwise before the migration."""
    if revision == "head" and at_head(engine):
        if meanwhile is not None:
            meanwhile()
        if then is not None:
            then()
        return
    if apart and hasattr(os, "fork"):
        _upgrade_in_child(engine, revision, then, meanwhile)
        return
    if meanwhile is not None:
        meanwhile()
    _upgrade(engine, revision)
    if then is not None:
        then()


def _upgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def _upgrade_in_child(
    engine: Engine,
    revision: str,
    then: Callable[[], object] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: its own connections, never the parent's pooled ones
        code = 1
        try:
            engine.dispose(close=False)
            _upgrade(engine, revision)
            if then is not None:
                then()
            engine.dispose()
            code = 0
        except BaseException:  # noqa: BLE001 - whatever it was, the parent reads the exit code
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    try:
        if meanwhile is not None:
            meanwhile()
    finally:  # the child is waited for, even when the work done meanwhile failed
        _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise MigrationFailed(f"the database migration stopped (exit status {code}); see above")


_REVISION = re.compile(r"^revision(?:\s*:\s*str)?\s*=\s*[\"']([^\"']+)[\"']", re.M)
_DOWN = re.compile(r"^down_revision(?:\s*:[^=]+)?=\s*(?:None|[\"']([^\"']+)[\"'])", re.M)


def head_revision() -> str | None:
    """The newest migration, read from the migration files' ``revision`` and
    ``down_revision`` lines; None unless there is exactly one head (then Alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(text), _DOWN.search(text)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        if down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (Alembic's ``alembic_version`` table); None for a
    database never migrated, or one on several branches."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        rows = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    return str(rows[0][0]) if len(rows) == 1 else None


def at_head(engine: Engine) -> bool:
    head = head_revision()
    return head is not None and current_revision(engine) == head
