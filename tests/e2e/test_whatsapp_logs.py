"""What the logs say of a WhatsApp liaison: their chat key is their phone number, so a
failure is logged with it masked, never whole."""

from __future__ import annotations

import logging

import pytest

from handlers import routes
from handlers.context import Context
from handlers.port import Outcome
from models.interactions import mask_chat_key
from tests.e2e.whatsapp_harness import running_both
from tests.fake_botapi import FakeBotAPI
from tests.fake_cloudapi import FakeCloudAPI

pytestmark = pytest.mark.e2e

PHONE = "6281234567890"


def test_a_person_key_keeps_only_its_last_four_and_a_group_stays() -> None:
    assert mask_chat_key(PHONE) == "*********7890"
    assert mask_chat_key("+" + PHONE) == "*********7890"
    assert mask_chat_key("ID.1234567890") == "ID.******7890"
    assert mask_chat_key("US.ENT.11815799212886844830") == "US.ENT." + "*" * 16 + "4830"
    assert mask_chat_key("-1001234567890") == "-1001234567890", "a group names no person"
    assert mask_chat_key("console") == "console"


async def test_a_failing_whatsapp_update_is_logged_without_the_phone_number(
    fake_botapi: FakeBotAPI,
    fake_cloudapi: FakeCloudAPI,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def breaks(ctx: Context, arg: str) -> Outcome:
        raise RuntimeError("the database fell over")

    monkeypatch.setitem(routes.COMMANDS, "menu", breaks)
    cloud = fake_cloudapi
    caplog.set_level(logging.INFO)
    async with running_both(fake_botapi, cloud, database_url):
        await cloud.user_says(PHONE, "/menu")
        await cloud.wait_for(lambda s: s.text.startswith("Mohon maaf, terjadi gangguan"))
    failures = [r for r in caplog.records if r.getMessage().startswith("handling failed")]
    assert failures and "chat=*********7890" in failures[0].getMessage()
    assert not [r.getMessage() for r in caplog.records if PHONE in r.getMessage()]
