"""Working time: when an office answers, and when an answer is due.

Each office works on its own clock (WIB, WITA or WIT): by default 08.00 to 16.00 local,
Monday to Saturday. On the last day of an election stage the desk stays open until
23.59 local, whatever the weekday, because that is when liaisons need it most. Service
levels count working minutes only: a question sent on Saturday evening is not late on
Sunday.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta

from models.offices import Office, office_zone, parse_work_days

Extended = Callable[[date], bool]
"""Whether a local date is the last day of a stage (the desk then works until 23.59)."""

_SEARCH_DAYS = 15  # a working window always exists within a week; leave room


def extended_dates(dates: Iterable[date]) -> Extended:
    """An :data:`Extended` from a list of last days of stages."""
    return frozenset(dates).__contains__


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def window(
    office: Office, day: date, extended: Extended | None = None
) -> tuple[datetime, datetime] | None:
    """The office's working window on local date ``day``, in UTC; None on a day off."""
    zone = office_zone(office)
    start = datetime.combine(day, _hhmm(office.work_start), tzinfo=zone)
    if extended is not None and extended(day):
        end = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=zone)
    elif day.isoweekday() in parse_work_days(office.work_days):
        end = datetime.combine(day, _hhmm(office.work_end), tzinfo=zone)
    else:
        return None
    return start.astimezone(UTC), end.astimezone(UTC)


def _windows_from(
    office: Office, t: datetime, extended: Extended | None
) -> Iterator[tuple[datetime, datetime]]:
    """Working windows that end after ``t``, in order (the first may contain ``t``)."""
    day = t.astimezone(office_zone(office)).date()
    for offset in range(_SEARCH_DAYS * 60):
        found = window(office, day + timedelta(days=offset), extended)
        if found is not None and found[1] > t:
            yield found


def is_working(office: Office, t: datetime, extended: Extended | None = None) -> bool:
    found = window(office, t.astimezone(office_zone(office)).date(), extended)
    return found is not None and found[0] <= t < found[1]


def next_working_moment(office: Office, t: datetime, extended: Extended | None = None) -> datetime:
    """``t`` itself during working hours, otherwise when the office next opens (UTC)."""
    start, _end = next(_windows_from(office, t, extended))
    return max(start, t.astimezone(UTC))


def sla_due(
    office: Office, start: datetime, minutes: int, extended: Extended | None = None
) -> datetime:
    """The instant when ``minutes`` working minutes have passed since ``start`` (UTC)."""
    remaining = timedelta(minutes=minutes)
    cursor = start.astimezone(UTC)
    for opens, closes in _windows_from(office, cursor, extended):
        cursor = max(cursor, opens)
        if cursor + remaining <= closes:
            return cursor + remaining
        remaining -= closes - cursor
        cursor = closes
    raise ValueError("the office has no working time")  # pragma: no cover (days are 1..7)


def working_minutes_between(
    office: Office, a: datetime, b: datetime, extended: Extended | None = None
) -> int:
    """Whole working minutes between two instants (0 when ``b`` is not after ``a``)."""
    if b <= a:
        return 0
    total = timedelta()
    for opens, closes in _windows_from(office, a, extended):
        if opens >= b:
            break
        total += min(closes, b) - max(opens, a)
    return int(total.total_seconds() // 60)
