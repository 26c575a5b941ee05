"""The public FAQ site as the builder writes it, read back from the disk."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from handlers.site import SiteError, entry_sources, gather, write_site
from knowledge.content.sources import Source, SourceKind
from knowledge.search import KnowledgeBase
from tests.unit.site_pages import html_pages, read_page

DURING_PILKADA = datetime(2024, 8, 20, 3, 0, tzinfo=UTC)  # before candidate registration
BOT = "kpu_helpdesk_bot"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.fixture(scope="module")
def national(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    write_site(gather(kb, bot_username=BOT, now=DURING_PILKADA), out)
    return out


def test_every_entry_has_a_page_in_both_languages(kb: KnowledgeBase, national: Path) -> None:
    for entry in kb.entries:
        for lang in ("id", "en"):
            page = read_page(national / lang / "e" / entry.id / "index.html")
            assert page.lang == lang
            assert entry.title(lang) in page.text
    for category in kb.categories:
        assert (national / "id" / "c" / category.id / "index.html").is_file()
    assert (national / "index.html").is_file()
    assert (national / "assets" / "site.css").is_file()


def test_no_page_links_outside_the_site_but_sources_and_the_bot(
    kb: KnowledgeBase, national: Path
) -> None:
    allowed = {s.url for e in kb.entries for s in entry_sources(e, "id") if s.url}
    allowed.add(f"https://t.me/{BOT}")
    outside: set[str] = set()
    for path in html_pages(national):
        for link in read_page(path).links:
            if ":" in link.split("/")[0] and link not in allowed and link != "data:,":
                outside.add(link)
            assert not link.startswith("//"), f"{path}: protocol-relative {link}"
    assert outside == set()
    entry = read_page(national / "id" / "e" / "daftar-batas-waktu" / "index.html")
    assert f"https://t.me/{BOT}" in entry.links


def test_pages_have_landmarks_a_skip_link_and_headings_in_order(national: Path) -> None:
    for path in html_pages(national):
        page = read_page(path)
        assert page.headings and page.headings[0] == 1, path
        assert page.headings.count(1) == 1, path
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, f"{path}: h{before} followed by h{after}"
        assert "main" in page.landmarks, path
        if path != national / "index.html":
            assert "#main" in page.links and {"nav", "header", "footer"} <= page.landmarks


def test_an_entry_shows_its_answer_source_validity_and_language_switch(national: Path) -> None:
    page = read_page(national / "en" / "e" / "daftar-batas-waktu" / "index.html")
    assert "Registration of parties for the 2024 election ran from 1 to 14 August 2022" in page.text
    assert "Sources" in page.text and "Validity" in page.text
    assert "../../../id/e/daftar-batas-waktu/" in page.links


def test_markup_in_content_is_escaped(kb: KnowledgeBase, tmp_path: Path) -> None:
    evil = dataclasses.replace(
        kb.entries[0],
        id="evil",
        question={"id": '<script>alert("q")</script> & "kutip"', "en": "<b>bold</b>"},
        answer={"id": "- <img src=x onerror=alert(1)>", "en": "</p><p>"},
        sources=(
            Source(
                kind=SourceKind.OFFICIAL,
                publisher='"><script>alert(2)</script>',
                title="x",
                url="https://example.org/a?b=1&c=2",
            ),
        ),
        related=(),
    )
    write_site(gather(KnowledgeBase(kb.categories, (evil,))), tmp_path)
    html = (tmp_path / "id" / "e" / "evil" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;q&#34;)&lt;/script&gt; &amp; &#34;kutip&#34;" in html
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html
    english = (tmp_path / "en" / "e" / "evil" / "index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;bold&lt;/b&gt;" in english and "&lt;/p&gt;&lt;p&gt;" in english


def test_the_schedule_lists_upcoming_stages_with_a_calendar_file_each(national: Path) -> None:
    page = read_page(national / "id" / "schedule" / "index.html")
    upcoming, _, past = page.text.partition("Tahapan yang sudah selesai")
    assert "Pendaftaran pasangan calon kepala daerah" in upcoming
    assert "Penyerahan dukungan calon perseorangan" in past  # closed in May 2024
    assert "../../ics/id/all.ics" in page.links
    ics_links = [link for link in page.links if link.endswith(".ics")]
    assert len(ics_links) > 10
    for link in ics_links:
        target = (national / "id" / "schedule" / link).resolve()
        assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n"), link
    everything = (national / "ics" / "en" / "all.ics").read_bytes()
    assert everything.count(b"BEGIN:VEVENT") == len(ics_links) - 1


def test_an_office_site_shows_its_branch_of_the_calendar(kb: KnowledgeBase, tmp_path: Path) -> None:
    bantul = gather(kb, office_code="34.02", now=DURING_PILKADA)
    keys = {s.key for s in bantul.stages}
    assert "pilkada2024-bantul-hasil-penelitian" in keys  # its own
    assert "pilkada2024-pendaftaran" in keys  # a national one
    assert not {"pilkada2024-gunungkidul-vermin", "pilkada2024-gunungkidul-verfak"} & keys
    province = {s.key for s in gather(kb, office_code="34", now=DURING_PILKADA).stages}
    assert {"pilkada2024-gunungkidul-vermin", "pilkada2024-bantul-hasil-penelitian"} <= province
    assert bantul.zone == "Asia/Jakarta"

    write_site(bantul, tmp_path)
    home = read_page(tmp_path / "id" / "index.html")
    assert "KPU Kabupaten Bantul" in home.text
    assert not any(link.startswith("https://t.me/") for link in home.links)
    assert "Hubungi layanan bantuan" in home.text  # no bot: how to reach the desk
    assert not (tmp_path / "ics" / "id" / "pilkada2024-gunungkidul-vermin.ics").exists()
    assert (tmp_path / "ics" / "id" / "pilkada2024-bantul-hasil-penelitian.ics").exists()


def test_an_unknown_office_is_refused(kb: KnowledgeBase) -> None:
    with pytest.raises(SiteError, match=r"unknown office .99\.99."):
        gather(kb, office_code="99.99")


def test_the_command_builds_the_site_and_its_search_index(tmp_path: Path) -> None:
    out = tmp_path / "public"
    env = {"TELEGRAM_BOT_USERNAME": BOT, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    args = ["site", "build", str(out), "--office", "34", "--base-url", "https://kpu.example/faq/"]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    assert "stages, 18 service summaries for KPU Daerah Istimewa Yogyakarta" in result.stdout
    months = [p for p in (out / "en" / "summary").iterdir() if p.is_dir()]  # the last three
    assert len(months) == 3 and all((m / "34.02" / "index.html").is_file() for m in months)
    bundle = out / "pagefind"
    assert (bundle / "pagefind-ui.js").is_file() and (bundle / "pagefind-ui.css").is_file()
    # one search module per page language: Indonesian pages get the Indonesian stemmer
    assert {p.name for p in bundle.glob("wasm.*.pagefind")} >= {
        "wasm.id.pagefind",
        "wasm.en.pagefind",
    }
    home = read_page(out / "en" / "index.html")
    assert "https://kpu.example/faq/en/" in home.links  # canonical
    assert f"https://t.me/{BOT}" in home.links

    refused = CliRunner().invoke(app, ["site", "build", str(out), "--office", "XX"], env=env)
    assert refused.exit_code == 2 and "unknown office 'XX'" in refused.stderr


def test_a_rebuild_drops_withdrawn_entries_and_keeps_other_files(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    write_site(gather(kb), tmp_path)
    (tmp_path / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    withdrawn = kb.entries[0].id
    kept = KnowledgeBase(kb.categories, kb.entries[1:])
    write_site(gather(kept), tmp_path)
    assert not (tmp_path / "id" / "e" / withdrawn).exists()
    assert (tmp_path / "id" / "e" / kb.entries[1].id / "index.html").is_file()
    assert (tmp_path / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\n"
