"""What the benchmarks share: `helpdesk run` started against loopback fakes, and an
outbox filled with an announcement and read back."""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import select  # noqa: E402

from bot import storage  # noqa: E402
from models import Lane, OutboxMessage, OutboxStatus  # noqa: E402
from models.outbox import enqueue  # noqa: E402

# settings of the calling environment that would point the bot elsewhere
FOREIGN = ("WEBHOOK_", "DATABASE_", "TELEGRAM_", "HTTP_", "WHATSAPP_")


class BotApiFake(Protocol):
    token: str
    base_url: str


def bot_env(
    fake: BotApiFake,
    database_url: str | None = None,
    *,
    runtime: str | None = None,
    listen: str = "127.0.0.1:0",
    settings: dict[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a `helpdesk run` served by ``fake`` (a fake Bot API): this
    process's, less whatever would point the bot elsewhere, plus ``settings``.
    ``database_url`` None: the default (a SQLite file in the working folder);
    ``runtime`` None: the default TELEGRAM_RUNTIME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(FOREIGN)}
    env |= {
        "HTTP_LISTEN": listen,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.base_url,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    if runtime is not None:
        env["TELEGRAM_RUNTIME"] = runtime
    return env | (settings or {})


async def run_bot(env: dict[str, str], workdir: str) -> asyncio.subprocess.Process:
    """`helpdesk run` in ``workdir`` with ``env``; its log goes to ``workdir``/bot.log."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        cwd=workdir,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=open(Path(workdir) / "bot.log", "ab"),  # noqa: ASYNC230
    )


def fill_outbox(
    database_url: str,
    recipients: int,
    *,
    first: int,
    text: str,
    campaign: str,
    channel: str = "telegram",
    migrate: bool = True,
) -> None:
    """An announcement of ``text`` to ``recipients`` chats numbered from ``first``, as
    the broadcast engine puts it in the outbox (one bulk row each)."""
    engine = storage.make_engine(database_url)
    if migrate:
        storage.upgrade(engine)
    now = datetime.now(UTC)
    with storage.session_factory(engine)() as session:
        for n in range(recipients):
            chat = str(first + n)
            enqueue(
                session,
                campaign=campaign,
                recipient=chat,
                channel=channel,
                chat_id=chat,
                text=text,
                lane=Lane.BULK,
                now=now,
            )
            if n % 1000 == 999:
                session.commit()
        session.commit()
    engine.dispose()


def outbox_statuses(database_url: str) -> Counter[str]:
    """How many outbox rows are in each status."""
    engine = storage.make_engine(database_url)
    with storage.session_factory(engine)() as session:
        rows = session.exec(select(OutboxMessage.status)).all()
    engine.dispose()
    return Counter(OutboxStatus(r).value for r in rows)
