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
from datetime import UTC, datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot import storage
from bot.composition import sync_reference_offices
from bot.site_index import build_search_index
from handlers.reports.public_summary import SummaryPage, summary_pages
from handlers.site import gather, write_site
from handlers.texts import Texts
from knowledge.search import KnowledgeBase
from models.consultations import Channel, ConsultationInput, VisitorRole, record_consultation
from models.report_scope import parse_period

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


SUMMARY_MONTH = "2026-11"


def _summaries(folder: Path) -> list[SummaryPage]:
    """KPU RI's and each province's public summary for November 2026, from a database
    holding one consultation recorded by hand at the Yogyakarta office."""
    engine = storage.make_engine(f"sqlite:///{folder}/summaries.db")
    try:
        storage.upgrade(engine)
        sync_reference_offices(engine)
        with storage.session_factory(engine)() as session:
            at = datetime(2026, 11, 10, 3, 0, tzinfo=UTC)
            visit = ConsultationInput(
                office_code="34",
                channel=Channel.WALK_IN,
                visitor_name="Ani",
                role=VisitorRole.LIAISON,
                question="Kapan verifikasi?",
                topic="sipol",
                at=at,
            )
            record_consultation(session, visit, actor="test", now=at)
            session.commit()
            month = [parse_period(SUMMARY_MONTH)]
            return summary_pages(session, "RI", month, now=at + timedelta(days=30), texts=Texts())
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped knowledge base as a site, with the desk's public summaries and the
    search index."""
    out = tmp_path_factory.mktemp("site")
    summaries = _summaries(tmp_path_factory.mktemp("db"))
    site = gather(KnowledgeBase.load(), bot_username="kpu_helpdesk_bot", summaries=summaries)
    write_site(site, out)
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
