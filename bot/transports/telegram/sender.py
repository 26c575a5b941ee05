"""Replies as Bot API calls, with Telegram's refusals (read by ``refusals``) handled in
place, since a liaison is waiting for the answer:

- rate limited (429): the shared limits hold the chat for ``retry_after`` (so the outbox
  waits too), then the answer is tried again (neither library retries by itself); at most
  ``MAX_RETRY_AFTER_WAITS`` times, and never for longer than ``MAX_RETRY_AFTER``;
- blocked (403, kicked, deactivated, chat not found): the chat is marked unreachable; stop;
- chat moved (group to supergroup): logged, not resent;
- bad payload: 400 "can't parse entities" is logged with the payload and sent again as
  plain text; an edit that cannot be made is sent as a new message;
- transient (network trouble, a 5xx): retried after ``NETWORK_PAUSES``, about a minute
  and a half in all.

Texts longer than Telegram's ``TEXT_LIMIT`` go as several plain-text messages
(``split_plain``); captions are cut to ``CAPTION_LIMIT`` (``bot.delivery.limits``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import NoReturn, TypeVar

from bot.delivery.limits import Limits, utf16_len
from bot.transports.common import html_to_plain
from bot.transports.telegram.api import BotApi, Key, Keyboard, Upload
from bot.transports.telegram.refusals import Outcome, Refusal, refusal_of
from handlers.port import Reply, Toast
from models.message_limits import CAPTION_LIMIT, TEXT_LIMIT

log = logging.getLogger(__name__)

__all__ = ["TEXT_LIMIT", "BadPayload", "TelegramSender", "keyboard", "split_plain", "utf16_len"]

T = TypeVar("T")
NETWORK_PAUSES = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 30.0)
MAX_RETRY_AFTER = 300.0  # a longer ban is not waited out inside one reply
MAX_RETRY_AFTER_WAITS = 10

Unreachable = Callable[[str, str], Awaitable[None]]


class Undeliverable(Exception):
    """Telegram would not take the message, and trying again will not help."""


class BadPayload(Exception):
    """Telegram refused this request as it is (a bad payload); ``message`` says why."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.error)
        self.message = refusal.error


def keyboard(reply: Reply) -> Keyboard:
    return [
        [Key(b.label, url=b.url) if b.url else Key(b.label, payload=b.payload) for b in row]
        for row in reply.buttons
    ]


