"""When a stage's reminders go out: pure functions of the deadline, the offsets, the
recipient's zone and the current time.

The rules:

- An offset is an ISO 8601 duration before the deadline (``P7D``, ``PT6H``); its fire
  instant is ``deadline - offset``. The opening notice (``OPEN``) fires when the stage
  starts.
- Quiet hours (default 21.00–06.00 in the recipient's zone) hold a reminder until the
  quiet hours end, except in the last six hours before the deadline: a reminder that
  falls there goes out at once, and a held one is released at the latest when that
  window begins.
- Late rule: when the bot was down at release time, a reminder still goes out as long
  as the deadline has not passed, with the time left counted from the moment it is
  sent; after the deadline it is skipped. Of several overdue reminders of one stage only
  the one nearest to the deadline goes out; the others are skipped as superseded, so
  nobody gets a burst of stale reminders.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

OPEN = "open"  # the opening notice, in place of an offset
DEFAULT_OFFSETS = ("P7D", "P3D", "P1D", "PT6H", "PT1H")
QUIET_START = time(21, 0)
QUIET_END = time(6, 0)
LAST_WINDOW = timedelta(hours=6)

_DURATION = re.compile(
    r"^P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$"
)


def parse_duration(text: str) -> timedelta:
    """An ISO 8601 duration in weeks, days, hours, minutes, seconds (``P3DT4H``).
    Years and months are refused: their length depends on the calendar."""
    match = _DURATION.match(text.strip().upper())
    if match is None or text.strip().upper() in {"P", "PT"} or text.strip().endswith("T"):
        raise ValueError(f"{text!r} is not an ISO 8601 duration such as P7D or PT6H")
    parts = {k: int(v) if v else 0 for k, v in match.groupdict().items()}
    return timedelta(
        weeks=parts["w"],
        days=parts["d"],
        hours=parts["h"],
        minutes=parts["m"],
        seconds=parts["s"],
    )


def format_duration(delta: timedelta) -> str:
    """The canonical ISO 8601 form of a duration: ``P1DT6H``, ``PT30M``."""
    seconds = int(delta.total_seconds())
    if seconds <= 0:
        raise ValueError("a reminder offset must be positive")
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if n)
    return "P" + (f"{days}D" if days else "") + (f"T{clock}" if clock else "")


def canonical_offset(text: str) -> str:
    """``p7d`` → ``P7D``; ``P1W`` → ``P7D``; ``open`` stays ``open``."""
    if text.strip().lower() == OPEN:
        return OPEN
    return format_duration(parse_duration(text))


def in_quiet_hours(instant: datetime, zone: ZoneInfo) -> bool:
    local = instant.astimezone(zone).time()
    if QUIET_START > QUIET_END:
        return local >= QUIET_START or local < QUIET_END
    return QUIET_START <= local < QUIET_END


def quiet_hours_end(instant: datetime, zone: ZoneInfo) -> datetime:
    """The first end of quiet hours at or after ``instant``, in UTC."""
    local = instant.astimezone(zone)
    candidate = datetime.combine(local.date(), QUIET_END, tzinfo=zone)
    if candidate < local:
        candidate = datetime.combine(local.date() + timedelta(days=1), QUIET_END, tzinfo=zone)
    return candidate.astimezone(UTC)


def release_instant(fire: datetime, deadline: datetime, zone: ZoneInfo) -> datetime:
    """When a reminder due at ``fire`` may go out in ``zone``: held through quiet hours
    until they end, or until the last six hours before the deadline begin."""
    window = deadline - LAST_WINDOW
    if fire >= window or not in_quiet_hours(fire, zone):
        return fire
    return min(quiet_hours_end(fire, zone), window)


@dataclass(frozen=True)
class Slot:
    """One reminder of a stage for one zone: its name, when it is due, when it may go."""

    offset: str
    fire: datetime
    release: datetime


def slots(
    *, start: datetime, deadline: datetime, offsets: Iterable[str], opening: bool, zone: ZoneInfo
) -> list[Slot]:
    """Every reminder of a stage for recipients in ``zone``, earliest first. Offsets that
    would fire before the stage opens are kept: a short stage still warns ahead."""
    found: list[Slot] = []
    if opening:
        found.append(Slot(OPEN, start, release_instant(start, deadline, zone)))
    for offset in offsets:
        fire = deadline - parse_duration(offset)
        found.append(Slot(canonical_offset(offset), fire, release_instant(fire, deadline, zone)))
    return sorted(found, key=lambda s: (s.fire, s.offset))


@dataclass
class Plan:
    """What to do now for one stage in one zone: at most one reminder to send, and the
    overdue ones to skip (each with its reason)."""

    send: Slot | None = None
    skip: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.send is None and not self.skip


def plan(
    all_slots: Iterable[Slot], *, deadline: datetime, now: datetime, done: Collection[str]
) -> Plan:
    """Applies the late rule to the slots not yet done (``done`` holds their offsets)."""
    due = [s for s in all_slots if s.offset not in done and s.release <= now]
    result = Plan()
    if not due:
        return result
    if now >= deadline:
        result.skip = {s.offset: "deadline passed" for s in due}
        return result
    nearest = max(due, key=lambda s: s.fire)
    result.send = nearest
    result.skip = {s.offset: "superseded" for s in due if s is not nearest}
    return result


def time_left(now: datetime, deadline: datetime) -> tuple[int, int, int]:
    """(days, hours, minutes) from ``now`` to ``deadline``, rounded up to the minute so
    that a reminder never understates the time left; zeros once it has passed."""
    seconds = max(0, int((deadline - now).total_seconds()))
    minutes_total = -(-seconds // 60)
    days, rest = divmod(minutes_total, 1440)
    hours, minutes = divmod(rest, 60)
    return days, hours, minutes
