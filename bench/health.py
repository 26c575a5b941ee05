"""What health costs: reading the database's figures (what ``/readyz``, ``/metrics`` and
``helpdesk status`` read) on a desk in the middle of a national announcement, and the
counting each update and each send does on the hot path.

The database (SQLite): 200,000 sent outbox messages (history), 5,000 pending bulk
messages (an announcement under way), 20 pending answers, 50,000 tickets of which one in
ten is open, 5,000 service-level marks.

    .venv/bin/python bench/health.py [--sent 200000] [--pending 5000] [--tickets 50000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

from bot import storage  # noqa: E402
from bot.health.readiness import Health  # noqa: E402
from bot.metrics import Metrics  # noqa: E402
from models import Lane, ManualClock, OutboxStatus  # noqa: E402
from models.tickets import TicketStatus  # noqa: E402

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _insert(engine: sa.Engine, table: str, rows: list[dict[str, Any]]) -> None:
    target = SQLModel.metadata.tables[table]
    with engine.begin() as connection:
        for i in range(0, len(rows), 5000):
            connection.execute(sa.insert(target), rows[i : i + 5000])


def _outbox(n: int, status: OutboxStatus, lane: Lane, age: timedelta) -> list[dict[str, Any]]:
    at = NOW - age
    return [
        {
            "campaign": f"{status.value}:{lane.name}:{i // 1000}",
            "recipient": str(i),
            "channel": "telegram",
            "chat_id": str(100_000 + i),
            "lane": int(lane),
            "text": "Pengumuman KPU: tahapan verifikasi administrasi dimulai besok.",
            "buttons": "",
            "combine": False,
            "status": status.value,
            "attempts": 1 if status is OutboxStatus.SENT else 0,
            "not_before": at,
            "created_at": at,
        }
        for i in range(n)
    ]


def _tickets(n: int) -> list[dict[str, Any]]:
    statuses = [TicketStatus.CLOSED] * 9 + [TicketStatus.NEW]
    at = NOW - timedelta(days=3)
    return [
        {
            "number": f"T{i:07d}",
            "office_code": "RI",
            "origin_office_code": "RI",
            "liaison_id": 1,
            "subject": "Pertanyaan",
            "question": "",
            "source": "command",
            "suggested": "",
            "status": statuses[i % 10].value,
            "opened_at": at,
            "sla_from": at,
            "last_activity_at": at,
            "escalations": 0,
        }
        for i in range(n)
    ]


def build(path: Path, sent: int, pending: int, tickets: int) -> str:
    url = f"sqlite:///{path}"
    engine = storage.make_engine(url)
    storage.upgrade(engine)
    engine.dispose()
    plain = sa.create_engine(url)  # no foreign keys: the tickets' liaisons are not made
    _insert(plain, "outbox_message", _outbox(sent, OutboxStatus.SENT, Lane.BULK, timedelta(1)))
    bulk = _outbox(pending, OutboxStatus.PENDING, Lane.BULK, timedelta(minutes=2))
    for row in bulk:
        row["campaign"] = "announcement:now"
    _insert(plain, "outbox_message", bulk)
    answers = _outbox(20, OutboxStatus.PENDING, Lane.ANSWER, timedelta(seconds=1))
    for row in answers:
        row["campaign"] = f"answer:telegram:{row['recipient']}"
    _insert(plain, "outbox_message", answers)
    _insert(plain, "ticket", _tickets(tickets))
    marks = [
        {
            "ticket_id": i + 1,
            "office_code": "RI",
            "kind": ("ping", "escalate")[i % 2],
            "at": NOW,
        }
        for i in range(min(5000, tickets))
    ]
    _insert(plain, "ticket_sla_mark", marks)
    plain.dispose()
    return url


def time_figures(url: str, reads: int) -> list[float]:
    health = Health(url, ManualClock(NOW), telegram_seconds=90, outbox_lag_seconds=300)
    try:
        health.read_figures()  # the first read opens the engine
        took = []
        for _ in range(reads):
            started = time.perf_counter()
            figures = health.read_figures()
            took.append(time.perf_counter() - started)
        assert figures.outbox[Lane.BULK].due > 0 and figures.open_tickets["new"] > 0
        return took
    finally:
        health.close()


def time_counting(updates: int) -> float:
    """Seconds of CPU per update for what the inbox and the outbox worker count."""
    metrics = Metrics()
    started = time.process_time()
    for i in range(updates):
        campaign = f"answer:telegram:{i}"
        metrics.answer_written(campaign, NOW)
        metrics.update_handled("telegram", "text")
        metrics.sent("telegram", "sent", [campaign], NOW + timedelta(seconds=1))
    return (time.process_time() - started) / updates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sent", type=int, default=200_000)
    parser.add_argument("--pending", type=int, default=5_000)
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument("--reads", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        url = build(Path(folder) / "health.db", args.sent, args.pending, args.tickets)
        print(
            f"built in {time.perf_counter() - started:.1f} s: {args.sent:,} sent, "
            f"{args.pending:,} pending bulk, 20 pending answers, {args.tickets:,} tickets"
        )
        took = sorted(time_figures(url, args.reads))
        p50 = statistics.median(took) * 1000
        p95 = took[int(len(took) * 0.95) - 1] * 1000
        print(
            f"database figures (readiness, /metrics, status), SQLite: "
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms over {args.reads} reads"
        )
    per_update = time_counting(100_000) * 1e6
    print(f"counting per update (handled, answer written, sent, latency): {per_update:.1f} µs CPU")


if __name__ == "__main__":
    main()
