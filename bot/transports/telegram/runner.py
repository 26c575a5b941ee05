"""The Telegram transport's life: start-up, long polling or webhook, clean stop.

Updates go through the inbox (bot/transports/telegram/intake.py): stored before Telegram
is told they arrived, then handled by the inbox's loop, their answers sent by the outbox
worker. A leftover webhook makes every poll fail with 409, and neither library deletes it
by itself, so it is deleted first.

The library that carries the calls is the runtime's (TELEGRAM_RUNTIME, ``runtimes``); this
life is the same for both.

The home of ``START_PAUSES`` (retrying the first contact with Telegram) and
``DRAIN_SECONDS`` (how long events being handled may take to finish at stop).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from bot.health.contact import Contact
from bot.http.server import HttpServer, HttpStartError
from bot.inbox.intake import Intake
from bot.inbox.turns import ChatTurns
from bot.scheduler import OneProcessOnly
from bot.settings import Settings
from bot.storage import writing
from bot.transports.telegram.answers import AnswerCourier
from bot.transports.telegram.chats import read_chat
from bot.transports.telegram.convert import CHANNEL
from bot.transports.telegram.health import keep_in_touch, observed
from bot.transports.telegram.intake import (
    ALLOWED_UPDATES,
    Decoder,
    PollingStopped,
    poll,
)
from bot.transports.telegram.refusals import Outcome, refusal_of, token_refused
from bot.transports.telegram.runtimes import RuntimeMissing, make_api
from bot.transports.telegram.sender import TelegramSender
from bot.transports.telegram.webhook import webhook_route
from handlers.helpdesk import HelpDesk

if TYPE_CHECKING:
    from bot.background import Background
    from bot.composition import Container
    from bot.transports.telegram.api import BotApi
from handlers.port import Toast
from models import Language, UnitOfWork
from models.chat_check import ChatReading
from models.inbox import Received, store_updates

log = logging.getLogger(__name__)

T = TypeVar("T")

START_PAUSES = (1.0, 2.0, 5.0, 10.0, 30.0)
DRAIN_SECONDS = 10.0  # at stop, how long events already being handled may take to finish
READ_CHAT_SECONDS = 10.0  # how long /tautkan waits for Telegram to describe the chat
LEAD_CHECK_SECONDS = 0.5  # how often a polling process looks whether it still leads


class StartupError(Exception):
    """The transport cannot start, for a reason a person must fix (one line)."""


class ServiceStopped(Exception):
    """The transport stopped serving, for a reason a person must fix (one line)."""


class TelegramTransport:
    def __init__(
        self,
        settings: Settings,
        helpdesk: HelpDesk,
        container: Container | None = None,
        http: HttpServer | None = None,
        api: BotApi | None = None,
    ) -> None:
        """``http`` is the help desk's HTTP server when its owner runs it; without one the
        transport runs its own on HTTP_LISTEN for as long as it serves. ``api``: the Bot
        API client when it was made beforehand (``make_api``); the transport closes it."""
        if settings.telegram_bot_token is None:
            raise StartupError("TELEGRAM_BOT_TOKEN is not set")
        self._settings = settings
        self._helpdesk = helpdesk
        # An update Telegram delivers again is stored once: the inbox's (channel, update
        # id) is unique, and its "handled" mark commits with the update's effects.
        try:
            api = api if api is not None else make_api(settings)
        except RuntimeMissing as exc:
            raise StartupError(str(exc)) from None
        metrics = container.metrics if container is not None else None
        # When Telegram last answered, for readiness (bot/health).
        self.contact = container.health.contact(CHANNEL) if container is not None else Contact()
        self.api = observed(api, self.contact, metrics)
        limits = container.limits if container is not None else None
        self.sender = TelegramSender(self.api, self._unreachable, limits=limits)
        self.background: Background | None = None
        if container is not None and settings.helpdesk_role == "all":
            # A worker (HELPDESK_ROLE=worker) never leads: no scheduler, no outbox here.
            self.background = container.background(
                {CHANNEL: AnswerCourier(self.api)}, self._unreachable_in
            )
            container.health.role.is_leader = self.background.leading.is_set
        self._bell = container.bell if container is not None else None
        turns = ChatTurns(container.engine) if container is not None else None
        self._username = ""
        self._bot_id = 0
        self._decoder = Decoder(self.api)
        self.intake = Intake(
            helpdesk,
            CHANNEL,
            self._decoder,
            self._toast,
            self._answers_due,
            metrics,
            turns,
            leading_others=self._leading_others,
        )
        self._stopping = asyncio.Event()
        self.ready = asyncio.Event()
        self._own_http = http is None
        self.http = http if http is not None else HttpServer(*settings.listen_host_port)
        if container is not None:
            container.serve_health(self.http)

    # -- the inbox ------------------------------------------------------------------------

    async def _store(self, updates: list[Received]) -> None:
        """Stores and commits a batch of updates, then wakes the inbox's loop."""
        await asyncio.to_thread(self._store_now, updates)
        self.intake.wake([u.update_id for u in updates])

    def _leading_others(self) -> bool:
        """Whether this process leads processes that share its database."""
        background = self.background
        return (
            background is not None and background.leadership.shared and background.leading.is_set()
        )

    async def _delivered(self, updates: list[Received]) -> None:
        """Updates Telegram delivered to our webhook (its secret checked): it answered."""
        self.contact.answered()
        await self._store(updates)

    def _store_now(self, updates: list[Received]) -> None:
        with writing(), UnitOfWork(self._helpdesk.sessions) as uow:
            store_updates(uow.session, CHANNEL, updates, self._helpdesk.clock.now())
            uow.commit()

    def _answers_due(self) -> None:
        self.wake_outbox()

    def wake_outbox(self) -> None:
        """Rows were just committed to the outbox: the worker looks now (this process's
        when it leads, the leader's by the outbox's bell otherwise)."""
        if self.background is not None and self.background.leading.is_set():
            self.background.worker.wake()
        elif self._bell is not None:
            self._bell.ring()

    async def _toast(self, callback_id: str, toast: Toast | None) -> None:
        """A pressed button's toast goes directly, not through the outbox: Telegram takes
        it only within seconds, and one lost in a crash is harmless."""
        await self.sender.answer_callback(callback_id, toast)

    def _read_chat(self, chat_id: str) -> ChatReading | None:
        """For handlers, which run in a worker thread: asks Telegram on the event loop.
        None when Telegram did not answer either (the handler says it could not read the
        chat, and the officer tries again)."""
        future = asyncio.run_coroutine_threadsafe(read_chat(self.api, chat_id), self._loop)
        try:
            return future.result(timeout=READ_CHAT_SECONDS)
        except self.api.errors as exc:
            log.warning("could not read chat %s: Telegram did not answer (%s)", chat_id, exc)
            return None

    async def _unreachable(self, chat_id: str, reason: str) -> None:
        await asyncio.to_thread(self._helpdesk.chat_unreachable, CHANNEL, chat_id, reason)

    async def _unreachable_in(self, channel: str, chat_id: str, reason: str) -> None:
        await asyncio.to_thread(self._helpdesk.chat_unreachable, channel, chat_id, reason)

    # -- life -----------------------------------------------------------------------------

    def stop(self) -> None:
        """Asks the transport to stop; safe to call from a signal handler."""
        self._stopping.set()

    async def run(self) -> None:
        """Serves until :meth:`stop`. Long polling, or a webhook when WEBHOOK_URL is set."""
        background: asyncio.Task[None] | None = None
        intake: asyncio.Task[None] | None = None
        background_stop = asyncio.Event()
        touch: asyncio.Task[None] | None = None
        commands: asyncio.Task[None] | None = None
        try:
            if self._own_http:
                try:
                    await self.http.start()
                except HttpStartError as exc:
                    raise StartupError(str(exc)) from None
            if self.background is not None:
                try:  # SQLite: this process leads from the start, or is refused
                    await asyncio.to_thread(self.background.check_start)
                except OneProcessOnly as exc:
                    raise StartupError(str(exc)) from None
            touch = asyncio.create_task(
                keep_in_touch(
                    self.api, self.contact, self._settings.ready_telegram_seconds, self._stopping
                )
            )
            if not await self._introduce():
                return
            commands = asyncio.create_task(self._offer_commands())
            if self.background is not None:
                background = asyncio.create_task(self.background.run(background_stop))
            intake = asyncio.create_task(self.intake.run(self._stopping))
            if self._settings.webhook_url:
                await self._serve_webhook()
            else:
                await self._poll()
        finally:
            self._stopping.set()
            if intake is not None:
                await intake
                await self.intake.drain(DRAIN_SECONDS)
            background_stop.set()
            if background is not None:
                await background
            if self._own_http:
                await self.http.stop()
            if touch is not None:
                await touch
            if commands is not None:
                await commands  # it gives up once stopping is set
            await self.api.close()

    async def _introduce(self) -> bool:
        """Who the bot is (getMe). Waits out an unreachable Telegram; a refused token stops
        start-up."""
        me = await self._retrying(self.api.get_me)
        if me is None:
            return False
        self._username, self._bot_id = me.username, me.id
        self._decoder.username, self._decoder.bot_id = self._username, self._bot_id
        self._helpdesk.services.bot_username = self._username
        self._loop = asyncio.get_running_loop()
        self._helpdesk.services.read_chat = self._read_chat
        log.info("signed in as @%s (id %s)", self._username, self._bot_id)
        return True

    async def _offer_commands(self) -> None:
        """The command menu in each language, the three at once and beside serving: the
        first answer need not wait for them (each is a round trip to Telegram). A menu
        Telegram refuses is logged; the help desk serves without it."""

        async def offer(lang: Language | None) -> None:
            commands = [
                (c.name, c.description) for c in self._helpdesk.commands(lang or Language.ID)
            ]
            code = lang.value if lang else None
            try:
                await self._retrying(lambda: self.api.set_commands(commands, code))
            except self.api.errors as exc:
                log.error("Telegram refused the command menu (%s): %s", code or "default", exc)

        await asyncio.gather(*(offer(lang) for lang in (None, *Language)))

    async def _retrying(self, call: Callable[[], Awaitable[T]]) -> T | None:
        attempt = 0
        while not self._stopping.is_set():
            try:
                return await call()
            except self.api.errors as exc:
                failure = self.api.failure(exc)
                if failure is None:
                    raise
                if token_refused(failure):
                    raise StartupError(
                        "Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized); "
                        "check the token from @BotFather"
                    ) from exc
                refusal = refusal_of(failure)
                if refusal is None or refusal.outcome not in (
                    Outcome.RATE_LIMITED,
                    Outcome.TRANSIENT,
                ):
                    raise
                pause = refusal.wait
                if refusal.outcome is Outcome.TRANSIENT:
                    pause = START_PAUSES[min(attempt, len(START_PAUSES) - 1)]
                    log.warning(
                        "Telegram is not reachable at %s (%s); trying again in %ss",
                        self._settings.telegram_api_url,
                        failure.description,
                        pause,
                    )
            attempt += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=pause)
        return None

    async def _poll(self) -> None:
        """Long polling. Telegram lets one client poll a bot at a time (a second poll is
        answered 409 Conflict): on a shared database, where several processes serve, only
        the leader polls; the others handle what it stores in the inbox, and the next
        leader polls when it takes over (see ``_while_leading``)."""
        await self._retrying(self.api.delete_webhook)
        self.ready.set()
        background = self.background
        if background is None or not background.leadership.shared:
            await self._poll_until(self._stopping)
            return
        while not self._stopping.is_set():
            if not background.leading.is_set():
                log.info("polling waits for the lead: one process polls, all handle the inbox")
                while not background.leading.is_set() and not self._stopping.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stopping.wait(), timeout=LEAD_CHECK_SECONDS)
                continue
            led = asyncio.Event()
            watcher = asyncio.create_task(self._while_leading(background, led))
            try:
                await self._poll_until(led)
            finally:
                watcher.cancel()

    async def _while_leading(self, background: Background, led: asyncio.Event) -> None:
        """Sets ``led`` when this process stops leading (or stops serving)."""
        while background.leading.is_set() and not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=LEAD_CHECK_SECONDS)
        led.set()

    async def _poll_until(self, stopping: asyncio.Event) -> None:
        log.info("long polling started")
        try:
            await poll(self.api, self._store, stopping)
        except PollingStopped as exc:
            raise ServiceStopped(str(exc)) from None
        log.info("long polling stopped")

    async def _serve_webhook(self) -> None:
        settings = self._settings
        assert settings.webhook_url and settings.webhook_secret
        secret = settings.webhook_secret.get_secret_value()
        path = urlsplit(settings.webhook_url).path or "/"
        self.http.add(webhook_route(path, secret, self._delivered))
        await self._retrying(
            lambda: self.api.set_webhook(settings.webhook_url or "", secret, ALLOWED_UPDATES)
        )
        self.ready.set()
        log.info("webhook at %s%s", self.http.address, path)
        await self._stopping.wait()
        log.info("webhook stopped")
