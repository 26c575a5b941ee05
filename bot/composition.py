"""The composition root: the one place that builds settings, engine, help desk and
transports. Nothing else in the project creates an engine or reads the environment."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot import storage
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

    def close(self) -> None:
        self.engine.dispose()


def build(settings: Settings, *, clock: Clock | None = None, migrate: bool = True) -> Container:
    """Everything the help desk needs, wired. Migrations run first unless told not to."""
    engine = storage.make_engine(settings.database_url)
    if migrate:
        storage.upgrade(engine)
    clock = clock or SystemClock()
    helpdesk = HelpDesk(storage.session_factory(engine), clock, Texts())
    return Container(settings=settings, engine=engine, helpdesk=helpdesk, clock=clock)
