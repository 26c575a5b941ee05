"""The officers' side, in their staff chat: answering in a ticket's topic (or, in a group
without topics, by replying to the relayed message), internal notes, and the card's
buttons (claim, escalate, resolve, spam).

Who may act on a ticket (escalate included) is ``models.staff``'s rule, whole; here it
is applied (``chat_serves``, then ``can_act`` inside the ticket use cases), anyone
refused is told so on the record, and a ticket that moved on (escalated) is answered
where it is now: its old topic says so.

What officers write reaches the liaison signed with the office ("Petugas Helpdesk KPU
Kabupaten Bantul"); officers' names stay inside KPU. A message starting with "!" or the
command ``/catatan`` is an internal note: kept on the ticket, never relayed.

Button actions, after "dk:": ``c:<id>`` claim, ``e:<id>`` escalate, ``r:<id>`` resolve,
``s:<id>`` close as spam.
"""

from __future__ import annotations

from datetime import datetime

from handlers.context import Context
from handlers.desk.cards import RELAYED_KINDS, ticket_id_of
from handlers.desk.guard import officer_of
from handlers.desk.outbox import DeskSender
from handlers.desk.quiet import quiet_refusal
from handlers.desk.reach import NOTICE
from handlers.port import Attachment, Button, Out, Outcome, Reply, Toast
from handlers.refusals import guarded, refuse
from models.accounts import account_for
from models.offices import find_office, office_for_staff_chat
from models.outbox import find_sent, find_topic_by_thread
from models.staff import STAFF_LANGUAGE, Liaison, chat_serves
from models.ticket_actions import (
    claim_ticket,
    escalate_ticket,
    mark_spam,
    officer_reply,
    resolve_ticket,
)
from models.tickets import Ticket, TicketEscalation, find_ticket

NOTE_PREFIX = "!"


# --- which ticket a staff-chat message is about -----------------------------------------


def ticket_here(ctx: Context) -> tuple[Ticket, str | None] | None:
    """The ticket a message in a staff chat belongs to, and the topic key it came by:
    the ticket's forum topic, or (in reply mode) the relayed message it replies to."""
    session = ctx.uow.session
    event = ctx.event
    if event.chat.thread is not None:
        topic = find_topic_by_thread(session, event.channel, event.chat.id, event.chat.thread)
        if topic is not None:
            ticket_id = ticket_id_of(topic.key)
            ticket = find_ticket(session, ticket_id) if ticket_id else None
            return (ticket, topic.key) if ticket is not None else None
    if event.reply_to is not None:
        sent = find_sent(session, event.channel, event.chat.id, event.reply_to)
        ticket_id = ticket_id_of(sent.campaign) if sent is not None else None
        ticket = find_ticket(session, ticket_id) if ticket_id else None
        if ticket is not None:
            return ticket, sent.topic if sent is not None else None
    return None


def _moved_on(ctx: Context, ticket: Ticket, key: str | None) -> Outcome | None:
    """A message in a topic the ticket has left is not relayed: the officer is told where
    the ticket is now."""
    chat_office = office_for_staff_chat(ctx.uow.session, ctx.chat.id or 0)
    here_now = chat_office is not None and chat_office.code == ticket.office_code
    stale_topic = key is not None and ticket.topic_key is not None and key != ticket.topic_key
    if here_now and not stale_topic:
        return None
    if chat_serves(ctx.uow.session, ctx.chat.id or 0, ticket.office_code):
        return None  # an office above may still step in from its own chat
    office = find_office(ctx.uow.session, ticket.office_code)
    return refuse(
        ctx,
        "desk/refused/ticket_moved",
        ticket_id=ticket.id,
        number=ticket.number,
        office=office.name if office else ticket.office_code,
    )


# --- officers writing --------------------------------------------------------------------


def staff_message(ctx: Context, ticket: Ticket, key: str | None, text: str) -> Outcome:
    """An officer's message in a ticket's topic (or a reply to its relay): relayed to the
    liaison, or kept as an internal note when it starts with "!"."""
    attachment = _relayable(ctx.event.attachments)
    if not text and attachment is None:
        return _not_relayed(ctx)
    if text.startswith(NOTE_PREFIX):
        return note_on(ctx, ticket, key, text[len(NOTE_PREFIX) :].strip(), attachment)
    return _reply(ctx, ticket, key, text, attachment)


