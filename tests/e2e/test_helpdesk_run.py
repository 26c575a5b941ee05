"""``helpdesk run`` as a process: serves /start against a Bot API server, stops on SIGTERM."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.harness import helpdesk_run, say, stop
from tests.fake_botapi import FakeBotAPI

pytestmark = pytest.mark.e2e


async def test_helpdesk_run_answers_start_and_stops_cleanly_on_sigterm(
    fake_botapi: FakeBotAPI, tmp_path: Path
) -> None:
    async with helpdesk_run(fake_botapi, tmp_path, LOG_FORMAT="json") as process:
        await fake_botapi.wait_for_call("getUpdates", timeout=20)
        say(fake_botapi, "/start")
        answered = await fake_botapi.wait_for_call("sendMessage", timeout=10)
        assert "Silakan pilih bahasa" in answered.params["text"]
        log = await stop(process)
    assert process.returncode == 0, log
    assert '"message": "long polling stopped"' in log
    assert (tmp_path / "var" / "helpdesk.db").exists()
