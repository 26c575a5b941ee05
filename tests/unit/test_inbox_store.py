"""The inbox store on a real database (SQLite, and PostgreSQL where configured): each
update stored once, taken in order, handled once, given up after bounded attempts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlmodel import Session, select

from models.inbox import (
    KEEP,
    MAX_ATTEMPTS,
    InboxStatus,
    InboxUpdate,
    Received,
    forget_handled,
    mark_handled,
    record_failure,
    store_updates,
    unhandled,
)

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


def _received(*ids: int, chat: str = "5001") -> list[Received]:
    return [Received(str(i), chat, f'{{"update_id": {i}}}') for i in ids]


def test_an_update_delivered_twice_is_stored_once(sessions: Callable[[], Session]) -> None:
    with sessions() as session:
        assert store_updates(session, "telegram", _received(1, 2), NOW) == 2
        session.commit()
    with sessions() as session:
        assert store_updates(session, "telegram", _received(2, 3), NOW) == 1
        assert store_updates(session, "whatsapp", _received(2), NOW) == 1  # another channel
        session.commit()
    with sessions() as session:
        rows = unhandled(session, "telegram", 10)
        assert [r.update_id for r in rows] == ["1", "2", "3"]


def test_a_webhooks_single_update_delivered_again_is_not_stored_again(
    sessions: Callable[[], Session],
) -> None:
    with sessions() as session:
        assert store_updates(session, "telegram", _received(4), NOW) == 1
        session.commit()
    with sessions() as session:
        assert store_updates(session, "telegram", _received(4), NOW) == 0
        assert store_updates(session, "telegram", _received(4, 4), NOW) == 0
        session.commit()
    with sessions() as session:
        assert [r.update_id for r in unhandled(session, "telegram", 10)] == ["4"]


def test_unhandled_updates_come_oldest_first_without_those_in_hand(
    sessions: Callable[[], Session],
) -> None:
    with sessions() as session:
        store_updates(session, "telegram", _received(7, 8, 9), NOW)
        session.commit()
        first = unhandled(session, "telegram", 10)[0]
        assert first.id is not None
        rest = unhandled(session, "telegram", 10, exclude=[first.id])
        assert [r.update_id for r in rest] == ["8", "9"]


def test_handled_is_marked_once_and_the_payload_is_not_kept(
    sessions: Callable[[], Session],
) -> None:
    with sessions() as session:
        store_updates(session, "telegram", _received(1), NOW)
        session.commit()
        row_id = unhandled(session, "telegram", 1)[0].id
        assert row_id is not None
    with sessions() as session:
        assert mark_handled(session, row_id, NOW)
        session.commit()
    with sessions() as session:
        assert not mark_handled(session, row_id, NOW)  # a second process comes too late
        row = session.get(InboxUpdate, row_id)
        assert row is not None and row.status is InboxStatus.HANDLED and row.payload == ""
        assert unhandled(session, "telegram", 10) == []


def test_a_handled_mark_rolled_back_leaves_the_update_to_handle(
    sessions: Callable[[], Session],
) -> None:
    with sessions() as session:
        store_updates(session, "telegram", _received(1), NOW)
        session.commit()
        row_id = unhandled(session, "telegram", 1)[0].id
        assert row_id is not None
    with sessions() as session:
        mark_handled(session, row_id, NOW)
        session.rollback()  # the unit of work failed: nothing of it is kept
    with sessions() as session:
        assert [r.id for r in unhandled(session, "telegram", 10)] == [row_id]


def test_an_update_that_keeps_failing_is_given_up_after_bounded_attempts(
    sessions: Callable[[], Session],
) -> None:
    with sessions() as session:
        store_updates(session, "telegram", _received(1, 2), NOW)
        session.commit()
        row_id = unhandled(session, "telegram", 1)[0].id
        assert row_id is not None
    verdicts = []
    for _ in range(MAX_ATTEMPTS):
        with sessions() as session:
            verdicts.append(record_failure(session, row_id, "RuntimeError: boom", NOW))
            session.commit()
    assert verdicts == [False] * (MAX_ATTEMPTS - 1) + [True]
    with sessions() as session:
        row = session.get(InboxUpdate, row_id)
        assert row is not None and row.status is InboxStatus.FAILED
        assert row.error == "RuntimeError: boom" and row.payload  # kept for an operator
        assert [r.update_id for r in unhandled(session, "telegram", 10)] == ["2"]
        assert not record_failure(session, row_id, "again", NOW)  # given up once only


def test_handled_updates_are_forgotten_after_a_while(sessions: Callable[[], Session]) -> None:
    with sessions() as session:
        store_updates(session, "telegram", _received(1, 2), NOW)
        session.commit()
        first, second = unhandled(session, "telegram", 10)
        assert first.id is not None
        mark_handled(session, first.id, NOW)
        session.commit()
    with sessions() as session:
        assert forget_handled(session, NOW + KEEP / 2) == 0
        assert forget_handled(session, NOW + KEEP * 2) == 1  # the pending one stays
        session.commit()
        left = session.exec(select(InboxUpdate.update_id)).all()
        assert left == [second.update_id]
