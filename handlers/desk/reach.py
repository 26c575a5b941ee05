"""A liaison the bot can no longer write to (they blocked it, or their account is gone):
the officers of their open tickets are told in each ticket's topic, through the outbox,
so that nobody waits on an answer that cannot arrive. Told once each time the liaison
goes from reachable to unreachable; writing to the bot again makes them reachable."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from handlers.desk.outbox import DeskSender
from handlers.signing import Signer
from handlers.texts import Texts
from models import Person
from models.staff import find_liaison
from models.tickets import liaison_tickets

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
