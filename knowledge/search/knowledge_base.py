"""The knowledge base the help desk answers from: categories, entries, and search.

Loaded once at start-up from ``knowledge/faq/*.yaml`` (see ``knowledge.content.faq`` for the
schema); read only afterwards, so one instance is shared by every conversation.
"""

from __future__ import annotations

from pathlib import Path

from knowledge.content.faq import (
    DEFAULT_FOLDER,
    Category,
    ContentError,
    Entry,
    read_folder,
)
from knowledge.search.searcher import Searcher, SearchResult

__all__ = ["KnowledgeBase"]


class KnowledgeBase:
    """Categories in menu order, entries by id and by category path, and free-text search."""

    def __init__(self, categories: tuple[Category, ...], entries: tuple[Entry, ...]) -> None:
        self.categories = categories
        self.entries = entries
        self._by_id = {entry.id: entry for entry in entries}
        titles = {
            f"{c.id}/{s.id}": (*c.title.values(), *s.title.values())
            for c in categories
            for s in c.subcategories
        }
        self._searcher = Searcher(entries, titles)

    @classmethod
    def load(cls, folder: Path = DEFAULT_FOLDER, *, strict: bool = True) -> KnowledgeBase:
        """Reads and checks the content; raises ``ContentError`` listing every problem.
        ``strict=False`` loads whatever could be read (for trying out unfinished content)."""
        content = read_folder(folder)
        if content.problems and strict:
            raise ContentError(list(content.problems))
        return cls(content.categories, content.entries)

    @property
    def searcher(self) -> Searcher:
        return self._searcher

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def entry(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def entries_in(self, category_path: str) -> list[Entry]:
        """Entries of a subcategory ("cat/sub"), or of a whole category ("cat"), in file order."""
        if "/" in category_path:
            return [e for e in self.entries if e.category == category_path]
        prefix = category_path + "/"
        return [e for e in self.entries if e.category.startswith(prefix)]

    def search(self, question: str, top: int = 3) -> SearchResult:
        return self._searcher.search(question, top)
