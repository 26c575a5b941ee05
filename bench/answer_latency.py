"""Message-to-answer time under a burst: N people each send a free-text question at once
to a real `helpdesk run` process, long polling a loopback fake Bot API that applies
Telegram's limits (30/s overall, 1/s per private chat, 20/min per group).

The time of one answer is from the moment the question was queued at the fake to the
moment the fake accepted the bot's first message to that person. Figures: p50, p95 and
the slowest, how many were answered, 429s received, and people answered twice.

    .venv/bin/python bench/answer_latency.py [--people 200] [--database-url URL] [--log FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import launch  # noqa: E402
from tests.fake_botapi import FakeBotAPI, TelegramLimits  # noqa: E402

FIRST_PERSON = 20_000_000
QUESTION = "kapan batas akhir pendaftaran partai politik?"


async def start_bot(
    fake: FakeBotAPI, database_url: str, workdir: str, settings: dict[str, str] | None = None
) -> asyncio.subprocess.Process:
    env = launch.bot_env(fake, database_url, settings=settings)
    return await launch.run_bot(env, workdir)


def first_answers(fake: FakeBotAPI, people: set[int]) -> dict[int, list[float]]:
    answers: dict[int, list[float]] = {}
    for call in fake.calls_to("sendMessage"):
        chat = call.params.get("chat_id")
        if call.response.get("ok") and isinstance(chat, int) and chat in people:
            answers.setdefault(chat, []).append(call.at)
    return answers


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


async def run(people: int, database_url: str | None, log: str | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as workdir:
        url = database_url or f"sqlite:///{workdir}/bench.db"
        async with FakeBotAPI(limits=TelegramLimits()) as fake:
            process = await start_bot(fake, url, workdir)
            try:
                await fake.wait_for_call("getUpdates", timeout=180)
                await asyncio.sleep(1.0)  # start-up calls settle
                wanted = {FIRST_PERSON + n for n in range(people)}
                asked: dict[int, float] = {}
                for person in sorted(wanted):
                    fake.push_update(
                        fake.message_update(chat_id=person, from_id=person, text=QUESTION)
                    )
                    asked[person] = time.monotonic()
                deadline = time.monotonic() + 60 + people
                while time.monotonic() < deadline:
                    if len(first_answers(fake, wanted)) == people:
                        break
                    await asyncio.sleep(0.05)
                await asyncio.sleep(1.0)  # anything answered twice would show now
            finally:
                process.send_signal(signal.SIGTERM)
                await asyncio.wait_for(process.wait(), timeout=60)
                if log:
                    shutil.copyfile(Path(workdir) / "bot.log", log)
            answers = first_answers(fake, wanted)
            latencies = [min(times) - asked[p] for p, times in answers.items()]
            if not latencies:
                return {"people": people, "answered": 0}
            return {
                "people": people,
                "answered": len(answers),
                "p50_seconds": round(statistics.median(latencies), 2),
                "p95_seconds": round(percentile(latencies, 0.95), 2),
                "slowest_seconds": round(max(latencies), 2),
                "too_many_requests_429": fake.stats.too_many_requests,
                "messages_per_person": round(
                    sum(len(t) for t in answers.values()) / len(answers), 2
                ),
            }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file")
    parser.add_argument("--log", default=None, help="keep the bot's log in this file")
    args = parser.parse_args()
    result = asyncio.run(run(args.people, args.database_url, args.log))
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
