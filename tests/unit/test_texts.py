"""Texts: both languages complete, and what renders as HTML is valid for Telegram."""

from __future__ import annotations

import re

import pytest

from handlers.texts import Texts
from models import Language
from models.people import Person
from tests.html_check import TagCheck
from tests.unit.register_samples import SAMPLES as REGISTER_SAMPLES
from tests.unit.test_calendar_texts import SAMPLES as CALENDAR_SAMPLES
from tests.unit.test_curate_drafts import SAMPLES as CURATE_SAMPLES
from tests.unit.test_desk_chat_registration import SAMPLES as DESK_SAMPLES
from tests.unit.test_faq_flows import SAMPLES as FAQ_SAMPLES


def test_every_language_has_the_same_messages_and_labels(texts: Texts) -> None:
    assert texts.names(Language.ID) == texts.names(Language.EN)
    assert len(texts.names(Language.ID)) > 20


FOUNDATION: dict[str, dict[str, object]] = {
    "choose_language": {"name": "A <x> & B"},
    "welcome": {"name": "A <x> & B"},
    "settings": {"language": "id"},
    "not_ready": {"entry": "faq"},
    "free_text_not_ready": {"length": 10_000, "long": True},
    "attachment_not_read": {"kind": "sticker"},
    "unknown_command": {"command": "x<y>"},
    "small_talk": {"kind": "greeting", "name": "A <x> & B"},
    "account/code": {
        "code": "ABCD2345",
        "word": "HUBUNGKAN",
        "minutes": 30,
        "telegram_link": "https://t.me/bot?start=akun_ABCD2345",
        "whatsapp_link": "https://wa.me/62811?text=HUBUNGKAN%20ABCD2345",
        "linked": [Person(channel="whatsapp", external_id="62811", display_name="A <x> & B")],
    },
    "account/linked": {"name": "A <x> & B"},
    "account/unlink_confirm": {
        "linked": [Person(channel="telegram", external_id="5001", display_name="A <x> & B")]
    },
    "account/unlinked": {
        "linked": [Person(channel="whatsapp", external_id="62811", display_name="A <x> & B")]
    },
}
# Each capability's tests keep sample values for its own templates; all are checked here.
SAMPLES = (
    FOUNDATION | FAQ_SAMPLES | DESK_SAMPLES | CALENDAR_SAMPLES | CURATE_SAMPLES | REGISTER_SAMPLES
)


@pytest.mark.parametrize("lang", list(Language))
def test_every_message_renders_as_telegram_html(texts: Texts, lang: Language) -> None:
    for name in sorted(n for n in texts.names(lang) if not n.startswith("label:")):
        rendered = texts.render(lang, name, **SAMPLES.get(name, {}))
        check = TagCheck()
        check.feed(rendered)
        assert not check.problems and not check.open, (name, check.problems, check.open)
        assert "<x>" not in rendered and "<y>" not in rendered, "user text must be escaped"
        assert 0 < len(rendered) <= 4096
        glued = re.search(r"[a-z)][.!?:][A-Z][a-z]", re.sub(r"<[^>]+>", "", rendered))
        assert glued is None, (name, "two sentences glued together", glued)


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
