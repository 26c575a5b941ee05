"""CPU per answer: the help desk (`helpdesk run` on SQLite) beside a bare bot of the same
Telegram runtime (``TELEGRAM_RUNTIME``, python-telegram-bot by default:
bench/yardsticks/bare_ptb_bot.py; aiogram: bench/yardsticks/bare_bot.py), in the same
run, each long polling its own loopback fake Bot API.

Both get the same load: N people each ask a free-text question once to warm up (their
rows, the caches), then, ``--rounds`` times, each asks again and then presses a button
on the answer. A phase's figure is the process's CPU time (user + system, all threads,
from /proc) from the first update pushed until every person was answered and the
process settled, less what the process spends idle over as long (measured before), per
person. The help desk answers the question from the knowledge base, and the button is
the answer's last one (the main menu); the bare bot answers any text with a fixed text
and a pressed button with a toast and an edit.

    [TELEGRAM_RUNTIME=aiogram] .venv/bin/python bench/overhead.py [--people 200]
        [--rounds 3] [--py-spy FILE]

``--py-spy FILE`` records where the help desk's CPU goes during the measured rounds
(py-spy, installed apart: ``pip install py-spy``) as a speedscope file.

CPU time is counted, not wall time, but a loaded machine still moves it (caches, the
scheduler): say how loaded the machine was beside the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.answer_latency import QUESTION, start_bot  # noqa: E402
from tests.fake_botapi import FakeBotAPI  # noqa: E402

FIRST_PERSON = 30_000_000
IDLE_SECONDS = 3.0  # how long the idle rate is measured
SETTLE_SECONDS = 0.5  # after the last answer: "sent" records, the outbox's last look
ANSWER_METHODS = ("sendMessage", "editMessageText")
BARE_BOTS = {"ptb": "bare_ptb_bot.py", "aiogram": "bare_bot.py"}
RUNTIME_NAMES = {"ptb": "python-telegram-bot", "aiogram": "aiogram"}


def runtime() -> str:
    """The runtime both bots use: the help desk's setting, read as it reads it."""
    return os.environ.get("TELEGRAM_RUNTIME", "ptb").strip().lower() or "ptb"


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the process, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Figures:
    idle_ms_per_s: float = 0.0
    question_ms: list[float] = field(default_factory=list)
    button_ms: list[float] = field(default_factory=list)


class Load:
    """The people of one bot, and the waits on its fake."""

    def __init__(self, fake: FakeBotAPI, pid: int, people: int) -> None:
        self.fake = fake
        self.pid = pid
        self.people = [FIRST_PERSON + n for n in range(people)]

    def answers(self) -> int:
        wanted = set(self.people)
        return sum(
            1
            for method in ANSWER_METHODS
            for call in self.fake.calls_to(method)
            if call.response.get("ok") and call.params.get("chat_id") in wanted
        )

    async def phase(self, push: Callable[[int], None], idle_rate: float) -> float:
        """CPU milliseconds per person for one update each, less idle time."""
        before = self.answers()
        toasts = len(self.fake.calls_to("answerCallbackQuery"))
        wanted_toasts = toasts + (len(self.people) if push.__name__ == "press" else 0)
        cpu, started = cpu_seconds(self.pid), time.monotonic()
        for person in self.people:
            push(person)
        deadline = started + 60 + len(self.people)
        # done when everyone was answered and, for a pressed button, shown its toast
        while (
            self.answers() < before + len(self.people)
            or len(self.fake.calls_to("answerCallbackQuery")) < wanted_toasts
        ):
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {self.answers() - before} of {len(self.people)} answered")
            await asyncio.sleep(0.02)
        await asyncio.sleep(SETTLE_SECONDS)
        spent = cpu_seconds(self.pid) - cpu - idle_rate * (time.monotonic() - started)
        return 1000 * spent / len(self.people)

    def ask(self, person: int) -> None:
        self.fake.push_update(
            self.fake.message_update(chat_id=person, from_id=person, text=QUESTION)
        )

    def press(self, person: int) -> None:
        message = self.fake.messages(person)[-1]
        rows = message["reply_markup"]["inline_keyboard"]
        data = [b["callback_data"] for row in rows for b in row if "callback_data" in b][-1]
        self.fake.push_update(
            self.fake.callback_update(
                chat_id=person, from_id=person, message_id=message["message_id"], data=data
            )
        )


async def measure(
    start: Callable[[FakeBotAPI, str], object], people: int, rounds: int, spy: str | None = None
) -> Figures:
    figures = Figures()
    with tempfile.TemporaryDirectory() as workdir:
        async with FakeBotAPI() as fake:
            process = await start(fake, workdir)  # type: ignore[misc]
            try:
                await fake.wait_for_call("getUpdates", timeout=180)
                await asyncio.sleep(1.0)  # start-up calls settle
                load = Load(fake, process.pid, people)
                cpu = cpu_seconds(process.pid)
                await asyncio.sleep(IDLE_SECONDS)
                idle = (cpu_seconds(process.pid) - cpu) / IDLE_SECONDS
                figures.idle_ms_per_s = 1000 * idle
                await load.phase(load.ask, idle)  # warm-up: first contact of everyone
                recorder = await record_with_py_spy(process.pid, spy) if spy else None
                for _ in range(rounds):
                    figures.question_ms.append(await load.phase(load.ask, idle))
                    figures.button_ms.append(await load.phase(load.press, idle))
                if recorder is not None:
                    recorder.send_signal(signal.SIGINT)
                    await asyncio.wait_for(recorder.wait(), timeout=60)
            finally:
                process.send_signal(signal.SIGTERM)
                await asyncio.wait_for(process.wait(), timeout=60)
    return figures


async def record_with_py_spy(pid: int, output: str) -> asyncio.subprocess.Process:
    recorder = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "py-spy"),
        "record",
        "--pid",
        str(pid),
        "--format",
        "speedscope",
        "--rate",
        "250",
        "--output",
        output,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    await asyncio.sleep(1.0)  # attached
    return recorder


async def start_helpdesk(fake: FakeBotAPI, workdir: str) -> asyncio.subprocess.Process:
    return await start_bot(
        fake, f"sqlite:///{workdir}/overhead.db", workdir, {"TELEGRAM_RUNTIME": runtime()}
    )


async def start_bare(fake: FakeBotAPI, workdir: str) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env |= {"TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.base_url}
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bench" / "yardsticks" / BARE_BOTS[runtime()]),
        cwd=workdir,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--py-spy", default=None, metavar="FILE")
    args = parser.parse_args()
    bare = asyncio.run(measure(start_bare, args.people, args.rounds))
    desk = asyncio.run(measure(start_helpdesk, args.people, args.rounds, args.py_spy))
    load = os.getloadavg()
    print(
        f"CPU per update, {args.people} people × {args.rounds} rounds; median of the rounds "
        f"(min-max); machine load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    bare_name = f"bare {RUNTIME_NAMES[runtime()]} bot"
    for name, figures in ((bare_name, bare), ("help desk (SQLite)", desk)):
        for label, values in (
            ("free-text answer", figures.question_ms),
            ("button press", figures.button_ms),
        ):
            print(
                f"  {name:30} {label:17} {statistics.median(values):6.2f} ms "
                f"({min(values):.2f}-{max(values):.2f})"
            )
        print(f"  {name:30} {'idle':17} {figures.idle_ms_per_s:6.2f} ms per second")


if __name__ == "__main__":
    main()
