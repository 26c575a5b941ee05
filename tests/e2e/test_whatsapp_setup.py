"""Connecting WhatsApp: Meta's verification handshake on the webhook, and
``helpdesk whatsapp templates check`` against the account's templates."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from tests.cli import helpdesk
from tests.e2e.whatsapp_harness import running_both, whatsapp_settings
from tests.fake_botapi import FakeBotAPI
from tests.fake_cloudapi import FakeCloudAPI

pytestmark = pytest.mark.e2e


async def test_meta_verifies_the_webhook_with_the_verify_token(
    fake_botapi: FakeBotAPI, fake_cloudapi: FakeCloudAPI, database_url: str
) -> None:
    async with running_both(fake_botapi, fake_cloudapi, database_url):
        url = fake_cloudapi.webhook_url
        async with httpx.AsyncClient() as client:
            good = await client.get(
                url,
                params={
                    "hub.mode": "subscribe",
                    "hub.verify_token": "verify-me",
                    "hub.challenge": "1158201444",
                },
            )
            bad = await client.get(
                url,
                params={
                    "hub.mode": "subscribe",
                    "hub.verify_token": "guess",
                    "hub.challenge": "1158201444",
                },
            )
            unsigned = await client.post(url, content=b'{"object": "whatsapp_business_account"}')
        assert (good.status_code, good.text) == (200, "1158201444")
        assert bad.status_code == 403
        assert unsigned.status_code == 401


async def test_the_templates_check_names_what_the_account_lacks(
    fake_cloudapi: FakeCloudAPI, tmp_path: Path
) -> None:
    env = {k.upper(): str(v) for k, v in whatsapp_settings(fake_cloudapi).items()}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/h.db"
    result = await asyncio.to_thread(
        helpdesk, "whatsapp", "templates", "check", cwd=tmp_path, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "✓ answered: kpu_helpdesk_answered (id)" in result.stdout

    del fake_cloudapi.templates[("kpu_helpdesk_reminder", "id")]
    result = await asyncio.to_thread(
        helpdesk, "whatsapp", "templates", "check", cwd=tmp_path, env=env
    )
    assert result.returncode == 1
    assert "✗ reminder: kpu_helpdesk_reminder (id)" in result.stdout
    assert "is not in the account" in result.stderr
