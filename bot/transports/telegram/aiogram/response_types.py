"""aiogram parses every Bot API answer into ``Response[T]``, a pydantic generic model built
on first use and kept by pydantic only in a weak cache: a garbage collection frees it and
the next call builds it again, 1-7 ms of CPU each time (measured here with pydantic 2.13,
aiogram 3.31). The help desk allocates enough to collect often, so its sends paid that
again and again where a bare bot did not. Holding the types of the calls made for every
update keeps them built once, for the life of the process."""

from __future__ import annotations

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

# The calls of every update: polling, answers, toasts, ticket topics and their files.
FREQUENT: tuple[type[TelegramMethod], ...] = (
    GetUpdates,
    SendMessage,
    EditMessageText,
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
