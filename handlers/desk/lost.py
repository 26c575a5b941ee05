"""A staff chat the bot can no longer work in: removed from the group, its rights taken
away, or refused there (403, "not enough rights"). The rule, once:

- the chat is lost until the bot is back (any event from it, such as being added again):
  new tickets go to the next office up (``models.offices.staffed_office``);
- what was meant for it (cards, topics, relays) is held in the outbox, not dropped, and
  delivered when the chat is back, topics first (``bot.delivery.store``);
- the office's admins (in private) and the staff chat of the office above are told,
  once each time the chat goes from working to lost, and not again within
  ``ALERT_AGAIN_AFTER`` (a message in the chat makes it look working again until the
  next refusal);
- a liaison writing into a ticket of that office is told their message is kept and will
  reach the officers when the chat is back (``handlers.desk.liaison``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from handlers.desk.cards import staff_chat
from handlers.texts import Texts
from models import Chat, Lane, Person
from models.app_state import AppState
from models.offices import Office, office_for_staff_chat, parent_of, staffed_office
from models.outbox import enqueue
from models.staff import STAFF_LANGUAGE, Role, officers_of

ALERT = "desk/staff/chat_lost"
ALERT_AGAIN_AFTER = timedelta(hours=6)
_ALERTED = "desk:lost:{}"


def staff_chat_lost(session: Session, texts: Texts, chat: Chat, reason: str, now: datetime) -> int:
    """Alerts about a staff chat that was just lost; how many alerts were queued. None
    when ``chat`` is no office's staff chat."""
    office = office_for_staff_chat(session, chat.id or 0)
    if office is None or _alerted_lately(session, chat, now):
        return 0
    campaign = f"chat-lost:{chat.id}:{int(now.timestamp())}"
    parent = parent_of(session, office.code)
    above = staffed_office(session, parent.code) if parent is not None else None
    context = {
        "office": office.name,
        "chat": chat.title,
        "reason": reason,
        "above": above.name if above is not None else None,
    }
    told = 0
    for officer in officers_of(session, office.code):
        if officer.role is not Role.ADMIN:
            continue
        person = session.get(Person, officer.person_id)
        if person is None:
            continue
        told += _alert(session, texts, campaign, person, None, context, now)
    if above is not None:
        told += _alert(session, texts, campaign, None, above, context, now)
    return told


def _alert(
    session: Session,
    texts: Texts,
    campaign: str,
    person: Person | None,
    office: Office | None,
    context: dict[str, str | None],
    now: datetime,
) -> int:
    if person is not None:
        channel, chat_id, recipient = person.channel, person.external_id, person.external_id
    else:
        assert office is not None
        staff = staff_chat(session, office)
        if staff is None:
            return 0
        channel, chat_id, recipient = staff.chat.channel, staff.chat.external_id, "staff"
    language = person.speaks if person is not None else STAFF_LANGUAGE
    row = enqueue(
        session,
        campaign=campaign,
        recipient=recipient,
        channel=channel,
        chat_id=chat_id,
        text=texts.render(language, ALERT, above_chat=person is None, **context),
        lane=Lane.RELAY,
        now=now,
    )
    return 1 if row is not None else 0


def _alerted_lately(session: Session, chat: Chat, now: datetime) -> bool:
    """Whether this chat's loss was alerted within ``ALERT_AGAIN_AFTER``; if not, this
    alert is remembered (``app_state`` row)."""
    key = _ALERTED.format(chat.id)
    row = session.get(AppState, key)
    if row is not None and now - datetime.fromisoformat(row.value) < ALERT_AGAIN_AFTER:
        return True
    row = row or AppState(key=key, value="")
    row.value = now.isoformat()
    session.add(row)
    return False
