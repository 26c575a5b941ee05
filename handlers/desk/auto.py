"""What people are told when the desk acts by itself (the scheduler's SLA and idle
ticks in ``handlers.desk.ticks``): the same messages an officer's action would send."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from handlers.desk.outbox import DeskSender
from handlers.desk.staff import announce_escalation
from handlers.desk.views import local_time
from handlers.signing import Signer
from handlers.texts import Texts
from models.offices import Office
from models.sla import sla_due
from models.tickets import Ticket, TicketEscalation


@dataclass(frozen=True)
class ChatDeskNotices:
    """``handlers.desk.ticks.DeskNotices`` for the chat apps: templates and the outbox."""

    texts: Texts
    signer: Signer

    def _sender(self, session: Session) -> DeskSender:
        return DeskSender(session, self.texts, self.signer)

    def unclaimed(self, session: Session, ticket: Ticket, office: Office, now: datetime) -> None:
        """The staff chat is reminded, in the ticket's topic, that nobody took it."""
        due = sla_due(office, ticket.sla_from, office.answer_minutes)
        self._sender(session).to_staff(
            ticket,
            f"ping:{office.code}",
            "desk/staff/unclaimed",
            now,
            minutes=office.claim_minutes,
            escalates=local_time(due, office),
        )

    def escalated(
        self, session: Session, ticket: Ticket, escalation: TicketEscalation, now: datetime
    ) -> None:
        announce_escalation(self._sender(session), ticket, escalation, now)

    def idle_closed(self, session: Session, ticket: Ticket, now: datetime) -> None:
        sender = self._sender(session)
        sender.to_liaison(ticket, "idle", "desk/liaison/idle_closed", now)
        sender.close_topic_of(ticket, now)
