"""Health you can see: metrics that move while the desk talks, readiness that follows the
database and Telegram, on the help desk's own HTTP server (the real transport, long
polling, against the fake Bot API)."""

from __future__ import annotations

import shutil
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy.engine import make_url

from tests.e2e.harness import (
    LIAISON,
    eventually,
    free_port,
    helpdesk_run,
    press,
    running_bot,
    say,
    stop,
)
from tests.e2e.health_probe import (
    Samples,
    TcpProxy,
    answers,
    readiness,
    scrape,
    until,
    value,
)
from tests.fake_botapi import FakeBotAPI

pytestmark = pytest.mark.e2e


async def test_metrics_move_while_a_liaison_talks_to_the_desk(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    async with running_bot(fake_botapi, database_url) as running:
        before = await scrape(running)
        assert value(before, "helpdesk_database_up") == 1
        assert value(before, "helpdesk_updates_handled_total", channel="telegram", kind="text") == 0

        say(fake_botapi, "/start")
        start = await fake_botapi.wait_for_call("sendMessage", timeout=10)
        keyboard = start.params["reply_markup"]["inline_keyboard"]
        press(fake_botapi, start.result["message_id"], keyboard[0][0]["callback_data"])
        fake_botapi.fail_next("sendMessage", status=429, retry_after=1)
        say(fake_botapi, "apa itu sipol")
        assert await eventually(lambda: len(fake_botapi.calls_to("sendMessage")) >= 3, within=15)

        def moved(samples: Samples) -> bool:
            return (
                value(samples, "helpdesk_updates_handled_total", channel="telegram", kind="text")
                >= 2
                and value(samples, "helpdesk_sends_total", channel="telegram", outcome="sent") >= 2
                and value(
                    samples, "helpdesk_updates_handled_total", channel="telegram", kind="button"
                )
                >= 1
                and value(samples, "helpdesk_answer_latency_seconds_count") >= 3
            )

        samples = await until(lambda: scrape(running), moved, within=10)
        assert moved(samples), samples
        assert (
            value(samples, "helpdesk_sends_total", channel="telegram", outcome="rate_limited") == 1
        )
        assert value(samples, "helpdesk_rate_limited_total", channel="telegram") == 1
        # The answer held back by the 429 waited its second: the histogram shows it.
        assert value(samples, "helpdesk_answer_latency_seconds_sum") >= 1.0
        fast = value(samples, "helpdesk_answer_latency_seconds_bucket", le="0.5")
        assert fast < value(samples, "helpdesk_answer_latency_seconds_count")
        assert value(samples, "helpdesk_outbox_depth", lane="answer") == 0
        assert ("helpdesk_open_tickets", (("status", "new"),)) in samples
        assert ("helpdesk_sla_breaches_total", (("kind", "ping"),)) in samples
        assert 0 <= value(samples, "helpdesk_app_silent_seconds", channel="telegram") < 30


async def test_readiness_follows_telegram_going_away_and_coming_back(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    async with running_bot(fake_botapi, database_url, ready_telegram_seconds=2) as running:
        status, body = await until(lambda: readiness(running), answers(200), within=10)
        assert status == 200, body
        assert body["checks"]["leader"]["ok"] and body["checks"]["outbox"]["ok"]

        for method in ("getUpdates", "getMe"):
            fake_botapi.fail_next(method, status=502, times=1_000_000)
        status, body = await until(
            lambda: readiness(running), lambda a: "telegram" in a[1]["failing"], within=15
        )
        assert status == 503 and body["failing"] == ["telegram"], body
        assert "Bad Gateway" in body["checks"]["telegram"]["detail"]

        fake_botapi.clear_failures()
        status, body = await until(lambda: readiness(running), answers(200), within=15)
        assert status == 200, body


@pytest.mark.only_on("sqlite")
async def test_readiness_follows_the_database_going_away_and_coming_back(
    fake_botapi: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    path = Path(make_url(database_url).database or "")
    away = tmp_path / "away"
    away.mkdir()
    async with running_bot(fake_botapi, database_url) as running:
        status, body = await until(lambda: readiness(running), answers(200), within=10)
        assert status == 200, body

        # The file is moved away, as by a mistaken clean-up or a lost volume.
        moved = [f for f in path.parent.glob(path.name + "*")]
        for file in moved:
            shutil.move(file, away / file.name)
        try:
            status, body = await until(
                lambda: readiness(running), lambda a: "database" in a[1]["failing"], within=10
            )
            assert status == 503 and body["failing"] == ["database"], body
            assert "unable to open database file" in body["checks"]["database"]["detail"]
            assert value(await scrape(running), "helpdesk_database_up") == 0
        finally:
            for file in moved:
                shutil.move(away / file.name, file)

        status, body = await until(lambda: readiness(running), answers(200), within=10)
        assert status == 200, body


@pytest.mark.only_on("postgresql")
async def test_readiness_follows_postgresql_going_away_and_coming_back(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    real = make_url(database_url)
    proxy = TcpProxy((real.host or "127.0.0.1", real.port or 5432))
    proxy.open()
    through_proxy = real.set(host="127.0.0.1", port=proxy.port)
    try:
        async with running_bot(
            fake_botapi, through_proxy.render_as_string(hide_password=False)
        ) as running:
            status, body = await until(lambda: readiness(running), answers(200), within=10)
            assert status == 200, body

            proxy.close()  # the server's port now refuses connections
            status, body = await until(
                lambda: readiness(running), lambda a: "database" in a[1]["failing"], within=10
            )
            assert status == 503 and "database" in body["failing"], body
            assert "refused" in body["checks"]["database"]["detail"], body
            assert value(await scrape(running), "helpdesk_database_up") == 0

            proxy.open()
            status, body = await until(lambda: readiness(running), answers(200), within=30)
            assert status == 200, body
    finally:
        proxy.stop()


async def test_a_webhook_bot_serves_readiness_and_metrics_beside_its_webhook(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    async with running_bot(fake_botapi, database_url, webhook=True) as running:
        status, body = await until(lambda: readiness(running), answers(200), within=10)
        assert status == 200, body
        await fake_botapi.post_webhook(
            fake_botapi.message_update(chat_id=LIAISON, from_id=LIAISON, text="/start")
        )
        samples = await until(
            lambda: scrape(running),
            lambda s: value(s, "helpdesk_sends_total", channel="telegram", outcome="sent") >= 1,
            within=10,
        )
        assert (
            value(samples, "helpdesk_updates_handled_total", channel="telegram", kind="text") == 1
        )


async def test_helpdesk_run_serves_readiness_and_metrics_on_http_listen(
    fake_botapi: FakeBotAPI, tmp_path: Path
) -> None:
    port = free_port()
    async with helpdesk_run(fake_botapi, tmp_path, HTTP_LISTEN=f"127.0.0.1:{port}") as process:
        await fake_botapi.wait_for_call(
            "getUpdates", timeout=60
        )  # a new interpreter, loaded machine
        base = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as client:
            async with client.get(f"{base}/readyz") as answer:
                assert answer.status == 200, await answer.text()
            async with client.get(f"{base}/metrics") as answer:
                text = await answer.text()
        assert "helpdesk_database_up 1.0" in text
        assert "# TYPE helpdesk_answer_latency_seconds histogram" in text
        await stop(process)
    assert process.returncode == 0
