"""The composition root: the one place that builds settings, engine, help desk and
transports. Nothing else in the project creates an engine or reads the environment."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from bot import storage
from bot.background import Background
from bot.delivery.courier import Courier
from bot.delivery.limits import Limits
from bot.delivery.worker import Unreachable
from bot.scheduler import Job
from bot.settings import Settings
from handlers.helpdesk import HelpDesk
from handlers.texts import Texts
from models import Clock, SystemClock

log = logging.getLogger(__name__)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    helpdesk: HelpDesk
    clock: Clock
    limits: Limits = field(default_factory=Limits)
    jobs: list[Job] = field(default_factory=list)

    def background(
        self, couriers: dict[str, Courier], on_unreachable: Unreachable | None = None
    ) -> Background:
        """The scheduler and outbox worker for the given apps, run by the leader."""
        return Background(
            self.engine,
            self.helpdesk.sessions,
            self.clock,
            self.jobs,
            couriers,
            self.limits,
            on_unreachable,
        )

    def close(self) -> None:
        self.engine.dispose()


def build(settings: Settings, *, clock: Clock | None = None, migrate: bool = True) -> Container:
    """Everything the help desk needs, wired. Migrations run first unless told not to."""
    engine = storage.make_engine(settings.database_url)
    if migrate:
        storage.upgrade(engine)
    clock = clock or SystemClock()
    helpdesk = HelpDesk(storage.session_factory(engine), clock, Texts())
    container = Container(settings=settings, engine=engine, helpdesk=helpdesk, clock=clock)
    container.jobs.extend(scheduled_jobs(container))
    return container


def scheduled_jobs(container: Container) -> list[Job]:
    """The periodic ticks the leader runs; each calls one use case with the clock's now."""
    every = container.settings.scheduler_tick_seconds
    jobs: list[Job] = []
    del every
    return jobs
