"""Reading a chat from Telegram (getChat, getChatMember for the bot), for linking staff
chats; what the reading means is ``models.chat_check``'s rule."""

from __future__ import annotations

import logging

from bot.settings import Settings
from bot.transports.telegram.api import BotApi
from bot.transports.telegram.runtimes import RuntimeMissing, make_api
from models.chat_check import BotStanding, ChatReading
from models.chats import ChatKind

log = logging.getLogger(__name__)

_KINDS = {"private": ChatKind.PRIVATE, "channel": ChatKind.CHANNEL}


async def read_chat(api: BotApi, chat_id: str) -> ChatReading | None:
    """What Telegram says of ``chat_id`` and of the bot in it; None when it will not say
    (no such chat, or the bot is not in it)."""
    try:
        info = await api.chat_info(chat_id)
    except api.errors as exc:
        failure = api.failure(exc)
        if failure is None or failure.status is None:  # no answer from Telegram at all
            raise
        log.info("could not read chat %s: %s", chat_id, failure.description)
        return None
    return ChatReading(
        kind=_KINDS.get(info.type, ChatKind.GROUP),
        title=info.title,
        forum=info.forum,
        standing=BotStanding(info.status),
        can_manage_topics=info.can_manage_topics,
    )


class TelegramUnasked(Exception):
    """Telegram could not be asked: the runtime's library is missing, or no answer came."""


async def read_chat_with(settings: Settings, chat_id: str) -> ChatReading | None:
    """:func:`read_chat` with a client of its own, for the command line;
    :class:`TelegramUnasked` when Telegram could not be asked."""
    try:
        api = make_api(settings)
    except RuntimeMissing as exc:
        raise TelegramUnasked(str(exc)) from None
    try:
        return await read_chat(api, chat_id)
    except api.errors as exc:  # what read_chat does not read as Telegram's answer
        raise TelegramUnasked(
            f"Telegram did not answer at {settings.telegram_api_url}: {exc}"
        ) from None
    finally:
        await api.close()
