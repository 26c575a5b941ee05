"""An announcement to WhatsApp liaisons through the outbox, against a loopback fake Cloud
API that refuses more than its per-number throughput (130429) and checks every message.

N WhatsApp recipients, none of whom has written in the last 24 hours (the usual case for a
broadcast), get the announcement as its approved template; the real ``helpdesk run``
process (Telegram served by the fake Bot API beside it) sends them. The figures: messages
per second (first to last the fake accepted), refusals by code, duplicates and losses.
With --kill the process is killed with SIGKILL about halfway, started again and left to
finish. The fake posts a "sent" status for every message it takes, to the help desk's
webhook, again and again while the process is down (as Meta does); the messages the
restart found "uncertain" (handed over when the kill came) are settled by those statuses:
sent if WhatsApp took them, sent again after the grace (two minutes) if it never did.

    .venv/bin/python bench/whatsapp_broadcast.py [--recipients 5000] [--kill]
        [--per-second 80] [--database-url URL]
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
from tests.e2e.harness import free_port  # noqa: E402
from tests.fake_botapi import FakeBotAPI  # noqa: E402
from tests.fake_cloudapi import FakeCloudAPI  # noqa: E402

FIRST_NUMBER = 6281_000_000_000
CAMPAIGN = "ann:bench:m"
TEXT = (
    "📢 <b>Pengumuman KPU Kabupaten Bantul</b>\n\nBatas akhir unggah dokumen perbaikan adalah "
    "<b>Kamis, 29 Agustus 2024 pukul 23.59</b> waktu setempat."
)


def fill_outbox(database_url: str, recipients: int) -> None:
    launch.fill_outbox(
        database_url,
        recipients,
        first=FIRST_NUMBER,
        text=TEXT,
        campaign=CAMPAIGN,
        channel="whatsapp",
    )


async def start_bot(
    telegram: FakeBotAPI,
    cloud: FakeCloudAPI,
    database_url: str,
    workdir: str,
    per_second: int,
    port: int,
) -> asyncio.subprocess.Process:
    whatsapp = {
        "WHATSAPP_ACCESS_TOKEN": cloud.token,
        "WHATSAPP_PHONE_NUMBER_ID": cloud.phone_number_id,
        "WHATSAPP_APP_SECRET": cloud.app_secret,
        "WHATSAPP_BASE_URL": cloud.base_url,
        "WHATSAPP_API_VERSION": cloud.version,
        "WHATSAPP_MESSAGES_PER_SECOND": str(per_second),
        "WHATSAPP_DAILY_TIER": "100000",  # the tier a help desk of this size would have
    }
    env = launch.bot_env(telegram, database_url, listen=f"127.0.0.1:{port}", settings=whatsapp)
    return await launch.run_bot(env, workdir)


async def wait_for_sends(cloud: FakeCloudAPI, count: int, deadline: float) -> None:
    while len(cloud.sent) < count and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.01)


async def run(
    recipients: int, kill: bool, per_second: int, database_url: str | None
) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as workdir:
        url = database_url or f"sqlite:///{workdir}/bench.db"
        fill_outbox(url, recipients)
        port = free_port()
        cloud_api = FakeCloudAPI(
            per_second=per_second,
            auto_status=True,
            webhook_url=f"http://127.0.0.1:{port}/whatsapp/hook",
        )
        async with FakeBotAPI() as telegram, cloud_api as cloud:
            cloud.template("kpu_helpdesk_answered", "id", 0, buttons=1)
            cloud.template("kpu_helpdesk_reminder", "id", 1, buttons=2)
            cloud.template("kpu_helpdesk_announcement", "id", 1, buttons=1)
            deadline = time.monotonic() + recipients / 10 + 120
            process = await start_bot(telegram, cloud, url, workdir, per_second, port)
            killed_after = 0
            if kill:
                await wait_for_sends(cloud, recipients // 2, deadline)
                process.send_signal(signal.SIGKILL)
                await process.wait()
                killed_after = len(cloud.sent)
                await asyncio.sleep(0.5)
                process = await start_bot(telegram, cloud, url, workdir, per_second, port)
            statuses = outbox_statuses(url)
            while time.monotonic() < deadline:
                statuses = outbox_statuses(url)
                open_ = ("pending", "sending", "uncertain")
                if sum(statuses.get(s, 0) for s in open_) == 0:
                    break
                await asyncio.sleep(0.5)
            await asyncio.sleep(1.0)
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=30)
            statuses = outbox_statuses(url)
            times = sorted(s.at for s in cloud.sent)
            got = Counter(s.to for s in cloud.sent)
            wanted = {str(FIRST_NUMBER + n) for n in range(recipients)}
            span = (times[-1] - times[0]) if len(times) > 1 else float("nan")
            worst_second = (
                max(
                    (sum(1 for t in times[i:] if t - start < 1.0) for i, start in enumerate(times)),
                    default=0,
                )
                if len(times) < 20_000
                else None
            )
            result: dict[str, object] = {
                "recipients": recipients,
                "limit_per_second": per_second,
                "messages_accepted": len(times),
                "seconds_first_to_last": round(span, 1),
                "messages_per_second": round((len(times) - 1) / span, 2) if span else None,
                "most_in_any_second": worst_second,
                "refusals": dict(Counter(code for _, code in cloud.refused)),
                "malformed": len(cloud.violations),
                "duplicates": sum(1 for v in got.values() if v > 1),
                "losses": len(wanted - set(got)),
                "outbox": dict(statuses),
            }
            if kill and len(times) > 2:
                gap = max(b - a for a, b in itertools.pairwise(times))
                result["seconds_down_for_restart"] = round(gap, 1)
                result["killed_after_sent"] = killed_after
                result["left_uncertain"] = statuses.get("uncertain", 0)
            result["statuses_taken_by_the_webhook"] = cloud.statuses_delivered
            return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=5_000)
    parser.add_argument("--kill", action="store_true", help="kill -9 halfway and restart")
    parser.add_argument("--per-second", type=int, default=80, help="the number's throughput")
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file")
    args = parser.parse_args()
    result = asyncio.run(run(args.recipients, args.kill, args.per_second, args.database_url))
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
