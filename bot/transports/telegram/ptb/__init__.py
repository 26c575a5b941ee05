"""The Bot API through python-telegram-bot 22 (TELEGRAM_RUNTIME=ptb).

Only PTB's ``Bot`` is used: no ``Application``, no ``Updater`` (updates come through the
help desk's inbox, by its own polling loop or its own webhook route) and no rate limiter
(the outbox's limits are the only ones).

Where PTB differs from the Bot API, and how it is handled here:

- PTB folds status codes together: 404 "Not Found" becomes ``InvalidToken`` like a 401,
  a 413 or any 5xx becomes a ``NetworkError`` like a dropped connection. ``Request``
  reads the answer itself, so a failure keeps its status, description and parameters
  (``ApiError``): a 404 is a refused request, a 5xx is Telegram's trouble, and only a
  request that got no answer may have arrived (``timed_out``).
- A ``TimedOut`` is raised also when no connection was free (pool timeout) or none could
  be made (connect timeout): then the request never left, so it is not "maybe delivered".
- Its clients time out after 5 s by default; here 60 s, as aiogram, so a slow answer is
  not taken for a lost one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import httpx
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import TelegramError, TimedOut
from telegram.request import HTTPXRequest, RequestData

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

NO_PREVIEW = {"is_disabled": True}  # link_preview_options, as the Bot API's JSON
TIMEOUT = 60.0  # seconds for an answer (aiogram's default too)
CONNECT_TIMEOUT = 10.0
POOL_SIZE = 64  # concurrent requests: the outbox and the answers at once
POLL_READ_SPARE = 15.0  # seconds a long poll's answer may take beyond the poll itself


class ApiError(TelegramError):
    """Telegram answered with an error; ``failure`` holds it as the Bot API states it."""

    def __init__(self, failure: ApiFailure) -> None:
        super().__init__(failure.description)
        self.failure = failure


class Request(HTTPXRequest):
    """PTB's HTTP client, raising :class:`ApiError` for any answer that is not a 2xx."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        code, payload = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if 200 <= code <= 299:
            return code, payload
        raise ApiError(answer_failure(code, payload))


def answer_failure(code: int, payload: bytes) -> ApiFailure:
    """An error answer of the Bot API (``{"ok": false, "description", "parameters"}``)."""
    try:
        answer = json.loads(payload)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        return ApiFailure(code, f"HTTP {code}")
    parameters = answer.get("parameters") or {}
    migrate_to = parameters.get("migrate_to_chat_id")
    return ApiFailure(
        code,
        str(answer.get("description") or f"HTTP {code}"),
        retry_after=float(parameters.get("retry_after") or 0),
        migrate_to=int(migrate_to) if migrate_to else None,
    )


def markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    return inline_keyboard(keyboard, InlineKeyboardButton, InlineKeyboardMarkup)


def _request(pool: int) -> Request:
    return Request(
        connection_pool_size=pool,
        read_timeout=TIMEOUT,
        write_timeout=TIMEOUT,
        connect_timeout=CONNECT_TIMEOUT,
        pool_timeout=TIMEOUT,
        media_write_timeout=TIMEOUT,
    )


