"""``helpdesk run`` as a process: serves /start against a Bot API server, stops on SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import pytest

from tests.e2e.harness import helpdesk_env, say
from tests.fake_botapi import FakeBotAPI

pytestmark = pytest.mark.e2e


async def test_helpdesk_run_answers_start_and_stops_cleanly_on_sigterm(
    fake_botapi: FakeBotAPI, tmp_path: Path
) -> None:
    env = helpdesk_env(fake_botapi, LOG_FORMAT="json")
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
        say(fake_botapi, "/start")
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
