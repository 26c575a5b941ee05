"""Texts: both languages complete, and what renders as HTML is valid for Telegram."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from handlers.texts import Texts
from models import Language

ALLOWED_TAGS = {"b", "i", "a", "code", "u", "s", "pre", "blockquote"}


def test_every_language_has_the_same_messages_and_labels(texts: Texts) -> None:
    assert texts.names(Language.ID) == texts.names(Language.EN)
    assert len(texts.names(Language.ID)) > 20


class TagCheck(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> is not in Telegram's subset")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> closes nothing")


SAMPLES = {
    "choose_language": {"name": "A <x> & B"},
    "welcome": {"name": "A <x> & B"},
    "settings": {"language": "id"},
    "not_ready": {"entry": "faq"},
    "free_text_not_ready": {"length": 10_000, "long": True},
    "attachment_not_read": {"kind": "sticker"},
    "unknown_command": {"command": "x<y>"},
}


@pytest.mark.parametrize("lang", list(Language))
def test_every_message_renders_as_telegram_html(texts: Texts, lang: Language) -> None:
    for name in sorted(n for n in texts.names(lang) if not n.startswith("label:")):
        rendered = texts.render(lang, name, **SAMPLES.get(name, {}))
        check = TagCheck()
        check.feed(rendered)
        assert not check.problems and not check.open, (name, check.problems, check.open)
        assert "<x>" not in rendered and "<y>" not in rendered, "user text must be escaped"
        assert 0 < len(rendered) <= 4096


@pytest.mark.parametrize("lang", list(Language))
def test_labels_are_plain_and_fit_a_button(texts: Texts, lang: Language) -> None:
    labels = sorted(n.removeprefix("label:") for n in texts.names(lang) if n.startswith("label:"))
    for name in labels:
        label = texts.label(lang, name)
        assert label and "<" not in label and "&amp;" not in label
        assert len(label) <= 200  # answerCallbackQuery's limit, the tightest place labels go


def test_a_missing_value_is_an_error_not_a_blank(texts: Texts) -> None:
    with pytest.raises(Exception, match="undefined"):
        texts.render(Language.ID, "unknown_command")
