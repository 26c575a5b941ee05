"""Knowledge gaps: questions the help desk could not answer with confidence.

Every free-text question that got no confident answer, and every "still need help" after
an answer, is kept (with identity and phone numbers masked) so officers can see the most
frequent unanswered questions and ask for content. Questions are grouped by a normalised
form computed by the caller (the search engine's own normalisation).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, func, select

from models.interactions import mask_personal_numbers
from models.types import UTCDateTime, enum_type

MAX_QUESTION = 1000
MAX_NORMALISED = 300
MAX_TOP_IDS = 200


class GapReason(enum.StrEnum):
    UNANSWERED = "unanswered"  # no confident answer was found
    STILL_NEED_HELP = "still_need_help"  # an answer was shown and did not help


class KbGap(SQLModel, table=True):
    """One question that the knowledge base did not answer well."""

    __tablename__ = "kb_gap"
    __table_args__ = (sa.Index("ix_kb_gap_normalised_at", "normalised", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    channel: str = Field(max_length=32)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    question: str = Field(max_length=MAX_QUESTION)
    normalised: str = Field(max_length=MAX_NORMALISED)
    lang: str = Field(max_length=8)
    reason: GapReason = Field(sa_type=enum_type(GapReason, 32))
    entry_id: str | None = Field(default=None, max_length=64)
    top_ids: str = Field(default="", max_length=MAX_TOP_IDS)


@dataclass(frozen=True)
class GapCount:
    normalised: str
    example: str  # the latest question of the group, masked
    count: int
    last_at: datetime


def record_gap(
    session: Session,
    *,
    at: datetime,
    channel: str,
    person_id: int | None,
    question: str,
    normalised: str,
    lang: str,
    reason: GapReason,
    entry_id: str | None = None,
    top_ids: tuple[str, ...] | list[str] = (),
) -> KbGap:
    """Adds one gap to the session (the caller commits). The question is stored masked and
    cut to 1000 characters; an empty normalised form falls back to the masked question."""
    masked = mask_personal_numbers(question)[:MAX_QUESTION]
    key = (mask_personal_numbers(normalised).strip() or masked.lower().strip())[:MAX_NORMALISED]
    ids = ""
    for entry in top_ids:
        candidate = f"{ids},{entry}" if ids else entry
        if len(candidate) > MAX_TOP_IDS:
            break
        ids = candidate
    gap = KbGap(
        at=at,
        channel=channel[:32],
        person_id=person_id,
        question=masked,
        normalised=key,
        lang=lang[:8],
        reason=reason,
        entry_id=entry_id[:64] if entry_id else None,
        top_ids=ids,
    )
    session.add(gap)
    session.flush()
    return gap


def top_gaps(session: Session, since: datetime | None, limit: int) -> list[GapCount]:
    """The most frequent gaps (by normalised question) since ``since``, most frequent
    first, then most recent; each with its latest wording as the example."""
    count = func.count(col(KbGap.id)).label("count")
    last_at = func.max(col(KbGap.at)).label("last_at")
    query = select(KbGap.normalised, count, last_at).group_by(col(KbGap.normalised))
    if since is not None:
        query = query.where(col(KbGap.at) >= since)
    query = query.order_by(count.desc(), last_at.desc(), col(KbGap.normalised)).limit(limit)
    found: list[GapCount] = []
    for normalised, number, _latest in session.exec(query).all():
        example_query = (
            select(KbGap)
            .where(col(KbGap.normalised) == normalised)
            .order_by(col(KbGap.at).desc(), col(KbGap.id).desc())
            .limit(1)
        )
        example = session.exec(example_query).one()
        found.append(GapCount(normalised, example.question, int(number), example.at))
    return found
