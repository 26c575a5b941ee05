"""What the desk's messages are made of: the campaign and topic keys of a ticket, the
staff chat an office answers from, and what a ticket card shows.

Campaigns of a ticket all start with ``ticket:<id>:`` (the retention purge blanks them):
``card:<office>`` the card in an office's staff chat, ``msg:<message id>`` a relayed
message, ``moved:<escalation id>``, ``ping:<office>``, ``claimed|resolved|reopened:<t>``
(t: the moment, in seconds), ``idle``. A staff chat that is a forum gets one topic per
ticket and office (key ``ticket:<id>:<office>``).

The kinds of file the desk relays between a liaison and the officers live here, once:
``RELAYED_KINDS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from handlers.desk.views import (
    local_time,
    party_name,
    shorten,
    status_label,
    suggestions_of,
    tier_label,
)
from handlers.signing import Signer
from handlers.texts import Texts
from models import Chat
from models.accounts import account_for
from models.offices import Office, get_office
from models.sla import sla_due
from models.staff import STAFF_LANGUAGE, Liaison
from models.tickets import Ticket, TicketMessage, TicketStatus, ticket_messages

RELAYED_KINDS = frozenset({"photo", "document", "video", "audio", "voice", "animation"})
HISTORY_LINES = 8  # messages summarised on an escalated ticket's new card

Rows = list[list[dict[str, str | None]]]


def ticket_campaign(ticket: Ticket, what: str) -> str:
    return f"ticket:{ticket.id}:{what}"


def topic_key(ticket: Ticket) -> str:
    return f"ticket:{ticket.id}:{ticket.office_code}"


def ticket_id_of(key_or_campaign: str) -> int | None:
    """The ticket id in a topic key or a campaign ("ticket:42:..."), else None."""
    kind, _, rest = key_or_campaign.partition(":")
    number = rest.split(":", 1)[0]
    return int(number) if kind == "ticket" and number.isdigit() else None


@dataclass(frozen=True)
class StaffChat:
    """Where an office's officers are: the chat, and whether it has forum topics."""

    office: Office
    chat: Chat

    @property
    def forum(self) -> bool:
        return self.chat.forum


def staff_chat(session: Session, office: Office) -> StaffChat | None:
    if office.staff_chat_id is None:
        return None
    chat = session.get(Chat, office.staff_chat_id)
    return StaffChat(office, chat) if chat is not None else None


def attachment_of(message: TicketMessage) -> tuple[str, str] | None:
    if message.attachment_kind and message.attachment_file_id:
        return message.attachment_kind, message.attachment_file_id
    return None


def card_context(
    session: Session, texts: Texts, ticket: Ticket, now: datetime, *, question: str | None = None
) -> dict[str, Any]:
    """What a ticket card shows: who asks, what, what the bot offered, and by when
    officers should take and answer it (in the office's zone)."""
    office = get_office(session, ticket.office_code)
    origin = get_office(session, ticket.origin_office_code)
    liaison = session.get(Liaison, ticket.liaison_id)
    assert liaison is not None
    person = account_for(session, liaison.person_id)
    lang = STAFF_LANGUAGE
    return {
        "channel": person.channel if person is not None else "",
        "number": ticket.number,
        "status": status_label(texts, lang, ticket.status),
        "liaison": liaison.name,
        "verified": liaison.verified,
        "party": party_name(liaison.party),
        "tier": tier_label(texts, lang, liaison.tier),
        "origin": origin.name,
        "office": office.name,
        "question": question if question is not None else ticket.question,
        "suggested": suggestions_of(ticket),
        "claim_due": local_time(sla_due(office, ticket.sla_from, office.claim_minutes), office),
        "answer_due": local_time(sla_due(office, ticket.sla_from, office.answer_minutes), office),
        "opened": local_time(ticket.opened_at, office),
    }


def card_buttons(texts: Texts, signer: Signer, chat_id: str, ticket: Ticket) -> Rows:
    """Claim / escalate / resolve / spam, signed for the staff chat; only the moves
    the ticket's status allows. A resolved ticket offers "Jadikan FAQ" (a draft entry
    from its question and answer: ``handlers.curate``)."""
    if ticket.status is TicketStatus.RESOLVED:
        return [[staff_button(texts, signer, chat_id, "draft_make", f"kbd:m:{ticket.id}")]]
    if not ticket.status.open:
        return []
    rows: Rows = []
    first: list[dict[str, str | None]] = []
    if ticket.status is TicketStatus.NEW:
        first.append(staff_button(texts, signer, chat_id, "desk_claim", f"dk:c:{ticket.id}"))
    first.append(staff_button(texts, signer, chat_id, "desk_resolve", f"dk:r:{ticket.id}"))
    rows.append(first)
    rows.append(
        [
            staff_button(texts, signer, chat_id, "desk_escalate", f"dk:e:{ticket.id}"),
            staff_button(texts, signer, chat_id, "desk_spam", f"dk:s:{ticket.id}"),
        ]
    )
    return rows


def staff_button(
    texts: Texts, signer: Signer, chat_id: str, label: str, action: str
) -> dict[str, str | None]:
    return {
        "label": texts.label(STAFF_LANGUAGE, label),
        "payload": signer.sign(chat_id, action),
        "url": None,
    }


def history(session: Session, ticket: Ticket) -> list[dict[str, Any]]:
    """The last messages of a ticket (masked, as stored), for an escalated card."""
    messages = ticket_messages(session, ticket.id or 0, include_internal=True)
    return [
        {
            "author": message.author_kind.value,
            "internal": message.internal,
            "text": shorten(message.text, 200) if message.text else "",
            "attachment": message.attachment_kind,
        }
        for message in messages[-HISTORY_LINES:]
    ]
