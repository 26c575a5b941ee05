"""The bot's place in a chat changed: added to or removed from a group, blocked by a person."""

from __future__ import annotations

from handlers.context import Context
from handlers.desk.reach import liaison_unreachable
from handlers.port import Membership, Outcome


def membership_changed(ctx: Context, change: Membership) -> Outcome:
    chat, person = ctx.chat, ctx.person
    if change is Membership.LEFT:
        chat.member = False
        chat.reachable = False
        chat.unreachable_reason = "bot removed from the chat"
    elif change is Membership.BLOCKED:
        chat.reachable = False
        chat.unreachable_reason = "blocked by the person"
        if person.reachable:  # officers waiting on this liaison are told, once
            now = ctx.clock.now()
            liaison_unreachable(ctx.uow.session, ctx.texts, ctx.signer, person, now)
        person.reachable = False
    ctx.uow.session.add_all([chat, person])
    if change is Membership.JOINED:
        return Outcome([ctx.say("group_joined")], "bot joined")
    return Outcome([], f"membership {change.value}")
