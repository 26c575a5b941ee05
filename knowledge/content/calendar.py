"""Election calendars as data: ``knowledge/calendars/<election>.yaml``, read and checked.

A file holds one calendar::

    calendar:
      id: pilkada2024
      name: {id: "Pilkada Serentak 2024", en: "2024 regional elections"}
      timezone: Asia/Jakarta        # zone of times written without an offset
      sources:                      # what a liaison can check, typed as an FAQ entry's
        - {kind: regulation, title: "PKPU Nomor 2 Tahun 2024 ...", article: "Lampiran"}
    stages:
      - id: pilkada2024-pendaftaran-paslon       # [a-z0-9-], <= 64, unique everywhere
        name: {id: "...", en: "..."}
        todo: {id: "...", en: "..."}              # what liaisons must do (optional)
        starts_at: 2024-08-27T08:00
        ends_at: 2024-08-29T23:59
        local: true                  # times hold in each office's own zone (waktu setempat)
        office: RI                   # the office that runs it (default RI)
        audience: {tiers: [dpp], regions: ["34"], parties: [pkb]}   # all optional
        system: SILON
        faq: [entry-id]
        sources: [...]               # the calendar's when left out
        reminders: [P7D, P3D, P1D, PT6H, PT1H]    # default; [] for none
        opening_notice: true

Times are ISO 8601: with an offset (``2022-08-14T23:59:00+07:00``) they are instants;
without one they are in the calendar's zone, or in every office's zone when ``local``;
a bare date means the whole day (00.00 to 23.59). Sources are those of
``knowledge.content.sources`` (regulation, official, news, service), checked alike: no
free-text ``source``, no working notes; research notes belong in YAML comments. A stage
stores its sources as JSON (``encode_sources``). Relative times, for the demo calendar,
count from the moment of import: ``+P1D``, ``-PT2H``, ``+P3D@23:59`` (that many days
from today, at that local time).

The home of the calendar file's schema; ``TIERS`` (the liaison tiers a stage may
be for); how times are written is ``calendar_times``'s.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from knowledge.content import reference
from knowledge.content.calendar_times import FileReader, instant_of, read_when
from knowledge.content.sources import Source, encode_sources, parse_sources
from models.reminder_times import DEFAULT_OFFSETS, canonical_offset
from models.staff import Tier
from models.stages import LOCAL_FORMAT, StageData
from models.zones import RI_ZONE, is_indonesian

FOLDER = Path(__file__).parents[1] / "calendars"
FAQ_FOLDER = Path(__file__).parents[1] / "faq"
TIERS = tuple(tier.value for tier in Tier)  # the liaison tiers, as models.staff has them
_ID = re.compile(r"^[a-z0-9-]{1,64}$")
_CALENDAR_ID = re.compile(r"^[a-z0-9-]{1,32}$")
_STAGE_KEYS = {
    "id",
    "name",
    "todo",
    "starts_at",
    "ends_at",
    "local",
    "timezone",
    "office",
    "audience",
    "system",
    "faq",
    "sources",
    "reminders",
    "opening_notice",
}


class CalendarError(Exception):
    """A calendar file has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Calendar:
    id: str
    name: dict[str, str]
    timezone: str
    sources: tuple[Source, ...]
    stages: tuple[StageData, ...]
    warnings: tuple[str, ...] = ()


def load_calendar(path: Path, now: datetime, *, faq_folder: Path = FAQ_FOLDER) -> Calendar:
    """Reads and checks one calendar file; raises CalendarError listing every problem.
    ``now`` resolves relative times. Unknown FAQ entry ids are warnings, not errors: the
    knowledge base may gain them later."""
    reader = FileReader(source=path.name, now=now, faq_ids=_faq_ids(faq_folder))
    try:
        raw = _yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CalendarError([f"{path.name}: cannot read: {str(exc).splitlines()[0]}"]) from None
    calendar = _calendar(reader, raw)
    if reader.problems or calendar is None:
        raise CalendarError(reader.problems or [f"{path.name}: empty calendar"])
    return calendar


