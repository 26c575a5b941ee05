"""The outbox worker's way into WhatsApp: one parcel becomes one or more Cloud API calls,
every refusal a :class:`Delivery` (``refusals``); no retries here but for a later part
of a message already partly sent (the worker decides everything else).

How a parcel goes:
- outside the 24-hour window (``Window``) nothing free-form may go: a reminder or an
  announcement goes as its template, with its text and its buttons as the template's
  quick replies; anything else (an officer's answer) is held, and the person is sent the
  ``answered`` template once ("reply to read it", with a button that does just that);
- a text longer than ``TEXT_LIMIT`` is cut at line ends into several messages;
- a menu becomes reply buttons or lists (``menus``); the text before it stays whole;
- a file goes by its WhatsApp media id, or is uploaded first (a file the help desk made,
  or one fetched from another app by the worker); captions longer than ``CAPTION_LIMIT``
  (and any text with audio or stickers, which take no caption) follow as text;
- WhatsApp cannot edit a message: an edit is sent as a new message.
The answer's ``ref`` is the last message's id: statuses for it mark the row.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

from bot.delivery.courier import Delivery, Parcel, Verdict
from bot.transports.whatsapp.convert import CHANNEL, MEDIA_PREFIX, tag_of
from bot.transports.whatsapp.graph import Graph, GraphError
from bot.transports.whatsapp.markup import CAPTION_LIMIT, TEXT_LIMIT, split_text, to_whatsapp
from bot.transports.whatsapp.menus import Words, choices_of, interactive
from bot.transports.whatsapp.refusals import delivery_of
from bot.transports.whatsapp.templates import Sign, Template, use_for
from models.interactions import mask_chat_key

log = logging.getLogger(__name__)

PART_PAUSES = (1.0, 2.0, 6.0, 6.0)  # a later part is retried through pair-rate limits

_KINDS = {
    "photo": "image",
    "document": "document",
    "video": "video",
    "audio": "audio",
    "voice": "audio",
    "sticker": "image",
    "animation": "video",
}
_CAPTIONED = {"image", "document", "video"}

TIER_RETRY_MAX = 3600.0  # a person past the daily limit is looked at again within this


class Policy(Protocol):
    """What the courier asks the help desk's records before sending (the transport)."""

    async def window(self, chat_id: str) -> tuple[bool, bool]:
        """Whether the person's 24-hour window is open, and whether anything is held."""
        ...

    async def begin(self, chat_id: str) -> float:
        """0 when a conversation may be begun with the person now (counted against the
        daily limit); else seconds until the limit has room."""
        ...

    async def held(self, campaign: str) -> None:
        """A message of ``campaign`` was just held."""
        ...


