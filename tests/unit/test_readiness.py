"""Readiness's checks of the outbox's lag and of the process's role, on a real database
(no worker runs here, so what is due stays due)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.composition import sync_reference_offices
from bot.health.readiness import Health, Role
from models import Lane, ManualClock
from models.chats import Chat, ChatKind
from models.offices import get_office
from models.outbox import enqueue

STAFF_CHAT = "-1001"


def health(database_url: str, clock: ManualClock, **role: object) -> Health:
    checked = Health(database_url, clock, telegram_seconds=60, outbox_lag_seconds=300)
    checked.role = Role(**role)  # type: ignore[arg-type]
    return checked


def waiting(session: Session, clock: ManualClock, chat_id: str, lane: Lane, n: int = 0) -> None:
    enqueue(
        session,
        campaign=f"test:{chat_id}:{n}",
        recipient=chat_id,
        channel="telegram",
        chat_id=chat_id,
        text="halo",
        lane=lane,
        now=clock.now(),
    )
    session.commit()


async def test_the_outbox_is_ready_until_its_oldest_due_message_waits_too_long(
    database_url: str, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with sessions() as session:
        waiting(session, clock, "5001", Lane.BULK)
        waiting(session, clock, "5002", Lane.ANSWER)
    checked = health(database_url, clock)
    try:
        clock.advance(timedelta(seconds=299))
        report = await checked.report()
        assert report.ready, report.as_json()
        assert report.figures is not None
        assert report.figures.outbox[Lane.BULK].due == 1
        assert report.figures.outbox[Lane.ANSWER].pending == 1

        clock.advance(timedelta(seconds=2))
        report = await checked.report()
        assert report.failing == ["outbox"]
        assert "waited 301 s (> 300 s)" in report.as_json()["checks"]["outbox"]["detail"]
    finally:
        checked.close()


async def test_messages_held_for_a_lost_staff_chat_do_not_make_the_desk_unready(
    database_url: str, engine: Engine, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    sync_reference_offices(engine)
    with sessions() as session:
        chat = Chat(
            channel="telegram",
            external_id=STAFF_CHAT,
            kind=ChatKind.GROUP,
            reachable=False,
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        session.add(chat)
        session.flush()
        office = get_office(session, "34.02")
        office.staff_chat_id = chat.id
        session.add(office)
        session.commit()
        waiting(session, clock, STAFF_CHAT, Lane.RELAY)
    checked = health(database_url, clock)
    try:
        clock.advance(timedelta(hours=2))
        report = await checked.report()
        assert report.ready, report.as_json()
        assert report.figures is not None
        assert report.figures.outbox[Lane.RELAY].pending == 1
        assert report.figures.outbox[Lane.RELAY].due == 0
    finally:
        checked.close()


async def test_a_process_that_must_lead_and_does_not_is_not_ready(
    database_url: str, clock: ManualClock
) -> None:
    follower = health(database_url, clock, must_lead=True, is_leader=lambda: False)
    worker = health(database_url, clock, must_lead=False, is_leader=lambda: False)
    try:
        assert (await follower.report()).failing == ["leader"]
        assert (await worker.report()).ready
    finally:
        follower.close()
        worker.close()


async def test_the_database_check_fails_and_creates_nothing_where_the_file_is_missing(
    tmp_path: Path, clock: ManualClock
) -> None:
    missing = tmp_path / "helpdesk.db"
    checked = Health(f"sqlite:///{missing}", clock, telegram_seconds=60, outbox_lag_seconds=300)
    try:
        report = await checked.report()
    finally:
        checked.close()
    assert report.failing == ["database"]
    assert "unable to open database file" in report.as_json()["checks"]["database"]["detail"]
    assert not missing.exists()
