"""The content checker: every schema rule gives a clear, specific problem."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from knowledge.content.faq import DEFAULT_FOLDER, check
from knowledge.search import ContentError, KnowledgeBase
from tests.unit.kb_sample import PARTIES, write_sample


def broken(**edit: object) -> dict[str, object]:
    data = copy.deepcopy(PARTIES)
    first = data["entries"][0]  # type: ignore[index]
    first.update(edit)
    return data


def test_the_sample_content_is_valid_and_loads_in_menu_order(tmp_path: Path) -> None:
    folder = write_sample(tmp_path)
    assert check(folder) == []
    kb = KnowledgeBase.load(folder)
    assert [c.id for c in kb.categories] == ["partai"]
    assert kb.entry("sipol-akun") is not None and kb.entry("nope") is None
    assert next(e.id for e in kb.entries_in("partai/jadwal")) == "daftar-batas"
    assert len(kb.entries_in("partai")) == 3


def test_the_real_content_passes_the_check() -> None:
    assert check(DEFAULT_FOLDER) == []


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"related": ["daftar-batas", "sipol-akun"]}, "lists itself as related"),
        ({"related": ["ghost", "sipol-akun"]}, "related entry 'ghost' does not exist"),
        ({"category": "partai/none"}, "category 'partai/none' does not exist"),
        ({"question": {"id": "Kapan?"}}, "'question' has no en text"),
        ({"phrasings": {"id": ["a", "b"], "en": ["c", "d"]}}, "at least 5 id phrasings"),
        ({"answer": {"id": "x" * 5000, "en": "y"}}, "Telegram allows 4096"),
        ({"id": "Bad Id!"}, "must match [a-z0-9-]+"),
        ({"valid_from": "2024-09-01", "valid_until": "2024-08-01"}, "valid_from is after"),
        ({"keywords": ["a", 1.0]}, "quote numbers"),
        ({"phrasng": {}}, "unknown keys ['phrasng']"),
    ],
)
def test_each_schema_rule_names_the_entry_and_the_problem(
    tmp_path: Path, edit: dict[str, object], message: str
) -> None:
    problems = check(write_sample(tmp_path, **broken(**edit)))
    assert any(message in p for p in problems), problems


def test_a_phrasing_shared_by_two_entries_is_refused(tmp_path: Path) -> None:
    data = copy.deepcopy(PARTIES)
    data["entries"][1]["phrasings"]["id"][0] = "KPN pendaftaran parpol ditutup!"  # type: ignore[index]
    problems = check(write_sample(tmp_path, **data))
    assert any("is also a phrasing of daftar-batas" in p for p in problems)


def test_loading_broken_content_raises_with_every_problem(tmp_path: Path) -> None:
    folder = write_sample(tmp_path, **broken(related=[], sources=[]))
    with pytest.raises(ContentError) as caught:
        KnowledgeBase.load(folder)
    assert len(caught.value.problems) >= 2


def test_unreadable_yaml_and_an_empty_folder_are_reported(tmp_path: Path) -> None:
    assert any("no *.yaml" in p for p in check(tmp_path))
    (tmp_path / "partai.yaml").write_text("category: [unclosed", encoding="utf-8")
    assert any("not readable YAML" in p for p in check(tmp_path))
