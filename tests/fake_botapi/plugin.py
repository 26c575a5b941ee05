"""pytest plugin: the ``fake_botapi`` fixture.

Enable it with ``pytest_plugins = ["tests.fake_botapi.plugin"]`` in the project's
conftest.  Each test gets a fresh ``FakeBotAPI`` on an ephemeral 127.0.0.1 port; on
teardown the server is stopped and the test fails if any call the bot made violated
the Bot API spec (unknown method or field, missing required field, wrong type).  A test
that provokes violations on purpose clears ``fake_botapi.violations`` itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import pytest_asyncio

from .server import FakeBotAPI


def format_violations(violations: Sequence[str]) -> str:
    """Assertion message listing spec violations, one per line."""
    lines = [f"the bot made {len(violations)} Bot API spec violation(s):"]
    lines += [f"  - {violation}" for violation in violations]
    return "\n".join(lines)


@pytest_asyncio.fixture
async def fake_botapi() -> AsyncIterator[FakeBotAPI]:
    """A running fake Telegram Bot API server; asserts no spec violations at teardown."""
    async with FakeBotAPI() as fake:
        yield fake
    assert not fake.violations, format_violations(fake.violations)
