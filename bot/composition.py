"""The composition root: the one place that builds settings, engine, help desk and
transports. Nothing else in the project creates an engine or reads the environment:
``build`` wires the whole help desk, ``open_database`` only the database (for the
commands that need no knowledge base)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot import storage
from bot.delivery.bell import OutboxBell
from bot.delivery.courier import Courier
from bot.delivery.limits import Limits
from bot.delivery.worker import Unreachable
from bot.health.readiness import Health
from bot.metrics import Metrics
from bot.settings import Settings
from handlers.helpdesk import HelpDesk
from handlers.services import Services
from handlers.texts import Texts
from knowledge.search import ContentError, KnowledgeBase
from models import Clock, SystemClock, UnitOfWork

if TYPE_CHECKING:  # the scheduler (APScheduler) is imported when first needed
    from bot.background import Background
    from bot.http.server import HttpServer
    from bot.scheduler import Job

log = logging.getLogger(__name__)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    helpdesk: HelpDesk
    clock: Clock
    health: Health
    limits: Limits = field(default_factory=Limits)
    jobs: list[Job] = field(default_factory=list)
    metrics: Metrics = field(default_factory=Metrics)
    _health_served: bool = False
    # Couriers of the apps served beside the one that runs the background (WhatsApp's,
    # beside Telegram's): the outbox worker sends their rows too.
    couriers: dict[str, Courier] = field(default_factory=dict)
    channel_limits: dict[str, Limits] = field(default_factory=dict)  # theirs, if not Telegram's
    bell: OutboxBell = field(init=False)  # the outbox's bell across processes

    def __post_init__(self) -> None:
        self.bell = OutboxBell(self.engine)

    def background(
        self, couriers: dict[str, Courier], on_unreachable: Unreachable | None = None
    ) -> Background:
        """The scheduler and outbox worker for the given apps, run by the leader."""
        from bot.background import Background

        return Background(
            self.engine,
            self.helpdesk.sessions,
            self.clock,
            self.jobs,
            {**self.couriers, **couriers},
            self.limits,
            on_unreachable,
            self.metrics,
            channel_limits=self.channel_limits,
            bell=self.bell,
        )

    def serve_health(self, http: HttpServer) -> None:
        """Readiness and metrics on the help desk's HTTP server (once)."""
        if self._health_served:
            return
        from bot.health.routes import health_routes

        for route in health_routes(self.health, self.metrics):
            http.add(route)
        self._health_served = True

    def close(self) -> None:
        self.health.close()
        self.engine.dispose()


@dataclass
class Database:
    """The configured database alone, for commands that need no knowledge base."""

    engine: Engine
    sessions: Callable[[], Session]
    clock: Clock

    def close(self) -> None:
        self.engine.dispose()


def open_database(
    settings: Settings,
    *,
    clock: Clock | None = None,
    migrate: bool = True,
    migrate_apart: bool = False,
    meanwhile: Callable[[], object] | None = None,
) -> Database:
    """The engine on the configured database; migrated, with the office tree in place,
    unless told not to migrate. ``migrate_apart``: a migration to run runs in a child
    process (``bot.storage.upgrade``), for a process that will serve, and the office tree
    is brought in line there too. ``meanwhile``: start-up work that needs no database,
    done while a child migrates (else first)."""
    engine = storage.make_engine(settings.database_url, pool_size=settings.database_pool_size)
    try:
        if migrate:
            storage.upgrade(
                engine,
                apart=migrate_apart,
                then=lambda: sync_reference_offices(engine),
                meanwhile=meanwhile,
            )
        elif meanwhile is not None:
            meanwhile()
    except BaseException:
        engine.dispose()
        raise
    return Database(engine, storage.session_factory(engine), clock or SystemClock())


