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

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from knowledge.content.faq import Entry
from knowledge.search.analyze import LIGHT_WEIGHT, Analyzer, Term, idf
from knowledge.search.calibration import THRESHOLD
from knowledge.search.facet_match import mismatches
from knowledge.search.facets import entry_facets, question_facets
from knowledge.search.lang import LanguageGuesser
from knowledge.search.scoring import Accumulated, Features, Ranked, Unit, confidence
from knowledge.search.textnorm import normalise as _normalise
from knowledge.search.textnorm import words

__all__ = ["THRESHOLD", "Hit", "SearchResult", "Searcher", "normalise"]

FIELD_WEIGHTS = {"question": 2.0, "phrasing": 0.5, "keyword": 1.5, "title": 1.5, "answer": 0.8}
FIELD_B = {"question": 0.3, "phrasing": 0.3, "keyword": 0.3, "title": 0.3, "answer": 0.75}
K1 = 1.2
RANK_MIX = 0.1  # share of the phrasing cosine in the ranking score; the rest is BM25F
UNKNOWN_IDF_SHARE = 0.7  # weight of a word the knowledge base never uses, relative to rarest
CANDIDATES = 10  # entries ranked and given features; the first ``top`` are returned


def normalise(text: str) -> str:
    """The question reduced for grouping (lowercase content words): ``kb_gap.normalised``."""
    return _normalise(text)


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float  # calibrated confidence, 0..1
    mismatch: tuple[str, ...] = ()  # why the entry does not answer this question


