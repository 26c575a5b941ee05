"""What every help-desk chat handler shares: who the person is to the desk (liaison,
officer), and one way to refuse politely and on the record.

A desk rule that says no (``models.offices.DeskError``) becomes a reply from the template
its key names; the refusal is appended to the audit log. The handler's own changes are
undone (they ran in a savepoint), the record of the refusal is kept.
"""

from __future__ import annotations

import functools
import html
import logging
import re
from collections.abc import Callable
from typing import Any

from handlers.context import Context
from handlers.port import Outcome, Reply, Toast
from models import ChatKind, Language
from models.offices import DeskError
from models.staff import Liaison, Officer, find_liaison, find_officer
from models.ticket_actions import record_refusal

log = logging.getLogger(__name__)

# Staff chats are KPU's own groups: what the bot writes there is in Indonesian.
STAFF_LANGUAGE = Language.ID

Handler = Callable[[Context, str], Outcome]
TOAST_LIMIT = 200  # characters Telegram shows in a button's notice
_TAG = re.compile(r"<[^>]+>")


def liaison_of(ctx: Context) -> Liaison | None:
    return find_liaison(ctx.uow.session, ctx.person.id)


def officer_of(ctx: Context) -> Officer | None:
    return find_officer(ctx.uow.session, ctx.person.id)


def actor_of(ctx: Context) -> str:
    """Who did it, as the audit log names them."""
    officer = officer_of(ctx)
    if officer is not None:
        return officer.actor
    liaison = liaison_of(ctx)
    if liaison is not None:
        return liaison.actor
    return f"person:{ctx.person.id}"


def in_group(ctx: Context) -> bool:
    return ctx.event.chat.kind is not ChatKind.PRIVATE


def refusal_reply(ctx: Context, key: str, **context: Any) -> Reply:
    lang = STAFF_LANGUAGE if in_group(ctx) else ctx.lang
    return Reply(chat=ctx.event.chat, text=ctx.texts.render(lang, key, **context))


def refuse(ctx: Context, key: str, ticket_id: int | None = None, **context: Any) -> Outcome:
    """A polite no, logged: the template ``key`` answers, the audit log keeps who tried what.
    A pressed button is answered with the same words as a notice where it was pressed."""
    log.info(
        "desk refused %s: chat=%s sender=%s ticket=%s",
        key,
        ctx.event.chat.id,
        ctx.event.sender.id,
        ticket_id,
    )
    record_refusal(
        ctx.uow.session,
        actor=actor_of(ctx),
        what=f"{key.rsplit('/', 1)[-1]}: {_what(ctx)}"[:120],
        ticket_id=ticket_id,
        now=ctx.clock.now(),
    )
    reply = refusal_reply(ctx, key, **context)
    outs: list[Any] = [reply]
    if ctx.event.button is not None:
        # A pressed button is answered where it was pressed (the message may sit in a
        # closed topic, where nothing more can be written).
        plain = html.unescape(_TAG.sub("", reply.text))
        outs = [
            Toast(
                plain if len(plain) <= TOAST_LIMIT else plain[: TOAST_LIMIT - 1] + "…", alert=True
            )
        ]
    return Outcome(outs, f"refused: {key.removeprefix('desk/refused/')}"[:64])


def _what(ctx: Context) -> str:
    event = ctx.event
    if event.button is not None:
        return "button " + event.button.rpartition("~")[0]
    return "command " + (event.text or "").split(" ", 1)[0] if event.text else "message"


def guarded(handler: Handler) -> Handler:
    """Runs ``handler`` in a savepoint; a desk rule's refusal undoes its changes and
    answers politely, on the record."""

    @functools.wraps(handler)
    def run(ctx: Context, arg: str) -> Outcome:
        try:
            with ctx.uow.session.begin_nested():
                return handler(ctx, arg)
        except DeskError as refusal:
            ticket_id = refusal.context.pop("ticket_id", None)
            return refuse(ctx, refusal.key, ticket_id=ticket_id, **refusal.context)

    return run
