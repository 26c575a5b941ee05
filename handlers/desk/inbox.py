"""Which messages the desk claims: messages that are not commands or buttons are offered
here before the FAQ sees them (``handlers.ask`` asks :func:`intercept` first). The rule:

- in a group: a message in a ticket's forum topic, or a reply to a ticket's relayed
  message (groups without topics), is an officer's answer or note;
- in a private chat: the name typed during registration; then, for a liaison,
  1. a message that replies (in the app) to one of the bot's messages about a ticket
     goes to that ticket;
  2. otherwise, while the liaison has an open ticket (new, being handled, or waiting for
     them), their text and files go to the open ticket they last worked on; the bot says
     where it went (once per burst of messages);
  3. with no open ticket, nothing is claimed.

Anything not claimed is left alone (None): free text goes to the FAQ search.
"""

from __future__ import annotations

from handlers.context import Context
from handlers.desk import liaison as desk_liaison
from handlers.desk import register as desk_register
from handlers.desk import staff as desk_staff
from handlers.desk.cards import RELAYED_KINDS, ticket_id_of
from handlers.desk.guard import liaison_of
from handlers.port import Attachment, Outcome
from models import ChatKind
from models.outbox import find_sent
from models.staff import Liaison
from models.tickets import Ticket, find_ticket, liaison_tickets


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
    ticket = target_ticket(ctx, liaison, _replied_ticket(ctx))
    if ticket is None:
        return None
    if not text and attachment is None:
        # A sticker, a location, a contact: not lost silently, the liaison is told.
        kinds = [a.kind for a in ctx.event.attachments]
        return desk_liaison.not_relayed(ctx, ticket, kinds[0]) if kinds else None
    return desk_liaison.add_message(ctx, liaison, ticket, text, attachment)


def edited(ctx: Context, text: str) -> Outcome | None:
    """A liaison edited a message while they have an open ticket: the new wording goes to
    the ticket, and the officers see it in the topic marked as an edit. Edits elsewhere
    (groups, people without a ticket) change nothing."""
    if ctx.event.chat.kind is not ChatKind.PRIVATE or not text:
        return None
    liaison = liaison_of(ctx)
    if liaison is None:
        return None
    ticket = target_ticket(ctx, liaison, _replied_ticket(ctx))
    if ticket is None or not ticket.status.open:
        return None
    return desk_liaison.add_edit(ctx, liaison, ticket, text)


def target_ticket(ctx: Context, liaison: Liaison, replied: Ticket | None) -> Ticket | None:
    """Which ticket a liaison's plain message belongs to (rules 1 to 3 above)."""
    if replied is not None:
        return replied
    open_ones = liaison_tickets(ctx.uow.session, liaison.id or 0, open_only=True, limit=10)
    if not open_ones:
        return None
    return max(open_ones, key=lambda t: (t.last_activity_at, t.id or 0))


def _relayable(attachments: tuple[Attachment, ...]) -> Attachment | None:
    return next((a for a in attachments if a.kind in RELAYED_KINDS and a.file_id), None)


def _replied_ticket(ctx: Context) -> Ticket | None:
    """The ticket of the bot's message a liaison replies to (an officer's answer, a
    notice about the ticket), if it is one."""
    event = ctx.event
    if event.reply_to is None:
        return None
    sent = find_sent(ctx.uow.session, event.channel, event.chat.id, event.reply_to)
    ticket_id = ticket_id_of(sent.campaign) if sent is not None else None
    return find_ticket(ctx.uow.session, ticket_id) if ticket_id else None
