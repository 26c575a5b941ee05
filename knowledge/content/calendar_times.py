"""Times as a calendar file writes them, read into instants: the home of the rules for
``starts_at``/``ends_at`` values (``END_OF_DAY``: a bare date ends at 23.59; relative
times of the demo calendar, ``+P1D``, ``-PT2H``, ``+P3D@23:59``) and of ``FileReader``,
which collects a calendar file's problems and warnings instead of stopping at the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from models.reminder_times import parse_duration

RELATIVE = re.compile(r"^(?P<sign>[+-])(?P<dur>P[0-9WDTHMS]+)(?:@(?P<at>\d{2}:\d{2}))?$")
END_OF_DAY = time(23, 59)


@dataclass
class When:
    """A time as written: an instant, or a local wall time (for each office or one zone)."""

    instant: datetime | None = None
    wall: datetime | None = None  # naive
    whole_day: bool = False


@dataclass
class FileReader:
    source: str
    now: datetime
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    faq_ids: frozenset[str] | None = None

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.source}: {where}: {message}")


def read_when(
    reader: FileReader, where: str, name: str, value: Any, local: bool, zone: str, end: bool
) -> When | None:
    """A time as written in the file, or None (with a problem noted)."""
    if value is None:
        reader.problem(where, f"{name} is missing")
        return None
    text = str(value).strip()
    if text[:1] in "+-":
        when = _relative(reader, where, name, text, zone)
        if when is None:
            return None
    else:
        when = _absolute(value, end)
        if when is None:
            reader.problem(where, f"{name} {value!r} is not an ISO 8601 date or time")
            return None
    if local and when.instant is not None:
        reader.problem(where, f"{name} carries an offset, but the stage is local to each office")
        return None
    return when


def _absolute(value: Any, end: bool) -> When | None:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        return When(wall=datetime.combine(value, END_OF_DAY if end else time(0)), whole_day=True)
    else:
        text = str(value).strip()
        try:
            if len(text) == 10:
                day = date.fromisoformat(text)
                return When(
                    wall=datetime.combine(day, END_OF_DAY if end else time(0)), whole_day=True
                )
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
    if parsed.tzinfo is not None:
        return When(instant=parsed.astimezone(UTC))
    return When(wall=parsed)


def _relative(reader: FileReader, where: str, name: str, text: str, zone: str) -> When | None:
    match = RELATIVE.match(text)
    try:
        step = parse_duration(match["dur"]) if match else None
    except ValueError:
        step = None
    if match is None or step is None:
        reader.problem(where, f"{name} {text!r}: relative times look like +P1D, -PT2H, +P3D@23:59")
        return None
    step = step if match["sign"] == "+" else -step
    if match["at"]:
        today = reader.now.astimezone(ZoneInfo(zone)).date()
        hour, minute = map(int, match["at"].split(":"))
        return When(wall=datetime.combine(today + timedelta(days=step.days), time(hour, minute)))
    moment = (reader.now + step).astimezone(ZoneInfo(zone)).replace(second=0, microsecond=0)
    return When(wall=moment.replace(tzinfo=None))


def instant_of(when: When, zone: str) -> datetime:
    if when.instant is not None:
        return when.instant
    assert when.wall is not None
    return when.wall.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
