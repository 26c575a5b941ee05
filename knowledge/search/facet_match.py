"""Whether an entry answers the question: the facets read by ``facets`` compared, one
rule per facet (the module docstring of ``facets`` says which and why)."""

from __future__ import annotations

from collections.abc import Iterable

from knowledge.search.facet_words import HELP_DESK_WORDS
from knowledge.search.facets import (
    CURRENT_YEARS,
    VERIFICATION_PERIODS,
    EntryFacets,
    QuestionFacets,
    names_phrase,
)
from knowledge.search.topic_words import SAME_SUBJECT


def mismatches(question: QuestionFacets, entry: EntryFacets) -> tuple[str, ...]:
    """Why the entry does not answer the question, one short reason per facet; empty
    when every facet the question makes explicit agrees."""
    found: list[str] = []
    if question.elections and entry.elections and not _election_agrees(question, entry):
        found.append(
            f"election: asked {_names(question.elections)}, entry {_names(entry.elections)}"
        )
    elif question.general_election and entry.elections == {"pilkada"}:
        found.append("election: asked pemilu, entry pilkada")
    for year in sorted(question.years - entry.years):
        if _stages_before(year, entry.years):
            continue  # "pemilu 2024": its stages ran in the two years before it
        if entry.years or year not in CURRENT_YEARS:
            if "berkelanjutan" in entry.elections and year in CURRENT_YEARS:
                continue
            found.append(f"year: asked {year}, entry {_names(entry.years) or 'none'}")
    if question.levels and entry.levels and not question.levels & entry.levels:
        found.append(f"level: asked {_names(question.levels)}, entry {_names(entry.levels)}")
    if question.stage and entry.stages and not _stage_agrees(question, entry.stages):
        found.append(f"stage: asked {question.stage}, entry {_names(entry.stages)}")
    elif (
        question.stage
        and "date" in question.kinds
        and not entry.stages
        and not _the_desk(question, entry)
    ):
        found.append(f"stage: asked the date of {question.stage}, entry names no stage")
    missing = set(question.kinds - entry.kinds)
    if ({"date", "duration"} <= question.kinds or question.deadline) and "duration" in entry.kinds:
        missing.discard("date")  # "batas waktunya berapa jam", "deadline": how long answers
    for kind in sorted(missing):
        found.append(f"fact: asked {kind}, entry states none")
    if question.systems and entry.systems and not question.systems & entry.systems:
        found.append(f"system: asked {_names(question.systems)}, entry {_names(entry.systems)}")
    if question.semesters and not _semester_agrees(question, entry):
        asked = _names(f"{n} {y}" if y else str(n) for n, y in question.semesters)
        found.append(f"period: asked semester {asked}, entry {_semester_names(entry) or 'none'}")
    for counted in sorted(question.counts - entry.counts):
        found.append(f"fact: asked the number of {counted}, entry states none")
    if _age_of_someone_else(question, entry):
        found.append(
            f"subject: asked the age of {_names(question.roles)}, entry about {_names(entry.roles)}"
        )
    if question.help_desk and not _the_desk(question, entry):
        found.append("subject: the help desk's service (not in the entry)")
    elif question.help_desk and any(f" {o} " not in entry.text for o in question.offices):
        found.append(f"office: asked KPU {_names(question.offices)}, entry names another")
    for topic in sorted(question.topics):
        wordings = next((w for w in SAME_SUBJECT if topic in w), frozenset({topic}))
        if not any(names_phrase(entry.text, w) for w in wordings):
            found.append(f"subject: {topic} (not in the entry)")
    return tuple(found)


def _age_of_someone_else(question: QuestionFacets, entry: EntryFacets) -> bool:
    """The question asks the age of people the entry is not about (an admin's age against
    a member's)."""
    asked, about = question.roles, entry.roles
    return "age" in question.kinds and bool(asked) and bool(about) and not asked & about


def _semester_agrees(question: QuestionFacets, entry: EntryFacets) -> bool:
    """The entry states the semester asked about (a year it does not give is any year).
    An entry that states no semester answers only a question that does not ask a date."""
    if not entry.semesters:
        return not question.kinds & {"date", "duration"}
    return all(
        any(n == number and (y is None or year is None or y == year) for n, y in entry.semesters)
        for number, year in question.semesters
    )


def _semester_names(entry: EntryFacets) -> str:
    return _names(f"{n} {y}" if y else str(n) for n, y in entry.semesters)


def _election_agrees(question: QuestionFacets, entry: EntryFacets) -> bool:
    """The entry is about an election the question names; and when the question names two
    races ("cabup ... caleg DPRD"), about both: an entry about either would answer half of
    it as if it were the whole."""
    if len(question.races) > 1:
        return question.races <= entry.elections
    return bool(question.elections & entry.elections)


def _stage_agrees(question: QuestionFacets, stages: frozenset[str]) -> bool:
    asked = question.stage
    periods = stages & VERIFICATION_PERIODS
    named = question.stages & VERIFICATION_PERIODS
    if periods and named and not named & periods:
        return False  # administrative against factual verification
    if asked in VERIFICATION_PERIODS:
        return asked in stages or ("verifikasi" in stages and not periods)
    return asked in stages


def _names(values: Iterable[object]) -> str:
    return "/".join(sorted(str(v) for v in values))


def _stages_before(year: int, stated: frozenset[int]) -> bool:
    """Whether an entry stating only ``stated`` years can be about the election of ``year``
    (a year in ``CURRENT_YEARS``): its stages run in the two years before the vote, so
    the candidacy of "caleg 2024" is dated 2023."""
    return year in CURRENT_YEARS and bool(stated) and all(year - 2 <= y < year for y in stated)


def _the_desk(question: QuestionFacets, entry: EntryFacets) -> bool:
    """Both are about a help desk: a question naming a stage asks the desk's hours then."""
    return question.help_desk and any(names_phrase(entry.text, w) for w in HELP_DESK_WORDS)
