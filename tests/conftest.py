"""Shared fixtures: a database per test (SQLite always, PostgreSQL as a second variant
only when HELPDESK_TEST_DATABASE_URL is set), a clock the test controls, the help desk."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot import storage
from handlers.helpdesk import HelpDesk
from handlers.texts import Texts
from models import ManualClock
from tests.databases import (
    POSTGRES_ENV,
    POSTGRESQL,
    PostgresTemplates,
    SqliteTemplates,
    kinds,
)

pytest_plugins = [
    "tests.fake_botapi.plugin",  # the fake_botapi fixture
    "tests.fake_cloudapi.plugin",  # the fake_cloudapi fixture
]

CACHE_ENV = "HELPDESK_CACHE_DIR"
_own_cache = pytest.StashKey[str]()
START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09.00 WIB
DATABASE_FIXTURES = ("database_url", "empty_database_url")
NOT_HERE = pytest.mark.not_here


def pytest_configure(config: pytest.Config) -> None:
    # The help desk's caches (the built knowledge base, compiled templates) go to a folder
    # of this run, never the user's own ~/.cache; every process a test starts inherits it.
    if CACHE_ENV not in os.environ:
        os.environ[CACHE_ENV] = config.stash[_own_cache] = tempfile.mkdtemp(
            prefix="helpdesk-test-cache-"
        )
    config.addinivalue_line("markers", "not_here: an only_on test whose database is absent")
    config.addinivalue_line(
        "markers",
        "only_on(database): the test is about one database's own behaviour (e.g. SQLite's "
        "WAL, PostgreSQL's advisory lock); it has no variant on the other",
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    own = config.stash.get(_own_cache, None)
    if own is not None:
        shutil.rmtree(own, ignore_errors=True)
        os.environ.pop(CACHE_ENV, None)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that needs a database runs once per database of this run: the PostgreSQL
    variant exists only when HELPDESK_TEST_DATABASE_URL is set. A test marked
    ``only_on(...)`` runs on that database alone, and does not exist without it."""
    marker = metafunc.definition.get_closest_marker("only_on")
    wanted = [k for k in kinds() if marker is None or k in marker.args]
    for name in DATABASE_FIXTURES:
        if name in metafunc.fixturenames:
            if not wanted:  # nothing to run here: no item at all, rather than a skip
                metafunc.parametrize(name, [pytest.param(None, marks=NOT_HERE)], indirect=True)
            else:
                metafunc.parametrize(name, wanted, indirect=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Drops the items of ``only_on`` tests whose database this run does not have; they
    are reported as deselected, not as skipped."""
    absent = [item for item in items if item.get_closest_marker("not_here")]
    if absent:
        items[:] = [item for item in items if not item.get_closest_marker("not_here")]
        config.hook.pytest_deselected(items=absent)


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplates:
    return SqliteTemplates(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_templates() -> Iterator[PostgresTemplates]:
    templates = PostgresTemplates.from_env()
    yield templates
    templates.drop_all()


@pytest.fixture
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_templates: SqliteTemplates
) -> Iterator[str]:
    """A URL to a database at the newest migration: a copy of the run's migrated template
    (a new SQLite file, or a new PostgreSQL database)."""
    if request.param != POSTGRESQL:
        yield sqlite_templates.migrated(tmp_path)
        return
    templates: PostgresTemplates = request.getfixturevalue("postgres_templates")
    url = templates.migrated()
    yield url
    templates.drop(url)


@pytest.fixture
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to a database with no tables at all, for tests of the migrations themselves."""
    if request.param != POSTGRESQL:
        yield f"sqlite:///{tmp_path}/helpdesk.db"
        return
    templates: PostgresTemplates = request.getfixturevalue("postgres_templates")
    url = templates.empty()
    yield url
    templates.drop(url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = storage.make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> Callable[[], Session]:
    return storage.session_factory(engine)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def texts() -> Texts:
    return Texts()


@pytest.fixture
def helpdesk(sessions: Callable[[], Session], clock: ManualClock, texts: Texts) -> HelpDesk:
    return HelpDesk(sessions, clock, texts)


def pytest_report_header(config: pytest.Config) -> str:
    if POSTGRESQL in kinds():
        return f"databases: SQLite and PostgreSQL ({POSTGRES_ENV} is set)"
    return (
        f"databases: SQLite only; there are no PostgreSQL variants because {POSTGRES_ENV} "
        "is not set (see .ci/run)"
    )
