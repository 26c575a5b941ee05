"""Every end-to-end test runs once per Telegram runtime (TELEGRAM_RUNTIME): the same
contract, asserted the same way, whichever library carries the Bot API calls."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from bot.transports.telegram.api import BotApi
from bot.transports.telegram.runtimes import RUNTIMES
from tests.e2e.harness import api_for
from tests.fake_botapi import FakeBotAPI


@pytest.fixture(autouse=True, params=RUNTIMES)
def telegram_runtime(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The runtime of this run of the test: read from the environment by the settings, so
    the transport in this process and ``helpdesk run`` processes both use it."""
    monkeypatch.setenv("TELEGRAM_RUNTIME", request.param)
    yield request.param


@pytest_asyncio.fixture
async def api(fake_botapi: FakeBotAPI, telegram_runtime: str) -> AsyncIterator[BotApi]:
    """A Bot API client of this run's runtime, talking to the fake."""
    client = api_for(fake_botapi)
    yield client
    await client.close()
