"""FAQ entries that officers wrote at the desk: drafts from tickets, as entries.

A draft (``models.kb_drafts``) becomes an ``Entry`` of the same shape as the shipped ones,
so the search, the answer view and ``helpdesk kb check`` treat it alike:

- both languages are filled; a language still copied from the other is served as the
  copy (the liaison then reads the office's own words) and marked in the export;
- its source is the office's help desk and the day the answer was given
  ("Jawaban petugas Helpdesk KPU Kabupaten Bantul, 7 Desember 2026");
- it must pass the same rules as a shipped entry (``entry_problems``) before approval:
  an existing category, both questions and answers, enough phrasings, no internal
  references, a length that fits one message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session

from knowledge.content.faq import (
    DEFAULT_FOLDER,
    LANGS,
    MIN_PHRASINGS,
    Category,
    Entry,
    _Reader,
)
from knowledge.content.sources import Source, SourceDate, SourceKind
from models.kb_drafts import KbDraft, approved_drafts
from models.offices import find_office

SOURCE_TITLE = {
    "id": "Jawaban petugas Helpdesk {office}, {day}",
    "en": "Answer of the {office} help desk officers, {day}",
}


@dataclass(frozen=True)
class Served:
    """An approved entry and the office whose subtree it is served to (None or ``RI``:
    everywhere)."""

    entry: Entry
    scope: str | None


def draft_source(draft: KbDraft, office_name: str) -> Source:
    """Where the answer comes from: the office's help desk, on the day it answered."""
    day = SourceDate(draft.answered_on.year, draft.answered_on.month, draft.answered_on.day)
    title = SOURCE_TITLE["id"].format(office=office_name, day=day.text("id"))
    return Source(SourceKind.OFFICIAL, title=title, publisher=f"Helpdesk {office_name}", date=day)


def draft_entry(draft: KbDraft, office_name: str, related: list[str] | None = None) -> Entry:
    """The draft as an entry; an empty language falls back to the draft's own."""
    own = draft.lang

    def both(texts: dict[str, str]) -> dict[str, str]:
        return {lang: (texts.get(lang) or texts.get(own) or "").strip() for lang in LANGS}

    phrasings = {lang: tuple(draft.phrasings_in(lang)) for lang in LANGS}
    for lang in LANGS:
        if lang == draft.copied_lang or not phrasings[lang]:
            phrasings[lang] = phrasings[own]
    return Entry(
        id=draft.entry_id,
        category=draft.category,
        question=both({lang: draft.question(lang) for lang in LANGS}),
        answer=both({lang: draft.answer(lang) for lang in LANGS}),
        phrasings=phrasings,
        keywords=(),
        related=tuple(related if related is not None else draft.related_ids()),
        uncertain=False,
        valid_from=None,
        valid_until=None,
        sources=(draft_source(draft, office_name),),
    )


def entry_problems(entry: Entry, categories: tuple[Category, ...]) -> list[str]:
    """What keeps an entry from being served or shipped, by the shipped content's rules."""
    reader = _Reader()
    where = f"entry {entry.id}"
    reader._check_entry(where, entry)
    problems = list(reader.problems)
    paths = {f"{c.id}/{s.id}" for c in categories for s in c.subcategories}
    if entry.category not in paths:
        problems.append(f"{where}: category {entry.category!r} does not exist")
    for lang in LANGS:
        if not entry.question.get(lang) or not entry.answer.get(lang):
            problems.append(f"{where}: needs a question and an answer in {lang}")
        if len(entry.phrasings.get(lang, ())) < MIN_PHRASINGS[lang]:
            problems.append(
                f"{where}: needs at least {MIN_PHRASINGS[lang]} {lang} phrasings, "
                f"has {len(entry.phrasings.get(lang, ()))}"
            )
    return problems


def served_entries(session: Session) -> list[Served]:
    """Every approved draft as an entry, with where it is served."""
    found: list[Served] = []
    for draft in approved_drafts(session):
        office = find_office(session, draft.office_code)
        found.append(
            Served(
                draft_entry(draft, office.name if office else draft.office_code), draft.scope_code
            )
        )
    return found


# --- export -------------------------------------------------------------------------------


def entry_yaml(entry: Entry, copied_lang: str | None) -> dict[str, Any]:
    """One entry as it is written in ``knowledge/faq/<category>.yaml``."""
    source = entry.sources[0]
    when = source.date
    raw_source: dict[str, Any] = {
        "kind": source.kind.value,
        "publisher": source.publisher,
        "title": source.title,
    }
    if when is not None and when.day is not None:
        raw_source["date"] = f"{when.year:04d}-{when.month:02d}-{when.day:02d}"
    raw: dict[str, Any] = {
        "id": entry.id,
        "category": entry.category,
        "question": dict(entry.question),
        "answer": dict(entry.answer),
        "phrasings": {lang: list(entry.phrasings.get(lang, ())) for lang in LANGS},
        "sources": [raw_source],
        "related": list(entry.related),
        "uncertain": entry.uncertain,
    }
    return raw


def export(
    served: list[tuple[Entry, str | None]], out: Path, folder: Path = DEFAULT_FOLDER
) -> list[Path]:
    """Writes the shipped content with the approved entries added to their categories'
    files, into ``out``: a folder ``helpdesk kb check --folder`` reads like the shipped
    one. ``served`` pairs each entry with the language still copied (to be translated),
    noted in a comment above it. Returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    by_category: dict[str, list[tuple[Entry, str | None]]] = {}
    for entry, copied in served:
        by_category.setdefault(entry.category.split("/")[0], []).append((entry, copied))
    written: list[Path] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        target = out / path.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        added = by_category.pop(path.stem, []) if path.parent == folder else []
        if added:
            text = _with_entries(text, added)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def _with_entries(text: str, added: list[tuple[Entry, str | None]]) -> str:
    """The file's text with ``added`` at the end of its ``entries`` list, keeping the file
    as written (comments included); re-written whole when the list is not at the end."""
    found = re.search(r"^entries:[ \t]*\n(?:[ \t]*(?:#.*)?\n)*([ \t]*)- ", text, re.M)
    indent = found.group(1) if found else "  "
    appended = text.rstrip("\n") + "\n\n" + "".join(_entry_text(e, c, indent) for e, c in added)
    try:
        data = yaml.safe_load(appended)
        ids = [raw.get("id") for raw in data.get("entries") or []]
    except (yaml.YAMLError, AttributeError):
        ids = []
    if all(entry.id in ids for entry, _ in added):
        return appended
    data = yaml.safe_load(text)
    data["entries"] = [*(data.get("entries") or []), *(entry_yaml(e, c) for e, c in added)]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _entry_text(entry: Entry, copied: str | None, indent: str) -> str:
    dumped = yaml.safe_dump(
        [entry_yaml(entry, copied)], allow_unicode=True, sort_keys=False, width=100
    )
    body = "".join(f"{indent}{line}\n" if line else "\n" for line in dumped.splitlines())
    note = ""
    if copied:
        note = f"{indent}# from the desk: the {copied} texts are still a copy, to be translated\n"
    return note + body
