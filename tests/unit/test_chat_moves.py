"""A group upgraded to a supergroup: the chat follows its new id, and a refusal the old id
met on the way ("group chat was upgraded") does not leave the moved chat lost."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import Session

from handlers.helpdesk import HelpDesk
from handlers.texts import Texts
from models import ManualClock
from models.chat_moves import move_chat
from models.chats import ChatKind, find_chat, seen_chat


def test_a_moved_chat_is_reachable_at_its_new_id(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with sessions() as session:
        chat = seen_chat(
            session,
            channel="telegram",
            external_id="-4000",
            kind=ChatKind.GROUP,
            title="Staf",
            forum=False,
            now=clock.now(),
        )
        chat.reachable = False
        chat.unreachable_reason = "Bad Request: group chat was upgraded to a supergroup"
        session.add(chat)
        session.commit()

        assert move_chat(session, "telegram", "-4000", "-1004000", clock.now())
        session.commit()

        assert find_chat(session, "telegram", "-4000") is None
        moved = find_chat(session, "telegram", "-1004000")
        assert moved is not None and moved.id == chat.id
        assert moved.reachable and moved.unreachable_reason is None


@pytest.mark.only_on("postgresql")
def test_a_refusal_read_while_the_group_moves_does_not_lose_the_moved_chat(
    sessions: Callable[[], Session], clock: ManualClock, texts: Texts
) -> None:
    """The old id's refusal ("group chat was upgraded") is handled by one process while
    another is moving the chat: the refusal waits for the move, then no longer finds the
    old id, so the chat stays reachable at its new id (it was written back as lost)."""
    helpdesk = HelpDesk(sessions, clock, texts)
    with sessions() as session:
        seen_chat(
            session,
            channel="telegram",
            external_id="-4001",
            kind=ChatKind.GROUP,
            title="Staf",
            forum=False,
            now=clock.now(),
        )
        session.commit()

    with sessions() as mover:
        assert move_chat(mover, "telegram", "-4001", "-1004001", clock.now())
        with ThreadPoolExecutor(1) as pool:
            refusal = pool.submit(
                helpdesk.chat_unreachable, "telegram", "-4001", "Bad Request: upgraded"
            )
            time.sleep(0.3)  # the refusal's transaction is waiting on the moving row
            assert not refusal.done()
            mover.commit()
            refusal.result(timeout=10)

    with sessions() as session:
        moved = find_chat(session, "telegram", "-1004001")
        assert moved is not None
        assert moved.reachable and moved.unreachable_reason is None
