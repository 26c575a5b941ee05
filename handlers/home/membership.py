"""The bot's place in a chat changed: added to or removed from a group, blocked by a person."""

from __future__ import annotations

from handlers.context import Context
from handlers.desk.reach import chat_unreachable
from handlers.port import Membership, Outcome
from models.chat_moves import move_chat


def membership_changed(ctx: Context, change: Membership) -> Outcome:
    chat, person = ctx.chat, ctx.person
    if change is Membership.LEFT:
        chat.member = False
        chat_unreachable(
            ctx.uow.session,
            ctx.texts,
            ctx.signer,
            chat,
            None,
            "bot removed from the chat",
            ctx.clock.now(),
        )
    elif change is Membership.RIGHTS_LOST:
        chat_unreachable(
            ctx.uow.session,
            ctx.texts,
            ctx.signer,
            chat,
            None,
            "the bot is no longer an admin allowed to manage topics",
            ctx.clock.now(),
        )
    elif change is Membership.BLOCKED:
        chat_unreachable(
            ctx.uow.session,
            ctx.texts,
            ctx.signer,
            chat,
            person,
            "blocked by the person",
            ctx.clock.now(),
        )
    ctx.uow.session.add_all([chat, person])
    if change is Membership.JOINED:
        return Outcome([ctx.say("group_joined")], "bot joined")
    return Outcome([], f"membership {change.value}")


def chat_moved(ctx: Context, new_id: str) -> Outcome:
    """The group became a supergroup: its row, links and waiting messages follow it
    (``models.chat_moves``)."""
    moved = move_chat(
        ctx.uow.session, ctx.event.channel, ctx.event.chat.id, new_id, ctx.clock.now()
    )
    return Outcome([], f"chat moved to {new_id}" if moved else "chat move: nothing to move")
