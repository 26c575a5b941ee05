"""A desk to talk to in tests: offices, a staff chat, officers and liaisons, and people
who write to the help desk core as a transport would (tests/chat.py: private chats, staff
groups with forum topics or reply mode). The outbox is read from the database; ``deliver`` plays
the delivery worker's part (topics get threads, messages get the app's ids)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlmodel import Session, col, select

from handlers.helpdesk import HelpDesk
from knowledge.content.reference import load_offices
from models import ChatKind, Clock, Language, UnitOfWork
from models.audit import AuditEntry
from models.chats import seen_chat
from models.invites import create_invite
from models.offices import find_office, link_staff_chat, sync_offices
from models.outbox import OutboxMessage, OutboxStatus, Topic, TopicState
from models.people import seen_person
from models.staff import Officer, Role, Tier, add_officer
from models.tickets import Ticket, TicketMessage
from tests.chat import Chat

OFFICES = ("RI", "34", "34.02", "34.71", "33", "33.01")
_ids = itertools.count(5000)
_threads = itertools.count(100)


@dataclass
class Desk:
    """The help desk with its offices and the rows a test looks at."""

    helpdesk: HelpDesk
    sessions: Callable[[], Session]
    clock: Clock

    def prepare(self, codes: Iterable[str] = OFFICES) -> Desk:
        wanted = set(codes)
        with UnitOfWork(self.sessions) as uow:
            sync_offices(uow.session, [o for o in load_offices() if o.code in wanted])
            uow.commit()
        return self

    # -- people and chats ---------------------------------------------------------------

    def private(self, person_id: int, name: str = "Siti Rahma", language: str = "id") -> Chat:
        return Chat(
            self.helpdesk,
            chat_id=str(person_id),
            person_id=str(person_id),
            name=name,
            language=language,
            channel="telegram",
        )

    def group(self, chat_id: int, person_id: int, name: str, *, forum: bool = True) -> Chat:
        return Chat(
            self.helpdesk,
            chat_id=str(chat_id),
            person_id=str(person_id),
            name=name,
            kind=ChatKind.GROUP,
            channel="telegram",
            forum=forum,
            title="Staf KPU",
        )

    def link(self, office_code: str, chat_id: int, *, forum: bool = True) -> None:
        """The office's staff chat, linked as ``helpdesk office link`` does."""
        now = self.clock.now()
        with UnitOfWork(self.sessions) as uow:
            chat = seen_chat(
                uow.session,
                channel="telegram",
                external_id=str(chat_id),
                kind=ChatKind.GROUP,
                title=f"Staf {office_code}",
                forum=forum,
                now=now,
            )
            office = find_office(uow.session, office_code)
            assert office is not None and chat.id is not None
            link_staff_chat(uow.session, office, chat.id, actor="cli", now=now)
            uow.commit()

    def officer(
        self, person_id: int, office_code: str, role: Role = Role.AGENT, name: str = "Andi"
    ) -> None:
        now = self.clock.now()
        with UnitOfWork(self.sessions) as uow:
            person = seen_person(
                uow.session,
                channel="telegram",
                external_id=str(person_id),
                display_name=name,
                username=None,
                language_hint=Language.ID,
                now=now,
                in_private=False,
            )
            add_officer(
                uow.session,
                person=person,
                office_code=office_code,
                role=role,
                name=name,
                actor="cli",
                now=now,
            )
            uow.commit()

    def invite(
        self, office_code: str = "34.02", party: str = "pkb", tier: str = "dpc", uses: int = 5
    ) -> str:
        with UnitOfWork(self.sessions) as uow:
            _invite, token = create_invite(
                uow.session,
                office_code=office_code,
                party=party,
                tier=Tier(tier),
                uses=uses,
                created_by=None,
                now=self.clock.now(),
            )
            uow.commit()
        return token

    def liaison(
        self, person_id: int = 5001, name: str = "Siti Rahma", office_code: str = "34.02"
    ) -> Chat:
        """A liaison registered by invite, talking in their private chat."""
        talker = self.private(person_id, name)
        talker.send(f"/start {self.invite(office_code)}")
        assert "Selamat datang" in talker.text(), talker.text()
        return talker

    # -- what the desk wrote ------------------------------------------------------------

    def outbox(self, prefix: str = "", *, exact: bool = False) -> list[OutboxMessage]:
        """Outbox rows whose campaign starts with ``prefix`` (or is it, when ``exact``)."""
        with self.sessions() as session:
            campaign = col(OutboxMessage.campaign)
            where = campaign == prefix if exact else campaign.startswith(prefix)
            rows = session.exec(
                select(OutboxMessage).where(where).order_by(col(OutboxMessage.id))
            ).all()
            return list(rows)

    def topics(self) -> list[Topic]:
        with self.sessions() as session:
            return list(session.exec(select(Topic).order_by(col(Topic.id))).all())

    def tickets(self) -> list[Ticket]:
        with self.sessions() as session:
            return list(session.exec(select(Ticket).order_by(col(Ticket.id))).all())

    def ticket(self, ticket_id: int) -> Ticket:
        with self.sessions() as session:
            found = session.get(Ticket, ticket_id)
            assert found is not None
            return found

    def messages(self, ticket_id: int) -> list[TicketMessage]:
        with self.sessions() as session:
            return list(
                session.exec(
                    select(TicketMessage)
                    .where(TicketMessage.ticket_id == ticket_id)
                    .order_by(col(TicketMessage.id))
                ).all()
            )

    def audit(self, action: str) -> list[AuditEntry]:
        with self.sessions() as session:
            return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)).all())

    def officers(self) -> list[Officer]:
        with self.sessions() as session:
            return list(session.exec(select(Officer)).all())

    def deliver(self) -> None:
        """What the delivery worker would do: topics get a thread and the state wanted,
        pending messages become sent messages with ids."""
        now: datetime = self.clock.now()
        with UnitOfWork(self.sessions) as uow:
            for topic in uow.session.exec(select(Topic)).all():
                if topic.thread is None:
                    topic.thread = str(next(_threads))
                topic.actual = topic.wanted
                topic.updated_at = now
                uow.session.add(topic)
            pending = uow.session.exec(
                select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
            ).all()
            for message in pending:
                message.status = OutboxStatus.SENT
                message.message_id = str(next(_ids))
                message.sent_at = now
                uow.session.add(message)
            uow.commit()

    def thread_of(self, key: str) -> str:
        with self.sessions() as session:
            topic = session.exec(select(Topic).where(Topic.key == key)).one()
            assert topic.thread is not None, "deliver() first"
            return topic.thread

    def topic_state(self, key: str) -> TopicState:
        with self.sessions() as session:
            return session.exec(select(Topic).where(Topic.key == key)).one().wanted


