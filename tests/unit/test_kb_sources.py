"""Sources a liaison can check: ``kb check`` refuses working notes, missing sources,
malformed URLs and news reports without a publisher or a date."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from knowledge.content.faq import check
from knowledge.content.sources import Source, SourceDate, SourceKind, citation, well_formed_url
from tests.unit.kb_sample import PARTIES, write_sample

NEWS = {
    "kind": "news",
    "publisher": "Liputan6",
    "title": "KPU sediakan help desk",
    "date": "2022-08-06",
    "url": "https://www.liputan6.com/news/read/1",
}


def problems_with(tmp_path: Path, **edit: object) -> list[str]:
    data = copy.deepcopy(PARTIES)
    data["entries"][0].update(edit)  # type: ignore[index]
    return check(write_sample(tmp_path, **data))


def test_well_cited_sources_of_every_kind_pass(tmp_path: Path) -> None:
    sources = [
        {"kind": "regulation", "title": "PKPU Nomor 4 Tahun 2022", "article": "Pasal 12"},
        NEWS,
        {"kind": "news", "publisher": "RMOL", "date": "2022-08"},
        {
            "kind": "official",
            "publisher": "KPU Kab. Bantul",
            "title": "Helpdesk",
            "url": "https://kab-bantul.kpu.go.id/blog/read/x",
        },
        {"kind": "service", "publisher": "Helpdesk KPU", "title": "Ketentuan layanan bot"},
    ]
    assert problems_with(tmp_path, sources=sources) == []


@pytest.mark.parametrize(
    "note",
    [
        "facts.md 2A",
        "artikel 000 (Liputan6)",
        "lihat baris 3",
        "prosedur reset TIDAK ADA di sumber",
        "models/interactions.py",
        "knowledge/faq/dokumen.yaml",
    ],
)
def test_a_source_that_is_a_working_note_is_refused(tmp_path: Path, note: str) -> None:
    problems = problems_with(tmp_path, sources=[{"kind": "regulation", "title": note}])
    assert any("internal reference" in p and "daftar-batas" in p for p in problems), problems


def test_an_answer_naming_a_working_file_is_refused(tmp_path: Path) -> None:
    answer = {"id": "Lihat facts.md bagian 4.", "en": "See the notes."}
    problems = problems_with(tmp_path, answer=answer)
    assert any("id answer has an internal reference 'facts.md'" in p for p in problems), problems


def test_an_answer_may_carry_an_official_link(tmp_path: Path) -> None:
    answer = {"id": "Cek di https://infopemilu.kpu.go.id/Pemilu/Cari_nik ya.", "en": "Check there."}
    assert problems_with(tmp_path, answer=answer) == []


@pytest.mark.parametrize("sources", [None, []])
def test_an_entry_without_sources_is_refused(tmp_path: Path, sources: object) -> None:
    problems = problems_with(tmp_path, sources=sources)
    assert any("'sources' is required" in p for p in problems), problems


def test_the_old_free_text_source_is_refused(tmp_path: Path) -> None:
    problems = problems_with(tmp_path, source="facts.md 2A baris 3")
    assert any("replaced by a 'sources' list" in p for p in problems), problems


@pytest.mark.parametrize(
    "url",
    [
        "www.kpu.go.id/page",
        "ftp://kpu.go.id/file",
        "https://",
        "https://kpu go.id/x",
        "https://localhost/x",
        "https://user:pw@kpu.go.id/x",
        "https://kpu.go.id:99999/x",
        "javascript:alert(1)",
    ],
)
def test_a_malformed_url_is_refused(tmp_path: Path, url: str) -> None:
    source = {**NEWS, "url": url}
    problems = problems_with(tmp_path, sources=[source])
    assert any("not a well-formed" in p for p in problems), problems


@pytest.mark.parametrize(
    ("missing", "message"),
    [("date", "a news source needs its date"), ("publisher", "needs a publisher")],
)
def test_a_news_source_needs_its_publisher_and_date(
    tmp_path: Path, missing: str, message: str
) -> None:
    source = {k: v for k, v in NEWS.items() if k != missing}
    problems = problems_with(tmp_path, sources=[source])
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"kind": "blog", "title": "x"}, "'kind' must be one of"),
        ({"kind": "regulation"}, "needs a title"),
        ({**NEWS, "date": "6 Agustus"}, "'date' must be like"),
        ({**NEWS, "page": 3}, "unknown keys ['page']"),
    ],
)
def test_each_source_rule_names_the_problem(
    tmp_path: Path, source: dict[str, object], message: str
) -> None:
    problems = problems_with(tmp_path, sources=[source])
    assert any(message in p for p in problems), problems


def test_sources_read_as_one_line_or_a_list_with_their_links() -> None:
    law = Source(SourceKind.REGULATION, title="PKPU Nomor 4 Tahun 2022", article="Pasal 32")
    news = Source(
        SourceKind.NEWS,
        title="KPU sediakan help desk",
        publisher="Liputan6",
        date=SourceDate(2022, 8, 6),
        url="https://www.liputan6.com/news/read/1",
    )
    assert citation((law,), "id") == "PKPU Nomor 4 Tahun 2022, Pasal 32"
    assert citation((law, news), "en") == (
        "\n• PKPU Nomor 4 Tahun 2022, Pasal 32"
        "\n• Liputan6, «KPU sediakan help desk», 6 August 2022 — https://www.liputan6.com/news/read/1"
    )
    assert SourceDate(2022, 11).text("id") == "November 2022"


def test_url_check_accepts_real_pages() -> None:
    assert well_formed_url("https://news.okezone.com:443/read/2024/09/05/337/3059202/x")
    assert well_formed_url("http://bogor.tribunnews.com/2018/07/20/x")
    assert not well_formed_url("https://kpu.go.id/a b")
