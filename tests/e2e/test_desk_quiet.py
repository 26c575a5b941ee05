"""Quiet refusals end to end: someone who is not an officer writes 25 lines in a ticket's
topic. They are told once, and the liaison's next message still reaches the topic at
once (the group's 20 messages a minute are not spent on refusals)."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.e2e.harness import running_bot, say
from tests.e2e.test_desk_telegram import BANTUL, WAIT, officer_says, open_ticket, prepare_desk
from tests.e2e.test_hardening import shown_in
from tests.fake_botapi import FakeBotAPI

pytestmark = pytest.mark.e2e

GUEST = 7999
LINES = 25
RELAY_WITHIN = 3.0  # seconds from the liaison's message to the topic, after the flood


async def test_25_lines_by_a_non_officer_get_one_refusal_and_do_not_delay_relays(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=prepare_desk(tokens)):
        topic, _card = await open_ticket(fake, tokens[0])
        thread = int(topic.result["message_thread_id"])
        for n in range(LINES):
            officer_says(fake, BANTUL, GUEST, thread, text=f"halo {n}")
        await asyncio.sleep(1.5)  # the flood is handled
        started = time.monotonic()
        say(fake, "Tambahan: KTA sudah saya pindai ulang")
        relay = await fake.wait_for_call(
            "sendMessage",
            lambda c: (
                str(c.params.get("chat_id")) == str(BANTUL)
                and "pindai ulang" in c.params.get("text", "")
            ),
            timeout=WAIT,
        )
        took = time.monotonic() - started
        assert relay.params["message_thread_id"] == thread
        assert took < RELAY_WITHIN, f"the relay waited {took:.1f} s behind refusals"
        await asyncio.sleep(1.0)
        refusals = [t for t in shown_in(fake, BANTUL) if "hanya untuk petugas" in t]
        assert len(refusals) == 1
        assert not [c for c in fake.calls if c.status == 429]
