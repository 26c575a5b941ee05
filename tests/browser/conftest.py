"""The built FAQ site served on 127.0.0.1 and a headless Chromium from the distribution's
packages (no browser download), started by the tests themselves.

Without Chromium (or Playwright) the browser tests are skipped, saying how to get it;
CI installs it in .ci/run, so there they always run.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.site_index import build_search_index
from handlers.site import gather, write_site
from knowledge.search import KnowledgeBase

CHROMIUM_ENV = "HELPDESK_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser")
LAUNCH_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
WAIT_MS = 15_000


def chromium_path() -> str | None:
    """The distribution's Chromium: $HELPDESK_CHROMIUM, else `chromium` on the PATH."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        return named if Path(named).is_file() else None
    return next((found for n in CHROMIUM_NAMES if (found := shutil.which(n))), None)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged: the test output stays readable."""


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped knowledge base as a site, with its search index."""
    out = tmp_path_factory.mktemp("site")
    write_site(gather(KnowledgeBase.load(), bot_username="kpu_helpdesk_bot"), out)
    build_search_index(out)
    return out


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The site served over HTTP on a free loopback port (Pagefind fetches its index)."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Chromium with a new empty profile; skipped when it is not installed.
    Module-scoped: Playwright's sync API holds an event loop on this thread while it is
    open, which the asyncio tests that follow must not find running."""
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "Chromium is not installed: apt-get install chromium (Debian), or set "
            f"{CHROMIUM_ENV} to its path; .ci/run installs it"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is missing: pip install -e '.[dev]'"
    )
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            headless=True,
            args=LAUNCH_FLAGS,
            viewport=PHONE,
        )
        context.set_default_timeout(WAIT_MS)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh tab that refuses every request leaving 127.0.0.1."""
    tab = browser.new_page()
    outside: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "data:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    tab.route("**/*", guard)
    try:
        yield tab
    finally:
        tab.close()
    assert outside == [], f"the page asked for outside resources: {outside}"
