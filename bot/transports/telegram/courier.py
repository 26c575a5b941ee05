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
from collections.abc import Awaitable, Callable, Sequence

from bot.delivery.courier import Delivery, Parcel, Verdict
from bot.transports.common import html_to_plain
from bot.transports.telegram.api import BotApi, Key, Keyboard, Upload
from bot.transports.telegram.convert import CHANNEL
from bot.transports.telegram.refusals import delivery_of, refusal_of
from bot.transports.telegram.sender import split_plain, utf16_len
from models.message_limits import CAPTION_LIMIT, TEXT_LIMIT

log = logging.getLogger(__name__)

PART_PAUSES = (1.0, 2.0, 4.0, 8.0, 15.0)  # a later part of a long message is retried here
MAX_PART_WAIT = 60.0


def _markup(parcel: Parcel) -> Keyboard:
    return [
        [
            Key(b["label"] or "", url=b["url"])
            if b.get("url")
            else Key(b["label"] or "", payload=b["payload"])
            for b in row
        ]
        for row in parcel.buttons
    ]


class TelegramCourier:
    channel = CHANNEL

    def __init__(self, api: BotApi) -> None:
        self._api = api

    def is_private(self, chat_id: str) -> bool:
        return not chat_id.startswith("-")

    def owns_media(self, file_id: str) -> bool:
        """Telegram's file ids are base64url: another app's (``wa:...``) carry a colon."""
        return ":" not in file_id

    async def fetch_media(self, file_id: str) -> tuple[str, bytes, str] | None:
        """A file a person sent here, for another app (name, bytes, type)."""
        try:
            path, data = await self._api.fetch_file(file_id)
        except (*self._api.errors, OSError) as exc:  # type: ignore[misc]
            log.warning("cannot fetch Telegram file %s for another app: %s", file_id, exc)
            return None
        name = (path or "file").rsplit("/", 1)[-1]
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return name, data, mime

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
            lambda: self._api.send_message(
                parcel.chat_id, text, html=True, thread=thread, keyboard=markup
            )
        )
        if delivery.verdict is Verdict.FAILED and "can't parse entities" in delivery.error:
            log.error("outbox HTML refused (%s); sent as plain text: %r", delivery.error, text)
            return await self._send_parts(parcel.chat_id, thread, markup, [html_to_plain(text)])
        return delivery

    async def _send_file(self, parcel: Parcel, thread: int | None, markup: Keyboard) -> Delivery:
        """The file with the text as its caption; a text longer than a caption goes as
        plain text: its first piece as the caption, the rest in messages after the file
        (the buttons on the last)."""
        caption = parcel.text
        html = True
        rest: list[str] = []
        if utf16_len(html_to_plain(caption)) > CAPTION_LIMIT:
            first, *rest = split_plain(html_to_plain(caption), CAPTION_LIMIT)
            caption, html = first, False
        file: str | Upload = parcel.attachment_file_id or ""
        kind = parcel.attachment_kind or "document"
        if parcel.upload is not None:  # a file the help desk made, or another app's
            name, content, _mime = parcel.upload
            file = Upload(name, content)
            kind = "photo" if parcel.attachment_kind == "photo" else "document"
        delivery = await self._attempt(
            lambda: self._api.send_file(
                parcel.chat_id,
                kind,
                file,
                caption=caption or None,
                html=html,
                thread=thread,
                keyboard=[] if rest else markup,
            )
        )
        if not rest or delivery.verdict is not Verdict.SENT:
            return delivery
        return await self._send_parts(parcel.chat_id, thread, markup, rest, first=delivery)

    async def _send_parts(
        self,
        chat_id: str,
        thread: int | None,
        markup: Keyboard,
        texts: Sequence[str],
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

            def call(part: str = part, last: bool = last) -> Awaitable[int]:
                return self._api.send_message(
                    chat_id, part, html=False, thread=thread, keyboard=markup if last else []
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

    async def _persist(self, call: Callable[[], Awaitable[int]]) -> Delivery:
        """One call, retried through 429s and short network trouble."""
        delivery = await self._attempt(call)
        for pause in PART_PAUSES:
            if delivery.verdict is not Verdict.RETRY:
                break
            await asyncio.sleep(min(delivery.wait or pause, MAX_PART_WAIT))
            delivery = await self._attempt(call)
        return delivery

    async def create_topic(self, chat_id: str, name: str) -> Delivery:
        return await self._attempt(lambda: self._api.create_topic(chat_id, name[:128]))

    async def set_topic_closed(self, chat_id: str, thread: str, closed: bool) -> Delivery:
        change = self._api.close_topic if closed else self._api.reopen_topic
        return await self._attempt(lambda: change(chat_id, int(thread)))

    async def _attempt(self, call: Callable[[], Awaitable[int | None]]) -> Delivery:
        """One call; its message id (or a new topic's thread id) or what the refusal means."""
        try:
            ref = await call()
        except self._api.errors as exc:
            failure = self._api.failure(exc)
            refusal = refusal_of(failure) if failure is not None else None
            if refusal is None:
                raise
            return delivery_of(refusal)
        return Delivery(Verdict.SENT, ref=str(ref) if ref is not None else None)
