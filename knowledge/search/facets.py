"""Does the entry answer THIS question: the facets both must agree on.

A liaison who acts on another election's deadline loses more than one told "I'm not
sure, here is an officer". So beside the words they share, a question and the entry found
for it must agree on what the question makes explicit:

- the election (Pilkada, the legislative election, DPD, the presidential election, the
  parties' registration for Pemilu 2024, the continuous updating of party data) and the
  year: a question naming one is not answered by an entry about another;
- the level of the office run for (DPR, DPRD, governor, regent or mayor): a question
  naming one is not answered by an entry about another;
- the period of a stage (registration, correction, administrative or factual
  verification, determination, updating, the draw): the stage a question asks about (not
  one it only refers to, as in "perbaikan setelah verifikasi") must be one the entry is
  about, and a stage's date is only given by an entry about a stage;
- the kind of fact (a date, a duration, an age, a threshold or number, a place, a
  cost): the entry must state one of that kind;
- the information system (SIPOL, the parties'; SILON, the candidates'): a question
  naming one is not answered by an entry about another;
- the numbered period of a recurring stage ("semester 2 2026"): an entry that states
  other semesters, or none when a date is asked, does not answer it;
- subjects next to the desk's scope (campaign finance reports, ad hoc bodies, voters,
  disputes ...): a question naming one is answered only by an entry that names it.

Facets are found with the word lists of ``facet_words``; an entry's come from its own
words and its category (``CATEGORY_ELECTIONS``). ``mismatches`` says, in short words
``helpdesk kb ask --json`` shows, why an entry does not answer a question; it lives in
``facet_match``, beside the rules that compare the facets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from knowledge.content.faq import Entry
from knowledge.search.facet_words import (
    AGE_OF_A_THING,
    ANSWER_KINDS,
    ASKED_KINDS,
    CATEGORY_ELECTIONS,
    COST_ASKED,
    COUNT_NOT_AFTER,
    COUNT_OPENERS,
    COUNT_SKIP,
    COUNT_WORDS,
    COUNTED,
    DEADLINE_WORDS,
    ELECTION_YEAR,
    ELECTIONS,
    GENERAL_ELECTION,
    HELP_DESK_ASKED,
    LEVELS,
    NAMED_OFFICE,
    NOT_ASKED,
    NUMBER,
    RACES,
    ROLES,
    SEMESTER,
    SEMESTER_NUMBER,
    STAGE_MODIFIERS,
    STAGES,
    SYSTEMS,
)
from knowledge.search.textnorm import fold, words
from knowledge.search.topic_words import ASKED_TOPICS, OUTSIDE_TOPICS

__all__ = ["EntryFacets", "QuestionFacets", "entry_facets", "names_phrase", "question_facets"]

CURRENT_YEARS = frozenset({2023, 2024, 2025, 2026})  # years the desk's content is about
VERIFICATION_PERIODS = frozenset({"vermin", "verfak"})
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_ELECTION_YEAR = re.compile(ELECTION_YEAR)
# What may follow a phrase of four letters or more: Indonesian clitics, English plural.
_SUFFIXES = ("nya", "lah", "kah", "ku", "mu", "s", "es")
_SUFFIX = f"(?:{'|'.join(_SUFFIXES)})?"
_ANSWER_KINDS = {kind: re.compile(pattern) for kind, pattern in ANSWER_KINDS.items()}
_SEMESTER = re.compile(SEMESTER)
_STATED_COUNTS = {
    name: re.compile(rf"(?<![a-z0-9]){NUMBER} (?:{'|'.join(map(re.escape, nouns))})\b")
    for name, nouns in COUNTED.items()
}
_SHARE = re.compile(r"\d ?%|\bpersen\b|\bpercent\b")
_CLAUSE = re.compile(r"[,.;:!?](?!\d)|\n")  # not the point in "23.59" or "1.000"
# Chat verbs end in "-in" where the entries write "-kan" ("diumumin", "nyerahin"): the
# "-kan" form is also looked up, so the stage words find them.
_CHAT_VERB = re.compile(r"(?<= )([a-z]{4,})in(?= )")


@dataclass(frozen=True)
class QuestionFacets:
    """What a question makes explicit; an empty set means it does not say."""

    elections: frozenset[str]
    races: frozenset[str]  # the elections named as races (a candidate, a ballot), not offices
    general_election: bool  # says "pemilu" (so not Pilkada) without naming which
    years: frozenset[int]
    levels: frozenset[str]
    stage: str | None  # the stage asked about
    stages: frozenset[str]  # every stage named, reference points included
    kinds: frozenset[str]  # date, duration, age, threshold, place, cost
    topics: frozenset[str]  # subjects next to the desk's scope
    roles: frozenset[str] = frozenset()  # whose fact: a member, a candidate, a liaison ...
    systems: frozenset[str] = frozenset()  # SIPOL, SILON ...
    semesters: frozenset[tuple[int, int | None]] = frozenset()  # (number, year or None)
    counts: frozenset[str] = frozenset()  # what is counted: seats, parties, people, share
    deadline: bool = False  # asks for a deadline: a date or a time limit answers it
    help_desk: bool = False  # asks about a help desk's own service (its hours, say)
    offices: frozenset[str] = frozenset()  # KPU offices named by their place, folded

    def as_dict(self) -> dict[str, object]:
        return {
            "elections": sorted(self.elections | ({"pemilu"} if self.general_election else set())),
            "years": sorted(self.years),
            "levels": sorted(self.levels),
            "stage": self.stage,
            "kinds": sorted(self.kinds),
            "topics": sorted(self.topics),
            "roles": sorted(self.roles),
            "systems": sorted(self.systems),
            "semesters": sorted(f"{n}/{y or ''}" for n, y in self.semesters),
            "counts": sorted(self.counts),
            "offices": sorted(self.offices),
        }


@dataclass(frozen=True)
class EntryFacets:
    """What an entry is about, and the text its subjects are looked up in."""

    elections: frozenset[str]
    years: frozenset[int]
    levels: frozenset[str]
    stages: frozenset[str]
    kinds: frozenset[str]
    text: str  # every word of the entry, spelled out, space-separated
    roles: frozenset[str] = frozenset()  # the people its question and phrasings are about
    systems: frozenset[str] = frozenset()
    semesters: frozenset[tuple[int, int | None]] = frozenset()
    counts: frozenset[str] = frozenset()  # what its answer gives a number of


def _pattern(phrase: str) -> re.Pattern[str]:
    suffix = "" if len(phrase) <= 3 else _SUFFIX
    return re.compile(rf"(?<![a-z0-9]){re.escape(phrase)}{suffix}(?![a-z0-9])")


@lru_cache(maxsize=4096)
def _compiled(phrase: str) -> re.Pattern[str]:
    return _pattern(phrase)


@lru_cache(maxsize=256)
def _any_of(found: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a list of phrases (what ``_compiled`` matches for any of them)."""
    longer = "|".join(re.escape(p) for p in sorted(found, key=len, reverse=True) if len(p) > 3)
    short = "|".join(re.escape(p) for p in found if len(p) <= 3)
    parts = [f"(?:{longer}){_SUFFIX}"] if longer else []
    parts += [f"(?:{short})"] if short else []
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(parts)})(?![a-z0-9])")


