"""Test databases: each one a copy of a template the real migrations built once per run.

SQLite: the migrated template is one file; a test gets a copy of that file.
PostgreSQL: the migrated template is a database of its own; a test gets
``CREATE DATABASE ... TEMPLATE`` of it, which needs no other connection to the template,
so nothing but this module ever connects to it after the migrations.

Which databases run is decided once, at collection: SQLite always, PostgreSQL only when
``HELPDESK_TEST_DATABASE_URL`` is set (a run without it has no PostgreSQL variants, so a
skip still means something).
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from bot import storage

POSTGRES_ENV = "HELPDESK_TEST_DATABASE_URL"
SQLITE, POSTGRESQL = "sqlite", "postgresql"


def kinds() -> list[str]:
    """The databases this run tests: SQLite, and PostgreSQL when the variable is set."""
    return [SQLITE, POSTGRESQL] if os.environ.get(POSTGRES_ENV) else [SQLITE]


def migrate(url: str) -> None:
    """Runs the real Alembic migrations on ``url``."""
    engine = storage.make_engine(url)
    try:
        storage.upgrade(engine)
    finally:
        engine.dispose()


@dataclass
class SqliteTemplates:
    """One migrated SQLite file; each test copies it."""

    folder: Path
    template: Path | None = None

    def migrated(self, where: Path) -> str:
        if self.template is None:
            template = self.folder / "template.db"
            migrate(f"sqlite:///{template}")  # closing the last connection folds the WAL in
            self.template = template
        target = where / "helpdesk.db"
        shutil.copyfile(self.template, target)
        return f"sqlite:///{target}"


@dataclass
class PostgresTemplates:
    """One migrated PostgreSQL database; each test gets a new database cloned from it."""

    base: URL
    prefix: str = field(default_factory=lambda: f"helpdesk_t{uuid.uuid4().hex[:10]}")
    template: str | None = None
    created: list[str] = field(default_factory=list)
    _count: int = 0

    @classmethod
    def from_env(cls) -> PostgresTemplates:
        return cls(make_url(storage.normalise_url(os.environ[POSTGRES_ENV])))

    def _url(self, database: str) -> str:
        return self.base.set(database=database).render_as_string(hide_password=False)

    def _admin(self, statement: str) -> None:
        engine = sa.create_engine(self.base, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql(statement)
        finally:
            engine.dispose()

    def _new_name(self) -> str:
        self._count += 1
        name = f"{self.prefix}_{self._count}"
        self.created.append(name)
        return name

    def empty(self) -> str:
        name = self._new_name()
        self._admin(f'CREATE DATABASE "{name}"')
        return self._url(name)

    def migrated(self) -> str:
        if self.template is None:
            template = f"{self.prefix}_template"
            self._admin(f'CREATE DATABASE "{template}"')
            self.created.append(template)
            migrate(self._url(template))
            self.template = template
        name = self._new_name()
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self._url(name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.remove(str(name))

    def drop_all(self) -> None:
        for name in list(reversed(self.created)):
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.clear()
