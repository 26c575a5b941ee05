"""Reference data: the KPU office tree and the parties of Pemilu 2024.

The election commission has three tiers: KPU RI, 38 provincial KPU and 514 regency/city
KPU (416 kabupaten + 98 kota). In Aceh the commission is called KIP. Every office works in
its own time zone (WIB, WITA or WIT), so deadlines "waktu setempat" depend on the office.
Offices carry the Kemendagri area code ("34" DI Yogyakarta, "34.02" Kabupaten Bantul).

The data lives in ``knowledge/reference/*.yaml``; it is read once, checked (unique codes,
parents that exist, the tier a code implies, the counts above) and kept in memory.

The home of the office tree's expected size (``EXPECTED_COUNTS``, ``EXPECTED_PARTIES``)
and ``MAX_QUERY`` (the longest name looked up). Homes kept elsewhere, once: the office
levels and the code ``RI`` in ``models.offices``; the time zones in ``models.zones``. A
party's name as people read it is :func:`party_short_name` here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from models.offices import RI, OfficeLevel
from models.zones import OFFICE_ZONES, zone_abbr

DATA_DIR = Path(__file__).parents[1] / "reference"
EXPECTED_COUNTS = {"ri": 1, "province": 38, "regency": 416, "city": 98}
EXPECTED_PARTIES = {"national": 18, "aceh": 6}
MAX_QUERY = 200


class PartyScope(StrEnum):
    NATIONAL = "national"
    ACEH = "aceh"


class ReferenceDataError(ValueError):
    """The reference YAML breaks a rule of the office tree or the party list."""


@dataclass(frozen=True)
class OfficeRecord:
    """One KPU/KIP office. ``parent`` is None only for KPU RI."""

    code: str
    name: str
    short: str
    region: str
    level: OfficeLevel
    parent: str | None
    body: str
    timezone: str

    @property
    def zone(self) -> str:
        """The zone abbreviation people read: WIB, WITA or WIT."""
        return zone_abbr(self.timezone)


@dataclass(frozen=True)
class PartyRecord:
    """A party of Pemilu 2024; ``number`` is its ballot number (nomor urut)."""

    code: str
    number: int
    short: str
    name: str
    scope: PartyScope


def fold(text: str) -> str:
    """Lower case, accents dropped, punctuation turned into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


# --- loading and validation -------------------------------------------------------------


