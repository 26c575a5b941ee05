"""Measuring search against questions with known good answers (``faq_dev.yaml`` format).

Each item has ``q``, ``lang``, and either ``expect`` (regular expressions the FIRST answer's
text, in ``lang``, must all match) or ``out_of_scope: true``. Figures:

- hit@1: an in-scope question is answered, and the first answer matches;
- hit@3: one of the first three entries matches (they are offered as choices);
- MRR: mean of 1/rank of the first matching entry among the first three;
- out-of-scope accuracy: share of out-of-scope questions left unanswered;
- refused: share of in-scope questions left unanswered (the price of not guessing);
- wrong answers: share of all questions answered confidently with a wrong entry (an
  in-scope question with the wrong first entry, or an out-of-scope one answered);
- handed over: the same two figures with an answer from an entry whose facts the sources
  do not confirm (``uncertain``) counted as what it says to the liaison: "not confirmed,
  ask an officer before acting" (the answer's warning and its "still need help" button).
  Out of scope handed over is the share of out-of-scope questions refused or given such
  an answer; wrong after hand-over leaves such answers out of the wrong ones. Both are
  reported beside the strict figures, never instead of them;
- p50/p99 latency of one search.

The home of ``TOP``: how many entries count as offered.
"""

from __future__ import annotations

import math
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import yaml

from knowledge.content.faq import Entry
from knowledge.search.searcher import SearchResult

TOP = 3


class Search(Protocol):
    def search(self, question: str, top: int = 3) -> SearchResult: ...


@dataclass(frozen=True)
class Item:
    q: str
    lang: str
    expect: tuple[re.Pattern[str], ...]
    out_of_scope: bool


@dataclass
class Miss:
    question: str
    expected: str  # the patterns, or "(out of scope)"
    got: str  # what came first, and whether it was answered
    category: str


@dataclass
class Report:
    name: str
    items: int = 0
    in_scope: int = 0
    out_of_scope: int = 0
    hit1: float = 0.0
    hit3: float = 0.0
    mrr: float = 0.0
    oos_accuracy: float = 0.0
    refused: float = 0.0
    wrong: float = 0.0
    oos_handed_over: float = 0.0
    wrong_after_hand_over: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    by_category: dict[str, tuple[int, int]] = field(default_factory=dict)  # hits, questions
    misses: list[Miss] = field(default_factory=list)


def load_items(path: Path) -> list[Item]:
    """Reads an evaluation file; raises ValueError naming the first bad item."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of questions")
    items: list[Item] = []
    for number, raw in enumerate(data, 1):
        if not isinstance(raw, dict) or not isinstance(raw.get("q"), str):
            raise ValueError(f"{path}: item {number} needs a 'q' text")
        oos = bool(raw.get("out_of_scope", False))
        expect = raw.get("expect") or []
        if not oos and not expect:
            raise ValueError(f"{path}: item {number} needs 'expect' or 'out_of_scope: true'")
        patterns = tuple(re.compile(str(p), re.IGNORECASE) for p in expect)
        items.append(Item(raw["q"], str(raw.get("lang", "id")), patterns, oos))
    return items


def matches(entry: Entry, item: Item) -> bool:
    text = entry.answer_in(item.lang)
    return all(p.search(text) for p in item.expect)


def evaluate(name: str, engine: Search, items: Sequence[Item], entries: Sequence[Entry]) -> Report:
    """Runs every item through ``engine`` once and computes the figures."""
    report = Report(name, items=len(items))
    latencies: list[float] = []
    hit1 = hit3 = refused = oos_right = wrong = 0
    unconfirmed_oos = unconfirmed_wrong = 0  # answered by an entry the sources do not confirm
    reciprocal = 0.0
    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item in items:
        started = time.perf_counter()
        result = engine.search(item.q, TOP)
        latencies.append((time.perf_counter() - started) * 1000)
        got = _describe(result)
        if item.out_of_scope:
            report.out_of_scope += 1
            if not result.answered:
                oos_right += 1
            else:
                wrong += 1
                unconfirmed_oos += _unconfirmed(result)
                report.misses.append(Miss(item.q, "(out of scope)", got, "(out of scope)"))
            continue
        report.in_scope += 1
        ranks = [i for i, hit in enumerate(result.hits[:TOP], 1) if matches(hit.entry, item)]
        category = _expected_category(item, engine, entries)
        first_right = bool(ranks) and ranks[0] == 1
        by_category[category][1] += 1
        if result.answered and first_right:
            hit1 += 1
            by_category[category][0] += 1
        else:
            expected = " & ".join(p.pattern for p in item.expect)
            report.misses.append(Miss(item.q, expected, got, category))
        if ranks:
            hit3 += 1
            reciprocal += 1 / ranks[0]
        if not result.answered:
            refused += 1
        elif not first_right:
            wrong += 1
            unconfirmed_wrong += _unconfirmed(result)
    scope = max(1, report.in_scope)
    report.hit1, report.hit3, report.mrr = hit1 / scope, hit3 / scope, reciprocal / scope
    report.refused = refused / scope
    report.wrong = wrong / max(1, len(items))
    report.oos_accuracy = oos_right / max(1, report.out_of_scope)
    report.oos_handed_over = (oos_right + unconfirmed_oos) / max(1, report.out_of_scope)
    report.wrong_after_hand_over = (wrong - unconfirmed_oos - unconfirmed_wrong) / max(
        1, len(items)
    )
    report.p50_ms = statistics.median(latencies) if latencies else 0.0
    report.p99_ms = percentile(latencies, 0.99)
    report.by_category = {k: (v[0], v[1]) for k, v in sorted(by_category.items())}
    return report


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (p99 of 52 values is the largest)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[min(len(ordered), rank) - 1]


def _expected_category(item: Item, engine: Search, entries: Sequence[Entry]) -> str:
    """The category of the best-ranked entry whose answer satisfies the item;
    "(not found)" when none is among the first ten, "(no entry)" when no entry answers it
    at all (a content gap)."""
    for hit in engine.search(item.q, 10).hits:
        if matches(hit.entry, item):
            return hit.entry.category.split("/")[0]
    if any(matches(entry, item) for entry in entries):
        return "(not found)"
    return "(no entry)"


def _unconfirmed(result: SearchResult) -> int:
    """1 when the answer given comes from an entry whose facts the sources do not confirm."""
    return int(bool(result.answered and result.hits and result.hits[0].entry.uncertain))


def _describe(result: SearchResult) -> str:
    if not result.hits:
        return "nothing found"
    first = result.hits[0]
    state = "answered" if result.answered else "not sure"
    if _unconfirmed(result):
        state = "answered, unconfirmed: ask an officer"
    return f"{first.entry.id} ({first.score:.2f}, {state})"
