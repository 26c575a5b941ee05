"""A chat's turn across processes (PostgreSQL): one process at a time handles a chat, the
oldest pending update first, and one handled meanwhile is left alone. On SQLite the one
process keeps the order itself and no lock is taken."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.inbox.turns import ChatBusy, ChatTurns, Done, NotNext, turn_key
from models.inbox import InboxUpdate, Received, mark_handled, store_updates

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


def stored(sessions: Callable[[], Session], *ids: int, chat: str = "5001") -> list[InboxUpdate]:
    with sessions() as session:
        store_updates(session, "telegram", [Received(str(i), chat, "{}") for i in ids], NOW)
        session.commit()
        return list(session.exec(select(InboxUpdate).order_by(InboxUpdate.id)).all())  # type: ignore[arg-type]


@pytest.mark.only_on("postgresql")
def test_one_process_at_a_time_holds_a_chat_and_the_oldest_goes_first(
    engine: Engine, sessions: Callable[[], Session]
) -> None:
    first, second = stored(sessions, 1, 2)
    here, there = ChatTurns(engine), ChatTurns(engine)
    with here.turn(first), pytest.raises(ChatBusy), there.turn(first):
        pass
    with pytest.raises(NotNext), there.turn(second):
        pass
    with there.turn(first), sessions() as session:
        assert mark_handled(session, first.id or 0, NOW)
        session.commit()
    with pytest.raises(Done), here.turn(first):
        pass
    with here.turn(second):  # now the oldest pending one
        pass


@pytest.mark.only_on("postgresql")
def test_different_chats_do_not_wait_for_each_other(
    engine: Engine, sessions: Callable[[], Session]
) -> None:
    (one,) = stored(sessions, 1, chat="5001")
    rows = stored(sessions, 2, chat="5002")
    other = rows[-1]
    assert turn_key("telegram", "5001") != turn_key("telegram", "5002")
    with ChatTurns(engine).turn(one), ChatTurns(engine).turn(other):
        pass


@pytest.mark.only_on("sqlite")
def test_on_sqlite_no_lock_is_taken(engine: Engine, sessions: Callable[[], Session]) -> None:
    _first, second = stored(sessions, 1, 2)
    turns = ChatTurns(engine)
    assert not turns.shared
    with turns.turn(second):  # the process's own loop keeps the order
        pass
