"""The evaluation's figures: an answer from an entry the sources do not confirm is counted
both ways, strictly (an answer) and as what it tells the liaison (ask an officer first)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from knowledge.search.knowledge_base import KnowledgeBase
from knowledge.search.searcher import Hit, SearchResult
from knowledge.tools.evaluate import Item, evaluate
from knowledge.tools.report import render_reports
from tests.unit.kb_sample import write_sample


class Fixed:
    """An engine whose results are given per question."""

    def __init__(self, results: dict[str, SearchResult]) -> None:
        self.results = results

    def search(self, question: str, top: int = 3) -> SearchResult:
        return self.results[question]


def test_an_unconfirmed_entry_answering_is_wrong_strictly_and_a_hand_over_beside(
    tmp_path: Path,
) -> None:
    kb = KnowledgeBase.load(write_sample(tmp_path / "kb"))
    sure, other = kb.entries[0], kb.entries[1]
    unconfirmed = replace(other, uncertain=True)

    def result(q: str, answered: bool, *entries: object) -> SearchResult:
        hits = tuple(Hit(e, 0.9) for e in entries)  # type: ignore[arg-type]
        return SearchResult(q, "id", answered, hits)

    items = [
        Item("in scope, right", "id", (re.compile(re.escape(sure.answer["id"][:12])),), False),
        Item("in scope, unconfirmed first", "id", (re.compile("14 Agustus"),), False),
        Item("out of scope, refused", "id", (), True),
        Item("out of scope, unconfirmed", "id", (), True),
        Item("out of scope, confirmed", "id", (), True),
    ]
    engine = Fixed(
        {
            "in scope, right": result("in scope, right", True, sure),
            "in scope, unconfirmed first": result("in scope, unconfirmed first", True, unconfirmed),
            "out of scope, refused": result("out of scope, refused", False, sure),
            "out of scope, unconfirmed": result("out of scope, unconfirmed", True, unconfirmed),
            "out of scope, confirmed": result("out of scope, confirmed", True, sure),
        }
    )
    report = evaluate("fixed", engine, items, kb.entries)

    assert report.hit1 == 0.5
    assert report.oos_accuracy == 1 / 3  # strictly, only the refusal is right
    assert report.wrong == 3 / 5
    assert report.oos_handed_over == 2 / 3  # the unconfirmed answer sends them to an officer
    assert report.wrong_after_hand_over == 1 / 5  # only the confirmed out-of-scope answer
    assert any("unconfirmed: ask an officer" in miss.got for miss in report.misses)
    text = render_reports("fixed", report, report)
    assert "out-of-scope accuracy, hand-over too" in text and "wrong less hand-over" in text
