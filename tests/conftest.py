"""Shared fixtures: a fresh database per test (SQLite always, PostgreSQL when
HELPDESK_TEST_DATABASE_URL is set), a clock the test controls, the help desk."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from bot import storage
from handlers.helpdesk import HelpDesk
from handlers.texts import Texts
from models import ManualClock

pytest_plugins = ["tests.fake_botapi.plugin"]  # the fake_botapi fixture

POSTGRES_ENV = "HELPDESK_TEST_DATABASE_URL"
START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09.00 WIB


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> Iterator[str]:
    """A URL to an empty database: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/helpdesk.db"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set, so the PostgreSQL variant is skipped")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(storage.normalise_url(base))
    try:
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(storage.normalise_url(base)).update_query_dict(
            {"options": f"-csearch_path={schema}"}
        )
        yield url.render_as_string(hide_password=False)
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = storage.make_engine(database_url)
    storage.upgrade(engine)
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
    if os.environ.get(POSTGRES_ENV):
        return f"databases: SQLite and PostgreSQL ({POSTGRES_ENV} is set)"
    return (
        f"databases: SQLite only; the PostgreSQL variants are skipped because {POSTGRES_ENV} "
        "is not set (see .ci/run)"
    )
