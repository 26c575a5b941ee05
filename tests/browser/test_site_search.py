"""The built FAQ site in headless Chromium: a liaison types a question into the search
box on a phone-sized screen and finds the entry that answers it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

RESULT = ".pagefind-ui__result-link"
SCREENSHOTS_ENV = "HELPDESK_SCREENSHOTS"  # a folder to keep the screenshots in (docs/)


def search(page: Any, site_url: str, lang: str, question: str) -> list[str]:
    """Types ``question`` into the search page; the entry ids of the results, best first."""
    page.goto(f"{site_url}{lang}/search/")
    box = page.get_by_label("Cari pertanyaan" if lang == "id" else "Search the questions")
    box.fill(question)
    page.wait_for_selector(RESULT)
    page.wait_for_function(
        "() => !document.querySelector('.pagefind-ui__message')?.textContent.match(/\\.\\.\\.$/)"
    )
    hrefs = [link.get_attribute("href") for link in page.query_selector_all(RESULT)]
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs if href]


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_search_finds_the_registration_deadline(page: Any, site_url: str, tmp_path: Path) -> None:
    found = search(page, site_url, "id", "kapan batas akhir pendaftaran partai")
    assert found[0] == "daftar-batas-waktu", found
    page.screenshot(path=str(shots(tmp_path) / "site-search-phone.png"), full_page=True)


def test_search_finds_the_sipol_password_entry(page: Any, site_url: str) -> None:
    found = search(page, site_url, "id", "lupa password sipol")
    assert found[0] == "sipol-login", found


def test_search_in_english_reads_english_pages(page: Any, site_url: str) -> None:
    found = search(page, site_url, "en", "party registration deadline")
    assert "daftar-batas-waktu" in found[:3], found
    assert all(href for href in found)


def test_the_home_search_box_carries_the_question_to_the_results(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}id/")
    page.get_by_label("Cari pertanyaan").fill("lupa password sipol")
    page.get_by_role("button", name="Cari").click()
    page.wait_for_selector(RESULT)
    page.locator(RESULT).first.click()
    page.wait_for_url("**/id/e/sipol-login/")
    assert page.locator("h1").inner_text().startswith("Tidak bisa masuk (login) ke SIPOL")


def test_an_entry_page_on_a_phone(page: Any, site_url: str, tmp_path: Path) -> None:
    page.goto(f"{site_url}id/e/daftar-batas-waktu/")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 16
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/e/daftar-batas-waktu/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(f"{site_url}id/e/daftar-batas-waktu/")
    page.screenshot(path=str(shots(tmp_path) / "site-entry-phone.png"), full_page=True)
