"""The search engine: from a liaison's free text to the FAQ entries that answer it.

What the rest of the help desk uses is exported here: ``KnowledgeBase`` (the loaded
content, its menus and its search), the result types, ``normalise`` (the one way a
question is reduced to its searchable form), and the content types a knowledge base
hands out. The engine's parts: ``textnorm`` and ``lexicon`` (chat text to plain words),
``stem`` (roots), ``analyze`` (search terms and weights), ``lang`` (which language),
``searcher`` (ranking and confidence) and ``calibration`` (the fitted confidence).
"""

from knowledge.content.faq import Category, ContentError, Entry, Subcategory
from knowledge.search.knowledge_base import KnowledgeBase
from knowledge.search.searcher import Hit, SearchResult, normalise

__all__ = [
    "Category",
    "ContentError",
    "Entry",
    "Hit",
    "KnowledgeBase",
    "SearchResult",
    "Subcategory",
    "normalise",
]
