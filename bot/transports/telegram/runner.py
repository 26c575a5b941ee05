"""The Telegram transport's life: start-up, long polling or webhook, clean stop.

aiogram does not delete a leftover webhook before polling (every poll would then fail
with 409), and it computes ``allowed_updates`` from the registered handlers, so the
``my_chat_member`` handler is registered to learn about groups and blocks.

The home of ``START_PAUSES`` (retrying the first contact with Telegram) and
``DRAIN_SECONDS`` (how long events being handled may take to finish at stop).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import weakref
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import BotCommand, CallbackQuery, ChatMemberUpdated, Message, Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.settings import Settings
from bot.transports.common import handle_safely
from bot.transports.telegram.chats import read_chat
from bot.transports.telegram.convert import (
    CHANNEL,
    callback_event,
    membership_event,
    message_event,
)
from bot.transports.telegram.courier import TelegramCourier
from bot.transports.telegram.sender import TelegramSender
from handlers.helpdesk import HelpDesk

if TYPE_CHECKING:
    from bot.background import Background
    from bot.composition import Container
from handlers.port import Event, Reply, Toast
from models import Language
from models.chat_check import ChatReading

log = logging.getLogger(__name__)

T = TypeVar("T")

START_PAUSES = (1.0, 2.0, 5.0, 10.0, 30.0)
DRAIN_SECONDS = 10.0  # at stop, how long events already being handled may take to finish
READ_CHAT_SECONDS = 10.0  # how long /tautkan waits for Telegram to describe the chat


class StartupError(Exception):
    """The transport cannot start, for a reason a person must fix (one line)."""


class TelegramTransport:
    def __init__(
        self, settings: Settings, helpdesk: HelpDesk, container: Container | None = None
    ) -> None:
        if settings.telegram_bot_token is None:
            raise StartupError("TELEGRAM_BOT_TOKEN is not set")
        self._settings = settings
        self._helpdesk = helpdesk
        helpdesk.skip_repeated_updates(CHANNEL)  # Telegram may deliver an update again
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
        self.bot = Bot(token=settings.telegram_bot_token.get_secret_value(), session=session)
        self.dispatcher = Dispatcher()
        self.dispatcher.include_router(self._router())
        limits = container.limits if container is not None else None
        self.sender = TelegramSender(self.bot, self._unreachable, limits=limits)
        self.background: Background | None = None
        if container is not None:
            self.background = container.background(
                {CHANNEL: TelegramCourier(self.bot)}, self._unreachable_in
            )
        self._username = ""
        self._bot_id = 0
        self._chat_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._in_flight: set[asyncio.Task[object]] = set()
        self._stopping = asyncio.Event()
        self.ready = asyncio.Event()

    # -- wiring ---------------------------------------------------------------------------

    def _router(self) -> Router:
        router = Router(name="helpdesk")
        router.message.register(self._on_message)
        router.edited_message.register(self._on_edited)
        router.callback_query.register(self._on_callback)
        router.my_chat_member.register(self._on_membership)
        return router

    async def _on_message(self, message: Message, event_update: Update) -> None:
        event = message_event(message, event_update.update_id, self._username, self._bot_id)
        if event is not None:
            await self._handle(event)

    async def _on_edited(self, edited_message: Message, event_update: Update) -> None:
        event = message_event(edited_message, event_update.update_id, self._username, self._bot_id)
        if event is not None:
            await self._handle(dataclasses.replace(event, edited=True))

    async def _on_callback(self, query: CallbackQuery, event_update: Update) -> None:
        event = callback_event(query, event_update.update_id)
        if event is None:
            await self.sender.answer_callback(query.id, None)
            return
        await self._handle(event, callback_id=query.id)

    async def _on_membership(self, update: ChatMemberUpdated, event_update: Update) -> None:
        event = membership_event(update, event_update.update_id)
        if event is not None:
            await self._handle(event)

    async def _handle(self, event: Event, callback_id: str | None = None) -> None:
        """One event at a time per chat, so two quick presses cannot interleave. Counted
        while in flight, so a stop lets it finish and the person still gets the answer."""
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        lock = self._chat_locks.get(event.chat.id)
        if lock is None:
            lock = asyncio.Lock()
            self._chat_locks[event.chat.id] = lock
        try:
            async with lock:
                outs = await asyncio.to_thread(handle_safely, self._helpdesk, event)
                if callback_id is not None:
                    toast = next((o for o in outs if isinstance(o, Toast)), None)
                    await self.sender.answer_callback(callback_id, toast)
                for out in outs:
                    if isinstance(out, Reply):
                        await self.sender.deliver(out)
        except Exception:
            log.exception(
                "delivering the answer failed: update=%s chat=%s", event.update_id, event.chat.id
            )
        finally:
            if task is not None:
                self._in_flight.discard(task)

    async def _drain(self) -> None:
        pending = {t for t in self._in_flight if not t.done()}
        if pending:
            log.info("waiting for %d event(s) being handled", len(pending))
            _, late = await asyncio.wait(pending, timeout=DRAIN_SECONDS)
            if late:
                log.warning("%d event(s) still being handled at stop were cut short", len(late))

    def _read_chat(self, chat_id: str) -> ChatReading | None:
        """For handlers, which run in a worker thread: asks Telegram on the event loop."""
        future = asyncio.run_coroutine_threadsafe(read_chat(self.bot, chat_id), self._loop)
        return future.result(timeout=READ_CHAT_SECONDS)

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
        try:
            if not await self._introduce():
                return
            if self.background is not None:
                background = asyncio.create_task(self.background.run(self._stopping))
            if self._settings.webhook_url:
                await self._serve_webhook()
            else:
                await self._poll()
        finally:
            self._stopping.set()
            if background is not None:
                await background
            await self.bot.session.close()

    async def _introduce(self) -> bool:
        """Who the bot is, and its command menu in each language. Waits out an unreachable
        Telegram; a refused token stops start-up."""
        me = await self._retrying(self.bot.get_me)
        if me is None:
            return False
        self._username, self._bot_id = me.username or "", me.id
        self._helpdesk.services.bot_username = self._username
        self._loop = asyncio.get_running_loop()
        self._helpdesk.services.read_chat = self._read_chat
        for lang in (None, *Language):
            commands = [
                BotCommand(command=c.name, description=c.description)
                for c in self._helpdesk.commands(lang or Language.ID)
            ]

            async def set_commands(
                commands: list[BotCommand] = commands, lang: Language | None = lang
            ) -> bool:
                return await self.bot.set_my_commands(
                    commands=commands, language_code=lang.value if lang else None
                )

            await self._retrying(set_commands)
        log.info("signed in as @%s (id %s)", self._username, self._bot_id)
        return True

    async def _retrying(self, call: Callable[[], Awaitable[T]]) -> T | None:
        attempt = 0
        while not self._stopping.is_set():
            try:
                return await call()
            except TelegramUnauthorizedError as exc:
                raise StartupError(
                    "Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized); "
                    "check the token from @BotFather"
                ) from exc
            except TelegramRetryAfter as exc:
                pause = float(exc.retry_after)
            except (TelegramNetworkError, TelegramServerError) as exc:
                pause = START_PAUSES[min(attempt, len(START_PAUSES) - 1)]
                log.warning(
                    "Telegram is not reachable at %s (%s); trying again in %ss",
                    self._settings.telegram_api_url,
                    exc,
                    pause,
                )
            attempt += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=pause)
        return None

    async def _poll(self) -> None:
        await self._retrying(lambda: self.bot.delete_webhook(drop_pending_updates=False))
        polling = asyncio.create_task(
            self.dispatcher.start_polling(
                self.bot, handle_signals=False, close_bot_session=False, polling_timeout=30
            )
        )
        stopping = asyncio.create_task(self._stopping.wait())
        self.ready.set()
        log.info("long polling started")
        done, _ = await asyncio.wait({polling, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if polling not in done:
            await self.dispatcher.stop_polling()
            await polling
        stopping.cancel()
        await self._drain()
        log.info("long polling stopped")

    async def _serve_webhook(self) -> None:
        settings = self._settings
        assert settings.webhook_url and settings.webhook_secret
        secret = settings.webhook_secret.get_secret_value()
        path = urlsplit(settings.webhook_url).path or "/"
        app = web.Application()
        SimpleRequestHandler(
            dispatcher=self.dispatcher, bot=self.bot, secret_token=secret
        ).register(app, path=path)
        runner = web.AppRunner(app, handle_signals=False)
        await runner.setup()
        host, port = settings.listen_host_port
        await web.TCPSite(runner, host, port).start()
        try:
            await self._retrying(
                lambda: self.bot.set_webhook(
                    url=settings.webhook_url or "",
                    secret_token=secret,
                    allowed_updates=self.dispatcher.resolve_used_update_types(),
                )
            )
            self.ready.set()
            log.info("webhook listening on %s:%s%s", host, port, path)
            await self._stopping.wait()
            await self._drain()
        finally:
            await runner.cleanup()
            log.info("webhook stopped")
