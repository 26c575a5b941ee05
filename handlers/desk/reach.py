"""A chat the bot can no longer write to, handled here once (:func:`chat_unreachable`),
whether the app tells it as an event (blocked, removed from a group) or refuses a
delivery: the chat is marked unreachable, and so is its person for a private chat.

A liaison who becomes unreachable (they blocked the bot, or their account is gone): the
officers of their open tickets are told in each ticket's topic, through the outbox, so
that nobody waits on an answer that cannot arrive. Told once each time the liaison goes
from reachable to unreachable; writing to the bot again makes them reachable. An officer
who answers such a liaison later is told the same (``NOTICE``) under their answer."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from handlers.desk.cards import ticket_id_of
from handlers.desk.lost import staff_chat_lost
from handlers.desk.outbox import DeskSender
from handlers.signing import Signer
from handlers.texts import Texts
from models import Chat, Person
from models.staff import find_liaison
from models.tickets import Ticket, liaison_tickets

NOTICE = "desk/staff/liaison_unreachable"


def liaison_unreachable(
    session: Session, texts: Texts, signer: Signer, person: Person, now: datetime
) -> int:
    """Tells the staff chat of each of the person's open tickets; how many were told."""
    liaison = find_liaison(session, person.id)
    if liaison is None or liaison.id is None:
        return 0
    sender = DeskSender(session, texts, signer)
    campaign = f"unreachable:{int(now.timestamp())}"
    tickets = liaison_tickets(session, liaison.id, open_only=True, limit=20)
    return sum(sender.to_staff(ticket, campaign, NOTICE, now) for ticket in tickets)


def chat_unreachable(
    session: Session,
    texts: Texts,
    signer: Signer,
    chat: Chat,
    person: Person | None,
    reason: str,
    now: datetime,
) -> None:
    """Stop writing to ``chat`` until it speaks to us again; ``person`` (the person of a
    private chat) becomes unreachable too, their officers told once (see the module).
    A staff chat is lost: ``handlers.desk.lost`` says what follows, alerted once."""
    was_reachable = chat.reachable
    chat.reachable = False
    chat.unreachable_reason = reason[:255]
    session.add(chat)
    session.flush()
    if was_reachable and person is None:
        staff_chat_lost(session, texts, chat, reason, now)
    if person is None:
        return
    if person.reachable:
        liaison_unreachable(session, texts, signer, person, now)
    person.reachable = False
    session.add(person)


HELD_NOTICE = "desk/staff/answer_held"
FAILED_NOTICE = "desk/staff/answer_failed"


def answer_not_delivered(
    session: Session,
    texts: Texts,
    signer: Signer,
    campaign: str,
    now: datetime,
    *,
    reason: str | None = None,
) -> bool:
    """A message of the ticket named by ``campaign`` did not reach the liaison: it waits
    because their app lets it go only after they write again (WhatsApp's 24-hour window;
    ``reason`` None), or the app reported it failed (``reason``). Its officers are told in
    the ticket's place, so that nobody believes it arrived. False when ``campaign`` is not
    a ticket's."""
    ticket_id = ticket_id_of(campaign)
    ticket = session.get(Ticket, ticket_id) if ticket_id is not None else None
    if ticket is None:
        return False
    sender = DeskSender(session, texts, signer)
    stamp = int(now.timestamp())
    if reason is None:
        return sender.to_staff(ticket, f"held:{stamp}", HELD_NOTICE, now)
    return sender.to_staff(ticket, f"failed:{stamp}", FAILED_NOTICE, now, reason=reason)
