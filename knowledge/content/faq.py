"""The FAQ content: reading ``knowledge/faq/*.yaml`` and checking it against the schema.

One file per top-level category (``<category-id>.yaml``) holds the category, its
subcategories and its entries, each in Indonesian and English. Every problem found is
reported in words a content writer can act on; nothing is silently skipped.

The home of the content rules: ``LANGS``, ``MIN_PHRASINGS``, ``RELATED_RANGE``,
``SUBCATEGORY_RANGE``, ``ENTRY_ID_MAX``, and the longest answer that fits one Telegram
message with its frame (``TEXT_LIMIT`` less ``ANSWER_FRAME_RESERVE``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from knowledge.content.coverage import COVERAGE_FILE, read_coverage
from knowledge.content.sources import Source, citation, internal_references, parse_sources
from models.message_limits import TEXT_LIMIT

DEFAULT_FOLDER = Path(__file__).parents[1] / "faq"
LANGS = ("id", "en")
MIN_PHRASINGS = {"id": 5, "en": 2}
RELATED_RANGE = (2, 3)
SUBCATEGORY_RANGE = (1, 8)
ENTRY_ID_MAX = 32
# Room kept for what the answer template adds around an answer: the question as a title,
# the validity dates, the labels (the source line itself is counted with the answer).
ANSWER_FRAME_RESERVE = 400

# The C loader when PyYAML was built with libyaml (five times faster); both are "safe".
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ID = re.compile(r"^[a-z0-9-]+$")
_CATEGORY_KEYS = {"id", "title", "order", "subcategories"}
_ENTRY_KEYS = {
    "id",
    "category",
    "question",
    "answer",
    "phrasings",
    "keywords",
    "sources",
    "related",
    "uncertain",
    "valid_from",
    "valid_until",
    "stage",
}
_REQUIRED_ENTRY_KEYS = {"id", "category", "question", "answer", "phrasings", "sources"}


class ContentError(Exception):
    """The content does not follow the schema; ``problems`` lists every finding."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Subcategory:
    id: str
    title: dict[str, str]


@dataclass(frozen=True)
class Category:
    id: str
    title: dict[str, str]
    order: int
    subcategories: tuple[Subcategory, ...]

    def subcategory(self, sub_id: str) -> Subcategory | None:
        return next((s for s in self.subcategories if s.id == sub_id), None)


@dataclass(frozen=True)
class Entry:
    id: str
    category: str  # "<category id>/<subcategory id>"
    question: dict[str, str]
    answer: dict[str, str]
    phrasings: dict[str, tuple[str, ...]]
    keywords: tuple[str, ...]
    related: tuple[str, ...]
    uncertain: bool
    valid_from: date | None
    valid_until: date | None
    stage: str | None = None
    sources: tuple[Source, ...] = ()

    def citation(self, lang: str) -> str:
        """The sources as readable text (with their URLs) for the answer's source line."""
        return citation(self.sources, lang)

    def title(self, lang: str) -> str:
        """The question as a title in ``lang``, Indonesian when ``lang`` is missing."""
        return self.question.get(lang) or self.question["id"]

    def answer_in(self, lang: str) -> str:
        """The answer's plain text in ``lang``, Indonesian when ``lang`` is missing."""
        return self.answer.get(lang) or self.answer["id"]


@dataclass(frozen=True)
class Content:
    """What was read from a folder, and every problem found while reading it."""

    categories: tuple[Category, ...]
    entries: tuple[Entry, ...]
    problems: tuple[str, ...]


def read_folder(folder: Path = DEFAULT_FOLDER) -> Content:
    """Reads every ``*.yaml`` in ``folder``; problems are collected, never raised."""
    reader = _Reader()
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        reader.problems.append(f"{folder}: no *.yaml content files found")
    for path in files:
        reader.read_file(path)
    reader.cross_check()
    if (folder / COVERAGE_FILE).is_file():
        entry_ids = {e.id for e in reader.entries}
        reader.problems.extend(read_coverage(folder / COVERAGE_FILE, entry_ids)[1])
    categories = tuple(sorted(reader.categories, key=lambda c: (c.order, c.id)))
    return Content(categories, tuple(reader.entries), tuple(reader.problems))


def check(folder: Path = DEFAULT_FOLDER) -> list[str]:
    """Every problem of the content in ``folder``, in words; empty when all is well."""
    return list(read_folder(folder).problems)


