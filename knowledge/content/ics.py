"""The stage calendar as iCalendar (RFC 5545), so officers and liaisons can subscribe to
it in their calendar app.

Lines end in CRLF and are folded at 75 octets without splitting a character; texts are
escaped; every stage has a stable UID (re-exports update the same events). Timed stages
carry DTSTART/DTEND in UTC; a stage local to each office is written for one zone (the
reader's), and says so; whole-day stages are all-day events (DATE values, end exclusive).

The home of ``PRODID``, ``UID_DOMAIN`` and ``LINE_OCTETS`` (the fold width).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from knowledge.content.sources import stored_citation
from models.stages import Stage
from models.zones import zone_abbr

PRODID = "-//KPU Helpdesk//Kalender Tahapan//ID"
UID_DOMAIN = "kpu-helpdesk"
LINE_OCTETS = 75


@dataclass(frozen=True)
class IcsWords:
    """The few words the file adds to the stages' own texts, in the reader's language
    (the caller renders them from its templates)."""

    calendar_name: str
    local_note: str  # "local time at each office; shown for {zone}"
    system: str
    source: str


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Splits a content line into CRLF-joined pieces of at most 75 octets each, the
    continuation lines starting with one space."""
    pieces: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append(current)
            current, size, limit = " ", 1, LINE_OCTETS
        current += char
        size += octets
    pieces.append(current)
    return "\r\n".join(pieces)


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(stage: Stage, zone: str, lang: str, stamp: datetime, words: IcsWords) -> list[str]:
    start, end = stage.start_in(zone), stage.deadline_in(zone)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{stage.key}@{UID_DOMAIN}",
        f"DTSTAMP:{_utc(stamp)}",
    ]
    if stage.all_day:
        shown = ZoneInfo(stage.display_zone(zone))
        first = start.astimezone(shown).date()
        after = end.astimezone(shown).date() + timedelta(days=1)
        lines += [f"DTSTART;VALUE=DATE:{first:%Y%m%d}", f"DTEND;VALUE=DATE:{after:%Y%m%d}"]
    else:
        lines += [f"DTSTART:{_utc(start)}", f"DTEND:{_utc(max(end, start))}"]
    notes = [stage.todo(lang)]
    if stage.local:
        notes.append(words.local_note.replace("{zone}", zone_abbr(zone)))
    if stage.system:
        notes.append(f"{words.system}: {stage.system}")
    cited = stored_citation(stage.source, lang)
    if cited:
        notes.append(f"{words.source}: {cited}")
    lines += [
        f"SUMMARY:{escape(stage.name(lang))}",
        f"DESCRIPTION:{escape(chr(10).join(n for n in notes if n))}",
        f"CATEGORIES:{escape(stage.calendar)}",
        f"LAST-MODIFIED:{_utc(stage.updated_at)}",
        "END:VEVENT",
    ]
    return lines


def to_ics(
    stages: Iterable[Stage],
    *,
    now: datetime,
    words: IcsWords,
    zone: str = "Asia/Jakarta",
    lang: str = "id",
) -> str:
    """A VCALENDAR with one event per stage."""
    name = words.calendar_name
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for stage in stages:
        lines += _event(stage, zone, lang, now, words)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
