"""From text to search terms: words, stems, typo repair, and how much each term weighs.

The home of ``LIGHT_WEIGHT`` (the weight of question and polarity words),
``MAX_QUERY_WORDS`` (the words of a question that are looked at) and ``MIN_SHARED_ROOT``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.search.stem import (
    Stemmer,
    english_candidates,
    indonesian_candidates,
    regional_forms,
)
from knowledge.search.textnorm import (
    DOMAIN_TERMS,
    LIGHT_WORDS,
    STOPWORDS,
    SYNONYMS,
    split_introduction,
    strip_address,
    words,
)

LIGHT_WEIGHT = 0.3
MAX_QUERY_WORDS = 60
MIN_SHARED_ROOT = 5  # letters of a root two words must share to be taken as one


@dataclass(frozen=True)
class Term:
    """One query term: its stem, whether it is a light (question/polarity) word, and the
    word it was repaired from when it was a typo."""

    stem: str
    light: bool
    typed: str
    repaired: bool = False


class Analyzer:
    """Turns text into stems, the same way for the knowledge base and for questions."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        counts = Counter(w for w in vocabulary if w not in STOPWORDS or w in LIGHT_WORDS)
        self.surface = counts
        self.stemmer = Stemmer(counts)
        self._speller = Speller(counts)
        self._shared = self._shared_roots(counts)
        # knowledge-base texts, while building the index
        self._terms_cache: dict[str, list[Term]] = {}
        self._words_cache: dict[str, list[str]] = {}

    def remember_words(self, split: dict[str, list[str]]) -> None:
        """Words of knowledge-base texts already split, to save splitting them again."""
        self._words_cache = split

    def forget_texts(self) -> None:
        """Drops what was kept while building the index."""
        self._terms_cache.clear()
        self._words_cache = {}

    def known(self, word: str) -> bool:
        return word in self.surface

    def terms(self, text: str) -> list[Term]:
        """The terms of a knowledge-base text (stopwords dropped, light words kept)."""
        cached = self._terms_cache.get(text)
        if cached is not None:
            return cached
        found: list[Term] = []
        split = self._words_cache.get(text)
        for word in words(text, self.known) if split is None else split:
            light = word in LIGHT_WORDS
            if word in STOPWORDS and not light:
                continue
            found.append(Term(self.stem(word), light, word))
        self._terms_cache[text] = found
        return found

    def stem(self, word: str) -> str:
        """The word's stem, with words of the same meaning brought to one."""
        stem = self.stemmer.stem(SYNONYMS.get(word, word))
        return SYNONYMS.get(stem, stem)

    def _shared_roots(self, counts: Counter[str]) -> dict[str, str]:
        """Every form a knowledge-base word reaches by removing affixes, to that word's stem:
        a question's "dibulatkan" meets the knowledge base's "pembulatan" in "bulat" even
        when "bulat" itself is never written. Forms two different stems reach are left out."""
        shared: dict[str, str] = {}
        ambiguous: set[str] = set()
        for word in counts:
            if len(word) < MIN_SHARED_ROOT + 2 or not word.isalpha() or word in LIGHT_WORDS:
                continue
            stem = self.stem(word)
            for form in indonesian_candidates(word):
                if len(form) < MIN_SHARED_ROOT or form in ambiguous:
                    continue
                if shared.setdefault(form, stem) != stem:
                    ambiguous.add(form)
                    del shared[form]
        return shared

    def _by_shared_root(self, word: str) -> str | None:
        forms = [word, *indonesian_candidates(word), *english_candidates(word)]
        found = [f for f in forms if f in self._shared]
        return self._shared[max(found, key=len)] if found else None

    def _regional(self, word: str, index_terms: set[str] | frozenset[str]) -> str | None:
        """The stem of the knowledge-base word ``word`` is with a regional ending taken off
        ("statuse" → "status", "carana" → "cara"), or None."""
        for form in regional_forms(word):
            stem = self.stem(form)
            if form in self.surface or stem in index_terms:
                return stem
        return None

    def query(self, text: str, index_terms: set[str] | frozenset[str]) -> list[Term]:
        """The terms of a question, typos repaired towards the knowledge base's words. The
        greeting around it is dropped; a clause saying who asks only weighs lightly; a
        domain short form the knowledge base never writes counts by its spelled-out form."""
        intro, asked = split_introduction(strip_address(text[:2000]))
        intro_words = words(intro, self.known)
        found: list[Term] = []
        every = (intro_words + words(asked, self.known))[:MAX_QUERY_WORDS]
        for position, word in enumerate(every):
            aside = position < len(intro_words)
            light = word in LIGHT_WORDS or aside
            if word in STOPWORDS and word not in LIGHT_WORDS:
                continue
            stem = self.stem(word)
            if stem in index_terms or word in self.surface:
                found.append(Term(stem, light, word))
                continue
            if word in DOMAIN_TERMS:
                continue
            regional = self._regional(word, index_terms)
            if regional is not None:
                found.append(Term(regional, light, word))
                continue
            shared = self._by_shared_root(word)
            if shared is not None:
                found.append(Term(shared, light, word))
                continue
            repaired = self._speller.correct(word)
            if repaired is None:
                found.append(Term(stem, light, word))
            else:
                light = aside or repaired in LIGHT_WORDS
                found.append(Term(self.stem(repaired), light, word, True))
        return found


class Speller:
    """Repairs a word to the closest knowledge-base word. Chat typos are slips of the
    fingers inside a word, so the first letter must match (or be swapped with the second),
    and short words, where one letter changes the meaning ("hujan"/"human"), only have two
    letters swapped: one swap for words of four or five letters, one edit up to eight
    letters, two edits from nine on; shorter words are never guessed at."""

    def __init__(self, counts: Counter[str]) -> None:
        self._counts = counts
        self._grams: dict[str, list[str]] = defaultdict(list)
        for word in counts:
            if len(word) >= 4 and word.isalpha():
                for gram in _trigrams(word):
                    self._grams[gram].append(word)

    @staticmethod
    def allowed(length: int) -> int:
        if length < 4:
            return 0
        return 1 if length <= 8 else 2

    def correct(self, word: str) -> str | None:
        limit = self.allowed(len(word))
        if not limit or not word.isalpha():
            return None
        grams = _trigrams(word)
        shared: Counter[str] = Counter()
        for gram in set(grams):
            shared.update(self._grams.get(gram, ()))
        needed = max(1, len(word) - 3 * limit)
        best: tuple[int, int, str] | None = None
        candidates = [
            w
            for w, n in shared.items()
            if n >= needed and abs(len(w) - len(word)) <= limit and _plausible(word, w)
        ]
        for candidate in candidates:
            distance = edit_distance(word, candidate, limit)
            if distance <= limit:
                key = (distance, -self._counts[candidate], candidate)
                if best is None or key < best:
                    best = key
        return best[2] if best else None


def _plausible(typed: str, candidate: str) -> bool:
    """Could ``typed`` be a slip for ``candidate``: same first letter (or the first two
    swapped), and for words of five letters or fewer the same letters in another order."""
    swapped = len(typed) == len(candidate) and typed[:2] == candidate[1::-1]
    if typed[0] != candidate[0] and not swapped:
        return False
    return len(typed) > 5 or sorted(typed) == sorted(candidate)


def _trigrams(word: str) -> list[str]:
    padded = f"^{word}$"
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once), cut off above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def idf(document_frequency: int, documents: int) -> float:
    """BM25's inverse document frequency, never negative."""
    return math.log(1 + (documents - document_frequency + 0.5) / (document_frequency + 0.5))
