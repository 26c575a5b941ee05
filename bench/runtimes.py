"""Both Telegram runtimes (TELEGRAM_RUNTIME=ptb and =aiogram) side by side, in one run,
each as a real `helpdesk run` process against a loopback fake Bot API:

- start-up: launch to the first answer (a /start queued before launch), and resident
  memory after that answer and after /start from 200 more people (bench/startup.py);
- CPU per update (the process's user + system time over a batch, divided by the batch):
  a free-text question the FAQ answers, and a button press (the menu's "Jadwal");
- broadcast: one announcement to N private chats through the outbox under Telegram's
  limits, messages per second, 429s, duplicates and losses (bench/broadcast.py).

    .venv/bin/python bench/runtimes.py [--runs 3] [--updates 100] [--recipients 2000]

The figures depend on the machine's load: run it when the machine is quiet, or say how
busy it was beside them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import broadcast  # noqa: E402
import startup  # noqa: E402

from bot.transports.telegram.runtimes import RUNTIMES  # noqa: E402
from tests.fake_botapi import FakeBotAPI  # noqa: E402

QUESTION = "kapan batas akhir pendaftaran partai politik?"
TICKS = os.sysconf("SC_CLK_TCK")
FIRST_PERSON = 20_000_000


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process so far (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def to_people(first: int, count: int) -> Any:
    wanted = {str(first + n) for n in range(count)}
    return lambda call: str(call.params.get("chat_id")) in wanted


async def answered(fake: FakeBotAPI, method: str, first: int, count: int) -> list[Any]:
    predicate = to_people(first, count)
    return [await fake.wait_for_call(method, predicate, timeout=120) for _ in range(count)]


def jadwal(call: Any) -> str:
    markup = call.params.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        for key in row:
            if "Jadwal" in key["text"]:
                return str(key["callback_data"])
    raise AssertionError("the menu has no Jadwal button")


async def cpu_per_update(runtime: str, updates: int) -> dict[str, float]:
    """Milliseconds of CPU per update: typed FAQ questions, then button presses, each from
    ``updates`` different people at once (after a warm-up answer, not counted)."""
    async with FakeBotAPI() as fake:
        with tempfile.TemporaryDirectory() as workdir:
            url = f"sqlite:///{workdir}/bench.db"
            process = await broadcast.start_bot(fake, url, workdir, runtime=runtime)
            try:
                await fake.wait_for_call("getUpdates", timeout=120)
                warm = FIRST_PERSON - 1
                fake.push_update(fake.message_update(chat_id=warm, from_id=warm, text=QUESTION))
                await answered(fake, "sendMessage", warm, 1)

                first = FIRST_PERSON
                before = cpu_seconds(process.pid)
                for n in range(updates):
                    person = first + n
                    fake.push_update(
                        fake.message_update(chat_id=person, from_id=person, text=QUESTION)
                    )
                await answered(fake, "sendMessage", first, updates)
                faq = (cpu_seconds(process.pid) - before) / updates

                first += updates
                for n in range(updates):
                    person = first + n
                    menu = fake.message_update(chat_id=person, from_id=person, text="/menu")
                    fake.push_update(menu)
                menus = await answered(fake, "sendMessage", first, updates)
                before = cpu_seconds(process.pid)
                for menu in menus:
                    person = int(menu.params["chat_id"])
                    fake.push_update(
                        fake.callback_update(
                            chat_id=person,
                            from_id=person,
                            message_id=menu.result["message_id"],
                            data=jadwal(menu),
                        )
                    )
                await answered(fake, "editMessageText", first, updates)
                press = (cpu_seconds(process.pid) - before) / updates
            finally:
                process.terminate()
                await asyncio.wait_for(process.wait(), timeout=30)
    return {"cpu_faq_ms": faq * 1000, "cpu_button_ms": press * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="start-up runs per runtime")
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--updates", type=int, default=100, help="updates per CPU batch")
    parser.add_argument("--recipients", type=int, default=2000, help="broadcast size")
    parser.add_argument("--runtimes", nargs="+", default=list(RUNTIMES), choices=RUNTIMES)
    args = parser.parse_args()
    rows: dict[str, dict[str, float]] = {}
    for runtime in args.runtimes:
        starts = [
            asyncio.run(startup.one_run(args.people, runtime=runtime)) for _ in range(args.runs)
        ]
        row = {key: statistics.median(r[key] for r in starts) for key in starts[0]}
        row |= asyncio.run(cpu_per_update(runtime, args.updates))
        sent = asyncio.run(broadcast.run(args.recipients, False, None, runtime=runtime))
        row |= {
            "broadcast_per_s": float(sent["messages_per_second"] or 0),  # type: ignore[arg-type]
            "broadcast_429": float(sent["too_many_requests_429"]),  # type: ignore[arg-type]
            "broadcast_duplicates": float(sent["duplicates"]),  # type: ignore[arg-type]
            "broadcast_losses": float(sent["losses"]),  # type: ignore[arg-type]
        }
        rows[runtime] = row
    print(
        f"Telegram runtimes, one run: start-up medians of {args.runs} runs, "
        f"{args.people} people, CPU over {args.updates} updates, broadcast to "
        f"{args.recipients}; load average {os.getloadavg()[0]:.1f} at the end"
    )
    print(f"  {'':48}" + "".join(f"{r:>12}" for r in rows))
    for key, label in [
        ("ready_s", "launch to first Bot API call, getMe (s)"),
        ("first_answer_s", "launch to first answer (s)"),
        ("rss_idle_mib", "resident memory after first answer (MiB)"),
        ("rss_after_mib", f"resident memory after {args.people} people (MiB)"),
        ("peak_mib", "peak resident memory (MiB)"),
        ("cpu_faq_ms", "CPU per update, free-text FAQ answer (ms)"),
        ("cpu_button_ms", "CPU per update, button press (ms)"),
        ("broadcast_per_s", "broadcast, messages per second"),
        ("broadcast_429", "broadcast, 429s received"),
        ("broadcast_duplicates", "broadcast, duplicates"),
        ("broadcast_losses", "broadcast, losses"),
    ]:
        print(f"  {label:48}" + "".join(f"{rows[r][key]:12.2f}" for r in rows))


if __name__ == "__main__":
    main()
