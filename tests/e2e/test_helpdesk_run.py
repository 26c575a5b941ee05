"""``helpdesk run`` as a process: serves /start against a Bot API server, stops on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.fake_botapi import FakeBotAPI

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).parents[2]


async def test_helpdesk_run_answers_start_and_stops_cleanly_on_sigterm(
    fake_botapi: FakeBotAPI, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEBHOOK_", "DATABASE_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": fake_botapi.token,
        "TELEGRAM_API_URL": fake_botapi.base_url,
        "LOG_FORMAT": "json",
        "PYTHONPATH": str(ROOT),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await fake_botapi.wait_for_call("getUpdates", timeout=20)
        fake_botapi.push_update(
            fake_botapi.message_update(chat_id=5001, from_id=5001, text="/start")
        )
        answered = await fake_botapi.wait_for_call("sendMessage", timeout=10)
        assert "Silakan pilih bahasa" in answered.params["text"]
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=15)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()
    log = stderr.decode()
    assert '"message": "long polling stopped"' in log
    assert (tmp_path / "var" / "helpdesk.db").exists()
