"""A liaison's tickets: opening one, seeing them, adding to one, closing, rating,
reopening. Everything changes through ``models.ticket_actions`` (which records the
audit); what officers see is put in the outbox by ``DeskSender``.

Which messages an open ticket claims is ``handlers.desk.inbox``'s rule (also told in the
help text).

Button actions, after "tk:":
  l              my tickets           v:<id>         one ticket
  a              how to ask           x:<id>         close it
  r:<id>:<1-5>   rate it              o:<id>         reopen it
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from handlers.context import Context
from handlers.desk.guard import liaison_of
from handlers.desk.outbox import DeskSender, expectation_context
from handlers.desk.views import local_time, shorten, status_label
from handlers.port import Attachment, Button, Outcome, Reply
from handlers.refusals import guarded, refuse
from handlers.ui import home_row
from models import ChatKind
from models.app_state import AppState
from models.message_limits import TEXT_LIMIT
from models.offices import get_office, staff_chat_up
from models.staff import Liaison
from models.ticket_actions import (
    add_liaison_message,
    close_ticket,
    open_ticket,
    rate_ticket,
    reopen_ticket,
)
from models.tickets import Ticket, TicketStatus, find_ticket, liaison_tickets, ticket_messages

ACK_QUIET = timedelta(minutes=2)  # messages closer together than this are one burst
IDENTITY_WORDS = re.compile(r"(?<![a-z])(e-?ktp|ktp|nik|identitas|kartu tanda penduduk)(?![a-z])")
_KTP_WARNED = "desk:ktp:{}"


# --- seeing tickets ----------------------------------------------------------------------


def not_registered(ctx: Context) -> Outcome:
    """Tickets are for registered liaisons: offer registration."""
    buttons = ((ctx.button("desk_register", "rg:s"),), home_row(ctx))
    return Outcome(
        [ctx.say("desk/liaison/not_registered", buttons, edit=True)], "desk: not registered"
    )


def my_tickets(ctx: Context, arg: str = "") -> Outcome:
    """/tiket and the menu's "my tickets": the liaison's tickets, newest first, with
    their status; open ones have a button each."""
    if ctx.event.chat.kind is not ChatKind.PRIVATE:
        return Outcome([ctx.say("desk/liaison/private_only")], "desk: tickets in group")
    liaison = liaison_of(ctx)
    if liaison is None:
        return not_registered(ctx)
    tickets = liaison_tickets(ctx.uow.session, liaison.id or 0, limit=10)
    rows: list[tuple[Button, ...]] = [
        (
            Button(
                label=f"#{t.number} · {status_label(ctx.texts, ctx.lang, t.status)}",
                payload=ctx.signer.sign(ctx.event.chat.id, f"tk:v:{t.id}"),
            ),
        )
        for t in tickets
    ]
    rows.append((ctx.button("desk_ask", "tk:a"), *home_row(ctx)))
    items = [_item(ctx, t) for t in tickets]
    return Outcome(
        [ctx.say("desk/liaison/tickets", tuple(rows), tickets=items, edit=True)],
        "desk: tickets listed",
    )


def _item(ctx: Context, ticket: Ticket) -> dict[str, Any]:
    office = get_office(ctx.uow.session, ticket.office_code)
    return {
        "number": ticket.number,
        "status": status_label(ctx.texts, ctx.lang, ticket.status),
        "subject": shorten(ticket.subject, 80),
        "opened": local_time(ticket.opened_at, office),
        "office": office.name,
        "rating": ticket.rating,
    }


def _own_ticket(ctx: Context, arg: str) -> tuple[Liaison, Ticket] | Outcome:
    """The liaison's ticket named by a button; someone else's is refused on the record."""
    liaison = liaison_of(ctx)
    if liaison is None:
        return not_registered(ctx)
    head = arg.split(":", 1)[0]
    ticket = find_ticket(ctx.uow.session, int(head)) if head.isdigit() else None
    if ticket is None:
        return Outcome([ctx.toast("button_expired")], "desk: ticket gone")
    if ticket.liaison_id != liaison.id:
        return refuse(ctx, "desk/refused/not_your_ticket", ticket_id=ticket.id)
    return liaison, ticket


def ticket_view(ctx: Context, ticket: Ticket, *, edit: bool = True) -> Reply:
    """One ticket as its liaison sees it: status, office, the last public messages, and
    the moves its status allows."""
    session = ctx.uow.session
    messages = ticket_messages(session, ticket.id or 0, include_internal=False)[-5:]
    lines = [
        {
            "mine": m.author_kind.value == "liaison",
            "text": shorten(m.text, 200) if m.text else "",
            "attachment": m.attachment_kind,
        }
        for m in messages
    ]
    rows: list[tuple[Button, ...]] = []
    if ticket.status in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        if ticket.status is TicketStatus.RESOLVED or ticket.rating is None:
            rows.append(
                tuple(ctx.button(f"desk_rate_{n}", f"tk:r:{ticket.id}:{n}") for n in range(1, 6))
            )
        rows.append((ctx.button("desk_reopen", f"tk:o:{ticket.id}"),))
    elif ticket.status.open:
        rows.append((ctx.button("desk_close", f"tk:x:{ticket.id}"),))
    rows.append((ctx.button("menu_tickets", "tk:l"), *home_row(ctx)))
    return ctx.say(
        "desk/liaison/ticket",
        tuple(rows),
        ticket=_item(ctx, ticket),
        question=shorten(ticket.question, 600),
        messages=lines,
        open=ticket.status.open,
        edit=edit,
    )


@guarded
def on_action(ctx: Context, arg: str) -> Outcome:
    """Every "tk:..." button."""
    op, _, rest = arg.partition(":")
    if op == "l":
        return my_tickets(ctx)
    if op == "a":
        return ask_prompt(ctx)
    handler = _OPS.get(op)
    if handler is None:
        return Outcome([ctx.toast("button_expired")], f"desk: unknown ticket action {op!r}")
    found = _own_ticket(ctx, rest)
    if isinstance(found, Outcome):
        return found
    liaison, ticket = found
    return handler(ctx, liaison, ticket, rest.split(":")[1:])


def _view(ctx: Context, liaison: Liaison, ticket: Ticket, parts: list[str]) -> Outcome:
    return Outcome([ticket_view(ctx, ticket)], f"desk: ticket {ticket.number} shown")


def _close(ctx: Context, liaison: Liaison, ticket: Ticket, parts: list[str]) -> Outcome:
    now = ctx.clock.now()
    close_ticket(ctx.uow.session, ticket=ticket, liaison=liaison, now=now)
    sender = DeskSender(ctx.uow.session, ctx.texts, ctx.signer)
    sender.to_staff(ticket, f"closed:{int(now.timestamp())}", "desk/staff/closed_by_liaison", now)
    sender.close_topic_of(ticket, now)
    return Outcome(
        [ctx.toast("desk_closed_toast"), ticket_view(ctx, ticket)],
        f"desk: ticket {ticket.number} closed",
    )


def _rate(ctx: Context, liaison: Liaison, ticket: Ticket, parts: list[str]) -> Outcome:
    rating = int(parts[0]) if parts and parts[0].isdigit() else 0
    rate_ticket(ctx.uow.session, ticket=ticket, liaison=liaison, rating=rating, now=ctx.clock.now())
    return Outcome(
        [
            ctx.toast("desk_rated_toast", rating=rating),
            ctx.say(
                "desk/liaison/rated",
                ((ctx.button("menu_tickets", "tk:l"), *home_row(ctx)),),
                number=ticket.number,
                rating=rating,
                edit=True,
            ),
        ],
        f"desk: ticket {ticket.number} rated {rating}",
    )


def _reopen(ctx: Context, liaison: Liaison, ticket: Ticket, parts: list[str]) -> Outcome:
    """The liaison reopens a resolved or closed ticket (within the reopen window): the
    topic opens again and the officers are told."""
    now = ctx.clock.now()
    reopen_ticket(ctx.uow.session, ticket=ticket, liaison=liaison, now=now)
    sender = DeskSender(ctx.uow.session, ctx.texts, ctx.signer)
    sender.reopen_topic_of(ticket, now)
    sender.to_staff(ticket, f"reopened:{int(now.timestamp())}", "desk/staff/reopened", now)
    return Outcome(
        [
            ctx.toast("desk_reopened_toast"),
            ctx.say(
                "desk/liaison/reopened",
                ((ctx.button("menu_tickets", "tk:l"),),),
                number=ticket.number,
                edit=True,
            ),
        ],
        f"desk: ticket {ticket.number} reopened",
    )


_OPS = {"v": _view, "x": _close, "r": _rate, "o": _reopen}


# --- opening a ticket --------------------------------------------------------------------


def ask_prompt(ctx: Context) -> Outcome:
    return Outcome(
        [ctx.say("desk/liaison/ask_prompt", (home_row(ctx),), edit=True)],
        "desk: ask prompt",
    )


def open_for(
    ctx: Context,
    question: str,
    *,
    source: str,
    suggested: Sequence[Mapping[str, Any]] = (),
    category: str | None = None,
) -> Outcome:
    """Opens a ticket for this liaison: the card goes to the staff chat that answers for
    their office; the liaison is told the number and when to expect an answer."""

    @guarded
    def run(ctx: Context, arg: str) -> Outcome:
        liaison = liaison_of(ctx)
        if liaison is None:
            return not_registered(ctx)
        now = ctx.clock.now()
        ticket = open_ticket(
            ctx.uow.session,
            liaison=liaison,
            question=question,
            now=now,
            category=category,
            suggested=suggested,
            source=source,
        )
        origin = get_office(ctx.uow.session, ticket.origin_office_code)
        office = get_office(ctx.uow.session, ticket.office_code)
        sender = DeskSender(ctx.uow.session, ctx.texts, ctx.signer)
        posted = sender.post_card(
            ticket,
            liaison,
            now,
            question=question,
            routed_from=origin if origin.code != office.code else None,
        )
        reply = ctx.say(
            "desk/liaison/opened",
            ((ctx.button("menu_tickets", "tk:l"), *home_row(ctx)),),
            number=ticket.number,
            office=office.name,
            posted=posted and staff_chat_up(ctx.uow.session, office),  # the truth
            **expectation_context(ctx.uow.session, ticket, now),
        )
        return Outcome([reply], f"desk: ticket {ticket.number} opened")

    return run(ctx, "")


def from_faq(
    ctx: Context,
    entry_id: str | None,
    question: str,
    suggested: Sequence[Mapping[str, Any]] = (),
) -> Outcome | None:
    """A FAQ dead end ("still need help", "ask an officer"): a registered liaison gets a
    ticket with the question and what the bot had suggested; None for anyone else, who
    is then told how to reach an officer (and offered registration)."""
    if ctx.event.chat.kind is not ChatKind.PRIVATE or liaison_of(ctx) is None:
        return None
    if not question.strip():
        return ask_prompt(ctx)
    return open_for(ctx, question, source="faq", suggested=suggested)


# --- messages into an open ticket --------------------------------------------------------


def add_message(
    ctx: Context, liaison: Liaison, ticket: Ticket, text: str, attachment: Attachment | None
) -> Outcome:
    """Adds the message (and file) to the ticket and relays it to the officers; a
    resolved or closed ticket offers reopening instead."""

    @guarded
    def run(ctx: Context, arg: str) -> Outcome:
        if not ticket.status.open:
            return Outcome([ticket_view(ctx, ticket, edit=False)], "desk: ticket not open")
        now = ctx.clock.now()
        previous = ticket.last_activity_at
        file = (attachment.kind, attachment.file_id) if attachment else None
        message = add_liaison_message(
            ctx.uow.session, ticket=ticket, liaison=liaison, text=text, now=now, attachment=file
        )
        sender = DeskSender(ctx.uow.session, ctx.texts, ctx.signer)
        sender.relay_to_staff(ticket, liaison, message, text, now)
        outs: list[Any] = []
        if attachment is not None and _may_be_identity(ctx, attachment, text):
            outs.append(ctx.say("desk/liaison/ktp_warning"))
        office = get_office(ctx.uow.session, ticket.office_code)
        if not staff_chat_up(ctx.uow.session, office):
            # the truth: the officers' chat is lost (handlers.desk.lost); kept, not sent yet
            outs.append(ctx.say("desk/liaison/held", number=ticket.number, office=office.name))
            return Outcome(outs, f"desk: added to {ticket.number}, held")
        # a text longer than one message reaches the officers in parts: say where it went
        if now - previous >= ACK_QUIET or outs or len(text) > TEXT_LIMIT:
            outs.append(ctx.say("desk/liaison/added", number=ticket.number))
        return Outcome(outs, f"desk: added to {ticket.number}")

    return run(ctx, "")


def add_edit(ctx: Context, liaison: Liaison, ticket: Ticket, text: str) -> Outcome:
    """The liaison's edited message: kept on the ticket and shown to the officers as an
    edit of message ``ref``; the liaison is not answered again."""

    @guarded
    def run(ctx: Context, arg: str) -> Outcome:
        now = ctx.clock.now()
        message = add_liaison_message(
            ctx.uow.session, ticket=ticket, liaison=liaison, text=text, now=now
        )
        DeskSender(ctx.uow.session, ctx.texts, ctx.signer).to_staff(
            ticket,
            f"msg:{message.id}",
            "desk/staff/edited",
            now,
            name=liaison.name,
            text=text,
        )
        return Outcome([], f"desk: edit added to {ticket.number}")

    return run(ctx, "")


def not_relayed(ctx: Context, ticket: Ticket, kind: str) -> Outcome:
    """Something the officers' chat cannot be sent (a sticker, a location, a contact),
    while the liaison has a ticket: they are told it did not go, and what would."""
    if not ticket.status.open:
        return Outcome([ticket_view(ctx, ticket, edit=False)], "desk: ticket not open")
    reply = ctx.say("desk/liaison/not_relayed", number=ticket.number, kind=kind)
    return Outcome([reply], f"desk: {kind} not relayed to {ticket.number}")


def _may_be_identity(ctx: Context, attachment: Attachment, caption: str) -> bool:
    """The identity-card warning, shown once per person: at their first photo (the bot
    cannot see what it shows), or at the first photo or document whose caption or file
    name mentions KTP, NIK or "identitas". Kept as ``app_state`` row ``desk:ktp:<id>``."""
    key = _KTP_WARNED.format(ctx.person.id)
    session = ctx.uow.session
    if session.get(AppState, key) is not None:
        return False
    words = f"{caption} {attachment.name or ''}".lower().replace("_", " ")
    mentions = IDENTITY_WORDS.search(words) is not None
    if attachment.kind != "photo" and not mentions:
        return False
    session.add(AppState(key=key, value=ctx.clock.now().isoformat()))
    return True
