"""The audit log: a hash chain that shows any change, removal or fork."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models import ManualClock
from models.audit import AuditEntry, audit_append, audit_verify


def fill(sessions: Callable[[], Session], clock: ManualClock, count: int = 5) -> None:
    with sessions() as session:
        for n in range(count):
            clock.advance(timedelta(seconds=1))
            audit_append(
                session,
                at=clock.now(),
                actor=f"officer:{n}",
                action="ticket.claimed",
                ticket_id=n,
                data={"number": f"BTL-{n:04d}", "note": "ñ ✓"},
            )
        session.commit()


def test_an_untouched_chain_verifies(sessions: Callable[[], Session], clock: ManualClock) -> None:
    fill(sessions, clock)
    with sessions() as session:
        assert audit_verify(session) == []
        entries = session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()
        assert [e.id for e in entries] == [1, 2, 3, 4, 5]
        assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))


def test_editing_an_entry_in_the_database_is_detected_at_that_entry(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    fill(sessions, clock)
    with sessions() as session:
        session.execute(
            sa.text('UPDATE audit_entry SET data = \'{"number":"BTL-9999"}\' WHERE id = 3')
        )
        session.commit()
        problems = audit_verify(session)
    assert problems and problems[0].startswith("entry 3: contents changed")


def test_a_forger_who_recomputes_the_hash_is_caught_by_the_next_entry(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    from models.audit import entry_hash

    fill(sessions, clock)
    with sessions() as session:
        entry = session.get(AuditEntry, 2)
        assert entry is not None
        entry.actor = "officer:99"
        entry.hash = entry_hash(entry)
        session.commit()
        assert audit_verify(session)[0] == "entry 3: does not follow entry 2"


def test_removing_an_entry_or_the_last_one_is_detected(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    fill(sessions, clock)
    with sessions() as session:
        session.execute(sa.text("DELETE FROM audit_entry WHERE id = 5"))
        session.commit()
        assert audit_verify(session) == ["entry 5: missing (the chain ends at 5, found 4)"]
        session.execute(sa.text("DELETE FROM audit_entry WHERE id = 2"))
        session.commit()
        assert audit_verify(session)[0] == "entry 2: missing (next entry is 3)"


def test_two_processes_appending_at_once_make_one_chain(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    errors: list[BaseException] = []

    def append_many(who: str) -> None:
        try:
            for n in range(15):
                with sessions() as session:
                    audit_append(session, at=clock.now(), actor=who, action="test", data={"n": n})
                    session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=append_many, args=(f"p{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    with sessions() as session:
        assert audit_verify(session) == []
        assert len(session.exec(select(AuditEntry)).all()) == 30
