"""The outbox carries what answers need (an edit of our message, a file made for the
person), and a topic whose creation a crash interrupted is settled honestly."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session

from bot.delivery.limits import Limits
from bot.delivery.worker import OutboxWorker
from bot.transports.telegram.answers import AnswerCourier
from bot.transports.telegram.api import BotApi
from models import Lane, ManualClock
from models.outbox import enqueue, find_topic
from tests.e2e.test_outbox_delivery import STAFF, new_topic, staff_group, texts_in
from tests.fake_botapi import FakeBotAPI

LIAISON = 5001


def answering_worker(
    api: BotApi, sessions: Callable[[], Session], clock: ManualClock
) -> OutboxWorker:
    return OutboxWorker(sessions, clock, {"telegram": AnswerCourier(api)}, Limits())


def answer(
    sessions: Callable[[], Session], clock: ManualClock, n: int, text: str, **kw: object
) -> None:
    with sessions() as session:
        enqueue(
            session,
            campaign=f"answer:telegram:{n}",
            recipient="0",
            channel="telegram",
            chat_id=str(LIAISON),
            text=text,
            lane=Lane.ANSWER,
            now=clock.now(),
            **kw,  # type: ignore[arg-type]
        )
        session.commit()


async def test_an_answer_edits_our_message_and_a_file_is_uploaded_from_the_outbox(
    fake_botapi: FakeBotAPI, api: BotApi, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    worker = answering_worker(api, sessions, clock)
    answer(sessions, clock, 1, "<b>Menu</b>", buttons=[[{"label": "FAQ", "payload": "x"}]])
    await worker.run_until_idle(within=20)
    [menu] = fake_botapi.messages(LIAISON)

    answer(sessions, clock, 2, "<b>FAQ</b> dipilih", edit=str(menu["message_id"]))
    answer(
        sessions, clock, 3, "Jadwal Anda", file=("jadwal.ics", "text/calendar", b"BEGIN:VCALENDAR")
    )
    await worker.run_until_idle(within=20)

    messages = fake_botapi.messages(LIAISON)
    assert messages[0]["message_id"] == menu["message_id"]
    assert messages[0]["text"] == "FAQ dipilih"  # edited in place, not sent anew
    [upload] = fake_botapi.calls_to("sendDocument")
    assert upload.status == 200 and upload.params["caption"] == "Jadwal Anda"
    assert texts_in(fake_botapi, LIAISON) == ["FAQ dipilih", "Jadwal Anda"]


async def test_an_edit_of_a_message_that_is_gone_is_sent_as_a_new_message(
    fake_botapi: FakeBotAPI, api: BotApi, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    answer(sessions, clock, 1, "Menu baru", edit="999")
    await answering_worker(api, sessions, clock).run_until_idle(within=20)
    assert texts_in(fake_botapi, LIAISON) == ["Menu baru"]


async def test_a_topic_being_created_at_a_crash_is_made_again_and_the_possible_orphan_counted(
    fake_botapi: FakeBotAPI,
    api: BotApi,
    sessions: Callable[[], Session],
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    staff_group(fake_botapi)
    new_topic(sessions, clock, "ticket:7", "#BTL-0007 · KTA")
    with sessions() as session:  # the state a kill leaves between createForumTopic and its record
        topic = find_topic(session, "ticket:7")
        assert topic is not None
        topic.creating_since = clock.now()
        session.add(topic)
        enqueue(
            session,
            campaign="ticket:7:card",
            recipient="staff",
            channel="telegram",
            chat_id=str(STAFF),
            text="kartu tiket",
            lane=Lane.RELAY,
            now=clock.now(),
            topic="ticket:7",
        )
        session.commit()

    await answering_worker(api, sessions, clock).run_until_idle(within=20)

    assert len(fake_botapi.calls_to("createForumTopic")) == 1
    with sessions() as session:
        topic = find_topic(session, "ticket:7")
        assert topic is not None and topic.thread is not None
        assert topic.creating_since is None and topic.orphans == 1
    assert any(
        "was being created when the process stopped" in r.getMessage() for r in caplog.records
    )
    [card] = [m for m in fake_botapi.messages(STAFF) if m.get("text") == "kartu tiket"]
    assert card["message_thread_id"] == int(topic.thread)


async def test_a_topic_made_normally_leaves_no_intent_behind(
    fake_botapi: FakeBotAPI, api: BotApi, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    staff_group(fake_botapi)
    new_topic(sessions, clock, "ticket:8", "#BTL-0008 · KTA")
    await answering_worker(api, sessions, clock).run_until_idle(within=20)
    with sessions() as session:
        topic = find_topic(session, "ticket:8")
        assert topic is not None and topic.thread is not None
        assert topic.creating_since is None and topic.orphans == 0