def load_folder(folder: Path, now: datetime) -> list[Calendar]:
    """Every calendar in a folder; stage ids must be unique across them."""
    calendars: list[Calendar] = []
    problems: list[str] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            calendars.append(load_calendar(path, now))
        except CalendarError as exc:
            problems += exc.problems
    seen: dict[str, str] = {}
    for calendar in calendars:
        for stage in calendar.stages:
            if stage.key in seen:
                problems.append(f"stage id {stage.key!r} is in {seen[stage.key]} and {calendar.id}")
            seen[stage.key] = calendar.id
    if problems:
        raise CalendarError(problems)
    return calendars


def _yaml(text: str) -> Any:
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _faq_ids(folder: Path) -> frozenset[str] | None:
    """The knowledge base's entry ids, to warn about links to entries that do not exist."""
    if not folder.is_dir():
        return None
    files = tuple(sorted((str(p), p.stat().st_mtime_ns) for p in folder.glob("*.yaml")))
    return _entry_ids(files)


@functools.lru_cache(maxsize=4)
def _entry_ids(files: tuple[tuple[str, int], ...]) -> frozenset[str]:
    ids: set[str] = set()
    for name, _ in files:
        try:
            data = _yaml(Path(name).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        entries = data.get("entries") if isinstance(data, dict) else None
        ids.update(str(e.get("id")) for e in entries or [] if isinstance(e, dict))
    return frozenset(ids)


def _calendar(reader: FileReader, raw: Any) -> Calendar | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("calendar"), dict):
        reader.problem("file", "must have a 'calendar' mapping and a 'stages' list")
        return None
    head = raw["calendar"]
    calendar_id = str(head.get("id", ""))
    if not _CALENDAR_ID.match(calendar_id):
        reader.problem("calendar", f"id {calendar_id!r} must be [a-z0-9-], at most 32")
    name = _names(reader, "calendar", head.get("name"))
    zone = _zone(reader, "calendar", head.get("timezone", "Asia/Jakarta"))
    sources = _sources(reader, "calendar", head, None)
    stages_raw = raw.get("stages")
    if not isinstance(stages_raw, list) or not stages_raw:
        reader.problem("calendar", "'stages' must be a non-empty list")
        return None
    stages: list[StageData] = []
    seen: set[str] = set()
    for index, item in enumerate(stages_raw):
        stage = _stage(reader, calendar_id, zone, index, item, sources)
        if stage is None:
            continue
        if stage.key in seen:
            reader.problem(f"stage {stage.key}", "id used twice")
        seen.add(stage.key)
        stages.append(stage)
    return Calendar(
        id=calendar_id,
        name=name,
        timezone=zone,
        sources=sources,
        stages=tuple(stages),
        warnings=tuple(reader.warnings),
    )


def _names(reader: FileReader, where: str, value: Any, *, required: bool = True) -> dict[str, str]:
    if value is None and not required:
        return {"id": "", "en": ""}
    if not isinstance(value, dict) or not all(
        isinstance(value.get(lang), str) and value[lang].strip() for lang in ("id", "en")
    ):
        reader.problem(where, "needs non-empty texts for both 'id' and 'en'")
        return {"id": "", "en": ""}
    return {lang: " ".join(value[lang].split()) for lang in ("id", "en")}


def _zone(reader: FileReader, where: str, value: Any) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        reader.problem(where, f"unknown time zone {value!r}")
        return RI_ZONE
    if not is_indonesian(str(value)):
        reader.problem(where, f"time zone {value!r} is not one of Indonesia's (WIB, WITA, WIT)")
        return RI_ZONE
    return str(value)


def _sources(
    reader: FileReader, where: str, item: dict[str, Any], inherited: tuple[Source, ...] | None
) -> tuple[Source, ...]:
    """The typed ``sources`` of a calendar (``inherited`` None: required) or of a stage
    (optional: the calendar's when left out)."""
    if "source" in item:
        reader.problem(
            where,
            "'source' is free text: list typed 'sources' (kind: regulation, official, news "
            "or service, with title, publisher, article, date, url) and keep research notes "
            "in YAML comments",
        )
    if "sources" not in item and inherited is not None:
        return ()
    sources, problems = parse_sources(f"{reader.source}: {where}", item.get("sources"))
    reader.problems.extend(problems)
    return sources