def _read(name: str, key: str) -> list[dict[str, Any]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (DATA_DIR / name).open(encoding="utf-8") as stream:
        document = yaml.load(stream, Loader=loader)  # a safe loader: C if built, else Python
    rows = document.get(key) if isinstance(document, dict) else None
    if not isinstance(rows, list):
        raise ReferenceDataError(f"{name}: expected a list under {key!r}")
    return rows


def _office(row: dict[str, Any]) -> OfficeRecord:
    try:
        return OfficeRecord(
            code=str(row["code"]),
            name=str(row["name"]),
            short=str(row["short"]),
            region=str(row["region"]),
            level=OfficeLevel(row["level"]),
            parent=None if row.get("parent") is None else str(row["parent"]),
            body=str(row["body"]),
            timezone=str(row["timezone"]),
        )
    except (KeyError, ValueError) as error:
        raise ReferenceDataError(f"offices.yaml: bad row {row!r}: {error}") from None


def _office_problem(office: OfficeRecord, by_code: dict[str, OfficeRecord]) -> str | None:
    """The rule this office breaks, if any: the code decides tier, parent, body and zone."""
    code, level = office.code, office.level
    if level is OfficeLevel.RI:
        return None if code == RI and office.parent is None else "RI must be code RI, no parent"
    parent = by_code.get(office.parent or "")
    if parent is None:
        return f"unknown parent {office.parent!r}"
    if level is OfficeLevel.PROVINCE:
        shape_ok = re.fullmatch(r"\d\d", code) is not None and parent.code == RI
    else:
        city = level is OfficeLevel.CITY
        number = code[3:] if re.fullmatch(r"\d\d\.\d\d", code) else "00"
        in_range = 71 <= int(number) <= 99 if city else 1 <= int(number) <= 69
        shape_ok = in_range and parent.level is OfficeLevel.PROVINCE and code[:2] == parent.code
    if not shape_ok:
        return f"code does not fit level {level} under {parent.code}"
    if office.body != ("KIP" if code.startswith("11") else "KPU"):
        return f"body {office.body!r} (KIP in Aceh, KPU elsewhere)"
    if office.timezone not in OFFICE_ZONES:
        return f"time zone {office.timezone!r}"
    if level is not OfficeLevel.PROVINCE and office.timezone != parent.timezone:
        return "time zone differs from its province"
    return None


def _validate_offices(offices: tuple[OfficeRecord, ...]) -> dict[str, OfficeRecord]:
    by_code = {office.code: office for office in offices}
    if len(by_code) != len(offices):
        raise ReferenceDataError("offices.yaml: office codes are not unique")
    for office in offices:
        problem = _office_problem(office, by_code)
        if problem:
            raise ReferenceDataError(f"offices.yaml: {office.code}: {problem}")
    counts = {level.value: 0 for level in OfficeLevel}
    for office in offices:
        counts[office.level.value] += 1
    if counts != EXPECTED_COUNTS:
        raise ReferenceDataError(f"offices.yaml: counts {counts}, expected {EXPECTED_COUNTS}")
    return by_code


@dataclass(frozen=True)
class _OfficeIndex:
    offices: tuple[OfficeRecord, ...]
    by_code: dict[str, OfficeRecord]
    children: dict[str, tuple[OfficeRecord, ...]]
    folded: tuple[tuple[OfficeRecord, str, str], ...]  # office, region words, region compact


@cache
def _office_index() -> _OfficeIndex:
    offices = tuple(_office(row) for row in _read("offices.yaml", "offices"))
    by_code = _validate_offices(offices)
    children: dict[str, list[OfficeRecord]] = {office.code: [] for office in offices}
    for office in offices:
        if office.parent is not None:
            children[office.parent].append(office)
    folded = tuple((o, fold(o.region), fold(o.region).replace(" ", "")) for o in offices)
    return _OfficeIndex(
        offices, by_code, {code: tuple(kids) for code, kids in children.items()}, folded
    )


def _party(row: dict[str, Any]) -> PartyRecord:
    try:
        return PartyRecord(
            code=str(row["code"]),
            number=int(row["number"]),
            short=str(row["short"]),
            name=str(row["name"]),
            scope=PartyScope(row["scope"]),
        )
    except (KeyError, ValueError, TypeError) as error:
        raise ReferenceDataError(f"parties.yaml: bad row {row!r}: {error}") from None


@cache
def _party_index() -> dict[str, PartyRecord]:
    parties = tuple(_party(row) for row in _read("parties.yaml", "parties"))
    by_code = {party.code: party for party in parties}
    if len(by_code) != len(parties) or len({p.number for p in parties}) != len(parties):
        raise ReferenceDataError("parties.yaml: party codes or numbers are not unique")
    bad = [p.code for p in parties if not re.fullmatch(r"[a-z][a-z0-9]{0,11}", p.code)]
    if bad:
        raise ReferenceDataError(f"parties.yaml: codes must be lowercase slugs <= 12: {bad}")
    counts = {scope.value: sum(p.scope is scope for p in parties) for scope in PartyScope}
    if counts != EXPECTED_PARTIES:
        raise ReferenceDataError(f"parties.yaml: counts {counts}, expected {EXPECTED_PARTIES}")
    return by_code


# --- offices ----------------------------------------------------------------------------


def load_offices() -> tuple[OfficeRecord, ...]:
    """All offices, RI first, then each province followed by its regencies and cities."""
    return _office_index().offices


def office(code: str) -> OfficeRecord | None:
    """The office with this code ("RI", "34", "34.02"), or None."""
    return _office_index().by_code.get(code)


def children(code: str) -> tuple[OfficeRecord, ...]:
    """The offices one tier below (provinces under RI, kab/kota under a province)."""
    return _office_index().children[_known(code).code]


def ancestors(code: str) -> tuple[OfficeRecord, ...]:
    """The escalation path above an office, nearest first, ending at KPU RI."""
    index = _office_index()
    chain: list[OfficeRecord] = []
    parent = _known(code).parent
    while parent is not None:
        chain.append(index.by_code[parent])
        parent = index.by_code[parent].parent
    return tuple(chain)


def _known(code: str) -> OfficeRecord:
    found = office(code)
    if found is None:
        raise KeyError(f"unknown office code {code!r}")
    return found


_LEVEL_WORDS = {
    "kab": OfficeLevel.REGENCY,
    "kabupaten": OfficeLevel.REGENCY,
    "kota": OfficeLevel.CITY,
    "kotamadya": OfficeLevel.CITY,
    "prov": OfficeLevel.PROVINCE,
    "provinsi": OfficeLevel.PROVINCE,
    "propinsi": OfficeLevel.PROVINCE,
}
_NOISE_WORDS = {"kpu", "kip", "komisi", "pemilihan", "umum", "administrasi", "adm"}
_SPELLINGS = {"jogja": "yogya", "jogjakarta": "yogyakarta", "diy": "di yogyakarta"}
_LEVEL_ORDER = {OfficeLevel.RI: 0, OfficeLevel.PROVINCE: 1, OfficeLevel.REGENCY: 2}


def _code_query(text: str) -> str | None:
    match = re.fullmatch(r"\s*(\d\d)(?:\s*[.\-/ ]?\s*(\d\d))?\s*", text)
    if match is None:
        return None
    return match[1] if match[2] is None else f"{match[1]}.{match[2]}"


def _parse_query(text: str) -> tuple[OfficeLevel | None, str]:
    """Split "kab bantul" into (regency, "bantul"); drop "KPU", "KIP" and the like."""
    words = [_SPELLINGS.get(word, word) for word in fold(text).split()]
    words = [word for word in words if word not in _NOISE_WORDS]
    level = None
    while words and words[0] in _LEVEL_WORDS:
        level = _LEVEL_WORDS[words.pop(0)]
    return level, " ".join(words)


def _rank(query: str, words: str, compact: str) -> int | None:
    """How well a region matches: exact, whole words, start, word start, inside."""
    squeezed = query.replace(" ", "")
    if compact == squeezed:
        return 0
    if f" {query} " in f" {words} ":
        return 1
    if compact.startswith(squeezed):
        return 2
    if f" {query}" in f" {words}":
        return 3
    if len(squeezed) >= 4 and squeezed in compact:
        return 4
    return None


def find_offices(text: str) -> list[OfficeRecord]:
    """Offices whose region matches what a person typed, best first.

    Accepts a code ("34.02", "3402"), a region ("bantul"), a tier word ("kab bantul",
    "kota yogya", "provinsi aceh") and an office name ("KIP Kota Banda Aceh"); case,
    accents and punctuation do not matter. Too long or empty input finds nothing.
    """
    if len(text) > MAX_QUERY:
        return []
    code = _code_query(text)
    if code is not None:
        found = office(code)
        return [found] if found else []
    level, query = _parse_query(text)
    if query in {"ri", "pusat ri", "indonesia"} and level is None:
        return [_office_index().by_code[RI]]
    if len(query.replace(" ", "")) < 2:
        return []
    hits: list[tuple[int, int, str, OfficeRecord]] = []
    for candidate, words, compact in _office_index().folded:
        if level is not None and candidate.level is not level:
            continue
        rank = _rank(query, words, compact)
        if rank is not None:
            order = _LEVEL_ORDER.get(candidate.level, 3)
            hits.append((rank, order, candidate.code, candidate))
    return [hit[3] for hit in sorted(hits, key=lambda hit: hit[:3])]


# --- parties ----------------------------------------------------------------------------


def load_parties() -> tuple[PartyRecord, ...]:
    """All parties of Pemilu 2024 in ballot-number order."""
    return tuple(sorted(_party_index().values(), key=lambda party: party.number))


def party(code: str) -> PartyRecord | None:
    """The party with this code ("pkb", "pasaceh"), or None."""
    return _party_index().get(code)


def party_short_name(code: str) -> str:
    """A party's short name ("PKB", "Partai Buruh"); the code itself, upper case, when
    unknown."""
    record = party(code)
    return record.short if record is not None else code.upper()


def _party_keys(record: PartyRecord) -> Iterable[str]:
    for text in (record.code, record.short, record.name, str(record.number)):
        words = fold(text)
        yield words.replace(" ", "")
        if words.startswith("partai "):
            yield words.removeprefix("partai ").replace(" ", "")


def find_party(text: str) -> PartyRecord | None:
    """The one party meant by a code, short name, ballot number or (part of) its name.

    "PKB", "pdi-p", "Partai Gerindra", "no. 3", "nomor urut 24" and "kebangkitan bangsa"
    all find a party; text that fits several parties or none gives None.
    """
    if len(text) > MAX_QUERY:
        return None
    words = [word for word in fold(text).split() if word not in {"no", "nomor", "urut"}]
    query = " ".join(words)
    if not query:
        return None
    squeezed = query.replace(" ", "")
    bare = query.removeprefix("partai ").replace(" ", "")
    parties = load_parties()
    for record in parties:
        if {squeezed, bare} & set(_party_keys(record)):
            return record
    if len(bare) < 3:
        return None
    partial = [p for p in parties if bare in fold(p.name).replace(" ", "")]
    return partial[0] if len(partial) == 1 else None
