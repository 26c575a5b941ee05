"""Telegram's ``parse_mode="HTML"`` parser: plain text plus entities, or the refusal.

Follows the parser of the Bot API server (tdlib ``parse_html``) closely enough that the
same inputs are refused with the same reasons, e.g.::

    can't parse entities: Unsupported start tag "br" at byte offset 5
    can't parse entities: Unmatched end tag at byte offset 9, expected "</b>", found "</i>"
    can't parse entities: Can't find end tag corresponding to start tag "b"

Supported tags: ``b strong i em u ins s strike del a(href) code(class="language-*")
pre span(class="tg-spoiler") tg-spoiler blockquote(expandable) tg-emoji(emoji-id)
tg-time(unix, format)``; entities ``&lt; &gt; &amp; &quot;`` and numeric ``&#NN; &#xHH;``.

One deliberate difference: Telegram keeps an ``&`` that does not start an entity as a
literal character, but its documentation requires escaping it, and an unescaped ``&``
usually means user text was not passed through ``html.escape``.  The fake refuses it
(reason marked "(fake)") so such bugs show up in tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

ALLOWED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre",
        "span", "tg-spoiler", "blockquote", "tg-emoji", "tg-time",
    }
)  # fmt: skip

_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#([0-9]+)|#[xX]([0-9a-fA-F]+)|([a-zA-Z]+));?")
_UNQUOTED_VALUE_RE = re.compile(r"[A-Za-z0-9.\-]*")


class HtmlParseError(ValueError):
    """The reason after ``"Bad Request: can't parse entities: "``."""


@dataclass
class _OpenTag:
    name: str
    begin: int  # byte offset of "<" in the source, for error messages
    offset: int  # UTF-16 offset in the output
    attributes: dict[str, str] = field(default_factory=dict)
    language: str | None = None


@dataclass
class ParsedText:
    text: str
    entities: list[dict[str, Any]]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> ParsedText:
    """Text and entities Telegram would derive from ``source``; raises HtmlParseError."""
    return _HtmlParser(source).parse()


class _HtmlParser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.out: list[str] = []
        self.offset = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def parse(self) -> ParsedText:
        src = self.src
        while self.pos < len(src):
            char = src[self.pos]
            if char == "&":
                self._emit(self._entity())
            elif char != "<":
                self._emit(char)
                self.pos += 1
            elif src.startswith("</", self.pos):
                self._end_tag()
            else:
                self._start_tag()
        if self.stack:
            tag = self.stack[-1].name
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{tag}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    # -- pieces ----------------------------------------------------------------------------

    def _emit(self, text: str) -> None:
        self.out.append(text)
        self.offset += utf16_len(text)

    def _byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode("utf-8"))

    def _entity(self) -> str:
        decoded, end = _decode_entity(self.src, self.pos)
        if decoded is None:
            raise HtmlParseError(
                f'Unescaped "&" at byte offset {self._byte_offset(self.pos)}; '
                'write "&amp;" (fake: Telegram keeps it as text but requires escaping)'
            )
        self.pos = end
        return decoded

    def _skip_spaces(self) -> None:
        while self.pos < len(self.src) and self.src[self.pos].isspace():
            self.pos += 1

    def _at_end(self, begin: int, what: str = "start") -> None:
        if self.pos >= len(self.src):
            raise HtmlParseError(f"Unclosed {what} tag at byte offset {self._byte_offset(begin)}")

    def _start_tag(self) -> None:
        src, begin = self.src, self.pos
        self.pos += 1
        while self.pos < len(src) and not src[self.pos].isspace() and src[self.pos] != ">":
            self.pos += 1
        self._at_end(begin)
        name = src[begin + 1 : self.pos].lower()
        if name not in ALLOWED_TAGS:
            raise HtmlParseError(
                f'Unsupported start tag "{name}" at byte offset {self._byte_offset(begin)}'
            )
        tag = _OpenTag(name, begin, self.offset, self._attributes(name, begin))
        self.pos += 1  # ">"
        self._validate(tag)
        self.stack.append(tag)

    def _attributes(self, tag: str, begin: int) -> dict[str, str]:
        src = self.src
        attributes: dict[str, str] = {}
        while True:
            self._skip_spaces()
            self._at_end(begin)
            if src[self.pos] == ">":
                return attributes
            start = self.pos
            while self.pos < len(src) and not src[self.pos].isspace() and src[self.pos] not in "=>":
                self.pos += 1
            name = src[start : self.pos].lower()
            if not name:
                raise HtmlParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset '
                    f"{self._byte_offset(begin)}"
                )
            self._skip_spaces()
            self._at_end(begin)
            if src[self.pos] != "=":
                if tag == "blockquote" and name == "expandable":
                    attributes[name] = ""
                    continue
                raise HtmlParseError(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {self._byte_offset(begin)}"
                )
            self.pos += 1
            self._skip_spaces()
            self._at_end(begin)
            attributes[name] = self._attribute_value(begin)

    def _attribute_value(self, begin: int) -> str:
        src = self.src
        quote = src[self.pos]
        if quote not in "'\"":
            match = _UNQUOTED_VALUE_RE.match(src, self.pos)
            assert match is not None
            self.pos = match.end()
            return match.group().lower()
        self.pos += 1
        value: list[str] = []
        while self.pos < len(src) and src[self.pos] != quote:
            if src[self.pos] == "&":
                value.append(self._entity())
            else:
                value.append(src[self.pos])
                self.pos += 1
        self._at_end(begin)
        self.pos += 1  # closing quote
        return "".join(value)

    def _validate(self, tag: _OpenTag) -> None:
        where = f"at byte offset {self._byte_offset(tag.begin)}"
        attributes = tag.attributes
        if tag.name == "span" and attributes.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" {where}')
        if tag.name == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
            raise HtmlParseError(f"Invalid custom emoji identifier specified {where}")
        if tag.name == "tg-time" and not attributes.get("unix", "").lstrip("-").isdigit():
            raise HtmlParseError(f"Invalid Unix time specified {where}")
        if tag.name == "code" and attributes.get("class", "").startswith("language-"):
            tag.language = attributes["class"].removeprefix("language-")

    def _end_tag(self) -> None:
        src, begin = self.src, self.pos
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {self._byte_offset(begin)}")
        self.pos += 2
        while self.pos < len(src) and not src[self.pos].isspace() and src[self.pos] != ">":
            self.pos += 1
        name = src[begin + 2 : self.pos].lower()
        self._skip_spaces()
        if self.pos >= len(src) or src[self.pos] != ">":
            raise HtmlParseError(f"Unclosed end tag at byte offset {self._byte_offset(begin)}")
        self.pos += 1
        tag = self.stack.pop()
        if name and name != tag.name:
            raise HtmlParseError(
                f"Unmatched end tag at byte offset {self._byte_offset(begin)}, "
                f'expected "</{tag.name}>", found "</{name}>"'
            )
        self._close(tag)

    def _close(self, tag: _OpenTag) -> None:
        length = self.offset - tag.offset
        if length <= 0:
            return
        parent = self.stack[-1] if self.stack else None
        if tag.name == "code" and tag.language and parent and parent.name == "pre":
            parent.language = tag.language  # <pre><code class="language-x"> is one entity
            return
        entity: dict[str, Any] = {
            "type": _ENTITY_TYPES[tag.name],
            "offset": tag.offset,
            "length": length,
        }
        attributes = tag.attributes
        if tag.name == "a":
            if "href" not in attributes:
                return
            entity["url"] = attributes["href"]
        elif tag.name == "pre" and tag.language:
            entity["language"] = tag.language
        elif tag.name == "blockquote" and "expandable" in attributes:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = attributes["emoji-id"]
        elif tag.name == "tg-time":
            entity["unix_time"] = int(attributes["unix"])
            if attributes.get("format"):
                entity["date_time_format"] = attributes["format"]
        self.entities.append(entity)


def _decode_entity(src: str, pos: int) -> tuple[str | None, int]:
    """The character an ``&...;`` entity at ``pos`` stands for, and where it ends."""
    match = _ENTITY_RE.match(src, pos)
    if match is None:
        return None, pos
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        char = _NAMED_ENTITIES.get(name)
        return (char, match.end()) if char is not None else (None, pos)
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None, pos
    return chr(code), match.end()