def _stage(
    reader: FileReader,
    calendar: str,
    zone: str,
    index: int,
    item: Any,
    inherited: tuple[Source, ...] = (),
) -> StageData | None:
    if not isinstance(item, dict):
        reader.problem(f"stage #{index + 1}", "must be a mapping")
        return None
    key = str(item.get("id", ""))
    where = f"stage {key or f'#{index + 1}'}"
    if not _ID.match(key):
        reader.problem(where, "id must be [a-z0-9-], at most 64 characters")
    for unknown in sorted(set(item) - _STAGE_KEYS - {"source"}):
        reader.problem(where, f"unknown field {unknown!r}")
    local = bool(item.get("local", False))
    stage_zone = _zone(reader, where, item.get("timezone", zone))
    start = read_when(reader, where, "starts_at", item.get("starts_at"), local, stage_zone, False)
    end = read_when(reader, where, "ends_at", item.get("ends_at"), local, stage_zone, True)
    if start is None or end is None:
        return None
    starts_at, ends_at = instant_of(start, stage_zone), instant_of(end, stage_zone)
    if ends_at < starts_at:
        reader.problem(where, "ends_at is before starts_at")
    names = _names(reader, f"{where}: name", item.get("name"))
    todo = _names(reader, f"{where}: todo", item.get("todo"), required=False)
    office = str(item.get("office", "RI"))
    _check_office(reader, where, office)
    tiers, regions, parties = _audience(reader, where, item.get("audience"))
    faq = _strings(reader, where, "faq", item.get("faq"))
    if reader.faq_ids is not None:
        for entry in faq:
            if entry not in reader.faq_ids:
                reader.warnings.append(f"{reader.source}: {where}: no FAQ entry {entry!r} (yet)")
    return StageData(
        key=key,
        calendar=calendar,
        name_id=names["id"][:200],
        name_en=names["en"][:200],
        todo_id=todo["id"],
        todo_en=todo["en"],
        starts_at=starts_at,
        ends_at=ends_at,
        zone=stage_zone,
        local_starts=start.wall.strftime(LOCAL_FORMAT) if local and start.wall else None,
        local_ends=end.wall.strftime(LOCAL_FORMAT) if local and end.wall else None,
        all_day=end.whole_day,
        office_code=office,
        tiers=tiers,
        regions=regions,
        parties=parties,
        system=str(item.get("system", "") or "")[:32],
        faq_ids=faq,
        source=encode_sources(_sources(reader, where, item, inherited) or inherited),
        reminders=_reminders(reader, where, item.get("reminders", list(DEFAULT_OFFSETS))),
        opening_notice=bool(item.get("opening_notice", False)),
    )


def _check_office(reader: FileReader, where: str, code: str) -> None:
    if reference.office(code) is None:
        reader.problem(where, f"unknown office {code!r}")


def _strings(reader: FileReader, where: str, name: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        reader.problem(where, f"{name} must be a list")
        return ()
    return tuple(str(v) for v in value)


def _audience(reader: FileReader, where: str, value: Any) -> tuple[tuple[str, ...], ...]:
    if value is None:
        return (), (), ()
    if not isinstance(value, dict) or set(value) - {"tiers", "regions", "parties"}:
        reader.problem(where, "audience may have only tiers, regions and parties")
        return (), (), ()
    tiers = _strings(reader, where, "tiers", value.get("tiers"))
    regions = _strings(reader, where, "regions", value.get("regions"))
    parties = _strings(reader, where, "parties", value.get("parties"))
    for tier in tiers:
        if tier not in TIERS:
            reader.problem(where, f"unknown tier {tier!r} (one of {', '.join(TIERS)})")
    for region in regions:
        _check_office(reader, where, region)
    for code in parties:
        if reference.party(code) is None:
            reader.problem(where, f"unknown party {code!r}")
    return tiers, regions, parties


def _reminders(reader: FileReader, where: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        reader.problem(where, "reminders must be a list of ISO 8601 durations")
        return ()
    found: list[str] = []
    for item in value:
        try:
            offset = canonical_offset(str(item))
        except ValueError as exc:
            reader.problem(where, str(exc))
            continue
        if offset != "open" and offset not in found:
            found.append(offset)
    joined = ",".join(found)
    if len(joined) > 128:
        reader.problem(where, "too many reminders")
    return tuple(found)


def describe(calendars: Iterable[Calendar]) -> list[str]:
    """One line per calendar, for the command line."""
    return [f"{c.id}: {len(c.stages)} stages ({c.name['id']})" for c in calendars]
