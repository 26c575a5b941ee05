"""The calendar as data: the shipped files, validation, relative times, import, iCalendar."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from knowledge.content.calendar import FOLDER, CalendarError, load_calendar, load_folder
from knowledge.content.ics import IcsWords, to_ics
from knowledge.content.sources import stored_citation
from models import ManualClock, UnitOfWork
from models.stages import Stage, all_stages, import_stages, stages_for_faq

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
WORDS = IcsWords("Tahapan", "Waktu setempat, dalam {zone}.", "Sistem", "Sumber")


def test_the_shipped_calendars_load_without_problems() -> None:
    calendars = {c.id: c for c in load_folder(FOLDER, NOW)}
    assert set(calendars) == {"pemilu2024-parpol", "pemilu2024-caleg", "pilkada2024", "demo"}
    for calendar in calendars.values():
        assert all(stage.source for stage in calendar.stages), calendar.id
    parpol = {s.key: s for s in calendars["pemilu2024-parpol"].stages}
    registration = parpol["parpol2024-pendaftaran"]
    assert registration.ends_at == datetime(2022, 8, 14, 16, 59, tzinfo=UTC)  # 23.59 WIB
    assert registration.tiers == ("dpp",) and registration.local_ends is None
    pilkada = {s.key: s for s in calendars["pilkada2024"].stages}
    assert pilkada["pilkada2024-pendaftaran"].local_ends == "2024-08-29T23:59"
    assert pilkada["pilkada2024-pendaftaran"].reminders == ("P7D", "P3D", "P1D", "PT6H", "PT1H")
    assert pilkada["pilkada2024-kampanye"].reminders == ()


def test_relative_times_of_the_demo_calendar_count_from_the_import() -> None:
    demo = {s.key: s for s in load_calendar(FOLDER / "demo.yaml", NOW).stages}
    upload = demo["demo-unggah-sipol"]
    assert upload.local_ends == "2026-11-26T23:59", "three days from today (WIB), at 23.59"
    assert upload.local_starts == "2026-11-21T08:00"
    assert demo["demo-hari-ini"].ends_at == NOW + timedelta(hours=5)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_calendar_with_mistakes_lists_every_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
calendar: {id: Bad_ID, name: {id: X}}
stages:
  - id: one
    name: {id: Satu, en: One}
    starts_at: 2024-08-29
    ends_at: 2024-08-27
    office: "99.99"
    audience: {tiers: [boss], parties: [nope]}
    reminders: [P1M]
    colour: red
  - id: one
    name: {id: Dua, en: Two}
    starts_at: "2024-08-27T08:00:00+07:00"
    ends_at: "+PX"
    local: true
""",
    )
    with pytest.raises(CalendarError) as raised:
        load_calendar(path, NOW)
    text = "\n".join(raised.value.problems)
    for expected in (
        "id 'Bad_ID'",
        "needs non-empty texts",
        "ends_at is before starts_at",
        "unknown office '99.99'",
        "unknown tier 'boss'",
        "unknown party 'nope'",
        "'P1M' is not an ISO 8601 duration",
        "unknown field 'colour'",
        "relative times look like",
        "carries an offset, but the stage is local",
    ):
        assert expected in text, expected


def test_an_unreadable_file_is_one_clear_problem(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="cannot read"):
        load_calendar(write(tmp_path, "calendar: [unclosed"), NOW)


