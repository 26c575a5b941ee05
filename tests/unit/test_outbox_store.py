"""The outbox worker's claims: all of a combined batch or none of it."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from bot.delivery.store import OutboxStore
from models import Lane, ManualClock, OutboxMessage, OutboxStatus
from models.outbox import enqueue


def test_a_batch_with_one_message_changed_meanwhile_is_not_claimed_at_all(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with sessions() as session:
        rows = [
            enqueue(
                session,
                campaign=f"ticket:1:msg:{n}",
                recipient="staff",
                channel="telegram",
                chat_id="-100",
                text=f"pesan {n}",
                lane=Lane.RELAY,
                now=clock.now(),
                combine=True,
            )
            for n in range(2)
        ]
        session.commit()
        ids = [r.id for r in rows if r is not None and r.id is not None]
        skipped = session.get(OutboxMessage, ids[1])
        assert skipped is not None
        skipped.status = OutboxStatus.SKIPPED
        session.add(skipped)
        session.commit()

    assert OutboxStore(sessions).mark_sending(ids, clock.now()) is False

    with sessions() as session:
        first = session.get(OutboxMessage, ids[0])
        assert first is not None and first.status is OutboxStatus.PENDING, "free to go again"
        assert first.attempts == 0
