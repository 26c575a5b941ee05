"""Where an FAQ answer comes from, in a form a liaison can open or look up.

Every entry lists its ``sources``; each is one of four kinds:

- ``regulation``: a law, PKPU, KPU decision or court ruling, by its title and, where the
  fact rests on one, its article (``PKPU Nomor 4 Tahun 2022``, ``Pasal 32``);
- ``official``: a page or document published by a KPU office (or Bawaslu), by publisher
  and title, with its URL;
- ``news``: a named and dated news report: publisher and date are required;
- ``service``: the help desk's own published service rules, for what the bot itself does.

A liaison reads these; they must never carry the team's working notes (file names,
section or line numbers of research notes, "TIDAK ADA"). ``parse_sources`` refuses
such text and any URL that is not a well-formed ``http(s)://host/...`` address.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit


class SourceKind(StrEnum):
    REGULATION = "regulation"
    OFFICIAL = "official"
    NEWS = "news"
    SERVICE = "service"


SOURCE_KEYS = {"kind", "title", "publisher", "article", "date", "url"}
_REQUIRED = {
    SourceKind.REGULATION: ("title",),
    SourceKind.OFFICIAL: ("publisher", "title"),
    SourceKind.NEWS: ("publisher",),
    SourceKind.SERVICE: ("publisher", "title"),
}
_MONTHS = {
    "id": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember",
    "en": "January February March April May June July August September October November December",
}
_BLANK = re.compile(r"[\s\x00-\x1f\x7f]")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# The team's working notes, never to be shown to a liaison. Each pattern starts with a
# literal so that the search skips ahead quickly; word boundaries are checked in code.
_FILE_SUFFIX = re.compile(r"\.(?:md|py|ya?ml|json|j2|txt|csv)\b")
_NOTES = (
    re.compile(r"artikel\s+0\d\d\b"),  # "artikel 000"
    re.compile(r"baris\s+\d"),  # "baris 3"
    re.compile(r"bagian\s+[1-9]\b(?!\s+(?:dari|of))"),  # "bagian 4" of the notes
    re.compile(r"Q\d{1,2}\b"),  # "Q28"
    re.compile(r"TIDAK\s+(?:ADA|TERVERIFIKASI)"),  # notes to the team
)
_PATH = re.compile(r"(?:models|handlers|knowledge|bot|tests|bench)/[\w./-]+")


@dataclass(frozen=True)
class SourceDate:
    """A publication date; a month alone when the report gives no day."""

    year: int
    month: int
    day: int | None = None

    def text(self, lang: str) -> str:
        month = _MONTHS.get(lang, _MONTHS["id"]).split()[self.month - 1]
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"


@dataclass(frozen=True)
class Source:
    kind: SourceKind
    title: str = ""
    publisher: str = ""
    article: str = ""
    date: SourceDate | None = None
    url: str = ""

    def citation(self, lang: str) -> str:
        """One readable line: what it is, who published it, when, and where to open it."""
        if self.kind is SourceKind.REGULATION:
            text = ", ".join(p for p in (self.title, self.article) if p)
        else:
            parts = [self.publisher, f"«{self.title}»" if self.title else ""]
            if self.date is not None:
                parts.append(self.date.text(lang))
            text = ", ".join(p for p in parts if p)
        return f"{text} — {self.url}" if self.url else text


def citation(sources: tuple[Source, ...], lang: str) -> str:
    """The sources as text for the answer's "Sumber:" line: one, or a bulleted list."""
    lines = [s.citation(lang) for s in sources]
    if len(lines) == 1:
        return lines[0]
    return "".join(f"\n• {line}" for line in lines)


def encode_sources(sources: tuple[Source, ...]) -> str:
    """The sources as one JSON text, for a stage's stored ``source`` column."""
    return json.dumps(
        [
            {
                key: value
                for key, value in (
                    ("kind", s.kind.value),
                    ("title", s.title),
                    ("publisher", s.publisher),
                    ("article", s.article),
                    ("date", _iso(s.date)),
                    ("url", s.url),
                )
                if value
            }
            for s in sources
        ],
        ensure_ascii=False,
    )


def stored_citation(text: str, lang: str) -> str:
    """The citation line of sources stored by ``encode_sources``; empty for anything else
    (a stage stored before its calendar's sources were typed held the team's free-text
    notes, which a liaison must not read)."""
    if not text.startswith("["):
        return ""
    try:
        raw = json.loads(text)
    except ValueError:
        return ""
    sources, problems = parse_sources("stored", raw)
    return "; ".join(s.citation(lang) for s in sources) if sources and not problems else ""


