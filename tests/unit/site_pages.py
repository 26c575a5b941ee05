"""Reading the built FAQ site back: the pages, their links and headings."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Page:
    """What a test needs of one HTML page."""

    lang: str = ""
    links: list[str] = field(default_factory=list)  # every href and src
    headings: list[int] = field(default_factory=list)  # levels, in document order
    text: str = ""
    landmarks: set[str] = field(default_factory=set)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.page.lang = values.get("lang") or ""
        for name in ("href", "src"):
            if values.get(name):
                self.page.links.append(str(values[name]))
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.page.headings.append(int(tag[1]))
        if tag in ("main", "nav", "header", "footer"):
            self.page.landmarks.add(tag)
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self.page.text = " ".join(" ".join(self._text).split())


def read_page(path: Path) -> Page:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.page


def html_pages(out: Path) -> list[Path]:
    """Every HTML page of the site (the search bundle left out)."""
    return sorted(p for p in out.rglob("*.html") if "pagefind" not in p.parts)
