"""Reminders and announcements reach liaisons on both apps, once each: on WhatsApp, a
liaison who has not written for 24 hours gets them as approved templates, and the
announcement's report counts what WhatsApp reported delivered and read. A pair-rate
refusal delays a message to that person only; nothing is lost or sent twice."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot import storage
from bot.composition import Container
from handlers.announce.broadcasts import announcement_report, send_announcement
from handlers.signing import Signer
from handlers.texts import Texts
from models import Language, ManualClock, OutboxMessage, OutboxStatus, UnitOfWork, signing_key
from models.broadcast import Announcement, acknowledged_by
from models.people import Person
from models.staff import Liaison, LiaisonVia, Tier
from tests.conftest import START
from tests.e2e.harness import eventually
from tests.e2e.test_reminders_telegram import import_calendar
from tests.e2e.whatsapp_harness import running_both
from tests.fake_botapi import FakeBotAPI
from tests.fake_cloudapi import FakeCloudAPI

pytestmark = pytest.mark.e2e

TELEGRAM_LIAISON = 5101
WHATSAPP_LIAISON = "6281234567890"


def two_liaisons(container: Container) -> None:
    """A liaison of Bantul on each app."""
    now = container.clock.now()
    with UnitOfWork(storage.session_factory(container.engine)) as uow:
        for channel, ident in (("telegram", str(TELEGRAM_LIAISON)), ("whatsapp", WHATSAPP_LIAISON)):
            person = Person(
                channel=channel,
                external_id=ident,
                display_name=f"P{channel}",
                language=Language.ID,
                created_at=now,
                last_seen_at=now,
            )
            uow.session.add(person)
            uow.session.flush()
            assert person.id is not None
            uow.session.add(
                Liaison(
                    person_id=person.id,
                    name=f"L{channel}",
                    party="pkb",
                    tier=Tier.DPC,
                    office_code="34.02",
                    verified=True,
                    via=LiaisonVia.INVITE,
                    created_at=now,
                )
            )
        uow.commit()


async def test_a_reminder_and_an_announcement_reach_both_apps_once_each(
    fake_botapi: FakeBotAPI, fake_cloudapi: FakeCloudAPI, database_url: str, tmp_path: Path
) -> None:
    cloud, telegram = fake_cloudapi, fake_botapi
    clock = ManualClock(START)

    def prepare(container: Container) -> None:
        two_liaisons(container)
        import_calendar(container, tmp_path)

    async with running_both(
        telegram, cloud, database_url, prepare=prepare, clock=clock, scheduler_tick_seconds=0.1
    ) as both:
        clock.advance(timedelta(seconds=60))
        reminder = await cloud.wait_for(lambda s: s.kind == "template")
        assert reminder.body["template"]["name"] == "kpu_helpdesk_reminder"
        (parameter,) = reminder.body["template"]["components"][0]["parameters"]
        assert "Penyerahan perbaikan dokumen" in parameter["text"]
        assert "\n" not in parameter["text"]
        on_telegram = await telegram.wait_for_call("sendMessage")
        assert on_telegram.params["chat_id"] == TELEGRAM_LIAISON

        sessions = storage.session_factory(both.container.engine)
        with UnitOfWork(sessions) as uow:
            announcement = Announcement(
                office_code="34.02",
                text="Rapat koordinasi Jumat pukul 09.00.",
                created_at=clock.now(),
                ack=True,
            )
            uow.session.add(announcement)
            uow.session.flush()
            signer = Signer(signing_key(uow.session))
            sent = send_announcement(
                uow.session, announcement, texts=Texts(), signer=signer, now=clock.now()
            )
            ident = announcement.id
            uow.commit()
        assert sent == 2
        both.telegram.background.worker.wake()  # type: ignore[union-attr]
        announced = await cloud.wait_for(
            lambda s: s.kind == "template" and "Rapat koordinasi" in str(s.body), after=1
        )
        assert announced.body["template"]["name"] == "kpu_helpdesk_announcement"
        assert await eventually(
            lambda: any(
                "Rapat" in c.params.get("text", "") for c in telegram.calls_to("sendMessage")
            )
        )
        assert await cloud.statuses(announced, "sent", "delivered", "read") == 200

        with sessions() as session:
            found = session.get(Announcement, ident)
            assert found is not None
            report = announcement_report(session, found)
        assert (report.total, report.sent, report.delivered, report.read) == (2, 2, 1, 1)
        text = Texts().render(Language.ID, "announce/report", ann=found, office="Bantul", r=report)
        assert "WhatsApp: 1 sampai di ponsel, 1 dibaca" in text

        assert len(cloud.sent) == 2, "once each on WhatsApp"
        assert len(telegram.calls_to("sendMessage")) == 2, "once each on Telegram"

        # The templates keep the messages' buttons as quick replies, and they work.
        for sent_template, count in ((reminder, 2), (announced, 1)):
            quick = [c for c in sent_template.body["template"]["components"][1:]]
            assert [(c["type"], c["sub_type"], c["index"]) for c in quick] == [
                ("button", "quick_reply", str(i)) for i in range(count)
            ]
        await cloud.user_presses(WHATSAPP_LIAISON, announced, 0)  # "I have read this"

        def acknowledged() -> int:
            with sessions() as session:
                return len(acknowledged_by(session, ident or 0))

        assert await eventually(lambda: acknowledged() == 1)
        mark = len(cloud.sent)
        await cloud.user_presses(WHATSAPP_LIAISON, reminder, 1)  # "no more reminders"
        await cloud.wait_for(lambda s: "disenyapkan" in s.text, after=mark)
        assert not any("tidak berlaku" in s.text for s in cloud.sent), "no button refused"


async def test_a_pair_rate_refusal_delays_only_that_person_and_loses_nothing(
    fake_botapi: FakeBotAPI, fake_cloudapi: FakeCloudAPI, database_url: str
) -> None:
    cloud = fake_cloudapi
    async with running_both(fake_botapi, cloud, database_url):
        # Refused twice: this person waits at least 12 s, time enough for the other's
        # answer to be prepared and sent even on a busy machine.
        cloud.fail_next(131056, to=WHATSAPP_LIAISON, times=2)
        await cloud.user_says(WHATSAPP_LIAISON, "halo")
        await cloud.user_says("6289999999999", "halo")
        first = await cloud.wait_for(lambda s: s.to == WHATSAPP_LIAISON, within=30)
        other = await cloud.wait_for(lambda s: s.to == "6289999999999", within=10)
        assert cloud.sent.index(other) < cloud.sent.index(first), "the other was not held up"
        assert cloud.refused == [(WHATSAPP_LIAISON, 131056)] * 2
        texts = [s.text for s in cloud.sent if s.to == WHATSAPP_LIAISON]
        assert len(texts) == len(set(texts)), "nothing sent twice"


async def test_a_broadcast_beyond_the_daily_limit_waits_and_is_reported(
    fake_botapi: FakeBotAPI, fake_cloudapi: FakeCloudAPI, database_url: str
) -> None:
    """With a daily limit of one person written to first, an announcement to two WhatsApp
    liaisons reaches one today; the other waits, said so on its row and in the report."""
    cloud = fake_cloudapi
    second = "6289999999999"

    def prepare(container: Container) -> None:
        two_liaisons(container)
        now = container.clock.now()
        with UnitOfWork(storage.session_factory(container.engine)) as uow:
            person = Person(
                channel="whatsapp", external_id=second, display_name="P2", language=Language.ID,
                created_at=now, last_seen_at=now,
            )  # fmt: skip
            uow.session.add(person)
            uow.session.flush()
            assert person.id is not None
            uow.session.add(
                Liaison(
                    person_id=person.id, name="L2", party="pkb", tier=Tier.DPC,
                    office_code="34.02", verified=True, via=LiaisonVia.INVITE, created_at=now,
                )
            )  # fmt: skip
            uow.commit()

    async with running_both(
        fake_botapi, cloud, database_url, prepare=prepare, whatsapp_daily_tier=1
    ) as both:
        sessions = storage.session_factory(both.container.engine)
        with UnitOfWork(sessions) as uow:
            announcement = Announcement(
                office_code="34.02", text="Rapat koordinasi.", created_at=both.container.clock.now()
            )
            uow.session.add(announcement)
            uow.session.flush()
            signer = Signer(signing_key(uow.session))
            now = both.container.clock.now()
            send_announcement(uow.session, announcement, texts=Texts(), signer=signer, now=now)
            ident = announcement.id
            uow.commit()
        both.telegram.background.worker.wake()  # type: ignore[union-attr]
        await cloud.wait_for(lambda s: s.kind == "template")

        def waiting() -> list[OutboxMessage]:
            with sessions() as session:
                return list(
                    session.exec(
                        select(OutboxMessage).where(
                            OutboxMessage.channel == "whatsapp",
                            col(OutboxMessage.error).contains("daily messaging limit"),
                        )
                    ).all()
                )

        assert await eventually(lambda: len(waiting()) == 1)
        assert waiting()[0].status is OutboxStatus.PENDING

        def report() -> tuple[int, int, int]:
            with sessions() as session:
                found = session.get(Announcement, ident)
                assert found is not None
                r = announcement_report(session, found)
            return r.total, r.sent, r.waiting

        assert await eventually(lambda: report() == (3, 2, 1)), report()
        assert len(cloud.sent) == 1, "one person today"
