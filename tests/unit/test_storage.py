"""Storage: migrations build exactly the tables the models describe, on both databases."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from bot import storage
from models import Person


@pytest.fixture
def migrated_here(empty_database_url: str) -> Iterator[Engine]:
    """An engine on a database this test migrates from nothing with the real migrations
    (not a copy of the run's template)."""
    engine = storage.make_engine(empty_database_url)
    storage.upgrade(engine)
    yield engine
    engine.dispose()


def test_migrations_match_the_models(migrated_here: Engine) -> None:
    engine = migrated_here
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_upgrading_twice_changes_nothing(migrated_here: Engine) -> None:
    engine = migrated_here
    revision = storage.current_revision(engine)
    storage.upgrade(engine)
    assert storage.current_revision(engine) == revision is not None


def test_a_test_database_is_a_copy_at_the_newest_revision(engine: Engine) -> None:
    """The shared fixture's database comes from the run's migrated template: at head,
    with the tables, and with no rows a test did not write."""
    head = ScriptDirectory.from_config(storage.alembic_config(engine)).get_current_head()
    assert storage.current_revision(engine) == head is not None
    with Session(engine) as session:
        assert session.exec(select(Person)).all() == []


@pytest.mark.only_on("sqlite")
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_savepoint_taken_first_is_undone_with_its_unit_of_work(engine: Engine) -> None:
    """A unit of work that begins with a savepoint and is then rolled back leaves nothing:
    the savepoint is part of the unit of work, not a transaction of its own."""
    moment = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    with Session(engine) as session:
        with session.begin_nested():
            session.add(
                Person(channel="t", external_id="1", created_at=moment, last_seen_at=moment)
            )
        session.rollback()
    with Session(engine) as session:
        assert session.exec(select(Person)).all() == []


def test_times_are_stored_in_utc_and_come_back_aware(engine: Engine) -> None:
    wita = timezone(timedelta(hours=8))
    local = datetime(2024, 8, 29, 23, 59, tzinfo=wita)
    with Session(engine) as session:
        session.add(Person(channel="t", external_id="1", created_at=local, last_seen_at=local))
        session.commit()
    with engine.connect() as connection:
        raw = connection.execute(sa.text("SELECT created_at FROM person")).scalar()
    assert str(raw).startswith("2024-08-29 15:59:00")
    with Session(engine) as session:
        person = session.get(Person, 1)
        assert person is not None
        assert person.created_at == local and person.created_at.tzinfo is UTC


def test_a_naive_time_is_refused(engine: Engine) -> None:
    naive = datetime(2024, 8, 29, 23, 59)
    with Session(engine) as session:
        session.add(Person(channel="t", external_id="1", created_at=naive, last_seen_at=naive))
        with pytest.raises(sa.exc.StatementError, match="naive datetime"):
            session.commit()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u:p@h:5433/db", "postgresql+psycopg://u:p@h:5433/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///./var/x.db", "sqlite:///./var/x.db"),
    ],
)
def test_database_urls_get_the_right_driver(given: str, expected: str) -> None:
    assert storage.normalise_url(given) == expected


def test_the_newest_migration_is_read_from_the_files_as_alembic_reads_it(
    engine: Engine,
) -> None:
    head = ScriptDirectory.from_config(storage.alembic_config(engine)).get_current_head()
    assert storage.head_revision() == head is not None
    assert storage.at_head(engine)


APART = """
import json, sys
from bot import storage
engine = storage.make_engine(sys.argv[1])
before = storage.at_head(engine)
if sys.argv[2] == "fail":
    def broken(engine, revision):
        raise RuntimeError("a migration that breaks")
    storage._upgrade = broken
try:
    storage.upgrade(engine, apart=True)
    failed = None
except storage.MigrationFailed as exc:
    failed = str(exc)
print(json.dumps({"before": before, "after": storage.at_head(engine), "failed": failed,
                  "alembic": "alembic" in sys.modules}))
"""


def migrate_apart(url: str, how: str) -> tuple[dict[str, object], str]:
    done = subprocess.run(
        [sys.executable, "-c", APART, url, how], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def test_a_serving_process_migrates_in_a_child_and_never_holds_alembic(
    empty_database_url: str,
) -> None:
    """``helpdesk run`` migrates apart: the database ends at the newest migration and
    the process itself never imported Alembic; at the next start nothing is migrated."""
    outcome, _ = migrate_apart(empty_database_url, "ok")
    assert outcome == {"before": False, "after": True, "failed": None, "alembic": False}
    again, _ = migrate_apart(empty_database_url, "fail")  # at head: no child, no failure
    assert again == {"before": True, "after": True, "failed": None, "alembic": False}


def test_a_migration_failing_in_its_child_stops_the_start_with_its_error(
    empty_database_url: str,
) -> None:
    outcome, stderr = migrate_apart(empty_database_url, "fail")
    assert outcome["failed"] and "exit status 1" in str(outcome["failed"])
    assert outcome["after"] is False
    assert "a migration that breaks" in stderr, "the child's error is shown"


OVERLAP = """
import json, os, sys
from bot import storage
engine = storage.make_engine(sys.argv[1])
done = {}
def then():
    done["then"] = [os.getpid(), storage.at_head(engine)]  # the schema is there
    print(json.dumps(done), file=sys.stderr)
def meanwhile():
    done["meanwhile"] = [os.getpid()]
storage.upgrade(engine, apart=True, then=then, meanwhile=meanwhile)
print(json.dumps({"parent": os.getpid(), "done": done, "after": storage.at_head(engine)}))
"""


def test_start_up_work_runs_while_the_child_migrates_and_the_sync_after_it_there(
    empty_database_url: str,
) -> None:
    """``meanwhile`` runs in the serving process (it needs no database); ``then`` runs in
    the child, on the migrated schema."""
    done = subprocess.run(
        [sys.executable, "-c", OVERLAP, empty_database_url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    child = json.loads(done.stderr.strip().splitlines()[-1])
    parent = outcome["parent"]
    assert outcome["after"] is True
    assert outcome["done"] == {"meanwhile": [parent]}
    assert child["then"][0] != parent and child["then"][1] is True
