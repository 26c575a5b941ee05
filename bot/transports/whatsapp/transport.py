"""The WhatsApp transport's life, beside Telegram's on the same HTTP server and outbox.

Messages come in by webhook only (WhatsApp has no polling): stored in the inbox before
Meta is told they arrived, then handled by the inbox's loop like Telegram's, their
answers sent by the outbox worker through :class:`WhatsAppCourier`. Storing a webhook
also records its delivery statuses on the outbox rows and opens the sender's 24-hour
window again, which sends what was held for them. Each new message is marked read with
the typing indicator on, while its answer is prepared.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import timedelta

from bot.delivery.courier import Courier
from bot.delivery.limits import Limits, whatsapp_limits
from bot.http.server import HttpServer
from bot.inbox.intake import Intake
from bot.settings import Settings
from bot.storage import writing
from bot.transports.whatsapp.convert import CHANNEL, Webhook, decode
from bot.transports.whatsapp.courier import WhatsAppCourier
from bot.transports.whatsapp.graph import Graph
from bot.transports.whatsapp.menus import Words
from bot.transports.whatsapp.templates import load_templates
from bot.transports.whatsapp.webhook import webhook_routes
from handlers.helpdesk import HelpDesk
from handlers.port import Toast
from models import Language, UnitOfWork
from models.inbox import store_updates
from models.outbox import OutboxStatus
from models.receipts import (
    held_for,
    person_wrote,
    record_receipt,
    requeue_unconfirmed,
    take_tier,
    tier_frees_at,
    window_open,
)

log = logging.getLogger(__name__)

DRAIN_SECONDS = 10.0
# A message handed to WhatsApp just before a crash is known by its statuses (they name its
# outbox row). Those Meta could not deliver while the process was down come again after
# the restart; a message with no status this long after it was handed over, with the
# process up at least as long, was never taken, and is sent again.
STATUS_GRACE = timedelta(minutes=2)
RECONCILE_EVERY = 15.0  # seconds between looks for such messages


class WhatsAppTransport:
    def __init__(self, settings: Settings, helpdesk: HelpDesk, http: HttpServer) -> None:
        assert settings.whatsapp_enabled
        assert settings.whatsapp_access_token and settings.whatsapp_app_secret
        assert settings.whatsapp_phone_number_id
        self._settings = settings
        self._helpdesk = helpdesk
        self._http = http
        self._phone = settings.whatsapp_phone_number_id
        self.graph = Graph(
            settings.whatsapp_base_url,
            settings.whatsapp_api_version,
            self._phone,
            settings.whatsapp_access_token.get_secret_value(),
        )
        texts = helpdesk.texts
        words = Words(
            list_button=texts.label(Language.ID, "wa_list_button"),
            page=lambda page, pages: texts.label(
                Language.ID, "wa_list_page", page=page, pages=pages
            ),
        )
        templates = load_templates(settings.whatsapp_templates_file)
        self.courier: Courier = WhatsAppCourier(
            self.graph, words, templates, self, helpdesk.signer.sign
        )
        self.limits = Limits(whatsapp_limits(settings.whatsapp_messages_per_second))
        self.intake = Intake(helpdesk, CHANNEL, decode, self._no_toast, self._answers_due)
        self.wake_outbox: Callable[[], None] = lambda: None
        self._stopping = asyncio.Event()
        self._chores: set[asyncio.Task[None]] = set()
        self.reconcile_every = RECONCILE_EVERY
        self.ready = asyncio.Event()

    # -- the inbox and the window ---------------------------------------------------------

    async def _store(self, webhook: Webhook) -> None:
        released, failed = await asyncio.to_thread(self._store_now, webhook)
        for campaign, error in failed:
            try:
                await asyncio.to_thread(self._helpdesk.not_delivered, campaign, error)
            except Exception:
                log.exception("telling the officers of a failed message failed (%s)", campaign)
        self.intake.wake()
        if released or webhook.statuses:
            self.wake_outbox()
        last: dict[str, str] = {}
        for received in webhook.messages:
            last[received.chat_key] = received.update_id
        for message_id in last.values():
            task = asyncio.create_task(self._mark_read(message_id))
            self._chores.add(task)
            task.add_done_callback(self._chores.discard)

    def _store_now(self, webhook: Webhook) -> tuple[int, list[tuple[str, str]]]:
        """Stores and commits the webhook: its messages, the windows they open again (and
        what was held for them), its statuses; what failed, by campaign, for reporting."""
        now = self._helpdesk.clock.now()
        released = 0
        failed: list[tuple[str, str]] = []
        with writing(), UnitOfWork(self._helpdesk.sessions) as uow:
            store_updates(uow.session, CHANNEL, webhook.messages, now)
            for person in webhook.senders:
                released += person_wrote(uow.session, CHANNEL, person, now)
            for status in webhook.statuses:
                row = record_receipt(
                    uow.session,
                    CHANNEL,
                    status.message_id,
                    status.receipt,
                    status.at,
                    status.error,
                    outbox_id=status.outbox_id,
                )
                if row is not None and row.status is OutboxStatus.FAILED and status.error:
                    failed.append((row.campaign, status.error))
            uow.commit()
        if released:
            log.info("%d held WhatsApp message(s) go out: the person wrote again", released)
        return released, failed

    async def _mark_read(self, message_id: str) -> None:
        try:
            await self.graph.mark_read(message_id, typing=True)
        except Exception as exc:  # noqa: BLE001 - a courtesy: never worth failing over
            log.info("marking WhatsApp message %s read failed: %s", message_id, exc)

    async def window(self, chat_id: str) -> tuple[bool, bool]:
        def look() -> tuple[bool, bool]:
            with self._helpdesk.sessions() as session:
                now = self._helpdesk.clock.now()
                return (
                    window_open(session, CHANNEL, chat_id, now),
                    held_for(session, CHANNEL, chat_id) > 0,
                )

        return await asyncio.to_thread(look)

    async def begin(self, chat_id: str) -> float:
        """0 when the daily limit (WHATSAPP_DAILY_TIER) lets a conversation begin with the
        person now (then counted); else seconds until it has room."""
        tier = self._settings.whatsapp_daily_tier

        def take() -> float:
            with writing(), UnitOfWork(self._helpdesk.sessions) as uow:
                now = self._helpdesk.clock.now()
                if take_tier(uow.session, CHANNEL, chat_id, tier, now):
                    uow.commit()
                    return 0.0
                return max(1.0, (tier_frees_at(uow.session, CHANNEL, now) - now).total_seconds())

        return await asyncio.to_thread(take)

    async def held(self, campaign: str) -> None:
        """The officers are told their answer waits (not the liaison: the template does)."""
        try:
            await asyncio.to_thread(self._helpdesk.not_delivered, campaign)
        except Exception:
            log.exception("telling the officers of a held answer failed (%s)", campaign)
        self.wake_outbox()

    def _answers_due(self) -> None:
        self.wake_outbox()

    async def _no_toast(self, _callback_id: str, _toast: Toast | None) -> None:
        """WhatsApp has no toasts: a pressed reply button is a message of its own."""

    async def _reconcile(self) -> None:
        """Until stopped: messages left uncertain by a crash, never taken by WhatsApp, go
        back in line (see ``STATUS_GRACE``)."""
        started = self._helpdesk.clock.now()

        def requeue() -> int:
            now = self._helpdesk.clock.now()
            if now - started < STATUS_GRACE:
                return 0
            with writing(), UnitOfWork(self._helpdesk.sessions) as uow:
                count = requeue_unconfirmed(uow.session, CHANNEL, now - STATUS_GRACE)
                uow.commit()
            return count

        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self.reconcile_every)
            try:
                count = await asyncio.to_thread(requeue)
            except Exception:
                log.exception("looking for unconfirmed WhatsApp messages failed")
                continue
            if count:
                log.warning("%d WhatsApp message(s) lost in a crash are sent again", count)
                self.wake_outbox()

    # -- life -----------------------------------------------------------------------------

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        """Serves the webhook on the HTTP server until :meth:`stop`."""
        secret = self._settings.whatsapp_app_secret
        verify = self._settings.whatsapp_verify_token
        assert secret is not None
        for route in webhook_routes(
            self._settings.whatsapp_webhook_path,
            app_secret=secret.get_secret_value(),
            verify_token=verify.get_secret_value() if verify else None,
            phone_number_id=self._phone,
            store=self._store,
        ):
            self._http.add(route)
        intake = asyncio.create_task(self.intake.run(self._stopping))
        reconcile = asyncio.create_task(self._reconcile())
        self.ready.set()
        log.info(
            "WhatsApp webhook at %s%s", self._http.address, self._settings.whatsapp_webhook_path
        )
        try:
            await self._stopping.wait()
        finally:
            self._stopping.set()
            await intake
            await reconcile
            await self.intake.drain(DRAIN_SECONDS)
            for task in list(self._chores):
                task.cancel()
            await self.graph.close()
