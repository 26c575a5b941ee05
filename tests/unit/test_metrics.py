"""The metrics' own rules: one registry per help desk, answer latency from the stored
update to the first answer sent, read off the answer's own outbox row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.metrics import Metrics
from models import Lane
from models.outbox import OutboxMessage, outbox_row

STORED = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def sample(metrics: Metrics, name: str, **labels: str) -> float:
    return metrics.registry.get_sample_value(name, labels) or 0.0


def test_two_help_desks_in_one_process_count_apart() -> None:
    first, second = Metrics(), Metrics()
    first.update_handled("telegram", "text")
    assert sample(first, "helpdesk_updates_handled_total", channel="telegram", kind="text") == 1
    assert sample(second, "helpdesk_updates_handled_total", channel="telegram", kind="text") == 0
    assert b"helpdesk_updates_handled_total" in first.exposition()


def row(campaign: str, recipient: str, lane: Lane, origin_at: datetime | None) -> OutboxMessage:
    values = outbox_row(
        campaign=campaign,
        recipient=recipient,
        channel="telegram",
        chat_id="5001",
        text="x",
        lane=lane,
        now=STORED,
        origin_at=origin_at,
    )
    return OutboxMessage(**values)


def test_answer_latency_runs_from_the_stored_update_to_its_first_answer_sent() -> None:
    """Whichever process sends it: the stored time travels on the answer's row."""
    metrics = Metrics()
    first = row("answer:telegram:7", "0", Lane.ANSWER, STORED)
    second = row("answer:telegram:7", "1", Lane.ANSWER, None)
    relay = row("ticket:1:msg:1", "staff", Lane.RELAY, None)
    metrics.sent("telegram", "rate_limited", [first], STORED + timedelta(seconds=1))
    metrics.sent("telegram", "sent", [first], STORED + timedelta(seconds=3))
    metrics.sent("telegram", "sent", [second], STORED + timedelta(seconds=4))
    metrics.sent("telegram", "sent", [relay], STORED + timedelta(seconds=5))
    assert sample(metrics, "helpdesk_answer_latency_seconds_count") == 1
    assert sample(metrics, "helpdesk_answer_latency_seconds_sum") == 3.0
    assert sample(metrics, "helpdesk_sends_total", channel="telegram", outcome="sent") == 3
    assert sample(metrics, "helpdesk_sends_total", channel="telegram", outcome="rate_limited") == 1


def test_every_verdict_is_counted_as_an_outcome() -> None:
    from bot.delivery.courier import Verdict
    from bot.metrics import OUTCOMES

    assert set(OUTCOMES) == set(Verdict)
