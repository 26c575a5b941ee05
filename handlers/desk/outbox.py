"""What the desk sends beside direct answers: ticket cards and topics in staff chats,
relays between a liaison and the officers, and notices. All of it goes through the
outbox, in the unit of work of the change that causes it. What a card shows and the
campaign keys are ``handlers.desk.cards``'; a staff chat that is a plain group (no
topics) gets the card and relays as messages, which officers answer by replying to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from handlers.desk.cards import (
    Rows,
    StaffChat,
    attachment_of,
    card_buttons,
    card_context,
    history,
    staff_button,
    staff_chat,
    ticket_campaign,
    topic_key,
)
from handlers.desk.views import expectation, party_name, tier_label, topic_name
from handlers.signing import Signer
from handlers.texts import Texts
from models import Lane
from models.accounts import account_for
from models.offices import Office, find_office, get_office, staffed_office
from models.outbox import close_topic, enqueue, open_topic, reopen_topic
from models.staff import STAFF_LANGUAGE, Liaison
from models.tickets import Ticket, TicketEscalation, TicketMessage


@dataclass
class DeskSender:
    """Composes desk messages (templates) and puts them in the outbox."""

    session: Session
    texts: Texts
    signer: Signer

    # -- staff side -------------------------------------------------------------------

    def card_context(
        self, ticket: Ticket, now: datetime, *, question: str | None = None
    ) -> dict[str, Any]:
        return card_context(self.session, self.texts, ticket, now, question=question)

    def card_buttons(self, chat_id: str, ticket: Ticket) -> Rows:
        return card_buttons(self.texts, self.signer, chat_id, ticket)

    def history(self, ticket: Ticket) -> list[dict[str, Any]]:
        return history(self.session, ticket)

    def post_card(
        self,
        ticket: Ticket,
        liaison: Liaison,
        now: datetime,
        *,
        question: str | None = None,
        routed_from: Office | None = None,
        escalation: TicketEscalation | None = None,
        again: str = "",
    ) -> bool:
        """The ticket's card in its office's staff chat, in a new topic when the chat is a
        forum. False when no office up the tree has a staff chat. ``again`` tells a card
        posted once more (a new staff chat) from the first."""
        session = self.session
        office = get_office(session, ticket.office_code)
        staff = staff_chat(session, office)
        if staff is None:
            return False
        context = self.card_context(ticket, now, question=question)
        context["routed_from"] = routed_from.name if routed_from is not None else None
        context["escalated_from"] = None
        context["history"] = []
        if escalation is not None:
            source = find_office(session, escalation.from_office)
            context["escalated_from"] = source.name if source else escalation.from_office
            context["reason"] = escalation.reason
            context["history"] = self.history(ticket)
        text = self.texts.render(STAFF_LANGUAGE, "desk/staff/card", **context)
        target = self._open_topic(staff, ticket, liaison, now)
        enqueue(
            session,
            campaign=ticket_campaign(ticket, f"card:{office.code}{again}"),
            recipient="staff",
            channel=staff.chat.channel,
            chat_id=staff.chat.external_id,
            text=text,
            lane=Lane.RELAY,
            now=now,
            topic=target,
            buttons=self.card_buttons(staff.chat.external_id, ticket),
        )
        return True

    def _open_topic(
        self, staff: StaffChat, ticket: Ticket, liaison: Liaison, now: datetime
    ) -> str | None:
        if not staff.forum:
            ticket.topic_key = None
            self.session.add(ticket)
            return None
        origin = get_office(self.session, ticket.origin_office_code)
        key = topic_key(ticket)
        open_topic(
            self.session,
            key=key,
            channel=staff.chat.channel,
            chat_id=staff.chat.external_id,
            name=topic_name(ticket, liaison, origin),
            now=now,
        )
        ticket.topic_key = key
        self.session.add(ticket)
        return key

    def to_staff(
        self,
        ticket: Ticket,
        campaign: str,
        template: str,
        now: datetime,
        *,
        attachment: tuple[str, str] | None = None,
        combine: bool = False,
        **context: Any,
    ) -> bool:
        """A message into the ticket's place in its office's staff chat (its topic, or
        the chat itself in reply mode)."""
        office = get_office(self.session, ticket.office_code)
        staff = staff_chat(self.session, office)
        if staff is None:
            return False
        text = self.texts.render(STAFF_LANGUAGE, template, number=ticket.number, **context)
        enqueue(
            self.session,
            campaign=ticket_campaign(ticket, campaign),
            recipient="staff",
            channel=staff.chat.channel,
            chat_id=staff.chat.external_id,
            text=text,  # never cut: a text too long for one message is sent in parts
            lane=Lane.RELAY,
            now=now,
            topic=ticket.topic_key if staff.forum else None,
            attachment=attachment,
            combine=combine and attachment is None,
        )
        return True

    def relay_to_staff(
        self, ticket: Ticket, liaison: Liaison, message: TicketMessage, text: str, now: datetime
    ) -> bool:
        """A liaison's message (as they wrote it: the live relay may show numbers the
        record masks) into the ticket's topic. Text relays may be combined by the worker
        when the staff chat's budget is short; nothing is dropped, nothing is cut (a text
        too long for one message, or for a file's caption, is sent in parts)."""
        attachment = attachment_of(message)
        return self.to_staff(
            ticket,
            f"msg:{message.id}",
            "desk/staff/from_liaison",
            now,
            attachment=attachment,
            combine=True,
            name=liaison.name,
            party=party_name(liaison.party),
            text=text,
            kind=message.attachment_kind,
        )

    def to_old_topic(self, ticket: Ticket, escalation: TicketEscalation, now: datetime) -> None:
        """The topic a ticket left is told where it went, then closed."""
        key = escalation.from_topic_key
        source = find_office(self.session, escalation.from_office)
        target = get_office(self.session, escalation.to_office)
        if source is None:
            return
        staff = staff_chat(self.session, source)
        if staff is None:
            return
        text = self.texts.render(
            STAFF_LANGUAGE,
            "desk/staff/moved",
            number=ticket.number,
            office=target.name,
            reason=escalation.reason,
        )
        enqueue(
            self.session,
            campaign=ticket_campaign(ticket, f"moved:{escalation.id}"),
            recipient="staff",
            channel=staff.chat.channel,
            chat_id=staff.chat.external_id,
            text=text,
            lane=Lane.RELAY,
            now=now,
            topic=key if staff.forum and key else None,
        )
        if key:
            close_topic(self.session, key, now)

    def close_topic_of(self, ticket: Ticket, now: datetime) -> None:
        if ticket.topic_key:
            close_topic(self.session, ticket.topic_key, now)

    def reopen_topic_of(self, ticket: Ticket, now: datetime) -> None:
        if ticket.topic_key:
            reopen_topic(self.session, ticket.topic_key, now)

    # -- liaison side -------------------------------------------------------------------

    def to_liaison(
        self,
        ticket: Ticket,
        campaign: str,
        template: str,
        now: datetime,
        *,
        buttons: tuple[tuple[tuple[str, str], ...], ...] = (),
        attachment: tuple[str, str] | None = None,
        **context: Any,
    ) -> bool:
        """A message to the ticket's liaison in their private chat and language; buttons
        are (label name, action) pairs signed for that chat."""
        liaison = self.session.get(Liaison, ticket.liaison_id)
        person = account_for(self.session, liaison.person_id) if liaison else None
        if person is None:
            return False
        lang = person.speaks
        office = get_office(self.session, ticket.office_code)
        text = self.texts.render(
            lang, template, number=ticket.number, office=office.name, **context
        )
        rows = [
            [
                {
                    "label": self.texts.label(lang, label),
                    "payload": self.signer.sign(person.external_id, action),
                    "url": None,
                }
                for label, action in row
            ]
            for row in buttons
        ]
        enqueue(
            self.session,
            campaign=ticket_campaign(ticket, campaign),
            recipient=person.external_id,
            channel=person.channel,
            chat_id=person.external_id,
            text=text,  # never cut: a text too long for one message is sent in parts
            lane=Lane.RELAY,
            now=now,
            buttons=rows,
            attachment=attachment,
        )
        return True

    def relay_to_liaison(
        self, ticket: Ticket, message: TicketMessage, text: str, now: datetime
    ) -> bool:
        """An officer's answer, signed with the office, never with the officer's name;
        whole, however long (sent in parts when it must be)."""
        return self.to_liaison(
            ticket,
            f"msg:{message.id}",
            "desk/liaison/officer_reply",
            now,
            attachment=attachment_of(message),
            text=text,
        )

    def resolved(self, ticket: Ticket, now: datetime) -> None:
        """The liaison is asked to rate the answer or reopen the ticket."""
        rate = tuple((f"desk_rate_{n}", f"tk:r:{ticket.id}:{n}") for n in range(1, 6))
        self.to_liaison(
            ticket,
            f"resolved:{int(now.timestamp())}",
            "desk/liaison/resolved",
            now,
            buttons=(rate, (("desk_reopen", f"tk:o:{ticket.id}"),)),
        )
        self.close_topic_of(ticket, now)

    def registration(self, liaison: Liaison, now: datetime) -> bool:
        """A self-registered liaison waits for verification: their office's staff chat
        (or the nearest one above) is told, with a button to verify."""
        office = staffed_office(self.session, liaison.office_code)
        if office is None:
            return False
        staff = staff_chat(self.session, office)
        if staff is None:
            return False
        home = get_office(self.session, liaison.office_code)
        text = self.texts.render(
            STAFF_LANGUAGE,
            "desk/staff/registration",
            name=liaison.name,
            party=party_name(liaison.party),
            tier=tier_label(self.texts, STAFF_LANGUAGE, liaison.tier),
            office=home.name,
        )
        button = staff_button(
            self.texts, self.signer, staff.chat.external_id, "desk_verify", f"dv:{liaison.id}"
        )
        enqueue(
            self.session,
            campaign=f"liaison:{liaison.id}:registered:{int(now.timestamp())}",
            recipient="staff",
            channel=staff.chat.channel,
            chat_id=staff.chat.external_id,
            text=text,
            lane=Lane.RELAY,
            now=now,
            buttons=[[button]],
        )
        return True

    def verified(self, liaison: Liaison, now: datetime) -> None:
        person = account_for(self.session, liaison.person_id)
        if person is None:
            return
        office = get_office(self.session, liaison.office_code)
        enqueue(
            self.session,
            campaign=f"liaison:{liaison.id}:verified",
            recipient=person.external_id,
            channel=person.channel,
            chat_id=person.external_id,
            text=self.texts.render(person.speaks, "desk/liaison/verified", office=office.name),
            lane=Lane.RELAY,
            now=now,
        )


def expectation_context(session: Session, ticket: Ticket, now: datetime) -> dict[str, Any]:
    office = get_office(session, ticket.office_code)
    return expectation(office, ticket.sla_from, now).as_context()
