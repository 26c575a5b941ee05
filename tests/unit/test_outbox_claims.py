"""Claims and "sent" records of several sends in one commit: each send is claimed whole or
not at all, and senders asking at the same moment share one write."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from sqlmodel import Session

from bot.delivery.batching import GroupCommit
from bot.delivery.store import OutboxStore
from models import Lane, ManualClock, OutboxMessage, OutboxStatus
from models.outbox import enqueue


def messages(sessions: Callable[[], Session], clock: ManualClock, count: int) -> list[int]:
    with sessions() as session:
        rows = [
            enqueue(
                session,
                campaign=f"answer:telegram:{n}",
                recipient="0",
                channel="telegram",
                chat_id=str(5000 + n),
                text=f"jawaban {n}",
                lane=Lane.ANSWER,
                now=clock.now(),
            )
            for n in range(count)
        ]
        session.commit()
        return [r.id for r in rows if r is not None and r.id is not None]


def statuses(sessions: Callable[[], Session], ids: list[int]) -> list[OutboxStatus]:
    with sessions() as session:
        found = [session.get(OutboxMessage, i) for i in ids]
        return [m.status for m in found if m is not None]


def test_sends_are_claimed_together_each_whole_or_not_at_all(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    ids = messages(sessions, clock, 4)
    with sessions() as session:
        cancelled = session.get(OutboxMessage, ids[3])
        assert cancelled is not None
        cancelled.status = OutboxStatus.SKIPPED
        session.add(cancelled)
        session.commit()
    store = OutboxStore(sessions)

    claimed = store.claim([[ids[0]], [ids[1]], [ids[2], ids[3]]], clock.now())

    assert claimed == [True, True, False]
    assert statuses(sessions, ids) == [
        OutboxStatus.SENDING,
        OutboxStatus.SENDING,
        OutboxStatus.PENDING,  # free to go again, alone
        OutboxStatus.SKIPPED,
    ]
    store.record_sent([([ids[0]], "11"), ([ids[1]], "12")], clock.now())
    with sessions() as session:
        sent = [session.get(OutboxMessage, i) for i in ids[:2]]
        assert [(m.status, m.message_id) for m in sent if m is not None] == [
            (OutboxStatus.SENT, "11"),
            (OutboxStatus.SENT, "12"),
        ]


async def test_requests_made_while_a_write_is_under_way_share_the_next_one() -> None:
    writes: list[list[int]] = []

    def write(requests: Sequence[int]) -> list[int]:
        writes.append(list(requests))
        return [r * 10 for r in requests]

    group: GroupCommit[int, int] = GroupCommit(write)
    results = await asyncio.gather(*(group(n) for n in range(1, 6)))

    assert results == [10, 20, 30, 40, 50]
    assert writes == [[1, 2, 3, 4, 5]]  # asked in the same instant: one write
