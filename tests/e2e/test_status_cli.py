"""``helpdesk status`` beside a running bot: the database's figures and the bot's own
readiness, in a terminal."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from tests.cli import HOST_SETTINGS, helpdesk
from tests.e2e.harness import ROOT, free_port, running_bot
from tests.e2e.health_probe import readiness, until
from tests.fake_botapi import FakeBotAPI

pytestmark = pytest.mark.e2e


async def status(cwd: Path, database_url: str, port: int, *args: str) -> tuple[int, str]:
    """``helpdesk status`` as its own process (the bot's HTTP server lives in this one's
    event loop, which must keep serving meanwhile): exit code and standard output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(HOST_SETTINGS)}
    env |= {
        "DATABASE_URL": database_url,
        "HTTP_LISTEN": f"127.0.0.1:{port}",
        "PYTHONPATH": str(ROOT),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "status",
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode is not None
    return process.returncode, out.decode() + err.decode()


async def test_status_shows_the_database_and_a_running_bots_readiness(
    fake_botapi: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    async with running_bot(
        fake_botapi, database_url, http_listen=f"127.0.0.1:{port}", ready_telegram_seconds=2
    ) as running:
        code, shown = await status(tmp_path, database_url, port, "--language", "en")
        assert code == 0, shown
        assert "Database" in shown and "answers" in shown
        assert "Open tickets     0 (new 0, claimed 0, waiting 0)" in shown
        assert "READY" in shown and "ok   telegram: answered" in shown

        for method in ("getUpdates", "getMe"):
            fake_botapi.fail_next(method, status=502, times=1_000_000)
        answer = await until(
            lambda: readiness(running), lambda a: "telegram" in a[1]["failing"], within=15
        )
        assert answer[1]["failing"] == ["telegram"], answer
        # A long poll already in flight when the failures began may still come back with
        # an answer (Telegram did answer it): asked again, status sees the silence again.
        deadline = asyncio.get_running_loop().time() + 20
        while True:
            code, shown = await status(tmp_path, database_url, port)
            if code == 1 or asyncio.get_running_loop().time() > deadline:
                break
            await asyncio.sleep(0.5)
        assert code == 1, shown
        assert "BELUM SIAP" in shown and "GAGAL telegram: silent for" in shown, shown
        fake_botapi.clear_failures()


def test_status_without_a_running_bot_says_so_and_fails(database_url: str, tmp_path: Path) -> None:
    port = free_port()
    result = helpdesk(
        "status",
        "--language",
        "en",
        cwd=tmp_path,
        env={"DATABASE_URL": database_url, "HTTP_LISTEN": f"127.0.0.1:{port}"},
    )
    assert result.returncode == 1
    assert "answers" in result.stdout
    assert f"http://127.0.0.1:{port}/readyz" in result.stdout
    assert "no answer" in result.stdout and "is the bot running" in result.stdout