def _relayable(attachments: tuple[Attachment, ...]) -> Attachment | None:
    return next((a for a in attachments if a.kind in RELAYED_KINDS and a.file_id), None)


def _not_relayed(ctx: Context) -> Outcome:
    """A sticker, a location, a contact in a ticket's topic cannot reach the liaison: the
    officer is told there, rather than left thinking it went."""
    kind = ctx.event.attachments[0].kind if ctx.event.attachments else "other"
    text = ctx.texts.render(STAFF_LANGUAGE, "desk/staff/not_relayed", kind=kind)
    return Outcome([Reply(ctx.event.chat, text)], f"desk: {kind} not relayed")


def _reply(
    ctx: Context, ticket: Ticket, key: str | None, text: str, attachment: Attachment | None
) -> Outcome:
    @guarded
    def run(ctx: Context, arg: str) -> Outcome:
        officer = officer_of(ctx)
        if officer is None:
            return quiet_refusal(ctx, ticket, key, "desk/refused/not_officer")
        moved = _moved_on(ctx, ticket, key)
        if moved is not None:
            return moved
        now = ctx.clock.now()
        file = (attachment.kind, attachment.file_id) if attachment else None
        message = officer_reply(
            ctx.uow.session, ticket=ticket, officer=officer, text=text, now=now, attachment=file
        )
        DeskSender(ctx.uow.session, ctx.texts, ctx.signer).relay_to_liaison(
            ticket, message, text, now
        )
        return Outcome(_if_unreachable(ctx, ticket), f"desk: officer answered {ticket.number}")

    return run(ctx, "")


def _if_unreachable(ctx: Context, ticket: Ticket) -> list[Out]:
    """An answer to a liaison known to have blocked the bot is kept (and sent should
    they come back first), and the officer is told it may not arrive."""
    liaison = ctx.uow.session.get(Liaison, ticket.liaison_id)
    person = account_for(ctx.uow.session, liaison.person_id) if liaison else None
    if person is None or person.reachable:
        return []
    text = ctx.texts.render(STAFF_LANGUAGE, NOTICE, number=ticket.number)
    return [Reply(ctx.event.chat, text)]


def note_on(
    ctx: Context, ticket: Ticket, key: str | None, text: str, attachment: Attachment | None
) -> Outcome:
    """An internal note: on the ticket's record for officers, never sent to the liaison."""

    @guarded
    def run(ctx: Context, arg: str) -> Outcome:
        officer = officer_of(ctx)
        if officer is None:
            return quiet_refusal(ctx, ticket, key, "desk/refused/not_officer")
        file = (attachment.kind, attachment.file_id) if attachment else None
        officer_reply(
            ctx.uow.session,
            ticket=ticket,
            officer=officer,
            text=text,
            now=ctx.clock.now(),
            attachment=file,
            internal=True,
        )
        return Outcome([], f"desk: note on {ticket.number}")

    return run(ctx, "")


def note_command(ctx: Context, arg: str) -> Outcome:
    """/catatan <text>: an internal note, in a ticket's topic or replying to its relay."""
    found = ticket_here(ctx)
    if found is None:
        reply = Reply(ctx.event.chat, ctx.texts.render(STAFF_LANGUAGE, "desk/staff/note_where"))
        return Outcome([reply], "desk: note outside a ticket")
    ticket, key = found
    attachment = _relayable(ctx.event.attachments)
    if not arg.strip() and attachment is None:
        reply = Reply(ctx.event.chat, ctx.texts.render(STAFF_LANGUAGE, "desk/staff/note_where"))
        return Outcome([reply], "desk: empty note")
    outcome = note_on(ctx, ticket, key, arg.strip(), attachment)
    if outcome.outs:
        return outcome
    saved = Reply(ctx.event.chat, ctx.texts.render(STAFF_LANGUAGE, "desk/staff/note_saved"))
    return Outcome([saved], outcome.note)


# --- the card's buttons ------------------------------------------------------------------


