"""The Bot API through aiogram 3 (TELEGRAM_RUNTIME=aiogram).

aiogram quirks (see DESIGN.md, Telegram facts): it never retries by itself and raises
``TelegramRetryAfter`` for a 429. The calls of every update read their answers as JSON
(``response_types``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)

from bot.transports.telegram.aiogram.response_types import (
    EditMessageTextJson,
    GetUpdatesJson,
    SendMessageJson,
    keep_response_types,
)
from bot.transports.telegram.api import (
    ApiFailure,
    ChatInfo,
    Keyboard,
    Me,
    Upload,
    chat_info_of,
    inline_keyboard,
    media_kind,
    plain_markup,
)

NO_PREVIEW_JSON = json.dumps({"is_disabled": True})  # link_preview_options, as JSON text
# aiogram's exception classes, in the Bot API's status codes.
_STATUSES: tuple[tuple[type[TelegramAPIError], int], ...] = (
    (TelegramRetryAfter, 429),
    (TelegramForbiddenError, 403),
    (TelegramUnauthorizedError, 401),
    (TelegramConflictError, 409),
    (TelegramNotFound, 404),
    (TelegramBadRequest, 400),
    (TelegramEntityTooLarge, 413),  # a network error to aiogram; a 413 to Telegram
    (TelegramServerError, 500),
)


def markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    return inline_keyboard(keyboard, InlineKeyboardButton, InlineKeyboardMarkup)


def json_markup(keyboard: Keyboard) -> str | None:
    """The keyboard as the JSON text sent (``plain_markup``), for the calls of every answer."""
    found = plain_markup(keyboard)
    return json.dumps(found) if found is not None else None


class AiogramApi:
    errors: tuple[type[Exception], ...] = (TelegramAPIError,)

    def __init__(self, token: str, api_url: str) -> None:
        keep_response_types()  # built once, not after every garbage collection
        session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
        self.bot = Bot(token=token, session=session)
        self._me: Me | None = None

    def failure(self, exc: BaseException) -> ApiFailure | None:
        if not isinstance(exc, TelegramAPIError):
            return None
        if isinstance(exc, TelegramMigrateToChat):
            return ApiFailure(400, exc.message, migrate_to=exc.migrate_to_chat_id)
        if isinstance(exc, TelegramRetryAfter):
            return ApiFailure(429, exc.message, retry_after=float(exc.retry_after))
        for kind, status in _STATUSES:
            if isinstance(exc, kind):
                return ApiFailure(status, exc.message)
        if isinstance(exc, TelegramNetworkError):
            return ApiFailure(None, exc.message, timed_out="timeout" in exc.message.lower())
        return ApiFailure(0, exc.message)  # an unexpected status: no meaning of ours

    def decode(self, payload: str) -> Update:
        return Update.model_validate_json(payload, context={"bot": self.bot})

    async def get_me(self) -> Me:
        user = await self.bot.get_me()
        self._me = Me(user.id, user.username or "")
        return self._me

    async def set_commands(self, commands: Sequence[tuple[str, str]], language: str | None) -> None:
        await self.bot.set_my_commands(
            commands=[BotCommand(command=name, description=text) for name, text in commands],
            language_code=language,
        )

    async def delete_webhook(self) -> None:
        await self.bot.delete_webhook(drop_pending_updates=False)

    async def set_webhook(self, url: str, secret: str, allowed_updates: Sequence[str]) -> None:
        await self.bot.set_webhook(
            url=url, secret_token=secret, allowed_updates=list(allowed_updates)
        )

    async def get_updates(
        self, offset: int | None, poll_seconds: int, allowed_updates: Sequence[str]
    ) -> list[dict[str, Any]]:
        call = GetUpdatesJson(
            offset=offset, timeout=poll_seconds, allowed_updates=list(allowed_updates)
        )
        updates: Any = await self.bot(call, request_timeout=poll_seconds + 15)
        return list(updates)

    async def send_message(
        self, chat_id: str, text: str, *, html: bool, thread: int | None, keyboard: Keyboard
    ) -> int:
        fields = {
            "chat_id": chat_id,
            "text": text,
            "parse_mode": "HTML" if html else None,
            "message_thread_id": thread,
            "reply_markup": json_markup(keyboard),
            "link_preview_options": NO_PREVIEW_JSON,
        }
        message: Any = await self.bot(SendMessageJson.model_validate(fields))
        return int(message["message_id"])

    async def edit_message(
        self, chat_id: str, message_id: int, text: str, keyboard: Keyboard
    ) -> None:
        fields = {
            "chat_id": chat_id,
            "message_id": message_id,
            "text": text,
            "parse_mode": "HTML",
            "reply_markup": json_markup(keyboard),
            "link_preview_options": NO_PREVIEW_JSON,
        }
        await self.bot(EditMessageTextJson.model_validate(fields))

    async def send_file(
        self,
        chat_id: str,
        kind: str,
        file: str | Upload,
        *,
        caption: str | None,
        html: bool,
        thread: int | None,
        keyboard: Keyboard,
    ) -> int:
        kind = media_kind(kind)
        media = (
            BufferedInputFile(file.content, filename=file.name)
            if isinstance(file, Upload)
            else file
        )
        send = getattr(self.bot, f"send_{kind}")
        message = await send(
            chat_id=chat_id,
            caption=caption,
            parse_mode="HTML" if html and caption else None,
            message_thread_id=thread,
            reply_markup=markup(keyboard),
            **{kind: media},
        )
        return int(message.message_id)

    async def answer_callback(self, callback_id: str, text: str | None, alert: bool | None) -> None:
        await self.bot.answer_callback_query(
            callback_query_id=callback_id, text=text, show_alert=alert
        )

    async def fetch_file(self, file_id: str) -> tuple[str, bytes]:
        found = await self.bot.get_file(file_id)
        data = await self.bot.download_file(found.file_path or "")
        return found.file_path or "", data.read() if data is not None else b""

    async def create_topic(self, chat_id: str, name: str) -> int:
        topic = await self.bot.create_forum_topic(chat_id=chat_id, name=name)
        return topic.message_thread_id

    async def close_topic(self, chat_id: str, thread: int) -> None:
        await self.bot.close_forum_topic(chat_id=chat_id, message_thread_id=thread)

    async def reopen_topic(self, chat_id: str, thread: int) -> None:
        await self.bot.reopen_forum_topic(chat_id=chat_id, message_thread_id=thread)

    async def chat_info(self, chat_id: str) -> ChatInfo:
        chat = await self.bot.get_chat(int(chat_id))
        me = self._me or await self.get_me()
        member = await self.bot.get_chat_member(int(chat_id), me.id)
        return chat_info_of(chat, member)

    async def close(self) -> None:
        await self.bot.session.close()
