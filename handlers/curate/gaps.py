"""/celah in a staff chat: the largest groups of questions the bot could not answer,
asked in the chat office's subtree over the last ``WINDOW_DAYS`` days, so officers can
ask for the missing entries (or answer them once and press "Jadikan FAQ")."""

from __future__ import annotations

from datetime import timedelta

from handlers.context import Context
from handlers.desk.guard import officer_of
from handlers.port import Outcome, Reply
from knowledge.gaps import top_gaps
from models.offices import office_for_staff_chat
from models.staff import STAFF_LANGUAGE, can_act

WINDOW_DAYS = 30
SHOWN = 5


def gaps_command(ctx: Context, arg: str) -> Outcome:
    """/celah [days]: the top gaps of this staff chat's office and the offices below it."""
    office = office_for_staff_chat(ctx.uow.session, ctx.chat.id or 0)
    if office is None or not can_act(ctx.uow.session, officer_of(ctx), office.code):
        text = ctx.texts.render(STAFF_LANGUAGE, "curate/staff_only")
        return Outcome([Reply(ctx.event.chat, text)], "gaps: not a staff chat")
    days = (
        int(arg.strip()) if arg.strip().isdigit() and 0 < int(arg.strip()) <= 365 else WINDOW_DAYS
    )
    since = ctx.clock.now() - timedelta(days=days)
    clusters = top_gaps(ctx.uow.session, office.code, since, SHOWN)
    kb = ctx.services.kb
    closest = {c.closest: kb.entry(c.closest) for c in clusters if kb is not None and c.closest}
    text = ctx.texts.render(
        STAFF_LANGUAGE,
        "curate/gaps",
        clusters=clusters,
        titles={k: e.title("id") for k, e in closest.items() if e is not None},
        office=office.name,
        days=days,
    )
    return Outcome([Reply(ctx.event.chat, text)], f"gaps: {len(clusters)} shown")
