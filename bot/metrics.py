"""The help desk's Prometheus metrics: what is counted where it happens, and what is read
from the database when ``/metrics`` is scraped.

prometheus_client is the reference Python client of Prometheus and writes its text
exposition format, which every Prometheus-compatible scraper reads. Each
:class:`Metrics` has a registry of its own (not the library's global one), so several help
desks in one process (tests) never mix their counts.

Counted where the events happen: the inbox counts updates handled (``bot.inbox``), the
outbox worker counts sends by outcome and observes answer latency (``bot.delivery``), a
transport counts the app's 429s. Handlers and models know nothing of it.

Answer latency runs from the moment an update was stored to the moment the first answer
to it was accepted by the app. The stored time travels on the answer's outbox row
(``origin_at``), so the process that sends it observes it, whichever process handled the
update.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from bot.delivery.courier import Delivery, Verdict
from models.outbox import OutboxMessage

LATENCY_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0)
# How a send's verdict is counted; a RETRY with the app's own wait is a 429.
OUTCOMES = {
    Verdict.SENT: "sent",
    Verdict.RETRY: "retried",  # network trouble, a 5xx
    Verdict.UNREACHABLE: "refused",  # blocked, kicked, chat gone
    Verdict.FAILED: "failed",  # refused for good
    Verdict.UNCERTAIN: "uncertain",
    Verdict.TOPIC_GONE: "retried",  # sent again once the topic is back
    Verdict.TOPIC_CLOSED: "retried",
    Verdict.HELD: "held",  # WhatsApp's 24-hour window is closed: sent when it opens
}


class Metrics:
    """One help desk's instruments, on a registry of its own."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.updates = Counter(
            "helpdesk_updates_handled",
            "Updates handled, by app and kind (text, button, attachment, membership, other, "
            "failed: given up after its attempts).",
            ["channel", "kind"],
            registry=self.registry,
        )
        self.answer_latency = Histogram(
            "helpdesk_answer_latency_seconds",
            "From an update stored to the first answer to it accepted by the app.",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.sends = Counter(
            "helpdesk_sends",
            "Outbox sends by outcome: sent, retried (network, 5xx, topic), rate_limited "
            "(429), refused (blocked, chat gone), failed (refused for good), uncertain.",
            ["channel", "outcome"],
            registry=self.registry,
        )
        self.rate_limits = Counter(
            "helpdesk_rate_limited",
            "429 Too Many Requests answered by the app, for any call.",
            ["channel"],
            registry=self.registry,
        )

    # -- counted where it happens -----------------------------------------------------------

    def update_handled(self, channel: str, kind: str) -> None:
        self.updates.labels(channel=channel, kind=kind).inc()

    def sent(
        self, channel: str, outcome: str, rows: Iterable[OutboxMessage], now: datetime
    ) -> None:
        """An outbox send of ``rows`` ended with ``outcome``; for ``sent``, each first
        answer to an update (the row that carries ``origin_at``) gives the answer latency."""
        self.sends.labels(channel=channel, outcome=outcome).inc()
        if outcome != "sent":
            return
        for row in rows:
            if row.origin_at is not None:
                self.answer_latency.observe(max((now - row.origin_at).total_seconds(), 0.0))

    def delivered(
        self, channel: str, delivery: Delivery, rows: Iterable[OutboxMessage], now: datetime
    ) -> None:
        """The app's answer to an outbox send of ``rows`` (several when combined)."""
        outcome = OUTCOMES[delivery.verdict]
        if delivery.verdict is Verdict.RETRY and delivery.wait > 0 and not delivery.pause_all:
            outcome = "rate_limited"
        self.sent(channel, outcome, rows, now)

    def rate_limited(self, channel: str) -> None:
        self.rate_limits.labels(channel=channel).inc()

    # -- read at scrape time ----------------------------------------------------------------

    def watch(self, collector: Collector) -> None:
        """Adds figures read when scraped (the database's gauges)."""
        self.registry.register(collector)

    def exposition(self) -> bytes:
        """Everything, in Prometheus's text format."""
        return generate_latest(self.registry)
