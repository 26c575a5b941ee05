"""The port through which the command line reads a chat from the messaging app (to check
a staff chat before linking it); only the transport speaks to the app."""

from __future__ import annotations

import asyncio

from bot.settings import Settings
from models.chat_check import ChatReading


class ChatUnreadable(Exception):
    """The app could not be asked at all (its library is not installed, or it did not
    answer): one line for the person at the terminal."""


def read_chat(settings: Settings, chat_id: str) -> ChatReading | None:
    """What the app says of ``chat_id`` and of the bot in it (None: it would not say).
    :class:`ChatUnreadable` when it could not be asked."""
    from bot.transports.telegram.chats import TelegramUnasked, read_chat_with

    try:
        return asyncio.run(read_chat_with(settings, chat_id))
    except TelegramUnasked as exc:
        raise ChatUnreadable(str(exc)) from None
