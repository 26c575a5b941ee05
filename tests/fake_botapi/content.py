"""Telegram's checks of message content: text, captions, parse modes, inline keyboards.

Imitated refusals (all 400):

* text longer than 4096 characters after entity parsing -> "message is too long";
  a caption longer than 1024 -> "message caption is too long";
* text that is empty or only whitespace after parsing -> "message text is empty";
* ``parse_mode="HTML"`` with invalid markup -> "can't parse entities: <reason>"
  (see ``html_check``); an unknown parse mode -> "unsupported parse_mode";
* ``callback_data`` empty or over 64 bytes (UTF-8) -> "BUTTON_DATA_INVALID";
* an inline button with nothing to do (only ``text``) -> "can't parse inline keyboard
  button: Text buttons are unallowed in the inline keyboard".

``Markdown``/``MarkdownV2`` are accepted but not parsed: the text is stored as sent.
"""

from __future__ import annotations

from typing import Any

from . import errors
from .html_check import HtmlParseError, parse_html

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
_BUTTON_ACTIONS = frozenset(
    {
        "url", "callback_data", "web_app", "login_url", "switch_inline_query",
        "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
        "callback_game", "pay",
    }
)  # fmt: skip

JsonDict = dict[str, Any]


def render_text(
    text: str, parse_mode: str | None, entities: list[JsonDict] | None
) -> tuple[str, list[JsonDict]]:
    """Message text and entities as Telegram stores them, or the refusal."""
    plain, parsed = _parse(text, parse_mode, entities)
    if not plain.strip():
        raise errors.bad_request(errors.MESSAGE_TEXT_EMPTY)
    if len(plain) > MAX_TEXT_LENGTH:
        raise errors.bad_request(errors.MESSAGE_TOO_LONG)
    return plain, parsed


def render_caption(
    caption: str | None, parse_mode: str | None, entities: list[JsonDict] | None
) -> tuple[str, list[JsonDict]] | None:
    """Caption and caption entities, ``None`` when there is no caption."""
    if caption is None:
        return None
    plain, parsed = _parse(caption, parse_mode, entities)
    if len(plain) > MAX_CAPTION_LENGTH:
        raise errors.bad_request(errors.CAPTION_TOO_LONG)
    return (plain, parsed) if plain.strip() else None


def check_reply_markup(markup: JsonDict | None) -> None:
    """Refuse inline keyboards Telegram refuses."""
    if not markup or "inline_keyboard" not in markup:
        return
    for row in markup["inline_keyboard"]:
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 0 < len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
                raise errors.bad_request(errors.BUTTON_DATA_INVALID)
            if _BUTTON_ACTIONS.isdisjoint(button):
                raise errors.bad_request(errors.TEXT_BUTTONS_UNALLOWED)


def stored_markup(markup: JsonDict | None) -> JsonDict | None:
    """Only inline keyboards belong to a message; reply keyboards are not echoed back."""
    if markup and "inline_keyboard" in markup:
        return markup
    return None


def _parse(
    text: str, parse_mode: str | None, entities: list[JsonDict] | None
) -> tuple[str, list[JsonDict]]:
    if not parse_mode:
        return text, list(entities or [])
    mode = parse_mode.lower()
    if mode == "html":
        try:
            parsed = parse_html(text)
        except HtmlParseError as exc:
            raise errors.bad_request(errors.CANT_PARSE_ENTITIES + str(exc)) from None
        return parsed.text, parsed.entities
    if mode in ("markdown", "markdownv2"):
        return text, []
    raise errors.bad_request(errors.UNSUPPORTED_PARSE_MODE)
