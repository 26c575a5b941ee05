"""The port through which the command line reads a chat from the messaging app (to check
a staff chat before linking it); only the transport speaks to the app."""

from __future__ import annotations

import asyncio

from bot.settings import Settings
from models.chat_check import ChatReading


def read_chat(settings: Settings, chat_id: str) -> ChatReading | None:
    """What the app says of ``chat_id`` and of the bot in it (None: it would not say)."""
    from bot.transports.telegram.chats import read_chat_with  # the library only when needed

    return asyncio.run(read_chat_with(settings, chat_id))
