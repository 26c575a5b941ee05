"""Working time measured fast over many tickets: one office's working windows over a
period laid out once, so each duration is two binary searches instead of a walk over
days. The windows themselves come from :func:`models.sla.window` (the office's hours,
days and zone), so reports count exactly what the service levels count.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, timedelta

from models.offices import Office, office_zone
from models.sla import Extended, window


class WorkingTimeline:
    """The working windows of ``office`` between two dates, with running totals."""

    def __init__(
        self, office: Office, first: date, last: date, extended: Extended | None = None
    ) -> None:
        self._opens: list[float] = []
        self._closes: list[float] = []
        self._before: list[float] = []  # working seconds before each window
        total = 0.0
        day = first
        while day <= last:
            found = window(office, day, extended)
            if found is not None:
                opens, closes = found[0].timestamp(), found[1].timestamp()
                self._opens.append(opens)
                self._closes.append(closes)
                self._before.append(total)
                total += closes - opens
            day += timedelta(days=1)
        self._total = total

    @classmethod
    def around(cls, office: Office, start: datetime, end: datetime) -> WorkingTimeline:
        """A timeline covering [start, end] with two weeks' margin on either side."""
        zone = office_zone(office)
        first = start.astimezone(zone).date() - timedelta(days=14)
        last = end.astimezone(zone).date() + timedelta(days=14)
        return cls(office, first, last)

    def _elapsed(self, t: float) -> float:
        """Working seconds from the timeline's start to ``t``."""
        i = bisect_right(self._opens, t) - 1
        if i < 0:
            return 0.0
        return self._before[i] + min(t, self._closes[i]) - self._opens[i]

    def minutes(self, a: datetime, b: datetime) -> int:
        """Whole working minutes between ``a`` and ``b`` (0 when ``b`` is not after ``a``)."""
        if b <= a:
            return 0
        return int((self._elapsed(b.timestamp()) - self._elapsed(a.timestamp())) // 60)


def percentile(values: list[float], fraction: float) -> float | None:
    """The ``fraction`` quantile (0.5 median, 0.9 p90) by linear interpolation."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * fraction
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
