"""Time-driven work: APScheduler 3.11 in the leader process, thin periodic jobs.

Each job is a tick that calls a use-case function of (database, now), which finds what
is due by then, does it, and records that it did (reminders, SLA checks, idle tickets,
retention). The database, not the job store, is the truth, so the job list is simply
built again at every start, and a process that was down catches up at its first tick.
The time the use cases see comes from the project's Clock: tests move a ManualClock and
the real scheduler's next tick acts on it.

Only one process runs the jobs and the outbox worker: the leader. On PostgreSQL it is
the process holding a session-level advisory lock on a connection of its own (a killed
leader's connection dies with it, and the lock with the connection); on SQLite, the single
process, which holds a lock on a file beside the database so that a second process
started by mistake is refused with a clear reason instead of sending the outbox twice.

The home of ``LEADER_LOCK_KEY`` (the advisory lock the processes contend for) and
``LEADER_RETRY_SECONDS`` (how often a follower tries to take the lead).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)

LEADER_LOCK_KEY = 0x4B5055_4844  # "KPUHD": the advisory lock every process contends for
LEADER_RETRY_SECONDS = 15.0


@dataclass(frozen=True)
class Job:
    """A periodic tick: ``call`` takes no arguments and returns how much it did."""

    name: str
    every_seconds: float
    call: Callable[[], object]


class OneProcessOnly(Exception):
    """A second process on a SQLite database (one line for a person)."""


class Leadership:
    """Who runs the scheduler and the outbox worker among the processes sharing a database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._lock_file: int | None = None
        self.is_leader = False

    @property
    def shared(self) -> bool:
        return self._engine.dialect.name == "postgresql"

    def try_acquire(self) -> bool:
        if self.is_leader:
            return True
        if not self.shared:
            self._lock_sqlite()
            self.is_leader = True
            return True
        connection = self._engine.connect()
        try:
            got = connection.execute(
                sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_LOCK_KEY}
            ).scalar()
            connection.commit()
        except Exception:
            connection.close()
            raise
        if got:
            self._connection = connection  # the lock lives as long as this connection
            self.is_leader = True
        else:
            connection.close()
        return self.is_leader

    def still_leading(self) -> bool:
        """Whether the lock is still held: its connection must still answer."""
        if not self.is_leader:
            return False
        if self._connection is None:
            return True  # SQLite: the one process
        try:
            self._connection.execute(sa.text("SELECT 1"))
            self._connection.commit()
        except Exception:
            log.exception("the leader lock's connection failed")
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None
            self.is_leader = False
            return False
        return True

    def _lock_sqlite(self) -> None:
        """Holds a lock on ``<database>.lock`` for the life of this process, or raises
        :class:`OneProcessOnly` naming the process that holds it. A POSIX record lock
        (``lockf``): the kernel frees it when the process dies, even by ``kill -9``, and it
        is the process's own, so one process may take it again."""
        database = self._engine.url.database or ""
        if not database or database == ":memory:" or database.startswith("file:"):
            return
        path = Path(f"{database}.lock")
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise OneProcessOnly(
                f"the SQLite database {database} is served by process {holder} already: "
                "SQLite serves one help-desk process; for several, use PostgreSQL "
                "(docs/deploy.md)"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._lock_file = fd

    def release(self) -> None:
        if self._lock_file is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._lock_file, 0)
            os.close(self._lock_file)  # closing frees the process's lock on the file
            self._lock_file = None
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.execute(
                    sa.text("SELECT pg_advisory_unlock(:key)"), {"key": LEADER_LOCK_KEY}
                )
                self._connection.commit()
            self._connection.close()
            self._connection = None
        self.is_leader = False


class Scheduler:
    """The periodic jobs on an APScheduler AsyncIOScheduler. Each run happens in a worker
    thread (the use cases are synchronous database work) and never overlaps itself."""

    def __init__(self, jobs: list[Job]) -> None:
        self.jobs = jobs
        self._scheduler: AsyncIOScheduler | None = None
        self.runs: dict[str, int] = {job.name: 0 for job in jobs}

    def start(self) -> None:
        scheduler = AsyncIOScheduler(timezone="UTC")
        for job in self.jobs:
            scheduler.add_job(
                self._run,
                IntervalTrigger(seconds=job.every_seconds),
                args=[job],
                id=job.name,
                name=job.name,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
                replace_existing=True,
            )
        scheduler.start()
        self._scheduler = scheduler
        log.info("scheduler started: %s", ", ".join(j.name for j in self.jobs) or "no jobs")
        # The first ticks run now rather than one interval after start: catching up on
        # what fell due while the process was down must not wait.
        for job in self.jobs:
            scheduler.modify_job(job.name, next_run_time=_now_utc())

    async def _run(self, job: Job) -> None:
        try:
            done = await asyncio.to_thread(job.call)
        except Exception:
            log.exception("scheduled job %s failed; it runs again at its next tick", job.name)
            return
        self.runs[job.name] = self.runs.get(job.name, 0) + 1
        if done:
            log.info("scheduled job %s did %s", job.name, done)

    def shutdown(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None


def _now_utc() -> object:
    from datetime import UTC, datetime

    return datetime.now(UTC)  # APScheduler's own timing is wall-clock time by design
