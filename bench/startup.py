"""Start-up time and resident memory of `helpdesk run`, against a loopback fake Bot API.

Measures, over several runs: the time from launching the process to its first Bot API
call, the time to answer a /start that was waiting before launch, and the resident memory
(VmRSS, VmHWM) after answering /start from 200 more people sent at once.

    .venv/bin/python bench/startup.py [--runs 5] [--people 200] [--runtime ptb|aiogram]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.launch import bot_env, run_bot  # noqa: E402
from tests.fake_botapi import FakeBotAPI  # noqa: E402


def memory_kib(pid: int) -> dict[str, int]:
    figures: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            figures[key] = int(value.split()[0])
    return figures


async def one_run(people: int, runtime: str | None = None) -> dict[str, float]:
    """One launch; ``runtime`` is TELEGRAM_RUNTIME (None: the default)."""
    async with FakeBotAPI() as fake:
        with tempfile.TemporaryDirectory() as workdir:
            env = bot_env(fake, runtime=runtime)
            # queued before launch: answered as soon as the first poll returns it
            fake.push_update(fake.message_update(chat_id=1, from_id=1, text="/start"))
            started = time.monotonic()
            process = await run_bot(env, workdir)
            try:
                # Call.at is time.monotonic() when the fake answered the call
                ready = (await fake.wait_for_call("getMe", timeout=60)).at - started
                first_answer = (await fake.wait_for_call("sendMessage", timeout=60)).at - started
                after_start = memory_kib(process.pid)
                burst = time.monotonic()
                for person in range(2, people + 2):
                    fake.push_update(
                        fake.message_update(chat_id=person, from_id=person, text="/start")
                    )
                for _ in range(people):
                    await fake.wait_for_call("sendMessage", timeout=60)
                burst_seconds = time.monotonic() - burst
                after_burst = memory_kib(process.pid)
            finally:
                process.terminate()
                await asyncio.wait_for(process.wait(), timeout=20)
    return {
        "ready_s": ready,
        "first_answer_s": first_answer,
        "rss_idle_mib": after_start["VmRSS"] / 1024,
        "rss_after_mib": after_burst["VmRSS"] / 1024,
        "peak_mib": after_burst["VmHWM"] / 1024,
        "burst_per_s": people / burst_seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--runtime", default=None, help="TELEGRAM_RUNTIME; default: the default")
    args = parser.parse_args()
    runs = [asyncio.run(one_run(args.people, args.runtime)) for _ in range(args.runs)]
    runtime = args.runtime or "default runtime"
    print(f"helpdesk run ({runtime}): {args.runs} runs, {args.people} /start after the first")
    for key, label in [
        ("ready_s", "launch to first Bot API call, getMe (s)"),
        ("first_answer_s", "launch to first /start answered (s)"),
        ("rss_idle_mib", "resident memory after first answer (MiB)"),
        ("rss_after_mib", f"resident memory after {args.people} people (MiB)"),
        ("peak_mib", "peak resident memory (MiB)"),
        ("burst_per_s", "/start answered per second in the burst"),
    ]:
        values = [r[key] for r in runs]
        print(
            f"  {label:45} median {statistics.median(values):8.2f}   "
            f"min {min(values):8.2f}   max {max(values):8.2f}"
        )


if __name__ == "__main__":
    main()
