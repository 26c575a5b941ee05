"""The help desk as several processes on PostgreSQL under a deadline night's load.

Three webhook workers and a leader (``helpdesk run`` x 4, HELPDESK_ROLE=all, so that a
worker can take the lead) share one PostgreSQL database; a load balancer's part is played
here: each update goes to the next worker, and to another one when a worker does not
answer. The Bot API is a loopback fake that refuses, with a 429, a 31st message in any
one second and a 21st in any minute to one group (``TelegramLimits(strict=True)``).

The world: 20 Kab/Kota offices with a forum staff chat and an officer each, 2,000
liaisons registered by invite, 200 of them with an open ticket. Then, for ``--minutes``,
``--rate`` updates a second: free-text questions, button presses (on the bot's own
last keyboard), liaisons writing in their ticket, officers answering in the ticket's
topic; meanwhile a 5,000-recipient announcement goes out. Halfway, the leader is killed
with SIGKILL. A person waits for the answer before writing again.

Printed: time to answer p50/p95 per kind (from the POST to the fake seeing the answer: a
message or edit to the chat for a question, the toast for a button, the relayed text in
the staff topic or the liaison's chat), updates lost (stored but never answered, or
never stored), duplicates (a relay or an announcement seen twice), 429s, the time to a
new leader, the announcement's progress and what the outbox holds as uncertain, and the
machine's load.

    createdb -h 127.0.0.1 -U postgres load_bench   # or let the bench make it
    .venv/bin/python bench/load.py [--minutes 5] [--rate 40] [--liaisons 2000]
        [--announce 5000] [--database-url postgresql://postgres@127.0.0.1:5432/load_bench]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from bench import launch  # noqa: E402
from bot import storage  # noqa: E402
from bot.composition import build  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from models.staff import Role  # noqa: E402
from tests.chat import Chat  # noqa: E402
from tests.desk import Desk  # noqa: E402
from tests.e2e.processes import (  # noqa: E402
    LEADS,
    SERVING,
    HelpdeskProcess,
    leader_among,
    start_process,
)
from tests.fake_botapi import FakeBotAPI, TelegramLimits  # noqa: E402
from tests.fake_botapi.models import Call  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/load_bench"
OFFICES = 20
TICKETS = 200
FIRST_LIAISON = 60_000_000
FIRST_OFFICER = 61_000_000
FIRST_RECIPIENT = 62_000_000
STAFF_BASE = -100_900_000_000
ANNOUNCEMENT = "Pengumuman KPU: batas akhir unggah dokumen perbaikan Kamis pukul 23.59."
QUESTIONS = (
    "kapan pendaftaran partai ditutup",
    "bagaimana cara unggah KTA di SIPOL",
    "apa itu verifikasi faktual",
    "syarat keanggotaan partai politik apa saja",
    "siapa yang harus hadir saat verfak",
    "dokumen apa yang perlu diperbaiki kalau BMS",
    "how do I upload membership cards",
    "jadwal tahapan pencalonan",
)
TOKEN = re.compile(r"(?:tiket|balasan)-\d+")
MIX = (("question", 0.45), ("button", 0.25), ("ticket", 0.15), ("officer", 0.15))


@dataclass
class Sent:
    kind: str
    chat: int  # whose answer to look for
    token: str  # text that marks the answer (relays), or a callback id (buttons)
    posted: float
    stored: bool = False
    answered: float | None = None


@dataclass
class World:
    offices: list[tuple[str, int, int]] = field(default_factory=list)  # code, staff, officer
    liaisons: list[int] = field(default_factory=list)
    ticket_of: dict[int, tuple[str, int, int]] = field(default_factory=dict)  # key,staff,off


# -- the database and the world -------------------------------------------------------------


def fresh_database(url: str) -> None:
    parsed = sa.engine.make_url(storage.normalise_url(url))
    admin = sa.create_engine(
        parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool
    )
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{parsed.database}"')
    admin.dispose()


def prepare_world(url: str, liaisons: int) -> World:
    """Offices, staff chats, officers and liaisons, through the help desk's own use cases
    (in this process; what they would send is not sent)."""
    settings = load_settings(env_file=None, database_url=url, log_level="WARNING")
    container = build(settings)
    world = World()
    try:
        helpdesk = container.helpdesk
        helpdesk.services.bot_username = "kpu_helpdesk_test_bot"
        desk = Desk(helpdesk, helpdesk.sessions, container.clock)
        with helpdesk.sessions() as session:
            codes = [
                str(code)
                for code in session.execute(
                    sa.text("SELECT code FROM office WHERE code LIKE '__.__' ORDER BY code")
                ).scalars()
            ][:OFFICES]
        tokens = []
        for n, code in enumerate(codes):
            staff, officer = STAFF_BASE - n, FIRST_OFFICER + n
            desk.link(code, staff)
            desk.officer(officer, code, Role.AGENT, f"Petugas {n}")
            tokens.append(desk.invite(code, "pkb", "dpc", uses=min(500, liaisons)))
            world.offices.append((code, staff, officer))

        def register(n: int) -> int:
            person = FIRST_LIAISON + n
            chat = Chat(
                helpdesk,
                chat_id=str(person),
                person_id=str(person),
                name=f"LO {n}",
                channel="telegram",
            )
            chat.send(f"/start {tokens[n % len(tokens)]}")
            if n < TICKETS:
                chat.send(f"/tanya pertanyaan tiket nomor {n} tentang unggah dokumen")
            return person

        with ThreadPoolExecutor(4) as pool:
            world.liaisons = list(pool.map(register, range(liaisons)))
        with helpdesk.sessions() as session:
            rows = session.execute(
                sa.text(
                    "SELECT p.external_id, t.topic_key, tp.chat_id FROM ticket t"
                    " JOIN liaison l ON l.id = t.liaison_id JOIN person p ON p.id = l.person_id"
                    " JOIN topic tp ON tp.key = t.topic_key ORDER BY t.id"
                )
            ).all()
        officer_of_staff = {staff: officer for _, staff, officer in world.offices}
        for external_id, key, staff in rows:
            staff_id = int(str(staff))
            world.ticket_of[int(str(external_id))] = (
                str(key),
                staff_id,
                officer_of_staff[staff_id],
            )
    finally:
        container.close()
    return world


def announce(url: str, recipients: int) -> None:
    launch.fill_outbox(
        url,
        recipients,
        first=FIRST_RECIPIENT,
        text=ANNOUNCEMENT,
        campaign="announce:load",
        migrate=False,
    )


def scalar_rows(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = storage.make_engine(url)
    with engine.connect() as connection:
        rows = [tuple(r) for r in connection.execute(sa.text(sql)).all()]
    engine.dispose()
    return rows


def threads(url: str) -> dict[str, int]:
    return {
        str(key): int(str(thread))
        for key, thread in scalar_rows(
            url, "SELECT key, thread FROM topic WHERE thread IS NOT NULL"
        )
    }


# -- the load ---------------------------------------------------------------------------------


class Load:
    def __init__(self, fake: FakeBotAPI, world: World, workers: list[HelpdeskProcess]) -> None:
        self.fake = fake
        self.world = world
        self.workers = workers
        self.sent: list[Sent] = []
        self.waiting: dict[int, Sent] = {}  # a person's update not answered yet
        self.relays: dict[str, Sent] = {}  # a ticket message's token, until it is relayed
        self.threads: dict[str, int] = {}
        self.keyboards: dict[int, tuple[int, str]] = {}  # chat: (message id, data)
        self.seen_calls = 0
        self.tokens = itertools.count()
        self.ids = itertools.count(5_000_000)
        self.turn = itertools.count()
        self.rng = random.Random(15)
        self.not_stored = 0
        self.refused_posts = 0

    async def post(self, update: dict[str, object]) -> bool:
        """To the next living worker; to another when one does not answer."""
        update["update_id"] = next(self.ids)
        for _ in range(len(self.workers) * 2):
            living = [w for w in self.workers if w.alive]
            target = living[next(self.turn) % len(living)]
            try:
                status = await self.fake.post_webhook_to(target.url, update)
            except (OSError, TimeoutError, aiohttp.ClientError):  # a worker that is gone
                status = None
            if status == 200:
                return True
            self.refused_posts += 1
        self.not_stored += 1
        return False

    def pick(self, pool: list[int]) -> int | None:
        for _ in range(20):
            person = self.rng.choice(pool)
            if person not in self.waiting:
                return person
        return None

    async def one(self) -> None:
        kind = self.rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
        with_ticket = list(self.world.ticket_of)
        plain = self.world.liaisons[TICKETS:]
        now = time.monotonic()
        if kind == "button":
            candidates = [p for p in self.keyboards if p not in self.waiting]
            if not candidates:
                kind = "question"
            else:
                person = self.rng.choice(candidates)
                message_id, data = self.keyboards.pop(person)
                update = self.fake.callback_update(
                    chat_id=person, from_id=person, message_id=message_id, data=data
                )
                query = update["callback_query"]
                assert isinstance(query, dict)
                item = Sent("button", person, str(query["id"]), now)
        if kind == "officer":
            open_threads = [p for p in with_ticket if self.world.ticket_of[p][0] in self.threads]
            person = self.rng.choice(open_threads) if open_threads else None
            if person is None or person in self.waiting:
                kind = "question"
            else:
                key, staff, officer = self.world.ticket_of[person]
                token = f"balasan-{next(self.tokens)}"
                update = self.fake.message_update(
                    chat_id=staff,
                    from_id=officer,
                    text=f"{token}: dokumen sudah kami periksa, silakan unggah ulang",
                    thread_id=self.threads[key],
                    is_topic_message=True,
                )
                item = Sent("officer", person, token, now)
        if kind == "ticket":
            found = self.pick(with_ticket)
            if found is None:
                kind = "question"
            else:
                person = found
                _, staff, _ = self.world.ticket_of[person]
                token = f"tiket-{next(self.tokens)}"
                update = self.fake.message_update(
                    chat_id=person, from_id=person, text=f"{token} lampiran sudah saya kirim"
                )
                item = Sent("ticket", staff, token, now)
                self.relays[token] = item
        if kind == "question":
            found = self.pick(plain)
            if found is None:
                return
            person = found
            update = self.fake.message_update(
                chat_id=person, from_id=person, text=self.rng.choice(QUESTIONS)
            )
            item = Sent("question", person, "", now)
        self.sent.append(item)
        if item.kind in ("question", "button", "officer"):
            self.waiting[person] = item
        item.stored = await self.post(update)

    def look(self) -> None:
        """Matches the fake's new calls to the updates waiting for them."""
        calls: list[Call] = self.fake.calls[self.seen_calls :]
        self.seen_calls += len(calls)
        for call in calls:
            if not call.ok:
                continue
            chat = call.params.get("chat_id")
            text = str(call.params.get("text") or "")
            if call.method == "answerCallbackQuery":
                query_id = str(call.params.get("callback_query_id"))
                for person, item in list(self.waiting.items()):
                    if item.kind == "button" and item.token == query_id:
                        item.answered = call.at
                        del self.waiting[person]
                continue
            if call.method not in ("sendMessage", "editMessageText"):
                continue
            chat_id = int(str(chat))
            markup = call.params.get("reply_markup") or {}
            for row in markup.get("inline_keyboard", []) if isinstance(markup, dict) else []:
                data = [b.get("callback_data") for b in row if b.get("callback_data")]
                if data and chat_id >= FIRST_LIAISON and call.method == "sendMessage":
                    self.keyboards[chat_id] = (int(call.result["message_id"]), str(data[0]))
                    break
            item = self.waiting.get(chat_id)
            if (
                item is not None
                and call.at >= item.posted
                and ANNOUNCEMENT not in text
                and (item.kind == "question" or (item.kind == "officer" and item.token in text))
            ):
                item.answered = call.at
                del self.waiting[chat_id]
            if chat_id < 0:
                for word in TOKEN.findall(text):
                    relay = self.relays.pop(word, None)
                    if relay is not None:
                        relay.answered = call.at

    async def run(self, seconds: float, rate: float, url: str, kill_at: float) -> None:
        started = time.monotonic()
        n = 0
        tasks: set[asyncio.Task[None]] = set()
        next_threads = started
        while (elapsed := time.monotonic() - started) < seconds:
            if time.monotonic() >= next_threads:
                self.threads = await asyncio.to_thread(threads, url)
                next_threads = time.monotonic() + 2.0
            due = int(elapsed * rate)
            while n < due:
                n += 1
                task = asyncio.create_task(self.one())
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            if n % 4 == 0:
                self.look()
            if kill_at and elapsed >= kill_at:
                kill_at = 0.0
                await self.on_kill()
            await asyncio.sleep(0.01)
        await asyncio.gather(*tasks)

    async def on_kill(self) -> None:  # set by main
        pass


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main_async(args: argparse.Namespace) -> dict[str, object]:
    url = args.database_url
    load_before = os.getloadavg()
    print(f"preparing {url}: {args.liaisons} liaisons, {OFFICES} offices ...", flush=True)
    fresh_database(url)
    t0 = time.monotonic()
    world = await asyncio.to_thread(prepare_world, url, args.liaisons)
    print(
        f"world ready in {time.monotonic() - t0:.0f} s: {len(world.liaisons)} liaisons, "
        f"{len(world.ticket_of)} tickets",
        flush=True,
    )
    # What the preparation would have sent is not part of the night: only the tickets'
    # topics and cards remain to be sent.
    engine = storage.make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE outbox_message SET status = 'skipped' WHERE topic IS NULL")
        )
    engine.dispose()
    result: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as workdir:
        async with FakeBotAPI(limits=TelegramLimits(strict=True)) as fake:
            for _, staff, officer in world.offices:
                fake.observe(
                    fake.message_update(
                        chat_id=staff,
                        from_id=officer,
                        text="halo",
                        chat_type="supergroup",
                        chat_title="Staf KPU",
                    )
                )
            for person in world.liaisons:
                fake.observe(fake.message_update(chat_id=person, from_id=person, text="."))
            cwd = Path(workdir)
            leader = await start_process("leader", fake, url, cwd)
            await leader.wait_said(LEADS, within=180)
            workers = [
                await start_process(f"worker{n}", fake, url, cwd, public_port=leader.port)
                for n in range(3)
            ]
            processes = [leader, *workers]
            try:
                for process in processes:
                    await process.wait_said(SERVING, within=180)
                print("four processes serving; the load begins", flush=True)
                announce(url, args.announce)
                load = Load(fake, world, workers)
                seconds = args.minutes * 60
                killed: dict[str, float] = {}

                async def on_kill() -> None:
                    killed["at"] = time.monotonic()
                    await leader.kill()
                    print("leader killed (SIGKILL)", flush=True)

                load.on_kill = on_kill  # type: ignore[method-assign]
                await load.run(seconds, args.rate, url, kill_at=seconds / 2)
                posted_until = time.monotonic()
                print("load over; waiting for answers to drain (at most 120 s)", flush=True)
                drain_until = posted_until + 120
                while time.monotonic() < drain_until:
                    load.look()
                    if all(s.answered is not None or not s.stored for s in load.sent):
                        break
                    await asyncio.sleep(0.1)
                load.look()
                new_leader = await leader_among(workers, within=60)
                took_over = (new_leader.said(LEADS) or 0.0) - killed.get("at", 0.0)
                announced = sum(
                    1 for n in range(args.announce) if fake.stats.delivered[FIRST_RECIPIENT + n]
                )
                twice = sum(
                    1 for n in range(args.announce) if fake.stats.delivered[FIRST_RECIPIENT + n] > 1
                )
                texts = Counter(
                    token
                    for call in fake.calls
                    if call.ok and call.method == "sendMessage"
                    for token in TOKEN.findall(str(call.params.get("text") or ""))
                )
                relay_twice = sum(1 for count in texts.values() if count > 1)
                uncertain = scalar_rows(
                    url, "SELECT count(*) FROM outbox_message WHERE status = 'uncertain'"
                )[0][0]
                inbox = dict(
                    scalar_rows(url, "SELECT status, count(*) FROM inbox_update GROUP BY status")
                )
            finally:
                for process in processes:
                    await process.stop()
            for kind, _ in MIX:
                mine = [s for s in load.sent if s.kind == kind]
                waits = [s.answered - s.posted for s in mine if s.answered is not None]
                result[f"{kind}: posted / answered"] = f"{len(mine)} / {len(waits)}"
                result[f"{kind}: answer p50 / p95 (s)"] = (
                    f"{percentile(waits, 0.5):.2f} / {percentile(waits, 0.95):.2f}"
                )
            everything = [s.answered - s.posted for s in load.sent if s.answered is not None]
            result["all: answer p50 / p95 (s)"] = (
                f"{percentile(everything, 0.5):.2f} / {percentile(everything, 0.95):.2f}"
            )
            result["updates posted (rate/s)"] = f"{len(load.sent)} ({len(load.sent) / seconds:.1f})"
            result["lost: never stored"] = load.not_stored
            result["lost: stored, never answered"] = sum(
                1 for s in load.sent if s.stored and s.answered is None
            )
            result["inbox rows by status"] = inbox
            result["posts refused (retried elsewhere)"] = load.refused_posts
            result["duplicated relays"] = relay_twice
            result["announcement delivered / recipients"] = f"{announced} / {args.announce}"
            result["announcement delivered twice"] = twice
            result["outbox uncertain (kill)"] = uncertain
            result["429s"] = fake.stats.too_many_requests
            result["new leader after kill -9 (s)"] = round(took_over, 1)
            result["messages sent (all)"] = fake.stats.sent
            result["busiest second (accepted)"] = busiest_second(fake)
            result["load average before / after"] = (
                f"{'/'.join(f'{x:.1f}' for x in load_before)} / "
                f"{'/'.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
            )
            result["answer waits mean (s)"] = (
                round(statistics.mean(everything), 2) if everything else None
            )
    return result


def busiest_second(fake: FakeBotAPI) -> int:
    times = sorted(
        c.at
        for c in fake.calls
        if c.ok and c.method.startswith("send") and c.method != "sendChatAction"
    )
    best, start = 0, 0
    for end, at in enumerate(times):
        while times[start] <= at - 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=40.0, help="updates a second")
    parser.add_argument("--liaisons", type=int, default=2000)
    parser.add_argument("--announce", type=int, default=5000, help="announcement recipients")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    result = asyncio.run(main_async(args))
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
