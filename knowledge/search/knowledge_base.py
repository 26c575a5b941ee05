"""The knowledge base the help desk answers from: categories, entries, and search.

Loaded once at start-up from ``knowledge/faq/*.yaml`` (see ``knowledge.content.faq`` for the
schema) and shared by every conversation. Entries officers approved at the desk
(``knowledge.content.approved``) are added with ``serve``: the index is rebuilt aside and
swapped in whole, so a search sees either the old set or the new one. Such an entry may be
served to one office's subtree only: ``search`` and ``entries_in`` take the asker's
offices (their own and those above it) and leave out what is not for them.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlmodel import Session

from knowledge.content.approved import Served, served_entries
from knowledge.content.faq import (
    DEFAULT_FOLDER,
    Category,
    ContentError,
    Entry,
    read_folder,
)
from knowledge.search import kb_cache
from knowledge.search.searcher import Searcher, SearchResult
from models.kb_drafts import approved_mark
from models.offices import RI

__all__ = ["KnowledgeBase"]


@dataclass(frozen=True)
class _Index:
    """What one search reads, swapped in whole: entries, the index, where each is served."""

    entries: tuple[Entry, ...]
    by_id: dict[str, Entry]
    searcher: Searcher
    scopes: dict[str, str]  # entry id -> the office whose subtree it is served to


class KnowledgeBase:
    """Categories in menu order, entries by id and by category path, and free-text search."""

    def __init__(
        self,
        categories: tuple[Category, ...],
        entries: tuple[Entry, ...],
        served: Sequence[Served] = (),
        *,
        searcher: Searcher | None = None,
    ) -> None:
        """``searcher``: the index of ``entries`` alone, built before (the cache's)."""
        self.categories = categories
        self.shipped = entries
        self._titles = {
            f"{c.id}/{s.id}": (*c.title.values(), *s.title.values())
            for c in categories
            for s in c.subcategories
        }
        self._mark: tuple[int, int] = (0, 0)
        self._rebuilding = threading.Lock()
        if searcher is not None and not served and searcher.entries == entries:
            self._index = _Index(entries, {e.id: e for e in entries}, searcher, {})
        else:
            self.serve(served)

    def serve(self, served: Sequence[Served]) -> None:
        """Serves the shipped entries and ``served`` (the approved ones, replacing those
        served before). The search's confidence is the generic fitted model over features
        of the question and the entry, with nothing fitted per entry, so a new entry is
        scored like the shipped ones without refitting."""
        shipped_ids = {entry.id for entry in self.shipped}
        extra = [s for s in served if s.entry.id not in shipped_ids]
        entries = (*self.shipped, *(s.entry for s in extra))
        scopes = {s.entry.id: s.scope for s in extra if s.scope is not None and s.scope != RI}
        by_id = {entry.id: entry for entry in entries}
        self._index = _Index(entries, by_id, Searcher(entries, self._titles), scopes)

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self._index.entries

    def refresh(self, session: Session) -> bool:
        """Serves the approved entries as the database has them, when they changed since
        the last look (one small query; approvals by another process are seen too).
        One thread rebuilds at a time; the others keep searching the index they have.
        True when the index was rebuilt."""
        mark = approved_mark(session)
        if mark == self._mark or not self._rebuilding.acquire(blocking=False):
            return False
        try:
            self.serve(served_entries(session))
            self._mark = mark
        finally:
            self._rebuilding.release()
        return True

    @classmethod
    def load(
        cls, folder: Path = DEFAULT_FOLDER, *, strict: bool = True, cache: Path | None = None
    ) -> KnowledgeBase:
        """Reads and checks the content; raises ``ContentError`` listing every problem.
        ``strict=False`` loads whatever could be read (for trying out unfinished content).
        ``cache``: a folder where the built knowledge base is kept between starts
        (``knowledge.search.kb_cache``); content with problems is never cached."""
        key = kb_cache.fingerprint(folder) if cache is not None else ""
        if cache is not None:
            found = kb_cache.read(cache, key)
            if found is not None:
                categories, entries, searcher = found
                return cls(categories, entries, searcher=searcher)
        content = read_folder(folder)
        if content.problems and strict:
            raise ContentError(list(content.problems))
        kb = cls(content.categories, content.entries)
        if cache is not None and not content.problems:
            kb_cache.write(cache, key, (kb.categories, kb.shipped, kb.searcher))
        return kb

    @property
    def searcher(self) -> Searcher:
        return self._index.searcher

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def entry(self, entry_id: str) -> Entry | None:
        return self._index.by_id.get(entry_id)

    def visible(self, entry_id: str, offices: Collection[str] | None) -> bool:
        """Whether an asker of ``offices`` (their office and those above; None: unknown)
        is served this entry: shipped ones and those for everywhere always."""
        return _visible(self._index, entry_id, offices)

    def entries_in(self, category_path: str, offices: Collection[str] | None = None) -> list[Entry]:
        """Entries of a subcategory ("cat/sub"), or of a whole category ("cat"), in file
        order, approved ones after the shipped; those for another office left out."""
        index = self._index
        if "/" in category_path:
            found = [e for e in index.entries if e.category == category_path]
        else:
            prefix = category_path + "/"
            found = [e for e in index.entries if e.category.startswith(prefix)]
        return [e for e in found if _visible(index, e.id, offices)]

    def search(
        self, question: str, top: int = 3, offices: Collection[str] | None = None
    ) -> SearchResult:
        """The search over what this asker is served; entries for other offices are
        skipped, and whether to answer is decided on the first entry left, as for any
        other (its confidence and whether it answers this question)."""
        index = self._index
        if not index.scopes:
            return index.searcher.search(question, top)
        result = index.searcher.search(question, top + len(index.scopes))
        hits = tuple(h for h in result.hits if _visible(index, h.entry.id, offices))
        return index.searcher.result(replace(result, hits=hits), top)


def _visible(index: _Index, entry_id: str, offices: Collection[str] | None) -> bool:
    scope = index.scopes.get(entry_id)
    return scope is None or (offices is not None and scope in offices)
