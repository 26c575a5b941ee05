"""Quiet refusals in a staff chat: someone who is not an officer writing in a ticket's
topic (or replying to a relayed message) is told once that it did not go, not at every
line.

The rule: at most one refusal per person per topic within ``REFUSAL_QUIET``; the lines
after it are kept on the audit record only. The one refusal is not a direct answer (which
would take from the group's 20 messages a minute ahead of everything in the outbox): it
goes through the outbox on the bulk lane, behind the liaison's relays, and is dropped
when it could not be sent within ``REFUSAL_QUIET``. So nothing a non-officer writes can
delay a relay.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from handlers.context import Context
from handlers.port import Outcome
from handlers.refusals import actor_of, refuse
from models import Lane
from models.app_state import AppState
from models.outbox import enqueue
from models.staff import STAFF_LANGUAGE
from models.ticket_actions import record_refusal
from models.tickets import Ticket

REFUSAL_QUIET = timedelta(minutes=10)
_KEY = "desk:refused:{person}:{place}"


def quiet_refusal(ctx: Context, ticket: Ticket, key: str | None, template: str) -> Outcome:
    """Refuses a non-officer's message in a ticket's place (see the module's rule)."""
    if ctx.event.button is not None:
        return refuse(ctx, template, ticket_id=ticket.id)  # a button is answered in place
    now = ctx.clock.now()
    place = key or f"chat:{ctx.event.chat.id}"
    if _told_lately(ctx, place, now):
        record_refusal(
            ctx.uow.session,
            actor=actor_of(ctx),
            what=f"{template.rsplit('/', 1)[-1]}: message (quiet)",
            ticket_id=ticket.id,
            now=now,
        )
        return Outcome([], "refused quietly")
    record_refusal(
        ctx.uow.session,
        actor=actor_of(ctx),
        what=f"{template.rsplit('/', 1)[-1]}: message",
        ticket_id=ticket.id,
        now=now,
    )
    event = ctx.event
    enqueue(
        ctx.uow.session,
        campaign=f"refusal:{ctx.person.id}:{place}:{int(now.timestamp())}"[:120],
        recipient="staff",
        channel=event.channel,
        chat_id=event.chat.id,
        thread=event.chat.thread,
        text=ctx.texts.render(STAFF_LANGUAGE, template),
        lane=Lane.BULK,
        now=now,
        expires_at=now + REFUSAL_QUIET,
    )
    return Outcome([], f"refused: {template.removeprefix('desk/refused/')}"[:64])


def _told_lately(ctx: Context, place: str, now: datetime) -> bool:
    """Whether this person was refused in this place within ``REFUSAL_QUIET``; if not,
    the refusal about to be sent is remembered (``app_state`` row)."""
    session = ctx.uow.session
    digest = hashlib.sha256(place.encode()).hexdigest()[:16]
    state_key = _KEY.format(person=ctx.person.id, place=digest)
    row = session.get(AppState, state_key)
    if row is not None and now - datetime.fromisoformat(row.value) < REFUSAL_QUIET:
        return True
    if row is None:
        row = AppState(key=state_key, value=now.isoformat())
    row.value = now.isoformat()
    session.add(row)
    return False
