"""SQLite writers of one process: a unit of work that reads before it writes, begun in
``storage.writing()``, never fails with "database is locked" because another thread
committed meanwhile, and the writers take turns without leaving the lock idle."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import func, select

from bot import storage
from models import UnitOfWork
from models.inbox import InboxUpdate, Received, store_updates

pytestmark = pytest.mark.only_on("sqlite")

NOW = datetime(2026, 12, 7, tzinfo=UTC)


def read_then_write(engine: Engine, update_id: str) -> None:
    sessions = storage.session_factory(engine)
    with storage.writing(), UnitOfWork(sessions) as uow:
        uow.session.exec(select(func.count()).select_from(InboxUpdate)).one()
        time.sleep(0.002)  # others commit meanwhile
        store_updates(uow.session, "telegram", [Received(update_id, "1", "{}")], NOW)
        uow.commit()


def test_threads_that_read_then_write_all_commit(engine: Engine) -> None:
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: read_then_write(engine, str(n)), range(160)))
    with storage.session_factory(engine)() as session:
        assert session.exec(select(func.count()).select_from(InboxUpdate)).one() == 160


def test_a_writer_that_fails_hands_the_lock_on(engine: Engine) -> None:
    sessions = storage.session_factory(engine)
    with pytest.raises(RuntimeError), storage.writing(), UnitOfWork(sessions) as uow:
        store_updates(uow.session, "telegram", [Received("1", "1", "{}")], NOW)
        raise RuntimeError("the handler broke")
    started = time.monotonic()
    read_then_write(engine, "2")
    assert time.monotonic() - started < 2.0  # not the 10 s busy timeout
    with sessions() as session:
        ids = session.exec(select(InboxUpdate.update_id)).all()
    assert ids == ["2"]  # the failed one was rolled back