class PtbApi:
    errors: tuple[type[Exception], ...] = (TelegramError,)

    def __init__(self, token: str, api_url: str) -> None:
        self._request, self._updates_request = _request(POOL_SIZE), _request(1)
        self.bot = Bot(
            token,
            base_url=f"{api_url}/bot",
            base_file_url=f"{api_url}/file/bot",
            request=self._request,
            get_updates_request=self._updates_request,
        )
        self._me: Me | None = None

    def failure(self, exc: BaseException) -> ApiFailure | None:
        if isinstance(exc, ApiError):
            return exc.failure
        if isinstance(exc, TimedOut):
            never_sent = "Pool timeout" in exc.message or isinstance(
                exc.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout
            )
            return ApiFailure(None, exc.message, timed_out=not never_sent)
        if isinstance(exc, TelegramError):  # NetworkError: no answer at all
            return ApiFailure(None, exc.message)
        return None

    def decode(self, payload: str) -> Update:
        update = Update.de_json(json.loads(payload), self.bot)
        assert update is not None
        return update

    async def get_me(self) -> Me:
        user = await self.bot.get_me()
        self._me = Me(user.id, user.username or "")
        return self._me

    async def set_commands(self, commands: Sequence[tuple[str, str]], language: str | None) -> None:
        await self.bot.set_my_commands(
            [BotCommand(name, text) for name, text in commands], language_code=language
        )

    async def delete_webhook(self) -> None:
        await self.bot.delete_webhook(drop_pending_updates=False)

    async def set_webhook(self, url: str, secret: str, allowed_updates: Sequence[str]) -> None:
        await self.bot.set_webhook(url, secret_token=secret, allowed_updates=allowed_updates)

    async def get_updates(
        self, offset: int | None, poll_seconds: int, allowed_updates: Sequence[str]
    ) -> list[dict[str, Any]]:
        # The updates as Telegram sent them: they are stored as JSON and decoded once, when
        # handled. ``Bot.get_updates`` would build PTB's objects for each and they would
        # be turned back into dicts here, about a millisecond of CPU per update for
        # nothing (``do_api_request`` warns for a method PTB has, so ``_post`` it is).
        data: dict[str, Any] = {
            "timeout": poll_seconds,
            "offset": offset,
            "allowed_updates": list(allowed_updates),
        }
        updates = await self.bot._post(
            "getUpdates", data, read_timeout=poll_seconds + POLL_READ_SPARE
        )
        return list(updates)

    async def send_message(
        self, chat_id: str, text: str, *, html: bool, thread: int | None, keyboard: Keyboard
    ) -> int:
        # The calls of every answer go as the Bot API's own JSON (see ``plain_markup``).
        data = {
            "chat_id": chat_id,
            "text": text,
            "parse_mode": "HTML" if html else None,
            "message_thread_id": thread,
            "reply_markup": plain_markup(keyboard),
            "link_preview_options": NO_PREVIEW,
        }
        message = await self.bot._post("sendMessage", data)
        return int(message["message_id"])

    async def edit_message(
        self, chat_id: str, message_id: int, text: str, keyboard: Keyboard
    ) -> None:
        data = {
            "chat_id": chat_id,
            "message_id": message_id,
            "text": text,
            "parse_mode": "HTML",
            "reply_markup": plain_markup(keyboard),
            "link_preview_options": NO_PREVIEW,
        }
        await self.bot._post("editMessageText", data)

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
        upload = {"filename": file.name} if isinstance(file, Upload) else {}
        media = file.content if isinstance(file, Upload) else file
        send = getattr(self.bot, f"send_{kind}")
        message = await send(
            chat_id=chat_id,
            caption=caption,
            parse_mode="HTML" if html and caption else None,
            message_thread_id=thread,
            reply_markup=markup(keyboard),
            **{kind: media},
            **upload,
        )
        return int(message.message_id)

    async def answer_callback(self, callback_id: str, text: str | None, alert: bool | None) -> None:
        await self.bot.answer_callback_query(callback_id, text=text, show_alert=alert)

    async def fetch_file(self, file_id: str) -> tuple[str, bytes]:
        found = await self.bot.get_file(file_id)
        return found.file_path or "", bytes(await found.download_as_bytearray())

    async def create_topic(self, chat_id: str, name: str) -> int:
        topic = await self.bot.create_forum_topic(chat_id, name)
        return topic.message_thread_id

    async def close_topic(self, chat_id: str, thread: int) -> None:
        await self.bot.close_forum_topic(chat_id, thread)

    async def reopen_topic(self, chat_id: str, thread: int) -> None:
        await self.bot.reopen_forum_topic(chat_id, thread)

    async def chat_info(self, chat_id: str) -> ChatInfo:
        chat = await self.bot.get_chat(int(chat_id))
        me = self._me or await self.get_me()
        member = await self.bot.get_chat_member(int(chat_id), me.id)
        return chat_info_of(chat, member)

    async def close(self) -> None:
        await self._request.shutdown()
        await self._updates_request.shutdown()
