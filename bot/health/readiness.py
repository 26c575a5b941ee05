"""Readiness: whether this process can do its work now. Four checks:

- ``database``: it answers, within ``CHECK_SECONDS`` (a new connection each time, see
  :func:`bot.storage.probe_engine`), and its figures can be read;
- ``telegram`` (one check per app a transport serves): the app answered within
  READY_TELEGRAM_SECONDS (any call, or an update delivered to our webhook);
- ``leader``: this process leads (runs the scheduler and the outbox worker) when it has
  to; a single process always has to, a webhook worker beside a leader does not;
- ``outbox``: the oldest message due has waited at most READY_OUTBOX_LAG_SECONDS.

The home of ``CHECK_SECONDS``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from bot import storage
from bot.health.contact import Contact
from bot.health.figures import DatabaseTrouble, DeskFigures, read_figures
from models import Clock

CHECK_SECONDS = 3.0  # the longest a database check may take before it counts as failed


@dataclass
class Role:
    """This process's part among the processes sharing the database."""

    must_lead: bool = True  # a single process must; a webhook worker beside a leader not
    is_leader: Callable[[], bool] = lambda: True


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str  # a short phrase for a person
    seconds: float | None = None  # the age or delay the check is about, if any


@dataclass(frozen=True)
class Report:
    checks: tuple[Check, ...]
    figures: DeskFigures | None = None

    @property
    def ready(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failing(self) -> list[str]:
        return [c.name for c in self.checks if not c.ok]

    def as_json(self) -> dict[str, Any]:
        return {
            "ready": self.ready,
            "failing": self.failing,
            "checks": {
                c.name: {"ok": c.ok, "detail": c.detail}
                | ({"seconds": round(c.seconds, 3)} if c.seconds is not None else {})
                for c in self.checks
            },
        }


@dataclass
class Health:
    """What readiness reads, for one help desk: its database, the apps its transports
    registered, its role."""

    database_url: str
    clock: Clock
    telegram_seconds: float
    outbox_lag_seconds: float
    check_seconds: float = CHECK_SECONDS
    contacts: dict[str, Contact] = field(default_factory=dict)
    role: Role = field(default_factory=Role)
    _probe: Engine | None = field(default=None, init=False, repr=False)

    def contact(self, channel: str) -> Contact:
        """The record of ``channel``'s answers, which its transport keeps up to date."""
        return self.contacts.setdefault(channel, Contact())

    async def figures(self) -> DeskFigures:
        """The database's figures, or what went wrong (TimeoutError past the bound)."""
        return await asyncio.wait_for(
            asyncio.to_thread(self.read_figures), timeout=self.check_seconds
        )

    def read_figures(self) -> DeskFigures:
        if self._probe is None:
            self._probe = storage.probe_engine(self.database_url, self.check_seconds)
        return read_figures(storage.session_factory(self._probe), self.clock.now())

    async def report(self) -> Report:
        checks: list[Check] = []
        figures: DeskFigures | None = None
        try:
            figures = await self.figures()
        except TimeoutError:
            checks.append(Check("database", False, f"no answer within {self.check_seconds:g} s"))
        except DatabaseTrouble as exc:
            checks.append(Check("database", False, _one_line(exc)))
        else:
            checks.append(Check("database", True, "answers"))
        checks.extend(self._contact_check(name, c) for name, c in sorted(self.contacts.items()))
        checks.append(self._leader_check())
        if figures is not None:
            checks.append(self._outbox_check(figures))
        return Report(tuple(checks), figures)

    def _contact_check(self, channel: str, contact: Contact) -> Check:
        silent = contact.silent_for()
        why = f" ({contact.last_error})" if contact.last_error else ""
        if silent is None:
            return Check(channel, False, f"has not answered yet{why}")
        if silent > self.telegram_seconds:
            return Check(channel, False, f"silent for {silent:.0f} s{why}", silent)
        return Check(channel, True, f"answered {silent:.0f} s ago", silent)

    def _leader_check(self) -> Check:
        leads = self.role.is_leader()
        if leads:
            return Check("leader", True, "this process leads")
        if self.role.must_lead:
            return Check("leader", False, "this process should lead and does not (yet)")
        return Check("leader", True, "another process leads")

    def _outbox_check(self, figures: DeskFigures) -> Check:
        age = figures.oldest_due_age
        limit = self.outbox_lag_seconds
        ok = age <= limit
        detail = f"oldest due message waited {age:.0f} s" + ("" if ok else f" (> {limit:g} s)")
        return Check("outbox", ok, detail, age)

    def close(self) -> None:
        if self._probe is not None:
            self._probe.dispose()
            self._probe = None


def _one_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc  # the driver's own words, without SQL
    text = " ".join(str(cause).split()) or type(cause).__name__
    return text[:200]
