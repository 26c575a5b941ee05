"""Messages that are not commands or buttons, claimed by the desk before the FAQ sees
them (the help desk asks :func:`intercept` first):

- in a group: a message in a ticket's forum topic, or a reply to a ticket's relayed
  message (groups without topics), is an officer's answer or note;
- in a private chat: the name typed during registration; a liaison's message for a
  ticket (a reply to a message about the ticket, or any text or file while they have an
  open ticket; see ``desk_liaison`` for the rule).

Anything else is left alone (None): free text goes to the FAQ search.
"""

from __future__ import annotations

from handlers import desk_liaison, desk_register, desk_staff
from handlers.context import Context
from handlers.desk_common import liaison_of
from handlers.desk_notices import ticket_id_of
from handlers.port import Attachment, Outcome
from models import ChatKind
from models.outbox import find_sent
from models.tickets import Ticket, find_ticket


def intercept(ctx: Context, text: str) -> Outcome | None:
    if ctx.event.chat.kind is ChatKind.PRIVATE:
        return _private(ctx, text)
    found = desk_staff.ticket_here(ctx)
    if found is None:
        return None
    ticket, key = found
    return desk_staff.staff_message(ctx, ticket, key, text)


def _private(ctx: Context, text: str) -> Outcome | None:
    if text and desk_register.awaits_name(ctx):
        return desk_register.take_name(ctx, text)
    liaison = liaison_of(ctx)
    if liaison is None:
        return None
    attachment = _relayable(ctx.event.attachments)
    ticket = desk_liaison.target_ticket(ctx, liaison, _replied_ticket(ctx))
    if ticket is None:
        return None
    if not text and attachment is None:
        # A sticker, a location, a contact: not lost silently, the liaison is told.
        kinds = [a.kind for a in ctx.event.attachments]
        return desk_liaison.not_relayed(ctx, ticket, kinds[0]) if kinds else None
    return desk_liaison.add_message(ctx, liaison, ticket, text, attachment)


def _relayable(attachments: tuple[Attachment, ...]) -> Attachment | None:
    kinds = desk_liaison.RELAYED_KINDS
    return next((a for a in attachments if a.kind in kinds and a.file_id), None)


def _replied_ticket(ctx: Context) -> Ticket | None:
    """The ticket of the bot's message a liaison replies to (an officer's answer, a
    notice about the ticket), if it is one."""
    event = ctx.event
    if event.reply_to is None:
        return None
    sent = find_sent(ctx.uow.session, event.channel, event.chat.id, event.reply_to)
    ticket_id = ticket_id_of(sent.campaign) if sent is not None else None
    return find_ticket(ctx.uow.session, ticket_id) if ticket_id else None
