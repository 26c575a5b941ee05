"""A crash between handing a message to WhatsApp and hearing back: WhatsApp's statuses
name the outbox row, so a message it took is recorded sent when its status arrives after
the restart, and one it never took is sent again; none twice, none lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot import storage
from models import Lane, ManualClock, OutboxMessage, OutboxStatus, UnitOfWork
from models.outbox import enqueue
from tests.conftest import START
from tests.e2e.harness import eventually
from tests.e2e.whatsapp_harness import running_both
from tests.fake_botapi import FakeBotAPI
from tests.fake_cloudapi import FakeCloudAPI, Sent

pytestmark = pytest.mark.e2e

TAKEN, NEVER_TAKEN = "6281111111111", "6282222222222"


async def test_messages_left_uncertain_are_settled_by_whatsapps_statuses(
    fake_botapi: FakeBotAPI, fake_cloudapi: FakeCloudAPI, database_url: str
) -> None:
    cloud = fake_cloudapi
    clock = ManualClock(START)
    async with running_both(fake_botapi, cloud, database_url, clock=clock) as both:
        sessions = storage.session_factory(both.container.engine)
        ids = {}
        with UnitOfWork(sessions) as uow:
            for chat in (TAKEN, NEVER_TAKEN):
                row = enqueue(
                    uow.session, campaign="ann:1:m", recipient=chat, channel="whatsapp",
                    chat_id=chat, text="Pengumuman", lane=Lane.BULK, now=clock.now(),
                )  # fmt: skip
                assert row is not None
                row.status, row.sending_at, row.attempts = OutboxStatus.UNCERTAIN, clock.now(), 1
                uow.session.add(row)
                uow.session.flush()
                ids[chat] = row.id
            uow.commit()

        taken = Sent(TAKEN, {"biz_opaque_callback_data": f"outbox:{ids[TAKEN]}"}, "wamid.LOST1")
        assert await cloud.statuses(taken, "sent", "delivered") == 200

        def status_of(chat: str) -> OutboxMessage:
            with sessions() as session:
                return session.exec(
                    select(OutboxMessage).where(OutboxMessage.id == ids[chat])
                ).one()

        row = status_of(TAKEN)
        assert (row.status, row.message_id) == (OutboxStatus.SENT, "wamid.LOST1")
        assert row.delivered_at is not None
        assert not await eventually(
            lambda: status_of(NEVER_TAKEN).status is not OutboxStatus.UNCERTAIN, within=0.5
        ), "not before the grace"

        clock.advance(timedelta(minutes=3))
        assert await eventually(lambda: status_of(NEVER_TAKEN).status is OutboxStatus.SENT)
        assert [s.to for s in cloud.sent] == [NEVER_TAKEN], "the taken one is not sent twice"