@dataclass(frozen=True)
class SearchResult:
    question: str
    lang: str  # "id" or "en"
    answered: bool  # True only when hits[0] is confident and answers this question
    hits: tuple[Hit, ...]
    facets: Mapping[str, object] = field(default_factory=dict)  # what the question says
    refusal: tuple[str, ...] = ()  # why the first entry was not given as the answer


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
        self.facets = [
            entry_facets(e, self._titles.get(e.category, ()), split) for e in self.entries
        ]

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
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
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
                postings[term].append((position, self.idf[term] * wtf / (K1 + wtf)))
        self.postings = {term: tuple(found) for term, found in postings.items()}
        self.posting_of = {term: dict(found) for term, found in postings.items()}
        self.posting_max = {term: max(v for _, v in found) for term, found in postings.items()}
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
        """Each question and phrasing as a set of weighted terms, kept per entry, for the
        best-phrasing cosine of the few entries that can reach the first ten."""
        self.units: list[tuple[Unit, ...]] = []
        for entry in self.entries:
            texts = [*entry.question.values(), *(p for ps in entry.phrasings.values() for p in ps)]
            found: list[Unit] = []
            for text in texts:
                weights = self._weights(self.analyzer.terms(text))
                if weights:
                    norm = math.sqrt(sum(w * w for w in weights.values()))
                    found.append(Unit(weights, norm, sum(weights.values()), frozenset(weights)))
            self.units.append(tuple(found))

    def _weights(self, terms: Sequence[Term]) -> dict[str, float]:
        weights: dict[str, float] = {}
        for term in terms:
            weight = self.idf.get(term.stem, self.unknown_idf)
            weights[term.stem] = weight * (LIGHT_WEIGHT if term.light else 1.0)
        return weights

    def search(self, question: str, top: int = 3) -> SearchResult:
        """The best entries for ``question``, at most ``top``; ``answered`` when the first is
        confident enough to be shown as the answer and agrees with every facet the question
        makes explicit (``knowledge.search.facets``). Entries that agree come before those
        that do not; ``refusal`` says why the first was not answered."""
        lang = self.guesser.guess(words(question[:2000]))
        terms = self.analyzer.query(question, self.terms)
        asked = question_facets(question)
        scored = [
            Hit(self.entries[p], round(c, 4), mismatches(asked, self.facets[p]))
            for p, c in self._score(terms)
        ]
        scored.sort(key=lambda hit: (bool(hit.mismatch), -hit.score))
        return self.result(SearchResult(question, lang, False, tuple(scored), asked.as_dict()), top)

    def result(self, found: SearchResult, top: int) -> SearchResult:
        """``found`` cut to its first ``top`` hits, answered only when the first of them is
        confident and answers the question; ``refusal`` says why it is not."""
        hits = found.hits[: max(0, top)]
        refusal: tuple[str, ...] = ()
        if not hits:
            refusal = ("no entry shares a word with the question",)
        elif hits[0].mismatch:
            refusal = hits[0].mismatch
        elif hits[0].score < self.threshold:
            refusal = (f"confidence {hits[0].score:.2f} below {self.threshold:.2f}",)
        return replace(found, answered=bool(hits) and not refusal, hits=hits, refusal=refusal)

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
        units = self._rank(query, content, self._accumulate(query))
        if not units:
            return []
        bm25_max = sum(query.values())
        ranked = [(rank, position) for rank, position, _, _ in units]
        content_total = sum(content.values()) or 1.0
        known = (
            sum(w * (0.5 if s in guessed else 1.0) for s, w in content.items() if s in self.idf)
            / content_total
        )
        best = ranked[0][0]
        second = ranked[1][0] if len(ranked) > 1 else 0.0
        found: list[tuple[int, Features]] = []
        for index, (rank, position) in enumerate(ranked):
            other = second if index == 0 else best

            present = self.entry_terms[position]
            covered = sum(w for s, w in content.items() if s in present)
            found.append(
                (
                    position,
                    Features(
                        cosine=units[index][2][0],
                        bm25=units[index][3] / bm25_max,
                        coverage=covered / content_total if content else 0.0,
                        known=known if content else 0.0,
                        margin=max(-1.0, (rank - other) / rank) if rank > 0 else 0.0,
                        unit_cover=units[index][2][1] / content_total,
                        unit_recall=units[index][2][2],
                        matched=min(1.0, sum(1 for s in content if s in present) / 3),
                        length=min(1.0, len(content) / 10),
                    ),
                )
            )
        return found

    def _accumulate(self, query: dict[str, float]) -> Accumulated:
        """BM25F per entry, and the squared query weight each entry shares, for every entry
        that can still rank among the first ``CANDIDATES``. Terms are taken from the one
        that can add the most; once what the remaining terms could add to an entry not yet
        reached cannot lift it among the first, they are added only to the entries already
        reached, and entries that can no longer make it are dropped."""
        norm = math.sqrt(sum(w * w for w in query.values()))
        bm25_max = sum(query.values())
        lift = (1 - RANK_MIX) / bm25_max
        steps = sorted(
            (
                (weight / self.idf.get(stem, self.unknown_idf), weight * weight, stem)
                for stem, weight in query.items()
                if stem in self.postings
            ),
            key=lambda step: -step[0] * self.posting_max[step[2]],
        )
        rest_bm25 = sum(share * self.posting_max[stem] for share, _, stem in steps)
        rest_square = sum(square for _, square, _ in steps)
        bm25: dict[int, float] = defaultdict(float)
        shared: dict[int, float] = defaultdict(float)
        closed = False  # no entry not yet reached can make the first ones
        for share, square, stem in steps:
            rest_bm25 -= share * self.posting_max[stem]
            rest_square = max(0.0, rest_square - square)
            if not closed:
                for position, value in self.postings[stem]:
                    bm25[position] += share * value
                    shared[position] += square
            else:
                postings = self.posting_of[stem]
                for position in [p for p in bm25 if p in postings]:
                    bm25[position] += share * postings[position]
                    shared[position] += square
            if closed or len(bm25) <= CANDIDATES:
                continue
            floor = heapq.nlargest(CANDIDATES, bm25.values())[-1] * lift
            cosine_room = RANK_MIX / norm
            if rest_bm25 * lift + cosine_room * math.sqrt(rest_square) < floor:
                closed = True
                for position in [
                    p
                    for p, score in bm25.items()
                    if (score + rest_bm25) * lift + cosine_room * math.sqrt(shared[p] + rest_square)
                    < floor
                ]:
                    del bm25[position], shared[position]
        return Accumulated(bm25, shared)

    def _rank(
        self, query: dict[str, float], content: dict[str, float], scores: Accumulated
    ) -> list[Ranked]:
        """The first ``CANDIDATES`` entries by rank (BM25F share mixed with the best
        phrasing cosine), each with its rank, position, ``_units`` and BM25F. The cosine is
        computed only while it can still change the outcome: an entry's cosine is at most
        the norm of the query weights it shares over the query's norm, so entries are
        taken by that upper bound and the loop stops once it cannot beat the ones found.
        """
        norm = math.sqrt(sum(w * w for w in query.values()))
        bm25_max = sum(query.values())
        bm25, shared = scores.bm25, scores.shared
        bounds = [
            (-((1 - RANK_MIX) * score / bm25_max + RANK_MIX * math.sqrt(shared[p]) / norm), p)
            for p, score in bm25.items()
        ]
        heapq.heapify(bounds)
        kept: list[tuple[float, int, tuple[float, float, float]]] = []  # a min-heap by rank
        while bounds:
            negative, position = heapq.heappop(bounds)
            if len(kept) >= CANDIDATES and -negative < kept[0][0]:
                break
            units = self._units(query, content, norm, position)
            rank = RANK_MIX * units[0] + (1 - RANK_MIX) * bm25[position] / bm25_max
            item = (rank, -position, units)
            if len(kept) < CANDIDATES:
                heapq.heappush(kept, item)
            elif item[:2] > kept[0][:2]:
                heapq.heapreplace(kept, item)
        ordered = sorted(kept, key=lambda item: (-item[0], -item[1]))
        return [(rank, -minus, units, bm25[-minus]) for rank, minus, units in ordered]

    def _units(
        self, query: dict[str, float], content: dict[str, float], norm: float, position: int
    ) -> tuple[float, float, float]:
        """Over the entry's question and phrasings: the best cosine with the question; the
        most content weight of the question one of them contains; and how much of the
        best-matching one the question contains."""
        best = cover = recall = 0.0
        asked = query.keys()
        for unit in self.units[position]:
            shared = unit.stems & asked
            if not shared:
                continue
            weights = unit.weights
            dot = covered = recalled = 0.0
            for stem in shared:
                unit_weight = weights[stem]
                dot += query[stem] * unit_weight
                covered += content.get(stem, 0.0)
                recalled += unit_weight
            value = dot / (norm * unit.norm)
            if value > best:
                best = value
                recall = recalled / unit.total
            cover = max(cover, covered)
        return best, cover, recall


def _texts(entry: Entry, lang: str) -> list[str]:
    return [
        entry.question.get(lang, ""),
        entry.answer.get(lang, ""),
        *entry.phrasings.get(lang, ()),
        *(entry.keywords if lang == "id" else ()),
    ]
