"""What the outbox worker did since it started (for logs, tests and benchmarks)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class WorkerStats:
    sent: int = 0
    combined: int = 0
    retried: int = 0
    failed: int = 0
    unreachable: int = 0
    uncertain: int = 0
    held: int = 0
    topics_made: int = 0