def test_reimport_updates_in_place_and_removes_dropped_stages(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    calendar = load_calendar(FOLDER / "pilkada2024.yaml", NOW)
    with UnitOfWork(sessions) as uow:
        first = import_stages(uow.session, calendar.id, calendar.stages, NOW)
        uow.commit()
    assert (first.created, first.updated, first.removed) == (len(calendar.stages), 0, 0)
    with sessions() as session:
        ids = {s.key: s.id for s in all_stages(session)}
    changed = list(calendar.stages[1:])
    changed[0] = dataclasses.replace(changed[0], name_id="Nama baru")
    with UnitOfWork(sessions) as uow:
        second = import_stages(uow.session, calendar.id, changed, NOW)
        uow.commit()
    assert (second.created, second.updated, second.removed) == (0, 1, 1)
    assert second.unchanged == len(changed) - 1
    with sessions() as session:
        after = {s.key: s for s in all_stages(session)}
    assert all(after[k].id == ids[k] for k in after), "ids kept"
    assert after[changed[0].key].name_id == "Nama baru"


def test_stages_for_faq_finds_the_stages_that_name_an_entry(
    sessions: Callable[[], Session],
) -> None:
    calendar = load_calendar(FOLDER / "pemilu2024-parpol.yaml", NOW)
    with UnitOfWork(sessions) as uow:
        import_stages(uow.session, calendar.id, calendar.stages, NOW)
        uow.commit()
    with sessions() as session:
        found = [s.key for s in stages_for_faq(session, "parpol-penetapan")]
        assert found == ["parpol2024-penetapan", "parpol2024-pengumuman-peserta"]
        assert stages_for_faq(session, "parpol") == [], "whole ids only"


def unfold(text: str) -> list[str]:
    """RFC 5545 3.1: lines end in CRLF; a line starting with a space continues the last."""
    assert text.endswith("\r\n")
    raw = text.split("\r\n")[:-1]
    assert all("\n" not in line and "\r" not in line for line in raw)
    assert all(len(line.encode("utf-8")) <= 75 for line in raw), "folded at 75 octets"
    lines: list[str] = []
    for line in raw:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def parse_ics(text: str) -> list[dict[str, str]]:
    """A tiny iCalendar reader: the properties of each VEVENT."""
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines[1:-1]:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    assert current is None, "every event is closed"
    return events


def unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def test_the_ics_export_is_valid_icalendar_with_a_uid_per_stage(
    sessions: Callable[[], Session],
) -> None:
    calendar = load_calendar(FOLDER / "pilkada2024.yaml", NOW)
    with UnitOfWork(sessions) as uow:
        import_stages(uow.session, calendar.id, calendar.stages, NOW)
        uow.commit()
    with sessions() as session:
        stages: list[Stage] = all_stages(session)
    text = to_ics(stages, now=NOW, words=WORDS, zone="Asia/Makassar", lang="id")
    events = parse_ics(text)
    assert len(events) == len(stages)
    assert len({e["UID"] for e in events}) == len(events)
    registration = next(e for e in events if e["UID"].startswith("pilkada2024-pendaftaran@"))
    assert registration["DTSTART"] == "20240827T000000Z"  # 08.00 WITA
    assert registration["DTEND"] == "20240829T155900Z"  # 23.59 WITA
    assert registration["SUMMARY"] == "Pendaftaran pasangan calon kepala daerah"
    description = unescape(registration["DESCRIPTION"])
    assert "Waktu setempat, dalam WITA." in description and "Sistem: SILON" in description
    assert "Sumber: PKPU Nomor 8 Tahun 2024, Pasal 96; VOI" in description  # typed, cited
    assert "[{" not in description and "research" not in description
    whole_day = next(e for e in events if e["UID"].startswith("pilkada2024-kampanye@"))
    assert whole_day["DTSTART;VALUE=DATE"] == "20240925"
    assert whole_day["DTEND;VALUE=DATE"] == "20241124", "the end of an all-day event is exclusive"
    assert all(e["DTSTAMP"] == "20261123T020000Z" for e in events)


def test_sources_are_typed_and_a_stage_without_its_own_cites_the_calendars(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        """
calendar:
  id: c
  name: {id: Kalender, en: Calendar}
  sources:
    - {kind: regulation, title: "PKPU Nomor 3 Tahun 2022", article: "Lampiran I"}
stages:
  - id: c-one
    name: {id: Satu, en: One}
    starts_at: 2022-08-01
    ends_at: 2022-08-14
  - id: c-two
    name: {id: Dua, en: Two}
    starts_at: 2022-08-01
    ends_at: 2022-08-14
    sources:
      - {kind: news, publisher: "Kompas.com", title: "Berita", date: 2022-06-24,
         url: "https://nasional.kompas.com/read/2022/06/24/x"}
""",
    )
    one, two = load_calendar(path, NOW).stages
    assert stored_citation(one.source, "id") == "PKPU Nomor 3 Tahun 2022, Lampiran I"
    assert stored_citation(two.source, "en") == (
        "Kompas.com, «Berita», 24 June 2022 — https://nasional.kompas.com/read/2022/06/24/x"
    )
    assert stored_citation("sindonews (above); CONFLICT, to be checked", "id") == ""


def test_a_free_text_or_untyped_source_is_a_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
calendar:
  id: c
  name: {id: Kalender, en: Calendar}
  source: "PKPU 3/2022"
stages:
  - id: c-one
    name: {id: Satu, en: One}
    starts_at: 2022-08-01
    ends_at: 2022-08-14
    sources:
      - {kind: news, publisher: "Kompas.com", title: "Tanpa tanggal", url: "not a url"}
""",
    )
    with pytest.raises(CalendarError) as caught:
        load_calendar(path, NOW)
    problems = "\n".join(caught.value.problems)
    assert "calendar: 'source' is free text" in problems
    assert "calendar: 'sources' is required" in problems
    assert "a news source needs its date" in problems
    assert "is not a well-formed" in problems
