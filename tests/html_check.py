"""Checks that a rendered message uses only Telegram's HTML subset, properly nested."""

from __future__ import annotations

from html.parser import HTMLParser

ALLOWED_TAGS = frozenset({"b", "i", "a", "code", "u", "s", "pre", "blockquote"})


class TagCheck(HTMLParser):
    """Feed it a message; ``problems`` and ``open`` are empty when it is well formed and
    uses only ``allowed`` tags (by default Telegram's subset; a test may ask for fewer)."""

    def __init__(self, allowed: frozenset[str] | set[str] = ALLOWED_TAGS) -> None:
        super().__init__(convert_charrefs=False)
        self.allowed = allowed
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.allowed:
            self.problems.append(f"tag <{tag}> is not in Telegram's subset")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> closes nothing")
