"""Broadcast throughput and exactly-once delivery of the outbox, against a loopback fake
Bot API that applies Telegram's limits (30/s overall, 1/s per private chat, 20/min per
group; a 429 with retry_after beyond them).

One announcement to N private chats is put in the outbox of a fresh database; the real
`helpdesk run` process sends it. The figures: messages per second (first to last message
the fake accepted), 429s received, duplicates (chats that got it twice) and losses (chats
that never got it). With --kill, the process is killed with SIGKILL when about half have
been sent, started again, and left to finish; the same figures, plus how many messages
the restart found "uncertain" (handed over when the kill came).

    .venv/bin/python bench/broadcast.py [--recipients 10000] [--kill] [--database-url URL]
                                        [--runtime ptb|aiogram]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import launch  # noqa: E402
from bench.launch import outbox_statuses  # noqa: E402
from tests.fake_botapi import FakeBotAPI, TelegramLimits  # noqa: E402

FIRST_CHAT = 10_000_000
TEXT = (
    "<b>Pengumuman KPU</b>\nBatas akhir unggah dokumen perbaikan adalah "
    "<b>Kamis, 29 Agustus 2024 pukul 23.59</b> waktu setempat."
)


def fill_outbox(database_url: str, recipients: int) -> None:
    launch.fill_outbox(
        database_url, recipients, first=FIRST_CHAT, text=TEXT, campaign="announce:bench"
    )


async def start_bot(
    fake: FakeBotAPI, database_url: str, workdir: str, runtime: str | None = None
) -> asyncio.subprocess.Process:
    """``helpdesk run`` on ``database_url``; ``runtime`` is TELEGRAM_RUNTIME (None: the
    default)."""
    return await launch.run_bot(launch.bot_env(fake, database_url, runtime=runtime), workdir)


def sends(fake: FakeBotAPI) -> list[float]:
    return [c.at for c in fake.calls if c.method == "sendMessage" and c.response.get("ok")]


async def wait_for_sends(fake: FakeBotAPI, count: int, deadline: float) -> None:
    while fake.stats.sent < count and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.01)


async def run(
    recipients: int, kill: bool, database_url: str | None, runtime: str | None = None
) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as workdir:
        url = database_url or f"sqlite:///{workdir}/bench.db"
        fill_outbox(url, recipients)
        async with FakeBotAPI(limits=TelegramLimits()) as fake:
            deadline = time.monotonic() + recipients / 20 + 120
            process = await start_bot(fake, url, workdir, runtime)
            uncertain_after_kill = 0
            if kill:
                await wait_for_sends(fake, recipients // 2, deadline)
                process.send_signal(signal.SIGKILL)
                await process.wait()
                killed_at = fake.stats.sent
                await asyncio.sleep(0.5)
                process = await start_bot(fake, url, workdir, runtime)
                await asyncio.sleep(0)
            await wait_for_sends(fake, recipients, deadline)
            # Whatever is still coming (uncertain ones never come): a short grace.
            await asyncio.sleep(2.0)
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=30)
            times = sends(fake)
            delivered = fake.stats.delivered
            statuses = outbox_statuses(url)
            if kill:
                uncertain_after_kill = statuses.get("uncertain", 0)
            wanted = {FIRST_CHAT + n for n in range(recipients)}
            got = Counter({int(k): v for k, v in delivered.items() if int(k) in wanted})
            span = (max(times) - min(times)) if len(times) > 1 else float("nan")
            result: dict[str, object] = {
                "recipients": recipients,
                "messages_accepted": len(times),
                "seconds_first_to_last": round(span, 1),
                "messages_per_second": round((len(times) - 1) / span, 2) if span else None,
                "too_many_requests_429": fake.stats.too_many_requests,
                "duplicates": sum(1 for v in got.values() if v > 1),
                "losses": len(wanted - set(got)),
                "outbox": dict(statuses),
            }
            if kill and len(times) > 2:
                ordered = sorted(times)
                gap = max(b - a for a, b in itertools.pairwise(ordered))
                result["seconds_down_for_restart"] = round(gap, 1)
                result["messages_per_second_while_up"] = round((len(times) - 2) / (span - gap), 2)
                result["killed_after_sent"] = killed_at
                result["uncertain_after_restart"] = uncertain_after_kill
            return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--kill", action="store_true", help="kill -9 halfway and restart")
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file")
    parser.add_argument("--runtime", default=None, help="TELEGRAM_RUNTIME; default: the default")
    args = parser.parse_args()
    result = asyncio.run(run(args.recipients, args.kill, args.database_url, args.runtime))
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
