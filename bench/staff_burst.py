"""What a burst of liaison messages into one ticket does to the office's staff chat.

The real Telegram transport and outbox worker run against a loopback fake Bot API that
applies Telegram's limits (20 messages a minute in a group). A liaison registers by
invite and opens a ticket; its topic and card appear in Kab. Bantul's staff chat; then
the liaison sends N messages as fast as the app takes them. Printed: how long until every
one of them is readable in the topic, how many staff-chat messages carried them (bursts
are combined, never dropped), 429s, and how many notices the liaison got back.

    .venv/bin/python bench/staff_burst.py [--messages 100]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.harness import LIAISON, running_bot, say  # noqa: E402
from tests.e2e.test_desk_telegram import BANTUL, open_ticket, prepare_desk, to  # noqa: E402
from tests.fake_botapi import FakeBotAPI, TelegramLimits  # noqa: E402


def staff_texts(fake: FakeBotAPI, thread: int) -> list[str]:
    return [
        c.params.get("text", "")
        for c in fake.calls_to("sendMessage")
        if to(BANTUL)(c) and c.params.get("message_thread_id") == thread and c.status == 200
    ]


async def run(messages: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as workdir:
        url = f"sqlite:///{workdir}/burst.db"
        async with FakeBotAPI(limits=TelegramLimits()) as fake:
            tokens: list[str] = []
            async with running_bot(fake, url, prepare=prepare_desk(tokens)):
                topic, _card = await open_ticket(fake, tokens[0])
                thread = int(topic.result["message_thread_id"])
                before = len(staff_texts(fake, thread))
                to_liaison_before = len([c for c in fake.calls if to(LIAISON)(c)])
                started = time.monotonic()
                for n in range(messages):
                    say(fake, f"pesan nomor {n:03d} dari LO")
                deadline = started + 180
                while time.monotonic() < deadline:
                    carried = "\n".join(staff_texts(fake, thread)[before:])
                    if all(f"pesan nomor {n:03d} " in carried for n in range(messages)):
                        break
                    await asyncio.sleep(0.05)
                elapsed = time.monotonic() - started
                carried = "\n".join(staff_texts(fake, thread)[before:])
                arrived = sum(f"pesan nomor {n:03d} " in carried for n in range(messages))
                await asyncio.sleep(1.0)
                return {
                    "liaison_messages": messages,
                    "arrived_in_topic": arrived,
                    "seconds_until_all_arrived": round(elapsed, 1),
                    "staff_chat_messages_used": len(staff_texts(fake, thread)) - before,
                    "too_many_requests_429": fake.stats.too_many_requests,
                    "messages_back_to_liaison": len(
                        [c for c in fake.calls if to(LIAISON)(c) and c.method.startswith("send")]
                    )
                    - to_liaison_before,
                }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    result = asyncio.run(run(args.messages))
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
