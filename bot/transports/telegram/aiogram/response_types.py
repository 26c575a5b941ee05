"""What aiogram builds of the Bot API's answers, kept to what the help desk reads.

aiogram parses every answer into ``Response[T]``, a pydantic generic model built on first
use and kept by pydantic only in a weak cache: a garbage collection frees it and the next
call builds it again, 1-7 ms of CPU each time (measured here with pydantic 2.13, aiogram
3.31). The help desk allocates enough to collect often, so its sends paid that again and
again where a bare bot did not. Holding the types of the calls made for every update
keeps them built once, for the life of the process.

The calls of every update are also read as plain JSON, not as aiogram's objects: of a
sent message only its id is read, of an edit nothing, and the updates polled are stored
as the JSON Telegram sent. aiogram would build the whole ``Message`` (its chat, sender
and keyboard) for each answer and each ``Update`` of a poll, which the help desk then
turned back into JSON (106 µs against 14 µs per answer, 63 µs against 5 µs per update).
An answer's keyboard and link preview options go as the Bot API's JSON too, the form
sent being the same: aiogram would build an object for each button and turn them back
into JSON (175 µs against 68 µs per answer, measured with six buttons).
"""

from __future__ import annotations

from typing import Any

from aiogram.methods import (
    AnswerCallbackQuery,
    CloseForumTopic,
    CreateForumTopic,
    EditMessageText,
    GetUpdates,
    ReopenForumTopic,
    SendDocument,
    SendMessage,
    SendPhoto,
)
from aiogram.methods.base import Response, TelegramMethod

JsonObject = dict[str, Any]


class SendMessageJson(SendMessage):
    """sendMessage, its answer (the message sent) left as JSON; ``reply_markup`` and
    ``link_preview_options`` given as JSON text."""

    __returning__ = JsonObject  # type: ignore[assignment]
    reply_markup: str | None = None  # type: ignore[assignment]
    link_preview_options: str | None = None  # type: ignore[assignment]


class EditMessageTextJson(EditMessageText):
    """editMessageText, its answer (the message, or true) left as JSON; ``reply_markup``
    and ``link_preview_options`` given as JSON text."""

    __returning__ = JsonObject | bool
    reply_markup: str | None = None  # type: ignore[assignment]
    link_preview_options: str | None = None  # type: ignore[assignment]


class GetUpdatesJson(GetUpdates):
    """getUpdates, the updates left as the JSON objects Telegram sent."""

    __returning__ = list[JsonObject]


# The calls of every update: polling, answers, toasts, ticket topics and their files.
FREQUENT: tuple[type[TelegramMethod], ...] = (
    GetUpdatesJson,
    SendMessageJson,
    EditMessageTextJson,
    AnswerCallbackQuery,
    SendPhoto,
    SendDocument,
    CreateForumTopic,
    CloseForumTopic,
    ReopenForumTopic,
)

_kept: dict[type, object] = {}


def keep_response_types(methods: tuple[type[TelegramMethod], ...] = FREQUENT) -> None:
    """Builds ``Response[T]`` for each method's result once and holds it."""
    for method in methods:
        if method not in _kept:
            _kept[method] = Response[method.__returning__]  # type: ignore[name-defined]