def _found(text: str, lists: Mapping[str, tuple[str, ...]]) -> frozenset[str]:
    """The names of the lists with a phrase in ``text``. A list's pattern is only tried
    when one of its phrases starts with a word of the text (a set look-up: most texts
    name no phrase of most lists, and patterns cost far more)."""
    forms = _forms(text)
    return frozenset(
        name
        for name, found in lists.items()
        if not forms.isdisjoint(_first_words(found)) and _any_of(found).search(text)
    )


@lru_cache(maxsize=64)
def _forms(text: str) -> frozenset[str]:
    """The words of ``text`` and each without the one suffix a phrase may take, so a
    phrase can only match where its first word is one of these."""
    found = set(text.split())
    for word in list(found):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix) + 3:
                found.add(word[: -len(suffix)])
    return frozenset(found)


@lru_cache(maxsize=256)
def _first_words(found: tuple[str, ...]) -> frozenset[str]:
    return frozenset(phrase.split()[0] for phrase in found)


def _spelled(texts: Iterable[str], split: Mapping[str, list[str]] | None = None) -> str:
    known = split or {}
    return " " + " ".join(" ".join(known.get(t) or words(t)) for t in texts) + " "


# Patterns read on a question's spelled-out text (the words in knowledge.search.facet_words).
_HELP_DESK = re.compile(HELP_DESK_ASKED)
_DESK_WORDS = ("help", "meja", "konsultasi")  # one of them is in every desk word
_NAMED_OFFICE = re.compile(NAMED_OFFICE)
_COST_ASKED = re.compile(COST_ASKED)
_NOT_ASKED = re.compile(NOT_ASKED)
_AGE_OF_A_THING = re.compile(AGE_OF_A_THING)
_ASKED_TOPICS = {topic: re.compile(pattern) for topic, pattern in ASKED_TOPICS.items()}


