"""The FAQ's use cases beside the search itself: reading a typed question, recording what
the knowledge base could not answer, finding the question behind a pressed button, and the
stage dates shown under an answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from knowledge.search import normalise
from models import Interaction, InteractionKind, Language, mask_personal_numbers
from models.consultations import count_self_service
from models.gaps import GapReason, record_gap
from models.offices import RI, find_office_zone
from models.staff import find_liaison
from models.stages import Stage, stages_for_faq
from models.zones import zone_abbr

READ_LIMIT = 1000  # past this, a message is more than one question: only its start is read

# Outcome notes of the interaction record; the still-need-help buttons find the question
# they are about through them.
ANSWERED = "faq answered: {}"
NOT_SURE = "faq not sure"


@dataclass(frozen=True)
class Question:
    """What is searched: the typed text, or its first ``READ_LIMIT`` characters."""

    text: str
    cut: int | None = None  # the full length, when only the start is read


def read_question(text: str) -> Question | None:
    """A question is what a person typed, up to its first 1000 characters. A message with
    no letter or digit at all (only emoji or punctuation) holds no question."""
    text = text.strip()
    if not any(ch.isalnum() for ch in text):
        return None
    if len(text) > READ_LIMIT:
        return Question(text[:READ_LIMIT], cut=len(text))
    return Question(text)


@dataclass(frozen=True)
class Asker:
    """Who asked, where, and when: what a gap record needs beside the question."""

    at: datetime
    channel: str
    person_id: int | None


def record_unanswered(
    session: Session, asker: Asker, question: str, lang: Language, top_ids: Sequence[str]
) -> None:
    """A question the bot did not answer confidently is kept, with personal numbers masked,
    so officers can see the most frequent ones and write the missing answers."""
    masked = mask_personal_numbers(question)[:READ_LIMIT]
    record_gap(
        session,
        at=asker.at,
        channel=asker.channel,
        person_id=asker.person_id,
        question=masked,
        normalised=normalise(masked),
        lang=lang.value,
        reason=GapReason.UNANSWERED,
        top_ids=tuple(top_ids),
    )


def record_still_need_help(
    session: Session, asker: Asker, question: str, lang: Language, entry_id: str
) -> None:
    """An answer that did not help is kept as a gap against its entry, masked likewise."""
    masked = mask_personal_numbers(question)[:READ_LIMIT]
    record_gap(
        session,
        at=asker.at,
        channel=asker.channel,
        person_id=asker.person_id,
        question=masked,
        normalised=normalise(masked),
        lang=lang.value,
        reason=GapReason.STILL_NEED_HELP,
        entry_id=entry_id,
        top_ids=(entry_id,),
    )


def count_answered(session: Session, person_id: int | None, entry_id: str, now: datetime) -> None:
    """An answer the bot gave with no officer counts as self-service for the day (the
    office's local date), the entry and the asker's office: a liaison's own office, KPU
    RI for anyone else. Only the count is kept, never who asked."""
    liaison = find_liaison(session, person_id)
    office = find_office_zone(session, liaison.office_code if liaison is not None else RI)
    if office is None:  # a desk without its office tree has nowhere to count
        return
    code, zone = office
    day = now.astimezone(zone).date()
    count_self_service(session, day=day, office_code=code, entry_id=entry_id)


def question_behind(session: Session, person_id: int, chat_id: int, outcome: str) -> str | None:
    """The text a person typed most recently in this chat that got ``outcome``: the question
    a button under a free-text answer is about (stored masked)."""
    row = session.exec(
        select(Interaction)
        .where(
            Interaction.person_id == person_id,
            Interaction.chat_id == chat_id,
            Interaction.kind == InteractionKind.TEXT,
            Interaction.outcome == outcome,
        )
        .order_by(col(Interaction.id).desc())
        .limit(1)
    ).first()
    return row.content[:READ_LIMIT] if row is not None else None


@dataclass(frozen=True)
class StageLine:
    """A stage's dates as shown under an answer."""

    name: str
    starts: date
    ends: date
    time: str | None = None  # "23.59": when the stage closes, unless it runs whole days
    zone: str = "WIB"  # the zone the dates and time are in
    local: bool = False  # the time holds in every office's own zone ("waktu setempat")


def stage_line(stage: Stage, lang: Language, zone: str) -> StageLine:
    """A stage's dates in the zone a person in ``zone`` reads them in."""
    shown_in = ZoneInfo(stage.display_zone(zone))
    starts = stage.start_in(zone).astimezone(shown_in)
    ends = stage.deadline_in(zone).astimezone(shown_in)
    if stage.all_day and ends > starts and ends.time() == time(0, 0):
        ends -= timedelta(minutes=1)  # a whole-day stage ending at midnight ends the day before
    return StageLine(
        name=stage.name(lang.value),
        starts=starts.date(),
        ends=ends.date(),
        time=None if stage.all_day else f"{ends:%H.%M}",
        zone=zone_abbr(stage.display_zone(zone)),
        local=stage.local,
    )


def stage_lines(session: Session, entry_id: str, lang: Language, zone: str) -> list[StageLine]:
    """The dates of the stages of the calendar that name this entry, in start order."""
    return [stage_line(stage, lang, zone) for stage in stages_for_faq(session, entry_id)]
