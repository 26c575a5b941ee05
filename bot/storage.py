"""The database: engine, sessions and migrations, for SQLite and PostgreSQL alike.

The home of ``SQLITE_BUSY_TIMEOUT_MS`` and of where the migrations live (``MIGRATIONS``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

import models

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


def make_engine(url: str) -> Engine:
    """An engine for ``url``. SQLite gets WAL (readers never wait for the writer), a busy
    timeout (writers wait their turn instead of failing), foreign keys, and its folder."""
    url = normalise_url(url)
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
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
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Brings the schema to ``revision``. Safe to run at every start: applied migrations
    are skipped."""
    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
