"""A group upgraded to a supergroup: the chat follows its new id, and a refusal the old id
met on the way ("group chat was upgraded") does not leave the moved chat lost."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

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
