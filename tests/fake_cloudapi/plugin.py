"""pytest plugin: the ``fake_cloudapi`` fixture, a fresh fake Cloud API per test with the
help desk's three templates approved; the test fails if the help desk sent anything
WhatsApp would refuse as malformed (a test provoking that clears ``violations``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from .server import FakeCloudAPI


@pytest_asyncio.fixture
async def fake_cloudapi() -> AsyncIterator[FakeCloudAPI]:
    async with FakeCloudAPI() as fake:
        fake.template("kpu_helpdesk_answered", "id", 0, buttons=1)
        fake.template("kpu_helpdesk_reminder", "id", 1, buttons=2)
        fake.template("kpu_helpdesk_announcement", "id", 1, buttons=1)
        yield fake
    assert not fake.violations, "WhatsApp would refuse:\n  - " + "\n  - ".join(fake.violations)