@lru_cache(maxsize=2048)
def question_facets(question: str) -> QuestionFacets:
    """The facets a question makes explicit (cached: the same question is often asked)."""
    text = _NOT_ASKED.sub(" ", _spelled([question[:2000]]))
    text += " ".join(f"{m}kan" for m in _CHAT_VERB.findall(text)) + " "
    elections = set(_found(text, ELECTIONS))
    if "pilpres" in elections and not _names_pilkada(text):
        elections.discard("pilkada")  # "pasangan calon presiden"
    kinds = set(_found(text, ASKED_KINDS))
    if "cost" in kinds and not _COST_ASKED.search(text):
        kinds.discard("cost")  # "biar bendahara siap2 biaya perbaikan": said, not asked
    if "age" in kinds and _AGE_OF_A_THING.search(text):
        kinds.discard("age")  # "how old can the photo be": how recent, a duration
        kinds.add("duration")
    if kinds & {"age", "date", "duration"} and not _asks_a_count(text):
        kinds.discard("threshold")  # "usia minimal", "batas akhir ... minimal"
    stage, stages = _stages(text)
    return QuestionFacets(
        elections=frozenset(elections),
        races=_found(text, RACES) & elections,
        general_election=not elections and any(_compiled(p).search(text) for p in GENERAL_ELECTION),
        years=frozenset(int(next(y for y in found if y)) for found in _ELECTION_YEAR.findall(text)),
        levels=_found(text, LEVELS),
        stage=stage,
        stages=stages,
        kinds=frozenset(kinds),
        topics=_topics(text),
        roles=_found(text, ROLES),
        systems=_found(text, SYSTEMS),
        semesters=_semesters(text),
        counts=_counted(question[:2000]) if COUNT_WORDS & set(text.split()) else frozenset(),
        deadline="date" in kinds and bool(_found(text, {"deadline": DEADLINE_WORDS})),
        help_desk=any(w in text for w in _DESK_WORDS) and bool(_HELP_DESK.search(text)),
        offices=frozenset(fold(a or b) for a, b in _NAMED_OFFICE.findall(question[:2000]))
        if "kpu" in text
        else frozenset(),
    )


def _counted(question: str) -> frozenset[str]:
    """What the question asks the number of: the class of the noun after "berapa" or
    "how many" (words such as "jumlah" or "maksimal" may stand between; a noun of the
    next clause does not: "biayanya berapa? partai kami ...")."""
    found: set[str] = set()
    for clause in _CLAUSE.split(question):
        found |= _counted_in(_spelled([clause]).split())
    return frozenset(found)


def _counted_in(tokens: list[str]) -> set[str]:
    found: set[str] = set()
    for index, token in enumerate(tokens):
        if token not in COUNT_WORDS or (index and tokens[index - 1] in COUNT_NOT_AFTER):
            continue
        counted = _class_of(tokens[index + 1 : index + 4])
        opener = next((t for t in tokens[:index] if t in COUNT_OPENERS), None)
        if not counted and opener:
            # the count asked at the end: "jumlah kursi di dapil 1 ada berapa"
            after = tokens.index(opener) + 1
            counted = _class_of(tokens[after : min(index, after + 3)])
        found |= counted
    return found


def _class_of(tokens: list[str]) -> set[str]:
    """The classes (``COUNTED``) of the first noun among ``tokens``."""
    rest = [t for t in tokens if t not in COUNT_SKIP]
    if not rest:
        return set()
    noun = f" {rest[0]} "
    return {name for name, nouns in COUNTED.items() if _any_of(nouns).search(noun)}