class _Reader:
    def __init__(self) -> None:
        self.categories: list[Category] = []
        self.entries: list[Entry] = []
        self.problems: list[str] = []
        self._entry_files: dict[str, str] = {}

    def read_file(self, path: Path) -> None:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            self.problems.append(f"{path.name}: not readable YAML: {_one_line(exc)}")
            return
        if not isinstance(data, dict) or "category" not in data:
            self.problems.append(f"{path.name}: expected a mapping with 'category' and 'entries'")
            return
        extra = set(data) - {"category", "entries"}
        if extra:
            self.problems.append(f"{path.name}: unknown top-level keys {sorted(extra)}")
        category = self._category(path.name, data["category"])
        if category is not None:
            if path.stem != category.id:
                self.problems.append(
                    f"{path.name}: file name must be the category id ({category.id}.yaml)"
                )
            self.categories.append(category)
        raw_entries = data.get("entries") or []
        if not isinstance(raw_entries, list):
            self.problems.append(f"{path.name}: 'entries' must be a list")
            return
        for index, raw in enumerate(raw_entries, 1):
            entry = self._entry(f"{path.name} entry #{index}", raw)
            if entry is not None:
                self.entries.append(entry)
                self._entry_files.setdefault(entry.id, path.name)

    def _category(self, where: str, raw: Any) -> Category | None:
        if not isinstance(raw, dict):
            self.problems.append(f"{where}: 'category' must be a mapping")
            return None
        problems = self.problems
        if set(raw) - _CATEGORY_KEYS:
            problems.append(f"{where}: unknown category keys {sorted(set(raw) - _CATEGORY_KEYS)}")
        cat_id = _text(raw.get("id"))
        if not _ID.match(cat_id):
            problems.append(f"{where}: category id {cat_id!r} must match [a-z0-9-]+")
        where = f"{where} category {cat_id}"
        title = self._bilingual(where, "title", raw.get("title"))
        order = raw.get("order")
        if not isinstance(order, int) or isinstance(order, bool):
            problems.append(f"{where}: 'order' must be a whole number")
            order = 0
        subs = self._subcategories(where, raw.get("subcategories"))
        return Category(cat_id, title, order, subs)

    def _subcategories(self, where: str, raw: Any) -> tuple[Subcategory, ...]:
        low, high = SUBCATEGORY_RANGE
        if not isinstance(raw, list) or not low <= len(raw) <= high:
            self.problems.append(f"{where}: needs {low} to {high} subcategories")
            raw = raw if isinstance(raw, list) else []
        subs: list[Subcategory] = []
        for item in raw:
            if not isinstance(item, dict):
                self.problems.append(f"{where}: a subcategory must be a mapping")
                continue
            sub_id = _text(item.get("id"))
            if not _ID.match(sub_id):
                self.problems.append(f"{where}: subcategory id {sub_id!r} must match [a-z0-9-]+")
            if any(s.id == sub_id for s in subs):
                self.problems.append(f"{where}: subcategory id {sub_id!r} appears twice")
            title = self._bilingual(f"{where}/{sub_id}", "title", item.get("title"))
            subs.append(Subcategory(sub_id, title))
        return tuple(subs)

    def _entry(self, where: str, raw: Any) -> Entry | None:
        if not isinstance(raw, dict):
            self.problems.append(f"{where}: an entry must be a mapping")
            return None
        entry_id = _text(raw.get("id"))
        where = f"entry {entry_id}" if entry_id else where
        if set(raw) - _ENTRY_KEYS:
            self.problems.append(f"{where}: unknown keys {sorted(set(raw) - _ENTRY_KEYS)}")
        missing = _REQUIRED_ENTRY_KEYS - set(raw)
        if missing:
            self.problems.append(f"{where}: missing {sorted(missing)}")
        if not _ID.match(entry_id) or len(entry_id) > ENTRY_ID_MAX:
            self.problems.append(
                f"{where}: id must match [a-z0-9-]+ and have at most {ENTRY_ID_MAX} characters"
            )
        uncertain = raw.get("uncertain", False)
        if not isinstance(uncertain, bool):
            self.problems.append(f"{where}: 'uncertain' must be true or false")
        entry = Entry(
            id=entry_id,
            category=_text(raw.get("category")),
            question=self._bilingual(where, "question", raw.get("question")),
            answer=self._bilingual(where, "answer", raw.get("answer")),
            phrasings=self._phrasings(where, raw.get("phrasings")),
            keywords=self._strings(where, "keywords", raw.get("keywords")),
            related=self._strings(where, "related", raw.get("related")),
            uncertain=bool(uncertain),
            valid_from=self._date(where, "valid_from", raw.get("valid_from")),
            valid_until=self._date(where, "valid_until", raw.get("valid_until")),
            stage=_text(raw.get("stage")) or None,
            sources=self._sources(where, raw),
        )
        self._check_entry(where, entry)
        return entry

    def _sources(self, where: str, raw: dict[str, Any]) -> tuple[Source, ...]:
        if "source" in raw:
            self.problems.append(f"{where}: 'source' text is replaced by a 'sources' list")
        sources, problems = parse_sources(where, raw.get("sources"))
        self.problems.extend(problems)
        return sources

    def _check_entry(self, where: str, entry: Entry) -> None:
        for name, texts in (("question", entry.question), ("answer", entry.answer)):
            for lang, text in texts.items():
                for found in internal_references(text):
                    self.problems.append(
                        f"{where}: the {lang} {name} has an internal reference {found!r}"
                    )
        if entry.valid_from and entry.valid_until and entry.valid_from > entry.valid_until:
            self.problems.append(f"{where}: valid_from is after valid_until")
        for lang in LANGS:
            answer = entry.answer.get(lang, "")
            title = entry.question.get(lang, "")
            size = len(html.escape(answer)) + len(html.escape(title)) + ANSWER_FRAME_RESERVE
            size += len(html.escape(entry.citation(lang)))
            if size > TEXT_LIMIT:
                self.problems.append(
                    f"{where}: the {lang} answer renders to about {size} characters "
                    f"(Telegram allows {TEXT_LIMIT}); shorten it"
                )
            if re.search(r"<[a-zA-Z/][^>]*>", answer):
                self.problems.append(f"{where}: the {lang} answer contains HTML; use plain text")

    def _bilingual(self, where: str, name: str, raw: Any) -> dict[str, str]:
        if not isinstance(raw, dict):
            self.problems.append(f"{where}: '{name}' needs both id and en texts")
            return {}
        values = {lang: _text(raw.get(lang)) for lang in LANGS}
        for lang, value in values.items():
            if not value:
                self.problems.append(f"{where}: '{name}' has no {lang} text")
        return {lang: value for lang, value in values.items() if value}

    def _phrasings(self, where: str, raw: Any) -> dict[str, tuple[str, ...]]:
        if not isinstance(raw, dict):
            self.problems.append(f"{where}: 'phrasings' needs id and en lists")
            return {}
        found: dict[str, tuple[str, ...]] = {}
        for lang in LANGS:
            items = self._strings(where, f"phrasings.{lang}", raw.get(lang))
            if len(items) < MIN_PHRASINGS[lang]:
                self.problems.append(
                    f"{where}: needs at least {MIN_PHRASINGS[lang]} {lang} phrasings, "
                    f"has {len(items)}"
                )
            found[lang] = items
        return found

    def _strings(self, where: str, name: str, raw: Any) -> tuple[str, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list) or not all(
            isinstance(x, str) or (isinstance(x, int) and not isinstance(x, bool)) for x in raw
        ):
            self.problems.append(
                f"{where}: '{name}' must be a list of texts (quote numbers such as \"1.000\")"
            )
            return ()
        return tuple(t for t in (_text(x) for x in raw) if t)

    def _date(self, where: str, name: str, raw: Any) -> date | None:
        if raw is None or isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            self.problems.append(f"{where}: '{name}' must be a date like 2024-08-29")
            return None

    def cross_check(self) -> None:
        """Rules across files: unique ids, category paths and related ids resolve."""
        self._unique([c.id for c in self.categories], "category id")
        self._unique([e.id for e in self.entries], "entry id")
        paths = {f"{c.id}/{s.id}" for c in self.categories for s in c.subcategories}
        ids = {e.id for e in self.entries}
        low, high = RELATED_RANGE
        for entry in self.entries:
            where = f"entry {entry.id}"
            if entry.category not in paths:
                self.problems.append(f"{where}: category {entry.category!r} does not exist")
            elif entry.category.split("/")[0] + ".yaml" != self._entry_files.get(entry.id):
                self.problems.append(f"{where}: belongs in {entry.category.split('/')[0]}.yaml")
            if not low <= len(entry.related) <= high:
                self.problems.append(f"{where}: needs {low} to {high} related entries")
            for other in entry.related:
                if other == entry.id:
                    self.problems.append(f"{where}: lists itself as related")
                elif other not in ids:
                    self.problems.append(f"{where}: related entry {other!r} does not exist")
        self._shared_phrasings()

    def _shared_phrasings(self) -> None:
        owners: dict[str, str] = {}
        questions: dict[str, str] = {}
        for entry in self.entries:
            for text in entry.question.values():
                questions.setdefault(_plain(text), entry.id)
        for entry in self.entries:
            seen: set[str] = set()
            for text in (t for items in entry.phrasings.values() for t in items):
                key = _plain(text)
                if key in seen:
                    continue
                seen.add(key)
                owner = owners.setdefault(key, entry.id)
                if owner != entry.id:
                    self.problems.append(
                        f"entry {entry.id}: phrasing {text!r} is also a phrasing of {owner}"
                    )
                asker = questions.get(key)
                if asker is not None and asker != entry.id:
                    self.problems.append(
                        f"entry {entry.id}: phrasing {text!r} is the question of {asker}"
                    )

    def _unique(self, values: list[str], what: str) -> None:
        seen: set[str] = set()
        for value in values:
            if value in seen:
                self.problems.append(f"{what} {value!r} is used more than once")
            seen.add(value)


def _plain(text: str) -> str:
    """Lowercase, no punctuation, single spaces: how phrasings are compared for sameness."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