def build(
    settings: Settings,
    *,
    clock: Clock | None = None,
    migrate: bool = True,
    migrate_apart: bool = False,
    meanwhile: Callable[[], object] | None = None,
) -> Container:
    """Everything the help desk needs, wired. Migrations run first unless told not to
    (``migrate_apart``: in a child process, see ``open_database``); the knowledge base is
    read, and ``meanwhile`` done, while that child migrates."""
    loaded: list[KnowledgeBase] = []

    def prepare() -> None:
        loaded.append(load_knowledge(settings.cache_dir))
        if meanwhile is not None:
            meanwhile()

    database = open_database(
        settings, clock=clock, migrate=migrate, migrate_apart=migrate_apart, meanwhile=prepare
    )
    engine, clock = database.engine, database.clock
    services = Services(
        kb=loaded[0],
        bot_username=settings.telegram_bot_username or "",
        whatsapp_number=(settings.whatsapp_display_number or "")
        if settings.whatsapp_enabled
        else "",
        timezone=settings.helpdesk_timezone,
    )
    if migrate and services.kb is not None:
        with database.sessions() as session:  # the entries approved at the desk
            services.kb.refresh(session)
    cache = settings.cache_dir
    texts = Texts(compiled=cache / "templates" if cache is not None else None)
    helpdesk = HelpDesk(database.sessions, clock, texts, services)
    health = Health(
        settings.database_url,
        clock,
        telegram_seconds=settings.ready_telegram_seconds,
        outbox_lag_seconds=settings.ready_outbox_lag_seconds,
    )
    # One process on SQLite must lead; on PostgreSQL any one of them does, and the others
    # (workers, or processes waiting to take over) are ready without it.
    health.role.must_lead = not settings.shared_database
    container = Container(
        settings=settings, engine=engine, helpdesk=helpdesk, clock=clock, health=health
    )
    container.jobs.extend(scheduled_jobs(container))
    return container


def load_knowledge(cache: Path | None = None) -> KnowledgeBase:
    """The FAQ, read once (or from ``cache``, as built at an earlier start). Content with
    problems (which `helpdesk kb check` and CI refuse) is logged and served as far as it
    could be read, rather than keeping the bot down."""
    try:
        return KnowledgeBase.load(cache=cache)
    except ContentError as exc:
        log.error(
            "the knowledge base has %d problem(s), run `helpdesk kb check`; first: %s",
            len(exc.problems),
            exc.problems[0] if exc.problems else "",
        )
        return KnowledgeBase.load(strict=False)


def knowledge_with_approved(settings: Settings) -> KnowledgeBase:
    """The FAQ with the entries approved at the desk, as the running bot serves them
    (for renderings such as the public site, built outside the bot). Entries approved
    for one office's subtree carry it: ``KnowledgeBase.visible`` tells who may see them."""
    kb = load_knowledge(settings.cache_dir)
    database = open_database(settings)
    try:
        with database.sessions() as session:
            kb.refresh(session)
    finally:
        database.close()
    return kb


def sync_reference_offices(engine: Engine) -> int:
    """Brings the office table in line with the shipped reference data (local settings
    such as staff chats and hours are kept). Two processes starting at once: the loser of
    the race retries and finds nothing left to do."""
    from sqlalchemy.exc import IntegrityError

    from knowledge.content.reference import load_offices
    from models.offices import sync_offices

    for attempt in range(2):
        try:
            with UnitOfWork(storage.session_factory(engine)) as uow:
                changed = sync_offices(uow.session, load_offices())
                uow.commit()
            if changed:
                log.info("office tree: %d offices added or updated", changed)
            return changed
        except IntegrityError:
            if attempt:
                raise
    return 0


def scheduled_jobs(container: Container) -> list[Job]:
    """The periodic ticks the leader runs; each calls one use case with the clock's now.
    Reminders and service levels are looked at every tick; idle tickets every ten minutes
    (or every tick when ticks are slower); old transcripts once a day."""
    from bot.scheduler import Job
    from handlers.announce.broadcasts import run_queued_announcements
    from handlers.calendar.reminders import run_due_reminders
    from handlers.desk.auto import ChatDeskNotices
    from handlers.desk.ticks import check_sla, close_idle_tickets, purge_transcripts
    from handlers.reports.scheduled import send_scheduled_reports

    every = container.settings.scheduler_tick_seconds
    helpdesk = container.helpdesk
    sessions, clock = helpdesk.sessions, container.clock
    texts, signer = helpdesk.texts, helpdesk.signer
    notices = ChatDeskNotices(texts, signer)
    return [
        Job("reminders", every, lambda: run_due_reminders(sessions, clock, texts, signer)),
        Job(
            "announcements",
            every,
            lambda: run_queued_announcements(sessions, clock, texts, signer),
        ),
        Job("service_levels", every, lambda: check_sla(sessions, clock, notices)),
        Job(
            "idle_tickets", max(every, 600.0), lambda: close_idle_tickets(sessions, clock, notices)
        ),
        Job("retention", max(every, 86_400.0), lambda: purge_transcripts(sessions, clock)),
        Job("scheduled_reports", every, lambda: send_scheduled_reports(sessions, clock, texts)),
    ]