def _stated_counts(answer: str) -> frozenset[str]:
    """The classes an answer gives a number of ("18 partai", "30% perempuan")."""
    folded = fold(answer)
    found = {name for name, pattern in _STATED_COUNTS.items() if pattern.search(folded)}
    if _SHARE.search(folded):
        found.add("share")
    return frozenset(found)


def _semesters(text: str) -> frozenset[tuple[int, int | None]]:
    found: set[tuple[int, int | None]] = set()
    for number, year, english, english_year in _SEMESTER.findall(text):
        said = year or english_year
        found.add((SEMESTER_NUMBER[number or english], int(said) if said else None))
    return frozenset(found)


def _topics(text: str) -> frozenset[str]:
    forms = _forms(text)
    named = {p for p in OUTSIDE_TOPICS if p.split()[0] in forms and _compiled(p).search(text)}
    asked = {topic for topic, pattern in _ASKED_TOPICS.items() if pattern.search(text)}
    return frozenset(named | asked)


def names_phrase(text: str, phrase: str) -> bool:
    """Whether ``text`` names ``phrase`` as ``_compiled`` matches it (a plain substring
    test first: most texts do not contain most phrases)."""
    return phrase in text and _compiled(phrase).search(text) is not None


def _names_pilkada(text: str) -> bool:
    return any(_compiled(p).search(text) for p in ELECTIONS["pilkada"] if p != "pasangan calon")


def _asks_a_count(text: str) -> bool:
    return any(_compiled(p).search(text) for p in ("berapa persen", "berapa banyak", "jumlah"))


def _stages(text: str) -> tuple[str | None, frozenset[str]]:
    """The stage asked about (the first one named that is not a point of reference) and
    every stage named."""
    named: list[tuple[int, int, str]] = []
    for stage, found in STAGES.items():
        for match in _any_of(found).finditer(text):
            named.append((match.start(), -len(match.group()), stage))
    named.sort()  # where named first, then the longest phrase there
    asked = None
    for start, _, stage in named:
        before = text[:start].split()[-3:]
        if not any(word in STAGE_MODIFIERS for word in before):
            asked = stage
            break
    return asked, frozenset(stage for _, _, stage in named)


def entry_facets(
    entry: Entry, titles: Iterable[str] = (), split: Mapping[str, list[str]] | None = None
) -> EntryFacets:
    """An entry's facets: elections, levels, systems and stages from its question,
    phrasings, keywords and category titles, stages from the titles only when its own
    words name none (its answer may mention other elections, levels or systems to set
    them apart or as an example); years, semesters and subjects from all its words; kinds
    of fact and counts from what its answer states.
    ``split`` holds texts already split into words, to save splitting them again."""
    own = _spelled(
        [
            *entry.question.values(),
            *(p for ps in entry.phrasings.values() for p in ps),
            *entry.keywords,
        ],
        split,
    )
    about = own + _spelled(titles, split)
    answer = _spelled(entry.answer.values(), split)
    everything = about + answer
    elections = set(_found(about, ELECTIONS))
    if not elections:
        elections = set(CATEGORY_ELECTIONS.get(entry.category.split("/")[0], ()))
    # its own words first: a category's title names every stage of the category
    # ("Verifikasi administrasi dan faktual")
    stages = set(_found(own, STAGES) or _found(about, STAGES))
    if stages & VERIFICATION_PERIODS:
        stages.add("verifikasi")
    kinds = {kind for kind, pattern in _ANSWER_KINDS.items() if pattern.search(answer)}
    if "date" in kinds:
        kinds.add("duration")  # a date also tells how long until it
    kinds |= _found(_spelled(entry.question.values()), ASKED_KINDS)
    return EntryFacets(
        elections=frozenset(elections),
        years=frozenset(int(y) for y in _YEAR.findall(everything)),
        levels=_found(about, LEVELS),
        stages=frozenset(stages),
        kinds=frozenset(kinds),
        text=everything,
        roles=_found(about, ROLES),
        systems=_found(about, SYSTEMS),
        semesters=_semesters(everything),
        counts=_stated_counts(" ".join(entry.answer.values())),
    )
