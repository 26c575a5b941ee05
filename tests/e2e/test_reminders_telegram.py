"""A deadline reminder end to end: a stage imported with a deadline two minutes ahead and
a one-minute reminder reaches the right chats only, through the scheduler's tick, the
outbox worker, the real aiogram client and a fake Bot API that applies Telegram's limits.
The help desk runs on a controlled clock; the test moves it past the reminder's time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from sqlmodel import Session

from bot import storage
from bot.composition import Container
from handlers.signing import Signer
from knowledge.content.calendar import load_calendar
from models import ChatKind, ManualClock, UnitOfWork, signing_key
from models.broadcast import register_group
from models.chats import Chat
from models.people import Language, Person
from models.staff import Liaison, LiaisonVia, Tier
from models.stages import import_stages, set_muted
from tests.conftest import START
from tests.e2e.harness import eventually, running_bot
from tests.fake_botapi import FakeBotAPI, TelegramLimits

pytestmark = pytest.mark.e2e

BANTUL_LIAISON, MUTED_LIAISON, MAKASSAR_LIAISON = 5101, 5102, 5103
BANTUL_GROUP, MAKASSAR_GROUP, STRANGER = -1005201, -1005202, 5104

CALENDAR = """
calendar:
  id: e2e
  name: {id: "Uji", en: "Test"}
  sources:
    - {kind: regulation, title: "PKPU Nomor 4 Tahun 2022"}
stages:
  - id: e2e-perbaikan
    name: {id: "Penyerahan perbaikan dokumen", en: "Handing in corrections"}
    todo: {id: "Serahkan dokumen perbaikan.", en: "Hand in the corrections."}
    starts_at: "-P1D"
    ends_at: "+PT2M"
    office: "34"
    faq: [daftar-batas-waktu]
    reminders: [PT1M]
"""


@pytest_asyncio.fixture
async def limited_fake() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(limits=TelegramLimits()) as fake:
        yield fake
    assert not fake.violations


def people_and_groups(container: Container) -> None:
    """Liaisons in Bantul (one muted) and Makassar, groups in both, and a stranger."""
    sessions: Callable[[], Session] = storage.session_factory(container.engine)
    now = container.clock.now()
    with UnitOfWork(sessions) as uow:
        session = uow.session
        for ident, office in (
            (BANTUL_LIAISON, "34.02"),
            (MUTED_LIAISON, "34.02"),
            (MAKASSAR_LIAISON, "73.71"),
            (STRANGER, None),
        ):
            person = Person(
                channel="telegram",
                external_id=str(ident),
                display_name=f"P{ident}",
                language=Language.ID,
                created_at=now,
                last_seen_at=now,
            )
            session.add(person)
            session.flush()
            assert person.id is not None
            if office is not None:
                session.add(
                    Liaison(
                        person_id=person.id,
                        name=f"L{ident}",
                        party="pkb",
                        tier=Tier.DPC,
                        office_code=office,
                        verified=True,
                        via=LiaisonVia.INVITE,
                        created_at=now,
                    )
                )
            if ident == MUTED_LIAISON:
                set_muted(session, person.id, True, now)
        for ident, office in ((BANTUL_GROUP, "34.02"), (MAKASSAR_GROUP, "73.71")):
            chat = Chat(
                channel="telegram",
                external_id=str(ident),
                kind=ChatKind.GROUP,
                title=f"Grup {office}",
                created_at=now,
                updated_at=now,
            )
            session.add(chat)
            session.flush()
            assert chat.id is not None
            register_group(session, chat_id=chat.id, office_code=office, person_id=None, now=now)
        uow.commit()


def import_calendar(container: Container, tmp_path: Path) -> None:
    path = tmp_path / "e2e.yaml"
    path.write_text(CALENDAR, encoding="utf-8")
    calendar = load_calendar(path, container.clock.now())
    with UnitOfWork(storage.session_factory(container.engine)) as uow:
        import_stages(uow.session, calendar.id, calendar.stages, container.clock.now())
        uow.commit()


async def test_a_stage_two_minutes_ahead_with_a_one_minute_reminder_reaches_the_right_chats(
    limited_fake: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    clock = ManualClock(START)

    def prepare(container: Container) -> None:
        people_and_groups(container)
        import_calendar(container, tmp_path)

    async with running_bot(
        limited_fake, database_url, prepare=prepare, clock=clock, scheduler_tick_seconds=0.1
    ) as running:
        assert any("reminder" in job.name for job in running.container.jobs), (
            "run_due_reminders is registered as a scheduler job"
        )

        def sent_to() -> set[int]:
            return {int(c.params["chat_id"]) for c in limited_fake.calls_to("sendMessage")}

        assert not await eventually(lambda: bool(sent_to()), within=0.5), "nothing before 1 min"
        clock.advance(timedelta(seconds=60))
        wanted = {BANTUL_LIAISON, BANTUL_GROUP}
        assert await eventually(lambda: sent_to() >= wanted, within=5.0)
        assert not await eventually(lambda: sent_to() != wanted, within=1.0), "right chats only"

        calls = {int(c.params["chat_id"]): c for c in limited_fake.calls_to("sendMessage")}
        text = calls[BANTUL_LIAISON].params["text"]
        assert "Penyerahan perbaikan dokumen" in text and "1 menit lagi" in text
        assert "Senin, 23 November 2026 pukul 09.02 WIB" in text
        with running.session() as session:
            signer = Signer(signing_key(session))
        markup = calls[BANTUL_LIAISON].params["reply_markup"]["inline_keyboard"]
        payload = markup[0][0]["callback_data"]
        assert signer.verify(str(BANTUL_LIAISON), payload) == "faq:e:daftar-batas-waktu"
        assert len(limited_fake.calls_to("sendMessage")) == 2, "each once"
