"""How a rule's "no" reaches the person, in one place: a :class:`models.refusals.Refusal`
raised anywhere under an event becomes a polite reply from the template its key names.

- Refusals of the desk's rules (``Refusal.audited``: keys under ``desk/refused/``) are
  answered in the staff language in a group, as a notice where a button was pressed, and
  kept in the audit log (who tried what).
- Any other refusal is answered in the person's language, as a message.

The changes the refused handler made are undone (it ran in a savepoint); the record of
the refusal is kept. :func:`guarded` gives a handler its own savepoint, for handlers
that are called from others.
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
from models import ChatKind
from models.message_limits import TOAST_LIMIT
from models.refusals import Refusal
from models.staff import STAFF_LANGUAGE, find_liaison, find_officer
from models.ticket_actions import record_refusal

log = logging.getLogger(__name__)

Handler = Callable[[Context, str], Outcome]
_TAG = re.compile(r"<[^>]+>")


def answer(ctx: Context, refusal: Refusal) -> Outcome:
    """The reply to a refusal (see the module's rule)."""
    if refusal.audited:
        context = dict(refusal.context)
        ticket_id = context.pop("ticket_id", None)
        return refuse(ctx, refusal.key, ticket_id=ticket_id, **context)
    return Outcome([ctx.say(refusal.key, **refusal.context)], f"refused: {refusal.key}")


def guarded(handler: Handler) -> Handler:
    """Runs ``handler`` in a savepoint; a refusal undoes its changes and is answered."""

    @functools.wraps(handler)
    def run(ctx: Context, arg: str) -> Outcome:
        try:
            with ctx.uow.session.begin_nested():
                return handler(ctx, arg)
        except Refusal as refusal:
            return answer(ctx, refusal)

    return run


def actor_of(ctx: Context) -> str:
    """Who did it, as the audit log names them."""
    officer = find_officer(ctx.uow.session, ctx.person.id)
    if officer is not None:
        return officer.actor
    liaison = find_liaison(ctx.uow.session, ctx.person.id)
    if liaison is not None:
        return liaison.actor
    return f"person:{ctx.person.id}"


def refusal_reply(ctx: Context, key: str, **context: Any) -> Reply:
    private = ctx.event.chat.kind is ChatKind.PRIVATE
    lang = ctx.lang if private else STAFF_LANGUAGE
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
