"""The templates' small HTML subset as WhatsApp's own markup, and texts cut to its limits.

WhatsApp formats with *bold*, _italic_, ~strikethrough~ and ```monospace```
(https://faq.whatsapp.com/539178204879377); a marker must touch the words it wraps, so
spaces just inside a tag move outside it. Links become their text followed by the
address (WhatsApp shows a bare address as a link). Everything else is dropped, entities
decoded.

The home of WhatsApp's text limits: ``TEXT_LIMIT`` (a text message's body) and
``CAPTION_LIMIT`` (a media caption, and an interactive message's body).
"""

from __future__ import annotations

from html.parser import HTMLParser

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024

_MARKS = {
    "b": "*",
    "strong": "*",
    "i": "_",
    "em": "_",
    "s": "~",
    "del": "~",
    "strike": "~",
    "code": "```",
    "pre": "```",
}


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._stack: list[tuple[str, int, str]] = []  # tag, where its text starts, href

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.out.append("\n")
            return
        href = dict(attrs).get("href") or ""
        self._stack.append((tag, len(self.out), href))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                _, start, href = self._stack.pop(index)
                self._close(tag, start, href)
                return

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def _close(self, tag: str, start: int, href: str) -> None:
        inner = "".join(self.out[start:])
        del self.out[start:]
        if tag == "a":
            shown = inner.strip()
            if href and href != shown and not href.startswith("tg:"):
                inner = f"{inner} ({href})" if shown else href
            self.out.append(inner)
            return
        mark = _MARKS.get(tag)
        core = inner.strip()
        if mark is None or not core:
            self.out.append(inner)
            return
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        self.out.append(f"{lead}{mark}{core}{mark}{trail}")


def to_whatsapp(text: str) -> str:
    """The port's HTML subset as WhatsApp markup."""
    converter = _Converter()
    converter.feed(text)
    converter.close()
    return "".join(converter.out)


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at line ends where possible (a line
    longer than that is cut where it must be), none of them empty."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        if len(current) + len(line) > limit:
            pieces.append(current)
            current = ""
        current += line
    if current.strip() or not pieces:
        pieces.append(current)
    return [p.strip("\n") or " " for p in pieces]


def fit(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters (a button or row title), cut with "…"."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
