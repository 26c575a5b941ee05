"""A small desk world for tests: a few real offices, people, officers and liaisons."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from knowledge.content.reference import office as reference_office
from models import ChatKind, ManualClock
from models.chats import Chat
from models.offices import get_office, link_staff_chat, sync_offices
from models.people import Person
from models.staff import Liaison, Officer, Role, Tier, add_officer, register_liaison
from models.ticket_actions import open_ticket
from models.tickets import Ticket, TicketEscalation

# KPU RI; DI Yogyakarta (WIB) with Bantul and Kota Yogyakarta; Sulawesi Selatan (WITA)
# with Makassar; Papua (WIT) with Jayapura.
CODES = ("RI", "34", "34.02", "34.71", "73", "73.71", "91", "91.71")

_ids = itertools.count(7000)


def seed_offices(session: Session) -> None:
    records = [reference_office(code) for code in CODES]
    sync_offices(session, [r for r in records if r is not None])


@dataclass
class World:
    session: Session
    clock: ManualClock

    @property
    def now(self) -> datetime:
        return self.clock.now()

    def person(self, name: str = "Someone") -> Person:
        person = Person(
            channel="telegram",
            external_id=str(next(_ids)),
            display_name=name,
            created_at=self.now,
            last_seen_at=self.now,
        )
        self.session.add(person)
        self.session.flush()
        return person

    def officer(self, office: str, role: Role = Role.AGENT, name: str = "Petugas") -> Officer:
        return add_officer(
            self.session,
            person=self.person(name),
            office_code=office,
            role=role,
            name=name,
            actor="test",
            now=self.now,
        )

    def liaison(
        self,
        office: str = "34.02",
        tier: Tier = Tier.DPC,
        party: str = "pkb",
        *,
        verified: bool = False,
    ) -> Liaison:
        """A self-registered liaison; ``verified`` as if an officer had checked them."""
        liaison = register_liaison(
            self.session,
            person=self.person("Liaison"),
            name="Budi",
            party=party,
            tier=tier,
            office_code=office,
            now=self.now,
        )
        if verified:
            liaison.verified, liaison.verified_at = True, self.now
            self.session.add(liaison)
            self.session.flush()
        return liaison

    def staff_chat(self, office: str) -> Chat:
        chat = Chat(
            channel="telegram",
            external_id=f"-100{next(_ids)}",
            kind=ChatKind.GROUP,
            forum=True,
            created_at=self.now,
            updated_at=self.now,
        )
        self.session.add(chat)
        self.session.flush()
        assert chat.id is not None
        link_staff_chat(
            self.session, get_office(self.session, office), chat.id, actor="test", now=self.now
        )
        return chat

    def ticket(
        self, liaison: Liaison | None = None, question: str = "Kapan batas akhir?"
    ) -> Ticket:
        return open_ticket(
            self.session, liaison=liaison or self.liaison(), question=question, now=self.now
        )


@contextmanager
def world_in(sessions: Callable[[], Session], clock: ManualClock) -> Iterator[World]:
    with sessions() as session:
        seed_offices(session)
        session.commit()
        yield World(session, clock)


@dataclass
class RecordingNotices:
    """A fake of the chat side: records what it would have told people."""

    told: list[tuple[str, str]] = field(default_factory=list)

    def unclaimed(self, session: Session, ticket: Ticket, office: object, now: datetime) -> None:
        self.told.append(("unclaimed", ticket.number))

    def escalated(
        self, session: Session, ticket: Ticket, escalation: TicketEscalation, now: datetime
    ) -> None:
        self.told.append(("escalated", f"{escalation.from_office}->{escalation.to_office}"))

    def idle_closed(self, session: Session, ticket: Ticket, now: datetime) -> None:
        self.told.append(("idle_closed", ticket.number))
