"""Free-text search over the FAQ, with a confidence the bot can act on.

Ranking mixes two views of the same entries:

- BM25F over the entry's fields (question, alternative phrasings, keywords and category
  titles, answer), each field weighted; the per-term contribution is computed once at
  load time, so a question costs a few dictionary look-ups per word.
- the best match against any single phrasing (or the question itself), as an
  IDF-weighted cosine: liaisons type questions the way the phrasings are written.

The confidence of a hit is a logistic function of what separates a right answer from a
guess (``Features``): how well the best phrasing matches and how much of it the question
says, how much of the question's content the entry and its best phrasing cover, how many
content words they share, how much of the question the knowledge base knows at all
(out-of-scope questions use words it has never seen), and the margin over the next entry.
Its coefficients and threshold are fitted by ``knowledge.tools.calibrate`` on the knowledge
base's own phrasings, each held out in turn and also asked with chat noise, on
out-of-scope questions, and on real liaison questions with known answers; below
``THRESHOLD`` the bot does not answer.

The home of the ranking's constants: ``FIELD_WEIGHTS``, ``FIELD_B`` and ``K1`` (BM25F),
``RANK_MIX`` and ``UNKNOWN_IDF_SHARE``; the fitted confidence is ``calibration``'s.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from knowledge.content.faq import Entry
from knowledge.search.analyze import LIGHT_WEIGHT, Analyzer, Term, idf
from knowledge.search.calibration import COEFFICIENTS, THRESHOLD
from knowledge.search.lang import LanguageGuesser
from knowledge.search.textnorm import normalise as _normalise
from knowledge.search.textnorm import words

__all__ = ["THRESHOLD", "Hit", "SearchResult", "Searcher", "normalise"]

FIELD_WEIGHTS = {"question": 2.0, "phrasing": 0.5, "keyword": 1.5, "title": 1.5, "answer": 0.8}
FIELD_B = {"question": 0.3, "phrasing": 0.3, "keyword": 0.3, "title": 0.3, "answer": 0.75}
K1 = 1.2
RANK_MIX = 0.1  # share of the phrasing cosine in the ranking score; the rest is BM25F
UNKNOWN_IDF_SHARE = 0.7  # weight of a word the knowledge base never uses, relative to rarest


def normalise(text: str) -> str:
    """The question reduced for grouping (lowercase content words): ``kb_gap.normalised``."""
    return _normalise(text)


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float  # calibrated confidence, 0..1


@dataclass(frozen=True)
class SearchResult:
    question: str
    lang: str  # "id" or "en"
    answered: bool  # True only when hits[0] is confident
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class Features:
    """What the confidence is computed from, for one candidate entry."""

    cosine: float  # best phrasing match
    bm25: float  # BM25F, normalised by what the question could score at most
    coverage: float  # share of the question's content weight the entry contains
    known: float  # share of the question's content weight the knowledge base knows
    margin: float  # (rank - best other rank) / rank
    unit_cover: float  # share of the question's content weight its best phrasing contains
    unit_recall: float  # share of the best-matching phrasing's weight the question contains
    matched: float  # content terms the entry shares with the question, / 3, at most 1
    length: float  # content terms of the question, / 10, at most 1

    def vector(self) -> tuple[float, ...]:
        return (
            self.cosine,
            self.bm25,
            self.coverage,
            self.known,
            self.margin,
            self.unit_cover,
            self.unit_recall,
            self.matched,
            self.length,
        )


def confidence(features: Features) -> float:
    z = COEFFICIENTS[0] + sum(
        c * f for c, f in zip(COEFFICIENTS[1:], features.vector(), strict=True)
    )
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class Searcher:
    """The search index over a fixed set of entries; built once, then read only."""

    def __init__(
        self,
        entries: Sequence[Entry],
        titles: Mapping[str, Sequence[str]] | None = None,
        threshold: float = THRESHOLD,
    ) -> None:
        """``titles`` maps a category path ("cat/sub") to its titles, searched with the
        keywords."""
        self.entries = tuple(entries)
        self.threshold = threshold
        self._titles = dict(titles or {})
        id_words: list[str] = []
        en_words: list[str] = []
        split: dict[str, list[str]] = {}
        for entry in self.entries:
            for lang, bucket in (("id", id_words), ("en", en_words)):
                for text in _texts(entry, lang):
                    if text not in split:
                        split[text] = words(text)
                    bucket.extend(split[text])
        self.analyzer = Analyzer(id_words + en_words)
        self.analyzer.remember_words(split)
        self.guesser = LanguageGuesser(id_words, en_words)
        self._build()
        self.analyzer.forget_texts()

    def _build(self) -> None:
        count = len(self.entries)
        fields = [self._fields(entry) for entry in self.entries]
        lengths = {
            name: sum(len(f[name]) for f in fields) / max(1, count) or 1.0 for name in FIELD_WEIGHTS
        }
        frequency: dict[str, int] = defaultdict(int)
        for entry_fields in fields:
            for term in {t for terms in entry_fields.values() for t in terms}:
                frequency[term] += 1
        self.idf = {term: idf(df, count) for term, df in frequency.items()}
        self.unknown_idf = idf(0, max(1, count)) * UNKNOWN_IDF_SHARE
        self.terms = frozenset(self.idf)
        self.postings: dict[str, dict[int, float]] = defaultdict(dict)
        self.entry_terms = [
            frozenset(t for terms in entry_fields.values() for t in terms)
            for entry_fields in fields
        ]
        for position, entry_fields in enumerate(fields):
            weighted: dict[str, float] = defaultdict(float)
            for name, terms in entry_fields.items():
                norm = 1 - FIELD_B[name] + FIELD_B[name] * len(terms) / lengths[name]
                for term in terms:
                    weighted[term] += FIELD_WEIGHTS[name] / norm
            for term, wtf in weighted.items():
                self.postings[term][position] = self.idf[term] * wtf / (K1 + wtf)
        self._build_units()

    def _fields(self, entry: Entry) -> dict[str, list[str]]:
        def stems(texts: Iterable[str]) -> list[str]:
            return [t.stem for text in texts for t in self.analyzer.terms(text)]

        return {
            "question": stems(entry.question.values()),
            "phrasing": stems(p for ps in entry.phrasings.values() for p in ps),
            "keyword": stems(entry.keywords),
            "title": stems(self._titles.get(entry.category, ())),
            "answer": stems(entry.answer.values()),
        }

    def _build_units(self) -> None:
        """Each question and phrasing as a set of terms, for the best-phrasing cosine."""
        self.unit_entry: list[int] = []
        self.unit_norm: list[float] = []
        self.unit_total: list[float] = []
        self.unit_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for position, entry in enumerate(self.entries):
            texts = [*entry.question.values(), *(p for ps in entry.phrasings.values() for p in ps)]
            for text in texts:
                weights = self._weights(self.analyzer.terms(text))
                if not weights:
                    continue
                unit = len(self.unit_entry)
                self.unit_entry.append(position)
                self.unit_norm.append(math.sqrt(sum(w * w for w in weights.values())))
                self.unit_total.append(sum(weights.values()))
                for term, weight in weights.items():
                    self.unit_postings[term].append((unit, weight))

    def _weights(self, terms: Sequence[Term]) -> dict[str, float]:
        weights: dict[str, float] = {}
        for term in terms:
            weight = self.idf.get(term.stem, self.unknown_idf)
            weights[term.stem] = weight * (LIGHT_WEIGHT if term.light else 1.0)
        return weights

    def search(self, question: str, top: int = 3) -> SearchResult:
        """The best entries for ``question``, at most ``top``; ``answered`` when the first is
        confident enough to be shown as the answer."""
        lang = self.guesser.guess(words(question[:2000]))
        terms = self.analyzer.query(question, self.terms)
        scored = self._score(terms)
        hits = tuple(Hit(self.entries[p], round(c, 4)) for p, c in scored[: max(0, top)])
        answered = bool(hits) and hits[0].score >= self.threshold
        return SearchResult(question, lang, answered, hits)

    def explain(self, question: str, top: int = 3) -> list[tuple[Entry, Features]]:
        """The candidates with the features their confidence is computed from (for
        calibration, which must not depend on the coefficients in use)."""
        scored = self._candidates(self.analyzer.query(question, self.terms))
        return [(self.entries[p], f) for p, f in scored[:top]]

    def _score(self, terms: list[Term]) -> list[tuple[int, float]]:
        return [(p, confidence(f)) for p, f in self._candidates(terms)]

    def _candidates(self, terms: list[Term]) -> list[tuple[int, Features]]:
        query: dict[str, float] = {}
        content: dict[str, float] = {}
        guessed: set[str] = set()  # stems reached only by repairing a typo
        for term in terms:
            weight = self.idf.get(term.stem, self.unknown_idf)
            if term.light:
                query[term.stem] = max(query.get(term.stem, 0.0), weight * LIGHT_WEIGHT)
            else:
                query[term.stem] = weight
                content[term.stem] = weight
                if term.repaired:
                    guessed.add(term.stem)
        if not query:
            return []
        bm25: dict[int, float] = defaultdict(float)
        for stem, weight in query.items():
            share = weight / self.idf.get(stem, self.unknown_idf)
            for position, value in self.postings.get(stem, {}).items():
                bm25[position] += share * value
        if not bm25:
            return []
        cosine, unit_cover, unit_recall = self._units(query, content)
        bm25_max = sum(query.values())
        content_total = sum(content.values()) or 1.0
        known = (
            sum(w * (0.5 if s in guessed else 1.0) for s, w in content.items() if s in self.idf)
            / content_total
        )
        ranked = sorted(
            (
                (RANK_MIX * cosine.get(p, 0.0) + (1 - RANK_MIX) * bm25[p] / bm25_max, p)
                for p in bm25
            ),
            key=lambda item: (-item[0], item[1]),
        )
        best = ranked[0][0]
        second = ranked[1][0] if len(ranked) > 1 else 0.0
        found: list[tuple[int, Features]] = []
        for index, (rank, position) in enumerate(ranked[:10]):
            other = second if index == 0 else best

            present = self.entry_terms[position]
            covered = sum(w for s, w in content.items() if s in present)
            found.append(
                (
                    position,
                    Features(
                        cosine=cosine.get(position, 0.0),
                        bm25=bm25[position] / bm25_max,
                        coverage=covered / content_total if content else 0.0,
                        known=known if content else 0.0,
                        margin=max(-1.0, (rank - other) / rank) if rank > 0 else 0.0,
                        unit_cover=unit_cover.get(position, 0.0) / content_total,
                        unit_recall=unit_recall.get(position, 0.0),
                        matched=min(1.0, sum(1 for s in content if s in present) / 3),
                        length=min(1.0, len(content) / 10),
                    ),
                )
            )
        return found

    def _units(
        self, query: dict[str, float], content: dict[str, float]
    ) -> tuple[dict[int, float], dict[int, float], dict[int, float]]:
        """Per entry, over its question and phrasings: the best cosine with the question;
        the most content weight of the question one of them contains; and how much of the
        best-matching one the question contains."""
        norm = math.sqrt(sum(w * w for w in query.values()))
        dots: dict[int, float] = defaultdict(float)
        covers: dict[int, float] = defaultdict(float)
        recalls: dict[int, float] = defaultdict(float)
        for stem, weight in query.items():
            in_content = content.get(stem, 0.0)
            for unit, unit_weight in self.unit_postings.get(stem, ()):
                dots[unit] += weight * unit_weight
                covers[unit] += in_content
                recalls[unit] += unit_weight
        best: dict[int, float] = {}
        cover: dict[int, float] = {}
        recall: dict[int, float] = {}
        for unit, dot in dots.items():
            value = dot / (norm * self.unit_norm[unit])
            position = self.unit_entry[unit]
            if value > best.get(position, 0.0):
                best[position] = value
                recall[position] = recalls[unit] / self.unit_total[unit]
            if covers[unit] > cover.get(position, 0.0):
                cover[position] = covers[unit]
        return best, cover, recall


def _texts(entry: Entry, lang: str) -> list[str]:
    return [
        entry.question.get(lang, ""),
        entry.answer.get(lang, ""),
        *entry.phrasings.get(lang, ()),
        *(entry.keywords if lang == "id" else ()),
    ]
