"""The outbox worker sends through the real client (each runtime) to the fake Bot API: once per
(campaign, recipient), in order per chat, under the limits, through 429s, blocks, closed
and deleted topics, and a crash."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.delivery.limits import Limits, LimitSettings
from bot.delivery.worker import OutboxWorker
from bot.transports.telegram.api import BotApi
from bot.transports.telegram.courier import TelegramCourier
from models import Lane, ManualClock, OutboxMessage, OutboxStatus
from models.outbox import close_topic, enqueue, find_topic, open_topic
from tests.e2e.harness import api_for, eventually
from tests.fake_botapi import FakeBotAPI, TelegramLimits

STAFF = -1001234


def worker_for(
    api: BotApi,
    sessions: Callable[[], Session],
    clock: ManualClock,
    limits: LimitSettings | None = None,
    unreachable: list[str] | None = None,
) -> OutboxWorker:
    async def on_unreachable(channel: str, chat_id: str, reason: str) -> None:
        if unreachable is not None:
            unreachable.append(chat_id)

    return OutboxWorker(
        sessions,
        clock,
        {"telegram": TelegramCourier(api)},
        Limits(limits),
        on_unreachable=on_unreachable,
    )


def put(
    sessions: Callable[[], Session],
    clock: ManualClock,
    campaign: str,
    chat_id: int,
    text: str,
    **kw: object,
) -> OutboxMessage | None:
    with sessions() as session:
        row = enqueue(
            session,
            campaign=campaign,
            recipient=str(chat_id),
            channel="telegram",
            chat_id=str(chat_id),
            text=text,
            lane=kw.pop("lane", Lane.BULK),  # type: ignore[arg-type]
            now=clock.now(),
            **kw,  # type: ignore[arg-type]
        )
        session.commit()
        return row


def staff_group(fake: FakeBotAPI) -> None:
    """The fake learns the staff chat as a supergroup (topics need one)."""
    fake.push_update(
        fake.message_update(
            chat_id=STAFF, from_id=9001, text="halo", chat_type="supergroup", chat_title="Staf"
        )
    )


def new_topic(sessions: Callable[[], Session], clock: ManualClock, key: str, name: str) -> None:
    with sessions() as session:
        open_topic(
            session, key=key, channel="telegram", chat_id=str(STAFF), name=name, now=clock.now()
        )
        session.commit()


def statuses(sessions: Callable[[], Session]) -> dict[str, OutboxStatus]:
    with sessions() as session:
        rows = session.exec(select(OutboxMessage)).all()
        return {f"{r.campaign}/{r.recipient}": r.status for r in rows}


def texts_in(fake: FakeBotAPI, chat_id: int) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in fake.messages(chat_id)]


async def test_each_recipient_of_a_campaign_gets_the_message_once(
    fake_botapi: FakeBotAPI, api: BotApi, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    for chat_id in (5001, 5002, 5003):
        assert put(sessions, clock, "announce:1", chat_id, "Rapat <b>besok</b>") is not None
        assert put(sessions, clock, "announce:1", chat_id, "Rapat <b>besok</b>") is None

    await worker_for(api, sessions, clock).run_until_idle(within=20)
    await worker_for(api, sessions, clock).run_until_idle(within=20)

    for chat_id in (5001, 5002, 5003):
        assert texts_in(fake_botapi, chat_id) == ["Rapat besok"]
    assert set(statuses(sessions).values()) == {OutboxStatus.SENT}
    with sessions() as session:
        assert all(r.message_id for r in session.exec(select(OutboxMessage)).all())


async def test_messages_to_one_chat_keep_their_order_and_wait_for_their_time(
    fake_botapi: FakeBotAPI, api: BotApi, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    for n in range(4):
        put(sessions, clock, f"relay:{n}", 5001, f"pesan {n}", lane=Lane.RELAY)
    put(sessions, clock, "later", 5001, "nanti", not_before=clock.now() + timedelta(hours=1))

    await worker_for(api, sessions, clock).run_until_idle(within=20)
    assert texts_in(fake_botapi, 5001) == ["pesan 0", "pesan 1", "pesan 2", "pesan 3"]

    clock.advance(timedelta(hours=1))
    await worker_for(api, sessions, clock).run_until_idle(within=20)
    assert texts_in(fake_botapi, 5001)[-1] == "nanti"


async def test_a_message_past_its_expiry_is_skipped_not_sent(
    fake_botapi: FakeBotAPI, api: BotApi, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    put(sessions, clock, "rem:x:PT1H", 5001, "deadline", expires_at=clock.now())
    await worker_for(api, sessions, clock).run_until_idle(within=20)
    assert texts_in(fake_botapi, 5001) == []
    assert statuses(sessions) == {"rem:x:PT1H/5001": OutboxStatus.SKIPPED}


async def test_a_429_is_waited_out_and_the_message_still_goes_once(
    fake_botapi: FakeBotAPI, api: BotApi, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    fake_botapi.fail_next("sendMessage", status=429, retry_after=1)
    put(sessions, clock, "announce:2", 5001, "halo")
    started = time.monotonic()
    await worker_for(api, sessions, clock).run_until_idle(within=20)
    assert time.monotonic() - started >= 0.9
    assert texts_in(fake_botapi, 5001) == ["halo"]


async def test_a_blocked_chat_is_marked_unreachable_and_its_queue_stops(
    fake_botapi: FakeBotAPI, api: BotApi, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    fake_botapi.block(5002)
    put(sessions, clock, "a:1", 5002, "satu")
    put(sessions, clock, "a:2", 5002, "dua")
    put(sessions, clock, "a:1", 5001, "satu")
    gone: list[str] = []
    await worker_for(api, sessions, clock, unreachable=gone).run_until_idle(within=20)
    assert gone == ["5002"]
    assert statuses(sessions) == {
        "a:1/5002": OutboxStatus.UNREACHABLE,
        "a:2/5002": OutboxStatus.UNREACHABLE,
        "a:1/5001": OutboxStatus.SENT,
    }


async def test_a_crash_while_sending_never_sends_that_message_twice(
    fake_botapi: FakeBotAPI, api: BotApi, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    put(sessions, clock, "b:1", 5001, "mungkin terkirim")
    put(sessions, clock, "b:1", 5002, "belum dikirim")
    with sessions() as session:  # the state a kill -9 leaves between steps 2 and 4
        row = session.exec(select(OutboxMessage).where(OutboxMessage.recipient == "5001")).one()
        row.status = OutboxStatus.SENDING
        session.add(row)
        session.commit()

    await worker_for(api, sessions, clock).run_until_idle(within=20)

    assert texts_in(fake_botapi, 5001) == []
    assert texts_in(fake_botapi, 5002) == ["belum dikirim"]
    assert statuses(sessions)["b:1/5001"] is OutboxStatus.UNCERTAIN


async def test_two_messages_for_a_new_topic_make_one_topic_and_arrive_in_it(
    fake_botapi: FakeBotAPI, api: BotApi, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    staff_group(fake_botapi)
    with sessions() as session:
        for n in range(2):  # two events racing: each asks for the topic
            open_topic(
                session,
                key="ticket:1",
                channel="telegram",
                chat_id=str(STAFF),
                name="#BTL-0001 · PKB · Kab. Bantul · KTA",
                now=clock.now(),
            )
            enqueue(
                session,
                campaign=f"ticket:1:msg:{n}",
                recipient="staff",
                channel="telegram",
                chat_id=str(STAFF),
                text=f"pesan {n}",
                lane=Lane.RELAY,
                now=clock.now(),
                topic="ticket:1",
            )
        session.commit()

    await worker_for(api, sessions, clock).run_until_idle(within=20)

    assert len(fake_botapi.calls_to("createForumTopic")) == 1
    with sessions() as session:
        topic = find_topic(session, "ticket:1")
        assert topic is not None and topic.thread is not None
    sent = [m for m in fake_botapi.messages(STAFF) if m.get("text", "").startswith("pesan")]
    assert [m["text"] for m in sent] == ["pesan 0", "pesan 1"]
    assert {m.get("message_thread_id") for m in sent} == {int(topic.thread)}


async def test_a_deleted_topic_is_made_again_and_the_message_arrives_there(
    fake_botapi: FakeBotAPI, api: BotApi, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    staff_group(fake_botapi)
    new_topic(sessions, clock, "ticket:2", "#2")
    await worker_for(api, sessions, clock).run_until_idle(within=20)
    with sessions() as session:
        first = find_topic(session, "ticket:2")
        assert first is not None and first.thread is not None
    fake_botapi.delete_topic(STAFF, int(first.thread))  # by hand, in Telegram

    put(sessions, clock, "ticket:2:msg:1", STAFF, "setelah dihapus", topic="ticket:2")
    await worker_for(api, sessions, clock).run_until_idle(within=20)

    with sessions() as session:
        again = find_topic(session, "ticket:2")
        assert again is not None and again.thread not in (None, first.thread)
        assert again.recreated == 1
    sent = [m for m in fake_botapi.messages(STAFF) if m.get("text") == "setelah dihapus"]
    assert [m.get("message_thread_id") for m in sent] == [int(again.thread or 0)]


async def test_a_message_for_a_closed_topic_reopens_it_and_closes_it_again(
    fake_botapi: FakeBotAPI, api: BotApi, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    staff_group(fake_botapi)
    new_topic(sessions, clock, "ticket:3", "#3")
    await worker_for(api, sessions, clock).run_until_idle(within=20)
    with sessions() as session:
        close_topic(session, "ticket:3", clock.now())
        session.commit()
    await worker_for(api, sessions, clock).run_until_idle(within=20)
    assert len(fake_botapi.calls_to("closeForumTopic")) == 1

    put(sessions, clock, "ticket:3:note", STAFF, "catatan akhir", topic="ticket:3")
    await worker_for(api, sessions, clock).run_until_idle(within=20)

    assert len(fake_botapi.calls_to("reopenForumTopic")) == 1
    assert len(fake_botapi.calls_to("closeForumTopic")) == 2
    assert "catatan akhir" in texts_in(fake_botapi, STAFF)


@pytest.mark.parametrize("burst", [12])
async def test_a_burst_into_a_group_short_of_budget_is_combined_never_dropped(
    burst: int, api: BotApi, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    limits = TelegramLimits(group_per_minute=5)
    async with FakeBotAPI(limits=limits) as fake:
        limited = api_for(fake)
        try:
            fake.push_update(
                fake.message_update(
                    chat_id=STAFF, from_id=9001, text="x", chat_type="supergroup", chat_title="S"
                )
            )
            for n in range(burst):
                put(sessions, clock, f"t:{n}", STAFF, f"baris {n}", lane=Lane.RELAY, combine=True)
            worker = worker_for(limited, sessions, clock, LimitSettings(group_per_minute=5))
            await worker.run_until_idle(within=20)
        finally:
            await limited.close()
        assert not fake.violations
        delivered = "\n\n".join(texts_in(fake, STAFF))
        assert [f"baris {n}" in delivered for n in range(burst)] == [True] * burst
        assert len(fake.messages(STAFF)) <= 5
        assert fake.stats.too_many_requests == 0


async def test_answers_do_not_wait_behind_a_broadcast(
    api: BotApi, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    limits = Limits(LimitSettings(per_second=10, reserve=2))
    worker = OutboxWorker(sessions, clock, {"telegram": TelegramCourier(api)}, limits)
    for chat_id in range(7000, 7030):
        put(sessions, clock, "bulk", chat_id, "pengumuman")

    async def answer() -> float:
        await asyncio.sleep(0.5)
        started = time.monotonic()
        await limits.take("5001", private=True, interactive=True)
        return time.monotonic() - started

    waited, _ = await asyncio.gather(answer(), worker.run_until_idle(within=20))
    assert waited < 0.15


async def test_a_broadcast_with_answers_meets_no_429_where_thirty_a_second_is_strict(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    """Telegram's "30 a second" read strictly (no more than 30 in ANY one second), with a
    group's twenty a minute: the fake refuses whatever goes over, and nothing may."""
    async with FakeBotAPI(limits=TelegramLimits(strict=True)) as fake:
        strict = api_for(fake)
        try:
            staff_group(fake)
            for n in range(24):
                put(sessions, clock, f"relay:{n}", STAFF, f"relay {n}", lane=Lane.RELAY)
            for chat_id in range(20_000, 20_130):
                put(sessions, clock, "announce:strict", chat_id, "pengumuman")
            for chat_id in range(30_000, 30_030):
                put(sessions, clock, f"answer:{chat_id}", chat_id, "jawaban", lane=Lane.ANSWER)
            worker = worker_for(strict, sessions, clock)
            stopping = asyncio.Event()
            started = time.monotonic()
            running = asyncio.create_task(worker.run(stopping))
            privates = [*range(20_000, 20_130), *range(30_000, 30_030)]
            assert await eventually(
                lambda: (
                    all(fake.stats.delivered[c] for c in privates)
                    and fake.stats.delivered[STAFF] >= 20
                ),
                within=30,
            )
            took = time.monotonic() - started
            await asyncio.sleep(1.0)  # the group's twenty-first must wait out its minute
            stopping.set()
            await asyncio.wait_for(running, timeout=15)
        finally:
            await strict.close()
        assert fake.stats.too_many_requests == 0
        assert not fake.violations
        assert all(fake.stats.delivered[c] == 1 for c in range(20_000, 20_130))
        assert all(fake.stats.delivered[c] == 1 for c in range(30_000, 30_030))
        assert fake.stats.delivered[STAFF] == 20, "twenty a minute; the rest wait their minute"
        assert took < 15, f"160 private sends at 30 a second took {took:.1f} s"
