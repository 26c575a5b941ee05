"""The metrics' own rules: one registry per help desk, answer latency from the stored
update to the first answer sent, a bounded memory of answers waiting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import metrics as metrics_module
from bot.metrics import Metrics

STORED = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def sample(metrics: Metrics, name: str, **labels: str) -> float:
    return metrics.registry.get_sample_value(name, labels) or 0.0


def test_two_help_desks_in_one_process_count_apart() -> None:
    first, second = Metrics(), Metrics()
    first.update_handled("telegram", "text")
    assert sample(first, "helpdesk_updates_handled_total", channel="telegram", kind="text") == 1
    assert sample(second, "helpdesk_updates_handled_total", channel="telegram", kind="text") == 0
    assert b"helpdesk_updates_handled_total" in first.exposition()


def test_answer_latency_runs_from_the_stored_update_to_its_first_answer_sent() -> None:
    metrics = Metrics()
    metrics.answer_written("answer:telegram:7", STORED)
    metrics.sent("telegram", "rate_limited", ["answer:telegram:7"], STORED + timedelta(seconds=1))
    metrics.sent("telegram", "sent", ["answer:telegram:7"], STORED + timedelta(seconds=3))
    metrics.sent("telegram", "sent", ["answer:telegram:7"], STORED + timedelta(seconds=4))
    metrics.sent("telegram", "sent", ["ticket:1:msg:1"], STORED + timedelta(seconds=5))
    assert sample(metrics, "helpdesk_answer_latency_seconds_count") == 1
    assert sample(metrics, "helpdesk_answer_latency_seconds_sum") == 3.0
    assert sample(metrics, "helpdesk_sends_total", channel="telegram", outcome="sent") == 3
    assert sample(metrics, "helpdesk_sends_total", channel="telegram", outcome="rate_limited") == 1


def test_answers_waiting_are_remembered_up_to_a_bound_oldest_forgotten_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(metrics_module, "MAX_WAITING", 3)
    metrics = Metrics()
    for n in range(5):
        metrics.answer_written(f"answer:telegram:{n}", STORED)
    later = STORED + timedelta(seconds=1)
    metrics.sent("telegram", "sent", [f"answer:telegram:{n}" for n in range(5)], later)
    assert sample(metrics, "helpdesk_answer_latency_seconds_count") == 3


def test_every_verdict_is_counted_as_an_outcome() -> None:
    from bot.delivery.courier import Verdict
    from bot.metrics import OUTCOMES

    assert set(OUTCOMES) == set(Verdict)
