"""Runs the real Telegram transport against the fake Bot API server, in-process."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from bot import storage
from bot.composition import Container, build
from bot.settings import load_settings
from bot.transports.telegram import TelegramTransport
from bot.transports.telegram.api import BotApi
from bot.transports.telegram.runtimes import make_api
from models import Chat, Clock, Person
from tests.fake_botapi import FakeBotAPI

ROOT = Path(__file__).parents[2]


async def eventually(condition: Callable[[], bool], within: float = 3.0) -> bool:
    """Whether ``condition`` becomes true within ``within`` seconds (checked every 20 ms)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(0.02)
    return True


LIAISON = 5001


def say(
    fake: FakeBotAPI, text: str, *, chat_id: int = LIAISON, from_id: int = LIAISON, **details: Any
) -> int:
    """A person writes ``text``; the update id it was given."""
    return fake.push_update(
        fake.message_update(chat_id=chat_id, from_id=from_id, text=text, **details)
    )


def press(fake: FakeBotAPI, message_id: int, data: str, *, chat_id: int = LIAISON) -> int:
    """A person presses a button of the bot's message ``message_id``."""
    return fake.push_update(
        fake.callback_update(chat_id=chat_id, from_id=chat_id, message_id=message_id, data=data)
    )


def helpdesk_env(fake: FakeBotAPI, **extra: str) -> dict[str, str]:
    """The environment for a ``helpdesk run`` process served by ``fake``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("WEBHOOK_", "DATABASE_", "TELEGRAM_", "HTTP_"))
        or k == "TELEGRAM_RUNTIME"
    }
    return (
        env
        | {
            "HTTP_LISTEN": "127.0.0.1:0",
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_URL": fake.base_url,
            "PYTHONPATH": str(ROOT),
        }
        | extra
    )


@asynccontextmanager
async def helpdesk_run(
    fake: FakeBotAPI, cwd: Path, **extra: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """``helpdesk run`` as its own process in ``cwd``, served by ``fake``; killed on the
    way out if the test did not stop it (see :func:`stop`)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        cwd=cwd,
        env=helpdesk_env(fake, **extra),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def stop(process: asyncio.subprocess.Process) -> str:
    """Sends SIGTERM as a service manager would; what the process wrote to stderr."""
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=15)
    return stderr.decode()


def api_for(fake: FakeBotAPI) -> BotApi:
    """A Bot API client of the runtime TELEGRAM_RUNTIME names, talking to ``fake``."""
    settings = load_settings(
        env_file=None, telegram_bot_token=fake.token, telegram_api_url=fake.base_url
    )
    return make_api(settings)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Running:
    transport: TelegramTransport
    container: Container
    fake: FakeBotAPI

    def session(self) -> Session:
        return storage.session_factory(self.container.engine)()

    def person(self, external_id: int) -> Person:
        with self.session() as session:
            return session.exec(select(Person).where(Person.external_id == str(external_id))).one()

    def chat(self, external_id: int) -> Chat:
        with self.session() as session:
            return session.exec(select(Chat).where(Chat.external_id == str(external_id))).one()


@asynccontextmanager
async def running_bot(
    fake: FakeBotAPI,
    database_url: str,
    *,
    webhook: bool = False,
    prepare: Callable[[Container], Any] | None = None,
    clock: Clock | None = None,
    **settings_overrides: Any,
) -> AsyncIterator[Running]:
    """The real Telegram transport, in this process, on ``database_url``, talking to the
    fake. With ``clock``, the help desk, the scheduler's use cases and the outbox see that
    clock's time (tests move it); ``settings_overrides`` such as
    ``scheduler_tick_seconds=0.1`` change settings."""
    overrides: dict[str, object] = {
        "telegram_bot_token": fake.token,
        "telegram_api_url": fake.base_url,
        "database_url": database_url,
        "log_level": "DEBUG",
        "http_listen": "127.0.0.1:0",
        **settings_overrides,
    }
    if webhook:
        port = free_port()
        overrides |= {
            "webhook_url": f"http://127.0.0.1:{port}/telegram/hook",
            "webhook_secret": "s3cret-for-tests",
            "http_listen": f"127.0.0.1:{port}",
        }
    settings = load_settings(env_file=None, **overrides)
    container = build(settings, clock=clock)
    if prepare is not None:
        prepare(container)
    transport = TelegramTransport(settings, container.helpdesk, container)
    task = asyncio.create_task(transport.run())
    try:
        ready = asyncio.create_task(transport.ready.wait())
        done, _ = await asyncio.wait({task, ready}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            if task in done:
                task.result()
            raise AssertionError("the transport did not become ready within 10 s")
        yield Running(transport, container, fake)
    finally:
        transport.stop()
        await asyncio.wait_for(task, timeout=10)
        container.close()
