"""Indonesian chat text to plain words: case, punctuation, repeated letters, abbreviations.

Liaisons type fast: "min kpn tgl terakhir daftar parpol yg bner??", "gmn klo akun SIPOL
blm aktif". This module turns such text into lowercase words, spells out the usual chat
abbreviations and the domain's short forms, and marks which words carry no content.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from knowledge.search.lexicon import (
    CHAT_WORDS,
    DOMAIN_TERMS,
    DPT_NOUN_AFTER,
    DPT_NOUN_BEFORE,
    INTRO_MARKERS,
    INTRO_PRONOUNS,
    LIGHT_WORDS,
    PHRASES,
    SALUTATIONS,
    STOPWORDS,
    SYNONYMS,
    split_words,
)

__all__ = [
    "CHAT_WORDS",
    "DOMAIN_TERMS",
    "LIGHT_WORDS",
    "SALUTATIONS",
    "STOPWORDS",
    "SYNONYMS",
    "fold",
    "normalise",
    "split_introduction",
    "split_words",
    "squeeze",
    "strip_address",
    "words",
]

_REPEAT = re.compile(r"([a-z])\1{2,}")
_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")
_TIME = re.compile(r"(?<=\d)[.:](?=\d\d(?!\d))")
_REDUP = re.compile(r"\b([a-z]{3,})-\1\b")
_WORD = re.compile(r"[a-z0-9]+")
_TOKEN = re.compile(r"[a-z0-9]+|[,.!?:;\n]")
_CLAUSE_END = re.compile(r"[,.:;!?\n]")
_REDUP_DIGIT = re.compile(r"^([a-z]{3,})2$")  # "berkali2", "sedikit2"
_LONG_NUMBER = re.compile(r"\+?\d[\d .\-]{6,}\d")
_PHRASE = re.compile(
    r"(?<![a-z0-9])("
    + "|".join(re.escape(p) for p in sorted(PHRASES, key=len, reverse=True))
    + r")(?:s|es)?(?![a-z0-9])"
)
_PHRASE_FIRST = frozenset(p.split()[0] for p in PHRASES)  # a phrase can only start here


def fold(text: str) -> str:
    """Lowercase, accents removed, numbers joined ("1.000" → "1000", "23.59" → "2359")."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower()
    text = _THOUSANDS.sub("", text)
    text = _TIME.sub("", text)
    return _REDUP.sub(r"\1", text)  # "anggota-anggota" → "anggota"


def squeeze(word: str, known: Callable[[str], bool] | None = None) -> str:
    """Letters typed three or more times ("pleaseee", "kapannn") back to one or two:
    two when that makes a known word ("maaaf" → "maaf"), one otherwise."""
    if not _REPEAT.search(word):
        return word
    double = _REPEAT.sub(r"\1\1", word)
    single = _REPEAT.sub(r"\1", word)
    if known is not None and not known(single) and known(double):
        return double
    return single


def words(text: str, known: Callable[[str], bool] | None = None) -> list[str]:
    """The words of ``text``, folded and squeezed, with chat abbreviations spelled out and
    domain short forms kept alongside their long form ("verfak" → "verfak verifikasi
    faktual")."""
    found: list[str] = []
    folded = fold(text)
    repeats = _REPEAT.search(folded) is not None
    raws = _WORD.findall(folded)
    for position, raw in enumerate(raws):
        word = squeeze(raw, known) if repeats else raw
        if word[-1] == "2" and _REDUP_DIGIT.match(word):
            word = word[:-1]
        if word == "dpt" and not _voter_list(text, raws, position):
            found.append("dapat")
        elif word in CHAT_WORDS:
            found.extend(CHAT_WORDS[word].split())
        elif word in DOMAIN_TERMS:
            expansion = DOMAIN_TERMS[word].split()
            found.extend([word, *[w for w in expansion if w != word]])
        else:
            found.append(word)
    if _PHRASE_FIRST.isdisjoint(found):
        return found
    return _PHRASE.sub(lambda m: PHRASES[m.group(1)], " ".join(found)).split()


def _voter_list(text: str, raws: list[str], position: int) -> bool:
    """Whether the "dpt" at ``position`` is DPT, the final voter list, rather than the chat
    spelling of "dapat": written in capitals, or next to a word that makes it a noun."""
    if "DPT" in text:
        return True
    before = raws[position - 1] if position else ""
    after = raws[position + 1] if position + 1 < len(raws) else ""
    return before in DPT_NOUN_BEFORE or after in DPT_NOUN_AFTER


def strip_address(text: str) -> str:
    """The text (folded) without the greeting or form of address that opens or closes it:
    "selamat pagi admin, ..." and "... ya min?". A run of such words is only taken for an
    address when it has two words or is set off by punctuation, so "admin SIPOL lupa
    sandi" keeps its "admin"."""
    folded = fold(text)
    tokens = list(_TOKEN.finditer(folded))
    count = len(tokens)

    def part_of_address(index: int) -> bool:
        token = tokens[index].group()
        return token in SALUTATIONS or not token[0].isalnum()

    start = 0
    while start < count and part_of_address(start):
        start += 1
    if not _is_address(
        tokens[:start],
        set_off=start == count or (start > 0 and not tokens[start - 1].group()[0].isalnum()),
    ):
        start = 0
    end = count
    while end > start and part_of_address(end - 1):
        end -= 1
    if not _is_address(tokens[end:], set_off=end < count and not tokens[end].group()[0].isalnum()):
        end = count
    if start >= end:
        return ""
    return folded[tokens[start].start() : tokens[end - 1].end()]


def split_introduction(text: str) -> tuple[str, str]:
    """A question's opening clause when it only says who is asking ("kami dari DPC partai X,
    kapan ..."; "saya LO partai di provinsi, ..."), and the rest. Such a clause names
    party boards and places that are not what is asked, so it weighs less in the search.
    It must start with "saya"/"kami"/"I"/"we" (after a greeting), name a role or where
    the asker comes from within its first words, end with punctuation and leave a
    question after it."""
    folded = fold(text)
    end = _CLAUSE_END.search(folded)
    if end is None:
        return "", folded
    clause, rest = folded[: end.start()], folded[end.end() :]
    parts = _WORD.findall(clause)
    while parts and parts[0] in SALUTATIONS:
        parts = parts[1:]
    if not parts or len(parts) > 10 or parts[0] not in INTRO_PRONOUNS or not _WORD.search(rest):
        return "", folded
    if not any(part in INTRO_MARKERS for part in parts[1:4]):
        return "", folded
    return clause, rest


def _is_address(run: list[re.Match[str]], set_off: bool) -> bool:
    named = sum(1 for token in run if token.group()[0].isalnum())
    return named >= 2 or (named == 1 and set_off)


def normalise(text: str) -> str:
    """One line for grouping similar questions: content words only, in order; long
    numbers (identity, phone) are left out so questions that differ only in them group."""
    kept = [w for w in words(strip_address(_LONG_NUMBER.sub(" ", text))) if w not in STOPWORDS]
    return " ".join(kept)[:300]