def _iso(when: SourceDate | None) -> str:
    if when is None:
        return ""
    month = f"{when.year:04d}-{when.month:02d}"
    return f"{month}-{when.day:02d}" if when.day else month


def parse_sources(where: str, raw: Any) -> tuple[tuple[Source, ...], list[str]]:
    """Reads an entry's ``sources`` list; returns what was read and every problem found."""
    problems: list[str] = []
    if not isinstance(raw, list) or not raw:
        return (), [f"{where}: 'sources' is required: a list of what a liaison can check"]
    found: list[Source] = []
    for index, item in enumerate(raw, 1):
        here = f"{where} source #{index}"
        if not isinstance(item, dict):
            problems.append(f"{here}: must be a mapping with 'kind'")
            continue
        source = _source(here, item, problems)
        if source is not None:
            found.append(source)
    return tuple(found), problems


def _source(where: str, item: dict[str, Any], problems: list[str]) -> Source | None:
    if set(item) - SOURCE_KEYS:
        problems.append(f"{where}: unknown keys {sorted(set(item) - SOURCE_KEYS)}")
    try:
        kind = SourceKind(str(item.get("kind", "")))
    except ValueError:
        kinds = ", ".join(k.value for k in SourceKind)
        problems.append(f"{where}: 'kind' must be one of {kinds}")
        return None
    texts = {key: str(item.get(key) or "").strip() for key in ("title", "publisher", "article")}
    for key in _REQUIRED[kind]:
        if not texts[key]:
            problems.append(f"{where}: a {kind.value} source needs a {key}")
    when = _date(where, item.get("date"), problems)
    if kind is SourceKind.NEWS and item.get("date") in (None, ""):
        problems.append(f"{where}: a news source needs its date (2022-08-06, or 2022-08)")
    url = str(item.get("url") or "").strip()
    if url and not well_formed_url(url):
        problems.append(f"{where}: {url!r} is not a well-formed http(s)://host/... address")
    for key, value in texts.items():
        if internal_references(value):
            problems.append(f"{where}: the {key} {value!r} is an internal reference")
    return Source(kind, texts["title"], texts["publisher"], texts["article"], when, url)


def _date(where: str, raw: Any, problems: list[str]) -> SourceDate | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, date):
        return SourceDate(raw.year, raw.month, raw.day)
    try:
        day = date.fromisoformat(str(raw).strip())
        return SourceDate(day.year, day.month, day.day)
    except ValueError:
        pass
    match = _YEAR_MONTH.match(str(raw).strip())
    if match and 1 <= int(match.group(2)) <= 12:
        return SourceDate(int(match.group(1)), int(match.group(2)))
    problems.append(f"{where}: 'date' must be like 2022-08-06 or 2022-08, not {raw!r}")
    return None


def well_formed_url(url: str) -> bool:
    """``http(s)://host[:port]/...`` with a real host name and no spaces or credentials."""
    if _BLANK.search(url):
        return False
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or parts.username or parts.password:
        return False
    host = (parts.hostname or "").lower()
    return bool(_HOST.match(host)) and (port is None or 0 < port < 65536)


def internal_references(text: str) -> list[str]:
    """The working-note references found in a liaison-facing text (URLs are not read)."""
    plain = re.sub(r"https?://\S+", " ", text) if "://" in text else text
    found: list[str] = []
    for match in _FILE_SUFFIX.finditer(plain):
        start = match.start()
        while start > 0 and (plain[start - 1].isalnum() or plain[start - 1] in "_-./"):
            start -= 1
        if start < match.start():  # a name before the suffix, not a lone ".md"
            found.append(plain[start : match.end()])
    for pattern in _NOTES:
        found += [m.group(0) for m in pattern.finditer(plain) if _starts_word(plain, m.start())]
    for match in _PATH.finditer(plain):
        at = match.start()
        if _starts_word(plain, at) and (at == 0 or plain[at - 1] not in "/.:"):
            found.append(match.group(0))
    return list(dict.fromkeys(found))


def _starts_word(text: str, index: int) -> bool:
    return index == 0 or not (text[index - 1].isalnum() or text[index - 1] == "_")