# Staff chats and people used across the desk chat tests.
BANTUL_STAFF, DIY_STAFF, KOTA_STAFF = -100_3402, -100_34, -100_3471
AGENT, ADMIN, PROVINCE_AGENT, CITY_AGENT = 7001, 7002, 7003, 7004


@pytest.fixture
def desk(helpdesk: HelpDesk, sessions: Callable[[], Session], clock: Clock) -> Desk:
    """Offices RI, DIY (34) with Bantul (34.02) and Kota Yogyakarta (34.71), Jawa Tengah;
    Bantul and DIY have forum staff chats; an agent and an admin in Bantul, an agent in
    DIY and one in Kota Yogyakarta."""
    helpdesk.services.bot_username = "kpu_helpdesk_test_bot"
    world = Desk(helpdesk, sessions, clock).prepare()
    world.link("34.02", BANTUL_STAFF)
    world.link("34", DIY_STAFF)
    world.officer(AGENT, "34.02", Role.AGENT, "Andi Wijaya")
    world.officer(ADMIN, "34.02", Role.ADMIN, "Rina Lestari")
    world.officer(PROVINCE_AGENT, "34", Role.SUPERVISOR, "Dewi Prov")
    world.officer(CITY_AGENT, "34.71", Role.AGENT, "Bayu Kota")
    return world
