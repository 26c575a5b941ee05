"""The yardstick: fuzzy string matching of the question against the entries' titles only.

What a help desk gets without a search engine: ``difflib.SequenceMatcher`` ratio between
the lowercased question and each entry's question (both languages), best first; it
answers when the best ratio reaches its own threshold.

The home of ``BASELINE_THRESHOLD``.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from knowledge.content.faq import Entry
from knowledge.search.searcher import Hit, SearchResult
from knowledge.search.textnorm import words

BASELINE_THRESHOLD = 0.6


class TitleMatcher:
    def __init__(self, entries: Sequence[Entry], threshold: float = BASELINE_THRESHOLD) -> None:
        self.entries = tuple(entries)
        self.threshold = threshold
        self._titles = [
            (position, " ".join(text.lower().split()))
            for position, entry in enumerate(self.entries)
            for text in entry.question.values()
        ]

    def search(self, question: str, top: int = 3) -> SearchResult:
        asked = " ".join(question.lower().split())[:500]
        best: dict[int, float] = {}
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(asked)
        for position, title in self._titles:
            matcher.set_seq1(title)
            ratio = matcher.ratio()
            if ratio > best.get(position, -1.0):
                best[position] = ratio
        ranked = sorted(best.items(), key=lambda item: -item[1])[: max(0, top)]
        hits = tuple(Hit(self.entries[p], round(r, 4)) for p, r in ranked)
        lang = "en" if _looks_english(question) else "id"
        return SearchResult(question, lang, bool(hits) and hits[0].score >= self.threshold, hits)


def _looks_english(question: str) -> bool:
    english = {"the", "is", "are", "what", "when", "how", "do", "does", "can", "i", "my", "we"}
    return sum(w in english for w in words(question)) >= 1
