"""A small world for calendar, reminder and announcement tests: offices in the three
Indonesian zones (the desk world's, tests/unit/desk_world.py), liaisons and groups in
them, and stages."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from models import ChatKind, ManualClock, UnitOfWork
from models.broadcast import register_group
from models.chats import Chat
from models.outbox import OutboxMessage
from models.people import Language, Person
from models.staff import Liaison, LiaisonVia, Officer, Role, Tier
from models.stages import Stage, StageData, import_stages
from tests.unit.desk_world import seed_offices

BANTUL, MAKASSAR, JAYAPURA = "34.02", "73.71", "91.71"

_ids = itertools.count(90_000)


@dataclass
class World:
    sessions: Callable[[], Session]
    clock: ManualClock

    def __post_init__(self) -> None:
        with UnitOfWork(self.sessions) as uow:
            seed_offices(uow.session)
            uow.commit()

    @property
    def now(self) -> datetime:
        return self.clock.now()

    def person(
        self, name: str, *, language: Language | None = Language.ID, reachable: bool = True
    ) -> Person:
        with UnitOfWork(self.sessions) as uow:
            person = Person(
                channel="telegram",
                external_id=str(next(_ids)),
                display_name=name,
                language=language,
                reachable=reachable,
                created_at=self.now,
                last_seen_at=self.now,
            )
            uow.session.add(person)
            uow.commit()
            return person

    def liaison(
        self,
        office: str,
        *,
        name: str = "Budi",
        tier: Tier = Tier.DPC,
        party: str = "pkb",
        language: Language | None = Language.ID,
        reachable: bool = True,
    ) -> Person:
        person = self.person(name, language=language, reachable=reachable)
        with UnitOfWork(self.sessions) as uow:
            assert person.id is not None
            uow.session.add(
                Liaison(
                    person_id=person.id,
                    name=name,
                    party=party,
                    tier=tier,
                    office_code=office,
                    verified=True,
                    via=LiaisonVia.INVITE,
                    created_at=self.now,
                )
            )
            uow.commit()
        return person

    def officer(self, office: str, role: Role, name: str = "Petugas") -> Person:
        person = self.person(name)
        with UnitOfWork(self.sessions) as uow:
            assert person.id is not None
            uow.session.add(
                Officer(
                    person_id=person.id,
                    office_code=office,
                    role=role,
                    name=name,
                    created_at=self.now,
                )
            )
            uow.commit()
        return person

    def group(self, office: str, title: str = "Grup LO") -> Chat:
        with UnitOfWork(self.sessions) as uow:
            chat = Chat(
                channel="telegram",
                external_id=f"-100{next(_ids)}",
                kind=ChatKind.GROUP,
                title=title,
                created_at=self.now,
                updated_at=self.now,
            )
            uow.session.add(chat)
            uow.session.flush()
            assert chat.id is not None
            register_group(
                uow.session, chat_id=chat.id, office_code=office, person_id=None, now=self.now
            )
            uow.commit()
            return chat

    def stages(self, *stages: StageData, calendar: str = "test") -> list[Stage]:
        with UnitOfWork(self.sessions) as uow:
            import_stages(uow.session, calendar, list(stages), self.now)
            uow.commit()
        with self.sessions() as session:
            found = session.exec(select(Stage).where(Stage.calendar == calendar)).all()
            return sorted(found, key=lambda s: s.key)

    def outbox(self, campaign_prefix: str = "") -> list[OutboxMessage]:
        with self.sessions() as session:
            return list(
                session.exec(
                    select(OutboxMessage)
                    .where(col(OutboxMessage.campaign).startswith(campaign_prefix))
                    .order_by(col(OutboxMessage.id))
                )
            )


def recipients(messages: Iterable[OutboxMessage]) -> set[str]:
    return {m.recipient for m in messages}
