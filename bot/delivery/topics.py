"""Forum topics of staff chats, made, opened and closed through the app for the outbox
worker: each change takes from the overall budget like a message; a refusal is recorded
on the topic (tried again after the worker's ``TOPIC_RETRY``), a 429 or an app that does
not answer pauses the shared limits, an unreachable chat is reported.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.delivery.courier import Courier, Delivery, Verdict
from bot.delivery.limits import Limits
from bot.delivery.store import OutboxStore
from models import Clock
from models.outbox import Topic, TopicState

if TYPE_CHECKING:
    from bot.delivery.stats import WorkerStats

log = logging.getLogger(__name__)

Unreachable = Callable[[str, str, str], Awaitable[None]]  # channel, chat id, reason


class TopicSettler:
    def __init__(
        self,
        store: OutboxStore,
        clock: Clock,
        limits: Limits,
        stats: WorkerStats,
        on_unreachable: Unreachable | None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._limits = limits
        self._stats = stats
        self._on_unreachable = on_unreachable

    async def settle(self, courier: Courier, topic: Topic, target: TopicState) -> None:
        """Makes the topic, or opens or closes it, as ``target`` says."""
        assert topic.id is not None
        await self._limits.take_overall(interactive=False)
        now = self._clock.now()
        if topic.thread is None:
            # The job may have been planned from a read taken before another sender
            # recorded this topic: look again, or the ticket gets a second topic. The
            # intent is committed before the call, so a crash in between is known at start.
            fresh = (await asyncio.to_thread(self._store.topics, {topic.key})).get(topic.key)
            if fresh is None or fresh.thread is not None:
                return
            await asyncio.to_thread(self._store.topic_creating, topic.id, now)
            delivery = await courier.create_topic(topic.chat_id, topic.name)
            if delivery.verdict is Verdict.SENT and delivery.ref:
                await asyncio.to_thread(self._store.topic_made, topic.id, delivery.ref, now)
                self._stats.topics_made += 1
                if target is TopicState.CLOSED:
                    await self._set_closed(courier, topic, delivery.ref, True)
                return
        else:
            delivery = await self._set_closed(
                courier, topic, topic.thread, target is TopicState.CLOSED
            )
            if delivery.verdict in (Verdict.SENT, Verdict.FAILED):
                return
        await self._topic_failure(topic, delivery)

    async def _set_closed(
        self, courier: Courier, topic: Topic, thread: str, closed: bool
    ) -> Delivery:
        assert topic.id is not None
        delivery = await courier.set_topic_closed(topic.chat_id, thread, closed)
        now = self._clock.now()
        state = TopicState.CLOSED if closed else TopicState.OPEN
        if delivery.verdict is Verdict.SENT:
            await asyncio.to_thread(self._store.topic_state, topic.id, state, now)
        elif delivery.verdict is Verdict.TOPIC_GONE:
            await asyncio.to_thread(self._store.topic_gone, topic.id, now)
        elif delivery.verdict is Verdict.FAILED:
            # e.g. TOPIC_NOT_MODIFIED: the app already has it so.
            log.info("topic %s: %s", topic.key, delivery.error)
            await asyncio.to_thread(self._store.topic_state, topic.id, state, now)
        return delivery

    async def _topic_failure(self, topic: Topic, delivery: Delivery) -> None:
        assert topic.id is not None
        now = self._clock.now()
        if delivery.verdict is Verdict.RETRY:
            self._limits.retry_after(
                None if delivery.pause_all else topic.chat_id, delivery.wait or 5.0
            )
        elif delivery.verdict is Verdict.UNREACHABLE and self._on_unreachable is not None:
            await self._on_unreachable(topic.channel, topic.chat_id, delivery.error)
        log.warning(
            "topic %s could not be settled: %s %s", topic.key, delivery.verdict, delivery.error
        )
        await asyncio.to_thread(
            functools.partial(
                self._store.topic_error,
                topic.id,
                delivery.error or delivery.verdict,
                now,
                maybe_made=delivery.verdict is Verdict.UNCERTAIN,
            )
        )