class WhatsAppCourier:
    channel = CHANNEL

    def __init__(
        self,
        graph: Graph,
        words: Words,
        templates: dict[str, Template],
        policy: Policy,
        sign: Sign,
    ) -> None:
        self._graph = graph
        self._words = words
        self._templates = templates
        self._policy = policy
        self._sign = sign

    def is_private(self, chat_id: str) -> bool:
        return True

    def owns_media(self, file_id: str) -> bool:
        return file_id.startswith(MEDIA_PREFIX)

    async def fetch_media(self, file_id: str) -> tuple[str, bytes, str] | None:
        try:
            media = await self._graph.download(file_id.removeprefix(MEDIA_PREFIX))
        except Exception as exc:  # noqa: BLE001 - any failure: the text goes alone
            log.warning("cannot fetch WhatsApp media %s for another app: %s", file_id, exc)
            return None
        return media.name, media.content, media.mime

    async def create_topic(self, chat_id: str, name: str) -> Delivery:
        return Delivery(Verdict.FAILED, error="WhatsApp has no forum topics")

    async def set_topic_closed(self, chat_id: str, thread: str, closed: bool) -> Delivery:
        return Delivery(Verdict.FAILED, error="WhatsApp has no forum topics")

    # -- sending ----------------------------------------------------------------------------

    async def send(self, parcel: Parcel) -> Delivery:
        is_open, held = await self._policy.window(parcel.chat_id)
        tag = tag_of(parcel.outbox_id) if parcel.outbox_id is not None else None
        if not is_open:
            return await self._outside_window(parcel, held, tag)
        messages = await self._messages(parcel)
        if isinstance(messages, Delivery):
            return messages
        return await self._send_all(parcel.chat_id, messages, tag)

    async def _outside_window(self, parcel: Parcel, held: bool, tag: str | None) -> Delivery:
        use = use_for(parcel.campaign)
        template = self._templates[use]
        text = to_whatsapp(parcel.text)
        payloads = template.payloads(parcel.chat_id, parcel.buttons, self._sign)
        why = "outside WhatsApp's 24-hour window: held until the person writes"
        if use == "answered" and held:  # they were told already
            return await self._hold(parcel, why)
        wait = await self._policy.begin(parcel.chat_id)
        if wait > 0:  # the daily limit of people written to first: later, and reported
            if use == "answered":
                return await self._hold(parcel, why)
            error = f"WhatsApp's daily messaging limit is reached; waits about {wait / 3600:.1f} h"
            return Delivery(Verdict.RETRY, wait=min(wait, TIER_RETRY_MAX), error=error)
        if use != "answered":
            return await self._attempt(parcel.chat_id, template.message(text, payloads), tag)
        told = await self._attempt(parcel.chat_id, template.message(text, payloads))
        if told.verdict is Verdict.SENT:
            return await self._hold(parcel, f"{why}; told with {template.name}")
        if told.verdict is Verdict.FAILED:
            log.error("template %s refused (%s); the answer is held", template.name, told.error)
            return await self._hold(parcel, f"{why}; {template.name} refused: {told.error}")
        return told  # retry, unreachable: as for any message

    async def _hold(self, parcel: Parcel, why: str) -> Delivery:
        """Held; whoever sent it is told (the officers, for a ticket's answer)."""
        await self._policy.held(parcel.campaign)
        return Delivery(Verdict.HELD, error=why)

    async def _messages(self, parcel: Parcel) -> list[dict[str, Any]] | Delivery:
        choices, links = choices_of(parcel.buttons)
        text = to_whatsapp(parcel.text)
        if links:
            text = "\n".join([text, "", *links]) if text else "\n".join(links)
        messages: list[dict[str, Any]] = []
        media = await self._media(parcel)
        if isinstance(media, Delivery):
            return media
        if media is not None:
            kind, body = media
            if kind in _CAPTIONED and text and len(text) <= CAPTION_LIMIT and not choices:
                body["caption"] = text
                text = ""
            if kind == "document" and parcel.file_name:
                body.setdefault("filename", parcel.file_name)
            messages.append({"type": kind, kind: body})
        if choices:
            pieces = split_text(text, CAPTION_LIMIT) if text else [" "]
            messages += [_text(p) for p in pieces[:-1]]
            messages += [
                {"type": "interactive", "interactive": m}
                for m in interactive(pieces[-1], choices, self._words)
            ]
        elif text.strip():
            messages += [_text(p) for p in split_text(text, TEXT_LIMIT)]
        return messages or [_text(" ")]

    async def _media(self, parcel: Parcel) -> tuple[str, dict[str, Any]] | Delivery | None:
        """The media part of the parcel: (WhatsApp type, its object), uploading first when
        the file is not WhatsApp's."""
        if parcel.file_content is not None:
            upload: tuple[str, bytes, str] | None = (
                parcel.file_name or "file",
                parcel.file_content,
                parcel.file_mime or "application/octet-stream",
            )
            kind = "document"
        elif parcel.upload is not None:
            upload, kind = parcel.upload, _KINDS.get(parcel.attachment_kind or "", "document")
        elif parcel.attachment_file_id and self.owns_media(parcel.attachment_file_id):
            kind = _KINDS.get(parcel.attachment_kind or "", "document")
            return kind, {"id": parcel.attachment_file_id.removeprefix(MEDIA_PREFIX)}
        else:
            return None
        assert upload is not None
        name, content, mime = upload
        if kind == "image" and not mime.startswith("image/"):
            if parcel.attachment_kind == "photo":  # Telegram sends every photo as JPEG
                mime = "image/jpeg"
            else:
                kind = "document"
        try:
            media_id = await self._graph.upload(name, content, mime)
        except Exception as exc:
            found = delivery_of(exc)
            if found is None:
                raise
            return found
        body: dict[str, Any] = {"id": media_id}
        if kind == "document":
            body["filename"] = name
        return kind, body

    async def _send_all(
        self, chat_id: str, messages: list[dict[str, Any]], tag: str | None = None
    ) -> Delivery:
        """In order. Until one is taken, the answer is the first's (nothing arrived: the
        worker may send all again); after that a part is retried here, so what arrived is
        never sent twice, and one that still cannot go makes the parcel uncertain."""
        delivery: Delivery | None = None
        for index, message in enumerate(messages):
            if delivery is None:
                delivery = await self._attempt(chat_id, message, tag)
                if delivery.verdict is not Verdict.SENT:
                    return delivery
                continue
            delivery = await self._persist(chat_id, message, tag)
            if delivery.verdict is Verdict.SENT:
                continue
            error = f"part {index + 1} of {len(messages)} not sent: {delivery.error}"[:255]
            log.error("WhatsApp message to %s: %s", mask_chat_key(chat_id), error)
            return Delivery(Verdict.UNCERTAIN, error=error)
        assert delivery is not None
        return delivery

    async def _persist(self, chat_id: str, message: dict[str, Any], tag: str | None) -> Delivery:
        delivery = await self._attempt(chat_id, message, tag)
        for pause in PART_PAUSES:
            if delivery.verdict is not Verdict.RETRY:
                break
            await asyncio.sleep(max(delivery.wait, pause))
            delivery = await self._attempt(chat_id, message, tag)
        return delivery

    async def _attempt(
        self, chat_id: str, message: dict[str, Any], tag: str | None = None
    ) -> Delivery:
        """One send; ``tag`` (the outbox row) comes back in the message's statuses."""
        if tag is not None:
            message = {**message, "biz_opaque_callback_data": tag}
        try:
            wamid = await self._graph.send({**recipient(chat_id), **message})
        except (GraphError, Exception) as exc:
            found = delivery_of(exc)
            if found is None:
                raise
            return found
        return Delivery(Verdict.SENT, ref=wamid)


def recipient(chat_id: str) -> dict[str, str]:
    """Whom a message goes to: a phone number (``to``), or a business-scoped user id
    (``recipient``; "CC.digits") for a person whose number WhatsApp does not show us."""
    if chat_id.isdigit():
        return {"recipient_type": "individual", "to": chat_id}
    return {"recipient_type": "individual", "recipient": chat_id}


def _text(body: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": body, "preview_url": False}}
