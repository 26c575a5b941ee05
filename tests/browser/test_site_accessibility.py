"""The built FAQ site passes axe-core (bundled by axe-playwright-python) with no serious
or critical finding: the home, a category and an entry page in both languages, the
schedule, the service summaries' index and two summaries, and the search page with
results showing."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "id/",
    "en/",
    "id/c/pendaftaran/",
    "en/c/pendaftaran/",
    "id/e/daftar-batas-waktu/",
    "en/e/daftar-batas-waktu/",
    "id/e/sipol-login/",
    "id/schedule/",
    "en/schedule/",
    "id/summary/",
    "en/summary/",
    "id/summary/2026-11/34/",
    "en/summary/2026-11/RI/",
]
BLOCKING = {"serious", "critical"}


def findings(page: Any) -> list[str]:
    axe_module = pytest.importorskip(
        "axe_playwright_python.sync_playwright",
        reason="axe-playwright-python is missing: pip install -e '.[dev]'",
    )
    result = axe_module.Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result.response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_finding(page: Any, site_url: str, path: str) -> None:
    page.goto(site_url + path)
    assert findings(page) == []


def test_search_page_with_results_has_no_serious_finding(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}id/search/?q=sipol")
    page.wait_for_selector(".pagefind-ui__result-link")
    assert findings(page) == []


def test_skip_link_is_the_first_stop_and_lands_on_main(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}en/e/daftar-batas-waktu/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
