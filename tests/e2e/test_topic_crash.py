"""A real ``helpdesk run`` killed with SIGKILL while Telegram is creating a ticket's forum
topic, then started again: the ticket ends up with exactly one topic that is used, and
the one possibly left behind is reported.

What Telegram makes impossible: ``createForumTopic`` is not idempotent, and the Bot API
can neither list a chat's topics nor find one by name. When Telegram made the topic but
the process died before hearing its id, that id is known to Telegram (here: the fake)
only, so the empty topic cannot be closed, renamed or deleted by the bot. What the bot
can do, and what is checked here: the creation was recorded before the call, so the
restart knows a topic may have been left behind; it makes a new one, sends the card and
every relay there, logs a warning naming the ticket's topic and counts it on the topic's
row (``orphans``) for an officer to delete by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.composition import build
from bot.settings import load_settings
from models.staff import Role
from tests.desk import Desk
from tests.e2e.harness import LIAISON, say
from tests.e2e.test_inbox_crash import START_TIMEOUT, kill, rows, start
from tests.fake_botapi import FakeBotAPI
from tests.fake_botapi.models import Call

pytestmark = pytest.mark.e2e

BANTUL = -1001000003402
AGENT = 7001
WAIT = 15.0


def prepare(workdir: Path) -> str:
    """A forum staff chat for Bantul with an officer, on the database ``helpdesk run``
    will use in ``workdir``; the token of an invite for a liaison."""
    url = f"sqlite:///{workdir / 'var' / 'helpdesk.db'}"
    container = build(load_settings(env_file=None, database_url=url))
    try:
        helpdesk = container.helpdesk
        desk = Desk(helpdesk, helpdesk.sessions, container.clock)
        desk.link("34.02", BANTUL)
        desk.officer(AGENT, "34.02", Role.AGENT, "Andi Wijaya")
        return desk.invite("34.02", "pkb", "dpc", uses=1)
    finally:
        container.close()


def to(chat_id: int, thread: int | None = None) -> Callable[[Call], bool]:
    def matches(call: Call) -> bool:
        if str(call.params.get("chat_id")) != str(chat_id) or not call.ok:
            return False
        return thread is None or call.params.get("message_thread_id") == thread

    return matches


def in_thread(fake: FakeBotAPI, thread: int) -> list[Call]:
    return [
        c
        for c in fake.calls
        if c.method.startswith("send") and c.ok and c.params.get("message_thread_id") == thread
    ]


async def test_a_kill_between_topic_creation_and_its_record_leaves_one_used_topic(
    fake_botapi: FakeBotAPI, tmp_path: Path
) -> None:
    fake = fake_botapi
    token = prepare(tmp_path)
    process = await start(fake, tmp_path)
    try:
        await fake.wait_for_call("getUpdates", timeout=START_TIMEOUT)
        # Telegram makes the topic, but its answer never reaches the bot.
        fake.hold_answers("createForumTopic")
        say(fake, f"/start {token}")
        await fake.wait_for_call("sendMessage", to(LIAISON), timeout=WAIT)
        say(fake, "/tanya Bagaimana cara unggah KTA di SIPOL?")
        first = await fake.wait_for_call("createForumTopic", to(BANTUL), timeout=WAIT)
        lost_thread = first.result["message_thread_id"]
        await kill(process)
        assert rows(tmp_path, "SELECT thread, creating_since IS NOT NULL FROM topic") == [(None, 1)]
        fake.release_answers()

        process = await start(fake, tmp_path)
        second = await fake.wait_for_call("createForumTopic", to(BANTUL), timeout=START_TIMEOUT)
        thread = second.result["message_thread_id"]
        assert thread != lost_thread
        card = await fake.wait_for_call("sendMessage", to(BANTUL, thread), timeout=WAIT)
        assert "#BTL-0001" in card.params["text"]

        say(fake, "Sudah saya coba dua kali, tetap gagal.")
        await fake.wait_for_call("sendMessage", to(BANTUL, thread), timeout=WAIT)
        fake.push_update(
            fake.message_update(
                chat_id=BANTUL,
                from_id=AGENT,
                thread_id=thread,
                is_topic_message=True,
                first_name="Petugas",
                text="Buka menu Anggota, lalu Unggah KTA.",
            )
        )
        relayed = await fake.wait_for_call(
            "sendMessage",
            lambda c: to(LIAISON)(c) and "Unggah KTA" in c.params["text"],
            timeout=WAIT,
        )
        assert "Petugas Helpdesk KPU Kabupaten Bantul" in relayed.params["text"]
    finally:
        process.terminate()
        _, stderr = await process.communicate()
    assert len(fake.calls_to("createForumTopic")) == 2
    assert rows(tmp_path, "SELECT thread, orphans, creating_since FROM topic") == [
        (str(thread), 1, None)
    ]
    assert in_thread(fake, lost_thread) == []  # the orphan stays empty
    assert len(in_thread(fake, thread)) >= 2  # the card and the relay went to the one used
    log = stderr.decode()
    assert "was being created when the process stopped" in log, log[-2000:]