@guarded
def on_action(ctx: Context, arg: str) -> Outcome:
    """Every "dk:..." button on a ticket card."""
    op, _, rest = arg.partition(":")
    handler = _OPS.get(op)
    ticket = find_ticket(ctx.uow.session, int(rest)) if rest.isdigit() else None
    if handler is None or ticket is None:
        return Outcome([ctx.toast("button_expired")], "desk: card button unknown")
    officer = officer_of(ctx)
    if officer is None:
        return refuse(ctx, "desk/refused/not_officer", ticket_id=ticket.id)
    if not chat_serves(ctx.uow.session, ctx.chat.id or 0, ticket.office_code):
        where = find_office(ctx.uow.session, ticket.office_code)
        return refuse(
            ctx,
            "desk/refused/ticket_moved",
            ticket_id=ticket.id,
            number=ticket.number,
            office=where.name if where else ticket.office_code,
        )
    return handler(ctx, ticket)


def _sender(ctx: Context) -> DeskSender:
    return DeskSender(ctx.uow.session, ctx.texts, ctx.signer)


def _card(
    ctx: Context,
    ticket: Ticket,
    toast: str,
    note: str,
    *,
    buttons: bool = True,
    **toast_args: str,
) -> Outcome:
    """The pressed card, redrawn with the ticket's new status and the buttons it allows
    (none on a card the ticket has left)."""
    sender = _sender(ctx)
    now = ctx.clock.now()
    context = sender.card_context(ticket, now)
    context.update(routed_from=None, escalated_from=None, history=[])
    text = ctx.texts.render(STAFF_LANGUAGE, "desk/staff/card", **context)
    rows = tuple(
        tuple(Button(label=str(b["label"]), payload=b["payload"]) for b in row)
        for row in (sender.card_buttons(ctx.event.chat.id, ticket) if buttons else [])
    )
    card = Reply(ctx.event.chat, text, rows, edit=ctx.event.ref or None)
    return Outcome([Toast(ctx.texts.label(STAFF_LANGUAGE, toast, **toast_args)), card], note)


def _claim(ctx: Context, ticket: Ticket) -> Outcome:
    now = ctx.clock.now()
    officer = officer_of(ctx)
    claim_ticket(ctx.uow.session, ticket=ticket, officer=officer, now=now)
    _sender(ctx).to_liaison(ticket, f"claimed:{int(now.timestamp())}", "desk/liaison/claimed", now)
    name = officer.name if officer is not None else ""
    return _card(ctx, ticket, "desk_claimed_toast", f"desk: {ticket.number} claimed", name=name)


def _resolve(ctx: Context, ticket: Ticket) -> Outcome:
    now = ctx.clock.now()
    resolve_ticket(ctx.uow.session, ticket=ticket, officer=officer_of(ctx), now=now)
    _sender(ctx).resolved(ticket, now)
    return _card(ctx, ticket, "desk_resolved_toast", f"desk: {ticket.number} resolved")


def _spam(ctx: Context, ticket: Ticket) -> Outcome:
    now = ctx.clock.now()
    mark_spam(ctx.uow.session, ticket=ticket, officer=officer_of(ctx), now=now)
    _sender(ctx).close_topic_of(ticket, now)
    return _card(ctx, ticket, "desk_spam_toast", f"desk: {ticket.number} spam")


def _escalate(ctx: Context, ticket: Ticket) -> Outcome:
    now = ctx.clock.now()
    escalation = escalate_ticket(ctx.uow.session, ticket=ticket, officer=officer_of(ctx), now=now)
    announce_escalation(_sender(ctx), ticket, escalation, now)
    target = find_office(ctx.uow.session, escalation.to_office)
    name = target.name if target else escalation.to_office
    note = f"desk: {ticket.number} escalated"
    return _card(ctx, ticket, "desk_escalated_toast", note, buttons=False, office=name)


_OPS = {"c": _claim, "r": _resolve, "s": _spam, "e": _escalate}


def announce_escalation(
    sender: DeskSender, ticket: Ticket, escalation: TicketEscalation, now: datetime
) -> None:
    """Everything an escalation tells, by an officer or by the SLA: the old topic where
    the ticket went (then it is closed), a new topic and card with a summary of the
    conversation in the new office's staff chat, and the liaison."""
    sender.to_old_topic(ticket, escalation, now)
    liaison = sender.session.get(Liaison, ticket.liaison_id)
    if liaison is not None:
        sender.post_card(ticket, liaison, now, escalation=escalation)
    sender.to_liaison(ticket, f"moved:{escalation.id}", "desk/liaison/escalated", now)
