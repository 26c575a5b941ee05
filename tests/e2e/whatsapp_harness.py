"""Runs the real WhatsApp and Telegram transports side by side on one HTTP server, in
this process, against the fake Cloud API and the fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from bot import storage
from bot.cli.root import serve_both
from bot.composition import Container, build
from bot.http.server import HttpServer
from bot.settings import load_settings
from bot.transports.telegram import TelegramTransport
from bot.transports.whatsapp import CHANNEL, WhatsAppTransport
from models import Clock
from tests.fake_botapi import FakeBotAPI
from tests.fake_cloudapi import FakeCloudAPI


@dataclass
class Both:
    telegram: TelegramTransport
    whatsapp: WhatsAppTransport
    container: Container
    http: HttpServer

    def session(self) -> Any:
        return storage.session_factory(self.container.engine)()


def whatsapp_settings(cloud: FakeCloudAPI) -> dict[str, Any]:
    return {
        "whatsapp_access_token": cloud.token,
        "whatsapp_phone_number_id": cloud.phone_number_id,
        "whatsapp_app_secret": cloud.app_secret,
        "whatsapp_verify_token": "verify-me",
        "whatsapp_base_url": cloud.base_url,
        "whatsapp_api_version": cloud.version,
        "whatsapp_business_account_id": cloud.business_account_id,
        "whatsapp_display_number": cloud.display_number,
    }


@asynccontextmanager
async def running_both(
    telegram: FakeBotAPI,
    cloud: FakeCloudAPI,
    database_url: str,
    *,
    prepare: Callable[[Container], Any] | None = None,
    clock: Clock | None = None,
    **overrides: Any,
) -> AsyncIterator[Both]:
    settings = load_settings(
        env_file=None,
        telegram_bot_token=telegram.token,
        telegram_api_url=telegram.base_url,
        database_url=database_url,
        log_level="DEBUG",
        http_listen="127.0.0.1:0",
        **whatsapp_settings(cloud),
        **overrides,
    )
    if clock is not None:
        cloud.now = clock.now
    container = build(settings, clock=clock)
    if prepare is not None:
        prepare(container)
    http = HttpServer(*settings.listen_host_port)
    await http.start()
    whatsapp = WhatsAppTransport(settings, container.helpdesk, http)
    whatsapp.reconcile_every = 0.5  # tests move the clock past the grace, then look
    container.couriers[CHANNEL] = whatsapp.courier
    container.channel_limits[CHANNEL] = whatsapp.limits
    transport = TelegramTransport(settings, container.helpdesk, container, http=http)
    cloud.webhook_url = f"http://127.0.0.1:{http.port}{settings.whatsapp_webhook_path}"
    task = asyncio.create_task(serve_both(transport, whatsapp))
    try:
        async with asyncio.timeout(10):
            while not (transport.ready.is_set() and whatsapp.ready.is_set()):
                if task.done():
                    task.result()
                await asyncio.sleep(0.02)
        yield Both(transport, whatsapp, container, http)
    finally:
        transport.stop()
        await asyncio.wait_for(task, timeout=15)
        await http.stop()
        container.close()
