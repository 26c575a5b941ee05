"""The stage calendar (tahapan): what must be done, by whom, until when; and the record
of the reminders already handled, so that none goes out twice.

A stage's times are either instants (``starts_at``/``ends_at``, UTC), or local times that
hold in every office's own zone, as Pilkada registration closing "23.59 waktu setempat"
(``local_starts``/``local_ends``, ``YYYY-MM-DDTHH:MM``). For a local stage ``starts_at`` and
``ends_at`` still hold the times in the calendar's reference zone (``zone``, WIB), so
stages sort and filter the same way.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from models.reminder_times import DEFAULT_OFFSETS
from models.types import UTCDateTime, enum_type

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def split_list(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split(",") if part)


def join_list(items: Iterable[str]) -> str:
    return ",".join(items)


class Stage(SQLModel, table=True):
    """One stage of an election calendar, imported from ``knowledge/calendars``."""

    __tablename__ = "stage"
    __table_args__ = (sa.UniqueConstraint("key", name="uq_stage_key"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64)
    calendar: str = Field(max_length=32, index=True)
    name_id: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    todo_id: str = Field(default="", sa_type=sa.Text)
    todo_en: str = Field(default="", sa_type=sa.Text)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime, index=True)
    zone: str = Field(default="Asia/Jakarta", max_length=40)
    local_starts: str | None = Field(default=None, max_length=16)
    local_ends: str | None = Field(default=None, max_length=16)
    all_day: bool = Field(default=False)
    office_code: str = Field(default="RI", max_length=16)
    tiers: str = Field(default="", max_length=64)
    regions: str = Field(default="", max_length=255)
    parties: str = Field(default="", max_length=255)
    system: str = Field(default="", max_length=32)
    faq_ids: str = Field(default="", max_length=255)
    source: str = Field(default="", sa_type=sa.Text)
    reminders: str = Field(default=",".join(DEFAULT_OFFSETS), max_length=128)
    opening_notice: bool = Field(default=False)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)

    @property
    def local(self) -> bool:
        """Whether the times hold in each office's own zone."""
        return self.local_ends is not None

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_id

    def todo(self, lang: str) -> str:
        return self.todo_en if lang == "en" else self.todo_id

    @property
    def tier_list(self) -> tuple[str, ...]:
        return split_list(self.tiers)

    @property
    def region_list(self) -> tuple[str, ...]:
        return split_list(self.regions)

    @property
    def party_list(self) -> tuple[str, ...]:
        return split_list(self.parties)

    @property
    def faq_list(self) -> tuple[str, ...]:
        return split_list(self.faq_ids)

    @property
    def offsets(self) -> tuple[str, ...]:
        return split_list(self.reminders)

    def start_in(self, zone: str) -> datetime:
        """When the stage opens for someone in ``zone`` (UTC)."""
        if self.local_starts is None:
            return self.starts_at
        return _local_instant(self.local_starts, zone)

    def deadline_in(self, zone: str) -> datetime:
        """When the stage closes for someone in ``zone`` (UTC)."""
        if self.local_ends is None:
            return self.ends_at
        return _local_instant(self.local_ends, zone)

    def display_zone(self, zone: str) -> str:
        """The zone a person in ``zone`` reads the stage's times in: their own, except for
        whole-day stages of one office, which keep that office's dates."""
        return self.zone if self.all_day and not self.local else zone


def _local_instant(text: str, zone: str) -> datetime:
    naive = datetime.strptime(text, LOCAL_FORMAT)
    return naive.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


