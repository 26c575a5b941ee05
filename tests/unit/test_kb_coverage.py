"""The coverage list: every fact is answered by entries that exist, or is out of scope."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knowledge.content.coverage import (
    COVERAGE_FILE,
    fact_ids_in_notes,
    missing_facts,
    read_coverage,
)
from knowledge.content.faq import DEFAULT_FOLDER, check
from knowledge.search import KnowledgeBase
from tests.unit.kb_sample import PARTIES, write_sample

# The research notes sit beside the checkout (``../shared/domain``) where they are at hand.
_ROOT = Path(__file__).resolve().parents[2]
NOTES = (
    next(
        (p for p in (_ROOT.parent / "shared", _ROOT.parent.parent / "shared") if p.is_dir()),
        _ROOT / "missing",
    )
    / "domain"
    / "facts.md"
)


def with_coverage(tmp_path: Path, facts: list[dict[str, object]]) -> Path:
    folder = write_sample(tmp_path, **PARTIES)
    (folder / COVERAGE_FILE).parent.mkdir(exist_ok=True)
    (folder / COVERAGE_FILE).write_text(yaml.safe_dump({"facts": facts}), encoding="utf-8")
    return folder


def test_a_well_formed_coverage_list_passes_the_check(tmp_path: Path) -> None:
    facts = [
        {"fact": "2A.3", "statement": "Registration closes 14 Aug", "entries": ["daftar-batas"]},
        {"fact": "2C.bg", "statement": "KPPS formed", "out_of_scope": "not a party matter"},
    ]
    assert check(with_coverage(tmp_path, facts)) == []


@pytest.mark.parametrize(
    ("fact", "message"),
    [
        ({"fact": "2A.3", "statement": "x", "entries": ["ghost"]}, "entry 'ghost' does not exist"),
        (
            {"fact": "2A.3", "statement": "x"},
            "either the entries that answer it or an out_of_scope",
        ),
        (
            {"fact": "2A.3", "statement": "x", "entries": ["daftar-batas"], "out_of_scope": "y"},
            "either the entries that answer it or an out_of_scope",
        ),
        ({"fact": "2A.3", "entries": ["daftar-batas"]}, "one-line 'statement'"),
        ({"fact": "2A.3", "statement": "x", "entry": ["daftar-batas"]}, "unknown keys ['entry']"),
    ],
)
def test_each_coverage_rule_fails_the_check(
    tmp_path: Path, fact: dict[str, object], message: str
) -> None:
    problems = check(with_coverage(tmp_path, [fact]))
    assert any(message in p for p in problems), problems


def test_a_fact_listed_twice_fails_the_check(tmp_path: Path) -> None:
    fact = {"fact": "Q1", "statement": "x", "entries": ["daftar-batas"]}
    problems = check(with_coverage(tmp_path, [fact, fact]))
    assert any("'Q1' is listed twice" in p for p in problems), problems


def test_a_numbered_fact_missing_from_the_list_is_named() -> None:
    notes = (
        "### 2A. Parties\n| # | Tahapan |\n|---|---|\n| 1 | SIPOL |\n| 4a | Vermin |\n"
        "## 3. FAQ\n1. **T:** a?\n2. **T:** b?\n10. **T:** c?\n## 4. Data\n5. **T:** not a fact\n"
    )
    assert fact_ids_in_notes(notes) == {"2A.1", "2A.4a", "3.Q1", "3.Q2", "3.Q10"}
    facts, _ = read_coverage(DEFAULT_FOLDER / COVERAGE_FILE, set())
    assert missing_facts(facts[:0], notes) == ["2A.1", "2A.4a", "3.Q1", "3.Q10", "3.Q2"]
    assert missing_facts(facts, notes) == []


def test_the_shipped_list_names_every_entry_that_exists() -> None:
    ids = {e.id for e in KnowledgeBase.load().entries}
    facts, problems = read_coverage(DEFAULT_FOLDER / COVERAGE_FILE, ids)
    assert problems == []
    assert len(facts) >= 200


@pytest.mark.skipif(not NOTES.is_file(), reason="the research notes are not beside the checkout")
def test_every_numbered_fact_of_the_research_notes_is_covered() -> None:
    facts, _ = read_coverage(DEFAULT_FOLDER / COVERAGE_FILE, set())
    assert missing_facts(facts, NOTES.read_text(encoding="utf-8")) == []
