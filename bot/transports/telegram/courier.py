"""The outbox worker's way into Telegram: one call per parcel, every refusal turned into
a :class:`Delivery` by ``refusals`` (no retries here: the worker decides; the one
exception is a later part of a message too long for one, see ``_send_parts``).

Telegram quirks (https://core.telegram.org/bots/api):
- a private chat's id is the user's id (positive); groups and channels are negative;
- sending into a deleted topic answers 400 "message thread not found" (or TOPIC_DELETED),
  into a closed one 400 "TOPIC_CLOSED";
- a caption holds ``CAPTION_LIMIT`` characters, a text ``TEXT_LIMIT`` (``bot.delivery.limits``);
- a request that timed out may still have been delivered.

The home of ``PART_PAUSES`` and ``MAX_PART_WAIT``: how a later part of a long message is
retried here. What an error means is ``refusals``'s; the text limits are
``bot.delivery.limits``'s.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
)

from bot.delivery.courier import Delivery, Parcel, Verdict
from bot.transports.common import html_to_plain
from bot.transports.telegram.convert import CHANNEL
from bot.transports.telegram.refusals import delivery_of, refusal_of
from bot.transports.telegram.sender import split_plain, utf16_len
from models.message_limits import CAPTION_LIMIT, TEXT_LIMIT

log = logging.getLogger(__name__)

PART_PAUSES = (1.0, 2.0, 4.0, 8.0, 15.0)  # a later part of a long message is retried here
MAX_PART_WAIT = 60.0


def _markup(parcel: Parcel) -> InlineKeyboardMarkup | None:
    if not parcel.buttons:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=b["label"] or "", url=b["url"])
                if b.get("url")
                else InlineKeyboardButton(text=b["label"] or "", callback_data=b["payload"])
                for b in row
            ]
            for row in parcel.buttons
        ]
    )


class TelegramCourier:
    channel = CHANNEL

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    def is_private(self, chat_id: str) -> bool:
        return not chat_id.startswith("-")

    def owns_media(self, file_id: str) -> bool:
        """Telegram's file ids are base64url: another app's (``wa:...``) carry a colon."""
        return ":" not in file_id

    async def fetch_media(self, file_id: str) -> tuple[str, bytes, str] | None:
        """A file a person sent here, for another app (name, bytes, type)."""
        try:
            found = await self._bot.get_file(file_id)
            data = await self._bot.download_file(found.file_path or "")
        except (TelegramAPIError, OSError) as exc:
            log.warning("cannot fetch Telegram file %s for another app: %s", file_id, exc)
            return None
        if data is None:
            return None
        name = (found.file_path or "file").rsplit("/", 1)[-1]
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return name, data.read(), mime

    async def send(self, parcel: Parcel) -> Delivery:
        thread = int(parcel.thread) if parcel.thread else None
        markup = _markup(parcel)
        text = parcel.text
        if parcel.attachment_file_id:
            return await self._send_file(parcel, thread, markup)
        if utf16_len(html_to_plain(text)) > TEXT_LIMIT:
            # Too long for one message: sent whole, as several plain-text messages in order
            # (never cut); the last one's id is the parcel's.
            log.info("an outbox message to %s is sent in parts", parcel.chat_id)
            return await self._send_parts(parcel.chat_id, thread, markup, [html_to_plain(text)])
        delivery = await self._attempt(
            lambda: self._bot.send_message(
                chat_id=parcel.chat_id,
                text=text,
                parse_mode="HTML",
                message_thread_id=thread,
                reply_markup=markup,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        if delivery.verdict is Verdict.FAILED and "can't parse entities" in delivery.error:
            log.error("outbox HTML refused (%s); sent as plain text: %r", delivery.error, text)
            return await self._send_parts(parcel.chat_id, thread, markup, [html_to_plain(text)])
        return delivery

    async def _send_file(
        self, parcel: Parcel, thread: int | None, markup: InlineKeyboardMarkup | None
    ) -> Delivery:
        """The file with the text as its caption; a text longer than a caption goes as
        plain text: its first piece as the caption, the rest in messages after the file
        (the buttons on the last)."""
        caption = parcel.text
        parse_mode: str | None = "HTML"
        rest: list[str] = []
        if utf16_len(html_to_plain(caption)) > CAPTION_LIMIT:
            first, *rest = split_plain(html_to_plain(caption), CAPTION_LIMIT)
            caption, parse_mode = first, None
        common: dict[str, Any] = {
            "chat_id": parcel.chat_id,
            "caption": caption or None,
            "parse_mode": parse_mode if caption else None,
            "message_thread_id": thread,
            "reply_markup": None if rest else markup,
        }
        delivery = await self._attempt(lambda: self._file_call(parcel, common))
        if not rest or delivery.verdict is not Verdict.SENT:
            return delivery
        return await self._send_parts(parcel.chat_id, thread, markup, rest, first=delivery)

    def _file_call(self, parcel: Parcel, common: dict[str, Any]) -> Awaitable[Any]:
        if parcel.upload is not None:  # a file the help desk made, or another app's
            name, content, _mime = parcel.upload
            if parcel.attachment_kind == "photo":
                return self._bot.send_photo(
                    photo=BufferedInputFile(content, filename=name), **common
                )
            return self._bot.send_document(
                document=BufferedInputFile(content, filename=name), **common
            )
        file_id = parcel.attachment_file_id or ""
        kind = parcel.attachment_kind
        if kind == "photo":
            return self._bot.send_photo(photo=file_id, **common)
        if kind == "video":
            return self._bot.send_video(video=file_id, **common)
        if kind == "voice":
            return self._bot.send_voice(voice=file_id, **common)
        if kind == "audio":
            return self._bot.send_audio(audio=file_id, **common)
        if kind == "animation":
            return self._bot.send_animation(animation=file_id, **common)
        return self._bot.send_document(document=file_id, **common)

    async def _send_parts(
        self,
        chat_id: str,
        thread: int | None,
        markup: InlineKeyboardMarkup | None,
        texts: list[str],
        *,
        first: Delivery | None = None,
    ) -> Delivery:
        """Plain texts as messages within Telegram's limit, in order, the buttons on the
        last. Until one is taken, the answer is the parcel's (nothing arrived: the worker
        may send it all again); after that, a part is retried here (429, network) so the
        ones that arrived are never sent twice; a part that still cannot go makes the
        parcel ``uncertain`` (reported, never resent)."""
        parts = [p for text in texts for p in split_plain(text)]
        delivery = first
        for index, part in enumerate(parts):
            last = index == len(parts) - 1

            def call(part: str = part, last: bool = last) -> Awaitable[Any]:
                return self._bot.send_message(
                    chat_id=chat_id,
                    text=part,
                    message_thread_id=thread,
                    reply_markup=markup if last else None,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )

            if delivery is None:
                delivery = await self._attempt(call)
                if delivery.verdict is not Verdict.SENT:
                    return delivery
                continue
            delivery = await self._persist(call)
            if delivery.verdict in (Verdict.SENT, Verdict.UNREACHABLE):
                if delivery.verdict is Verdict.UNREACHABLE:
                    return delivery
                continue
            error = f"part {index + 1} of {len(parts)} not sent: {delivery.error}"
            log.error("outbox message to %s: %s", chat_id, error)
            return Delivery(Verdict.UNCERTAIN, error=error[:255])
        assert delivery is not None
        return delivery

    async def _persist(self, call: Callable[[], Awaitable[Any]]) -> Delivery:
        """One call, retried through 429s and short network trouble."""
        delivery = await self._attempt(call)
        for pause in PART_PAUSES:
            if delivery.verdict is not Verdict.RETRY:
                break
            await asyncio.sleep(min(delivery.wait or pause, MAX_PART_WAIT))
            delivery = await self._attempt(call)
        return delivery

    async def create_topic(self, chat_id: str, name: str) -> Delivery:
        delivery = await self._attempt(
            lambda: self._bot.create_forum_topic(chat_id=chat_id, name=name[:128])
        )
        return delivery

    async def set_topic_closed(self, chat_id: str, thread: str, closed: bool) -> Delivery:
        if closed:
            return await self._attempt(
                lambda: self._bot.close_forum_topic(chat_id=chat_id, message_thread_id=int(thread))
            )
        return await self._attempt(
            lambda: self._bot.reopen_forum_topic(chat_id=chat_id, message_thread_id=int(thread))
        )

    async def _attempt(self, call: Callable[[], Awaitable[Any]]) -> Delivery:
        try:
            result = await call()
        except TelegramAPIError as exc:
            refusal = refusal_of(exc)
            if refusal is None:
                raise
            return delivery_of(refusal)
        ref = getattr(result, "message_thread_id", None) or getattr(result, "message_id", None)
        return Delivery(Verdict.SENT, ref=str(ref) if ref is not None else None)
