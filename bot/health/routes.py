"""The health routes of the help desk's HTTP server (bot/http/server.py):

- ``GET /readyz``: 200 when ready, 503 otherwise; JSON naming the failing checks;
- ``GET /metrics``: Prometheus's text format; the database's figures are read at scrape
  time (bounded like readiness's), and ``helpdesk_database_up`` says whether they could be.

``GET /healthz`` (liveness) is the server's own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.health.figures import DatabaseTrouble, DeskFigures
from bot.health.readiness import Health
from bot.metrics import Metrics

log = logging.getLogger(__name__)


class DatabaseFigures:
    """A Prometheus collector of the figures last read from the database."""

    def __init__(self, health: Health) -> None:
        self.figures: DeskFigures | None = None
        self._health = health

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "helpdesk_database_up", "1 when the database answered this scrape, else 0."
        )
        up.add_metric([], 1.0 if self.figures is not None else 0.0)
        yield up
        figures = self.figures
        if figures is None:
            return
        depth = GaugeMetricFamily(
            "helpdesk_outbox_depth", "Outbox messages waiting to be sent, by lane.", labels=["lane"]
        )
        due = GaugeMetricFamily(
            "helpdesk_outbox_due", "Of those, the ones due now, by lane.", labels=["lane"]
        )
        age = GaugeMetricFamily(
            "helpdesk_outbox_oldest_due_age_seconds",
            "How long the oldest due message has waited, by lane (0: none due).",
            labels=["lane"],
        )
        for lane, backlog in figures.outbox.items():
            name = lane.name.lower()
            depth.add_metric([name], backlog.pending)
            due.add_metric([name], backlog.due)
            age.add_metric([name], figures.lane_age(lane))
        yield from (depth, due, age)
        tickets = GaugeMetricFamily(
            "helpdesk_open_tickets", "Open tickets, by status.", labels=["status"]
        )
        for status, count in figures.open_tickets.items():
            tickets.add_metric([status], count)
        yield tickets
        breaches = CounterMetricFamily(
            "helpdesk_sla_breaches",
            "Service-level breaches recorded (ping: claim time missed; escalate: answer "
            "time missed), by kind.",
            labels=["kind"],
        )
        for kind, count in figures.sla_breaches.items():
            breaches.add_metric([kind], count)
        yield breaches
        contacts = GaugeMetricFamily(
            "helpdesk_app_silent_seconds",
            "Seconds since the app last answered this process, by app (-1: never).",
            labels=["channel"],
        )
        for channel, contact in sorted(self._health.contacts.items()):
            silent = contact.silent_for()
            contacts.add_metric([channel], -1.0 if silent is None else silent)
        yield contacts


def health_routes(health: Health, metrics: Metrics) -> list[Route]:
    collector = DatabaseFigures(health)
    metrics.watch(collector)

    async def ready(_request: Request) -> Response:
        report = await health.report()
        return JSONResponse(report.as_json(), status_code=200 if report.ready else 503)

    async def scrape(_request: Request) -> Response:
        try:
            collector.figures = await health.figures()
        except DatabaseTrouble as exc:
            log.warning("metrics: the database's figures could not be read (%s)", exc)
            collector.figures = None
        return Response(metrics.exposition(), media_type=metrics.content_type)

    return [
        Route("/readyz", ready, methods=["GET"]),
        Route("/metrics", scrape, methods=["GET"]),
    ]