@dataclass(frozen=True)
class StageData:
    """A stage as read from a calendar file, ready to be stored."""

    key: str
    calendar: str
    name_id: str
    name_en: str
    starts_at: datetime
    ends_at: datetime
    todo_id: str = ""
    todo_en: str = ""
    zone: str = "Asia/Jakarta"
    local_starts: str | None = None
    local_ends: str | None = None
    all_day: bool = False
    office_code: str = "RI"
    tiers: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    system: str = ""
    faq_ids: tuple[str, ...] = ()
    source: str = ""
    reminders: tuple[str, ...] = DEFAULT_OFFSETS
    opening_notice: bool = False

    def columns(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        for name in ("tiers", "regions", "parties", "faq_ids", "reminders"):
            values[name] = join_list(values[name])
        return values


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    removed: int


def import_stages(
    session: Session, calendar: str, stages: Sequence[StageData], now: datetime
) -> ImportResult:
    """Stores a calendar's stages. A stage already known by its key is updated in place,
    keeping its id: the reminders already handled stay recorded against it, so a changed
    deadline reschedules the remaining reminders and repeats none. Stages of the calendar
    that are no longer in it are removed."""
    known = {s.key: s for s in session.exec(select(Stage).where(Stage.calendar == calendar))}
    created = updated = unchanged = 0
    for data in stages:
        values = data.columns()
        row = known.pop(data.key, None)
        if row is None:
            session.add(Stage(**values, created_at=now, updated_at=now))
            created += 1
            continue
        if all(getattr(row, k) == v for k, v in values.items()):
            unchanged += 1
            continue
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = now
        session.add(row)
        updated += 1
    for row in known.values():
        session.exec(sa.delete(ReminderBatch).where(col(ReminderBatch.stage_id) == row.id))
        session.delete(row)
    session.flush()
    return ImportResult(created, updated, unchanged, len(known))


def all_stages(session: Session) -> list[Stage]:
    return list(session.exec(select(Stage).order_by(col(Stage.starts_at), col(Stage.id))))


def open_or_coming(session: Session, now: datetime, margin: timedelta) -> list[Stage]:
    """Stages whose (latest) deadline is later than ``now - margin``, soonest first."""
    return list(
        session.exec(
            select(Stage)
            .where(col(Stage.ends_at) > now - margin)
            .order_by(col(Stage.ends_at), col(Stage.id))
        )
    )


def upcoming_stages(session: Session, now: datetime, zone: str, limit: int = 10) -> list[Stage]:
    """Stages not yet closed for someone in ``zone``, by deadline."""
    found = [
        s for s in open_or_coming(session, now, timedelta(hours=12)) if s.deadline_in(zone) > now
    ]
    return sorted(found, key=lambda s: (s.deadline_in(zone), s.id or 0))[:limit]


@functools.cache
def _stages_naming() -> SelectOfScalar[Stage]:
    # Built once: every FAQ answer asks (composing costs more than running, see models.sql).
    naming = col(Stage.faq_ids).contains(sa.bindparam("entry", type_=sa.String))
    return select(Stage).where(naming).order_by(col(Stage.starts_at))


def stages_for_faq(session: Session, entry_id: str) -> list[Stage]:
    """The stages a knowledge-base entry is about, earliest first (FAQ answers show them)."""
    candidates = session.exec(_stages_naming(), params={"entry": entry_id})
    return [s for s in candidates if entry_id in s.faq_list]


def last_days(session: Session, zone: str, since: datetime) -> set[date]:
    """Local dates in ``zone`` on which a stage closes, from ``since`` on: on such a day a
    help desk stays open until the deadline."""
    return {
        s.deadline_in(zone).astimezone(ZoneInfo(zone)).date()
        for s in open_or_coming(session, since, timedelta(0))
        if not s.all_day
    }


class BatchStatus(enum.StrEnum):
    SENT = "sent"  # the messages were put in the outbox
    SKIPPED = "skipped"  # too late, or superseded by a later reminder


class ReminderBatch(SQLModel, table=True):
    """One reminder of one stage for the recipients in one zone, handled once."""

    __tablename__ = "reminder_batch"
    __table_args__ = (sa.UniqueConstraint("stage_id", "offset", "zone", name="uq_reminder_batch"),)

    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = Field(foreign_key="stage.id")
    offset: str = Field(max_length=16)
    zone: str = Field(max_length=40)
    status: BatchStatus = Field(sa_type=enum_type(BatchStatus, 16))
    reason: str = Field(default="", max_length=32)
    due_at: datetime = Field(sa_type=UTCDateTime)
    done_at: datetime = Field(sa_type=UTCDateTime)
    recipients: int = Field(default=0)


def handled_batches(session: Session, stage_ids: Iterable[int]) -> dict[tuple[int, str], set[str]]:
    """(stage id, zone) → the offsets already handled there."""
    ids = list(stage_ids)
    found: dict[tuple[int, str], set[str]] = {}
    if not ids:
        return found
    rows = session.exec(
        select(ReminderBatch.stage_id, ReminderBatch.zone, ReminderBatch.offset).where(
            col(ReminderBatch.stage_id).in_(ids)
        )
    )
    for stage_id, zone, offset in rows:
        found.setdefault((stage_id, zone), set()).add(offset)
    return found


class ReminderMute(SQLModel, table=True):
    """A person who asked not to get deadline reminders (announcements still reach them)."""

    __tablename__ = "reminder_mute"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    muted_at: datetime = Field(sa_type=UTCDateTime)


def is_muted(session: Session, person_id: int) -> bool:
    return session.get(ReminderMute, person_id) is not None


def set_muted(session: Session, person_id: int, muted: bool, now: datetime) -> bool:
    """Mutes or unmutes; whether anything changed."""
    row = session.get(ReminderMute, person_id)
    if muted and row is None:
        session.add(ReminderMute(person_id=person_id, muted_at=now))
        return True
    if not muted and row is not None:
        session.delete(row)
        return True
    return False


def muted_people(session: Session) -> set[int]:
    return set(session.exec(select(ReminderMute.person_id)))
