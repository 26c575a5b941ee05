"""Reading a chat from Telegram (getChat, getChatMember for the bot), for linking staff
chats; what the reading means is ``models.chat_check``'s rule."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError

from bot.settings import Settings
from models.chat_check import BotStanding, ChatReading
from models.chats import ChatKind

log = logging.getLogger(__name__)

_KINDS = {"private": ChatKind.PRIVATE, "channel": ChatKind.CHANNEL}


async def read_chat(bot: Bot, chat_id: str) -> ChatReading | None:
    """What Telegram says of ``chat_id`` and of the bot in it; None when it will not say
    (no such chat, or the bot is not in it)."""
    try:
        chat = await bot.get_chat(int(chat_id))
        me = await bot.get_me()
        member = await bot.get_chat_member(int(chat_id), me.id)
    except TelegramAPIError as exc:
        log.info("could not read chat %s: %s", chat_id, exc.message)
        return None
    standing = BotStanding(member.status)
    return ChatReading(
        kind=_KINDS.get(chat.type, ChatKind.GROUP),
        title=chat.title or "",
        forum=bool(chat.is_forum),
        standing=standing,
        can_manage_topics=bool(getattr(member, "can_manage_topics", False)),
    )


async def read_chat_with(settings: Settings, chat_id: str) -> ChatReading | None:
    """:func:`read_chat` with a bot of its own, for the command line."""
    assert settings.telegram_bot_token is not None
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    bot = Bot(token=settings.telegram_bot_token.get_secret_value(), session=session)
    try:
        return await read_chat(bot, chat_id)
    finally:
        await bot.session.close()
