"""An office links a new staff group: its open tickets follow.

The rule: each open ticket of the office gets a new topic (or, in a plain group, a new
card) in the new group, with the card; its place in the old group is told where the
ticket went, and the old topic is closed. The old topic keeps its own key
(``<key>@<old chat id>``), so an officer still writing there is told where the ticket
is now (``handlers.desk.staff``)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from handlers.desk.cards import ticket_campaign
from handlers.desk.outbox import DeskSender
from handlers.signing import Signer
from handlers.texts import Texts
from models import Chat, Lane
from models.offices import Office
from models.outbox import close_topic, enqueue, find_topic
from models.staff import STAFF_LANGUAGE, Liaison
from models.tickets import OPEN_STATUSES, office_tickets


def follow_new_staff_chat(
    session: Session, texts: Texts, signer: Signer, office: Office, old: Chat, now: datetime
) -> int:
    """Moves the office's open tickets from staff chat ``old`` to its new one (see the
    module's rule); how many moved."""
    sender = DeskSender(session, texts, signer)
    stamp = int(now.timestamp())
    moved = 0
    for ticket in office_tickets(session, {office.code}, statuses=OPEN_STATUSES, limit=1000):
        liaison = session.get(Liaison, ticket.liaison_id)
        if liaison is None:
            continue
        old_key = _set_aside(session, ticket.topic_key, old, now)
        enqueue(
            session,
            campaign=ticket_campaign(ticket, f"relinked:{old.id}:{stamp}"),
            recipient="staff",
            channel=old.channel,
            chat_id=old.external_id,
            text=texts.render(
                STAFF_LANGUAGE, "desk/staff/relinked", number=ticket.number, office=office.name
            ),
            lane=Lane.RELAY,
            now=now,
            topic=old_key,
        )
        if old_key is not None:
            close_topic(session, old_key, now)
        sender.post_card(ticket, liaison, now, question=ticket.question, again=f":{stamp}")
        moved += 1
    return moved


def _set_aside(session: Session, key: str | None, old: Chat, now: datetime) -> str | None:
    """The old topic under a key of its own, so the ticket's key can name a new topic."""
    topic = find_topic(session, key) if key else None
    if topic is None or topic.chat_id != old.external_id:
        return None
    topic.key = f"{key}@{old.id}"[:120]
    topic.updated_at = now
    session.add(topic)
    session.flush()
    return topic.key
