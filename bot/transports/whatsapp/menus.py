"""A neutral menu (rows of buttons) as WhatsApp's interactive messages.

WhatsApp's limits (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages,
.../interactive-list-messages): at most 3 reply buttons with titles of at most 20
characters; a list holds at most 10 rows with titles of at most 24 characters and
descriptions of at most 72, behind a button of at most 20; an interactive body holds at
most 1024 characters. So: up to 3 short choices become reply buttons; anything more (or
longer) becomes a list, and a menu of more than 10 choices is sent as several lists, each
headed with its page. A row whose label is longer than a title shows it whole in its
description. Link buttons have no place in either: their addresses go in the text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.transports.whatsapp.markup import fit

MAX_BUTTONS = 3
BUTTON_TITLE = 20
MAX_ROWS = 10
ROW_TITLE = 24
ROW_DESCRIPTION = 72
LIST_BUTTON = 20
BODY_LIMIT = 1024
ID_LIMIT = 200  # a row's id; a reply button's may be 256


@dataclass(frozen=True)
class Words:
    """The few words WhatsApp's menus need around the help desk's own (from the labels)."""

    list_button: str
    page: Callable[[int, int], str]


@dataclass(frozen=True)
class Choice:
    label: str
    payload: str


def choices_of(rows: Sequence[Sequence[dict[str, str | None]]]) -> tuple[list[Choice], list[str]]:
    """The pressable choices, and the link buttons as text lines ("label: address")."""
    choices: list[Choice] = []
    links: list[str] = []
    for row in rows:
        for button in row:
            label = button.get("label") or ""
            if button.get("url"):
                links.append(f"{label}: {button['url']}")
            elif button.get("payload"):
                choices.append(Choice(label, str(button["payload"])))
    return choices, links


def interactive(body: str, choices: Sequence[Choice], words: Words) -> list[dict[str, Any]]:
    """The ``interactive`` objects that carry ``body`` (at most ``BODY_LIMIT``) and the
    choices, in order."""
    if len(choices) <= MAX_BUTTONS and all(len(c.label) <= BUTTON_TITLE for c in choices):
        return [
            {
                "type": "button",
                "body": {"text": body},
                "action": {
                    "buttons": [
                        {"type": "reply", "reply": {"id": c.payload, "title": c.label}}
                        for c in choices
                    ]
                },
            }
        ]
    pages = [choices[i : i + MAX_ROWS] for i in range(0, len(choices), MAX_ROWS)]
    messages = []
    for number, page in enumerate(pages, start=1):
        text = body if number == 1 else words.page(number, len(pages))
        messages.append(
            {
                "type": "list",
                "body": {"text": text},
                "action": {
                    "button": fit(words.list_button, LIST_BUTTON),
                    "sections": [{"rows": [_row(c) for c in page]}],
                },
            }
        )
    return messages


def _row(choice: Choice) -> dict[str, str]:
    row = {"id": choice.payload[:ID_LIMIT], "title": fit(choice.label, ROW_TITLE)}
    if len(" ".join(choice.label.split())) > ROW_TITLE:
        row["description"] = fit(choice.label, ROW_DESCRIPTION)
    return row