def split_plain(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Plain text cut into pieces Telegram accepts, at line ends where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while utf16_len(line) > limit:
            cut = limit
            while utf16_len(line[:cut]) > limit:
                cut -= 1
            head, line = line[:cut], line[cut:]
            if current:
                pieces.append(current)
                current = ""
            pieces.append(head)
        if utf16_len(current + line) > limit:
            pieces.append(current)
            current = ""
        current += line
    if current.strip() or not pieces:
        pieces.append(current)
    return [p.strip("\n") or " " for p in pieces]


class TelegramSender:
    def __init__(
        self,
        api: BotApi,
        on_unreachable: Unreachable,
        pauses: tuple[float, ...] | None = None,
        limits: Limits | None = None,
    ) -> None:
        self._api = api
        self._limits = limits
        self._on_unreachable = on_unreachable
        self._pauses = NETWORK_PAUSES if pauses is None else pauses

    async def answer_callback(self, callback_id: str, toast: Toast | None) -> None:
        async def call() -> None:
            await self._api.answer_callback(
                callback_id, toast.text[:200] if toast else None, toast.alert if toast else None
            )

        try:
            await self._with_retries(call, chat_id=None)
        except BadPayload as exc:  # too old (answer within 15 s) or already answered
            log.info("callback %s not answered: %s", callback_id, exc.message)
        except Undeliverable:
            pass

    async def deliver(self, reply: Reply) -> int | None:
        """Sends or edits; the id of the message that now shows the reply, or None when
        the chat cannot be reached."""
        try:
            if reply.file is not None:
                return await self._send_file(reply)
            if reply.edit is not None:
                return await self._edit(reply)
            return await self._send(reply)
        except Undeliverable:
            return None

    async def _send(self, reply: Reply) -> int | None:
        chat_id = reply.chat.id
        thread = int(reply.chat.thread) if reply.chat.thread else None
        if utf16_len(html_to_plain(reply.text)) > TEXT_LIMIT:
            log.warning("reply to chat %s is too long for one message; sent in parts", chat_id)
            return await self._send_plain_parts(reply, thread)

        def as_html() -> Awaitable[int]:
            return self._api.send_message(
                chat_id, reply.text, html=True, thread=thread, keyboard=keyboard(reply)
            )

        try:
            return await self._with_retries(as_html, chat_id=chat_id)
        except BadPayload as exc:
            if "can't parse entities" not in exc.message:
                log.error(
                    "Telegram refused a message to chat %s: %s; text=%r",
                    chat_id,
                    exc.message,
                    reply.text[:500],
                )
                return None
            log.error(
                "Telegram could not parse the HTML of a reply (%s); sending it as plain "
                "text. payload=%r",
                exc.message,
                reply.text,
            )
            return await self._send_plain_parts(reply, thread)

    async def _send_file(self, reply: Reply) -> int | None:
        """A document with the reply's text as caption (cut to ``CAPTION_LIMIT`` as plain
        text when longer)."""
        assert reply.file is not None
        upload = Upload(reply.file.name, reply.file.content)
        caption: str | None = reply.text
        html = True
        if utf16_len(html_to_plain(reply.text)) > CAPTION_LIMIT:
            caption, html = html_to_plain(reply.text)[: CAPTION_LIMIT - 1] + "…", False

        def call() -> Awaitable[int]:
            return self._api.send_file(
                reply.chat.id,
                "document",
                upload,
                caption=caption or None,
                html=html,
                thread=int(reply.chat.thread) if reply.chat.thread else None,
                keyboard=keyboard(reply),
            )

        try:
            return await self._with_retries(call, chat_id=reply.chat.id)
        except BadPayload as exc:
            log.error("Telegram refused a file for chat %s: %s", reply.chat.id, exc.message)
            return None

    async def _send_plain_parts(self, reply: Reply, thread: int | None) -> int | None:
        parts = split_plain(html_to_plain(reply.text))
        last: int | None = None
        for index, part in enumerate(parts):
            markup = keyboard(reply) if index == len(parts) - 1 else []

            def call(part: str = part, markup: Keyboard = markup) -> Awaitable[int]:
                return self._api.send_message(
                    reply.chat.id, part, html=False, thread=thread, keyboard=markup
                )

            try:
                last = await self._with_retries(call, chat_id=reply.chat.id)
            except BadPayload as exc:
                log.error(
                    "Telegram refused a plain-text message to chat %s: %s",
                    reply.chat.id,
                    exc.message,
                )
                return last
        return last

    async def _edit(self, reply: Reply) -> int | None:
        assert reply.edit is not None
        message_id = int(reply.edit)

        def call() -> Awaitable[None]:
            return self._api.edit_message(reply.chat.id, message_id, reply.text, keyboard(reply))

        try:
            await self._with_retries(call, chat_id=reply.chat.id)
        except BadPayload as exc:
            if "message is not modified" in exc.message:
                return message_id  # the same screen pressed twice: nothing to change
            log.info(
                "could not edit message %s in chat %s (%s); sending a new one",
                message_id,
                reply.chat.id,
                exc.message,
            )
            return await self._send(Reply(chat=reply.chat, text=reply.text, buttons=reply.buttons))
        return message_id

    async def _with_retries(self, call: Callable[[], Awaitable[T]], *, chat_id: str | None) -> T:
        """The call, tried again through 429s and short network trouble. ``chat_id`` is
        None for a call that writes to no chat (answering a button press)."""
        network_failures = 0
        waits = 0
        while True:
            try:
                if self._limits is not None and chat_id is not None:
                    # Answers take from the same budget as the outbox, ahead of it.
                    async with self._limits.sending(
                        chat_id, private=not chat_id.startswith("-"), interactive=True
                    ):
                        return await call()
                return await call()
            except self._api.errors as exc:
                failure = self._api.failure(exc)
                refusal = refusal_of(failure) if failure is not None else None
                if refusal is None:
                    raise
                if refusal.outcome is Outcome.RATE_LIMITED:
                    waits += 1
                    await self._rate_limited(refusal, chat_id, waits)
                    continue
                if refusal.outcome is Outcome.TRANSIENT:
                    await self._transient(refusal, chat_id, network_failures)
                    network_failures += 1
                    continue
                await self._refused(refusal, chat_id)

    async def _rate_limited(self, refusal: Refusal, chat_id: str | None, waits: int) -> None:
        """A 429: the shared limits hold the chat (the outbox too) for as long as Telegram
        asks, and the next attempt waits for them; without limits, waits here."""
        if refusal.wait > MAX_RETRY_AFTER or waits > MAX_RETRY_AFTER_WAITS:
            log.error(
                "Telegram asks to wait %ss before writing to chat %s; giving up",
                int(refusal.wait),
                chat_id,
            )
            raise Undeliverable(refusal.error)
        log.warning("429 for chat %s: waiting %ss as Telegram asks", chat_id, int(refusal.wait))
        if self._limits is not None and chat_id is not None:
            self._limits.retry_after(chat_id, refusal.wait)
        else:
            await asyncio.sleep(refusal.wait)

    async def _transient(self, refusal: Refusal, chat_id: str | None, failures: int) -> None:
        if failures >= len(self._pauses):
            log.error("Telegram unreachable; giving up on chat %s: %s", chat_id, refusal.error)
            raise Undeliverable(refusal.error)
        pause = self._pauses[failures]
        log.warning("Telegram unreachable (%s); retrying in %ss", refusal.error, pause)
        await asyncio.sleep(pause)

    async def _refused(self, refusal: Refusal, chat_id: str | None) -> NoReturn:
        """Blocked, moved or a bad payload: trying again will not help."""
        if refusal.outcome is Outcome.BLOCKED:
            log.info("chat %s cannot be reached: %s", chat_id, refusal.error)
            if chat_id is not None:
                await self._on_unreachable(chat_id, refusal.error)
            raise Undeliverable(refusal.error)
        if refusal.outcome is Outcome.CHAT_MOVED:
            log.warning(
                "chat %s became supergroup %s; message not resent", chat_id, refusal.moved_to
            )
            raise Undeliverable(refusal.error)
        raise BadPayload(refusal)
