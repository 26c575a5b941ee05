"""WhatsApp's webhooks as the inbox's updates, delivery statuses, and the help desk's
neutral events.

A webhook (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components)
carries, per change of field ``messages``, the number it is for (``metadata``), the
senders (``contacts``: profile name, ``wa_id`` and, since 2026, the business-scoped user
id ``user_id``), their ``messages`` and our messages' ``statuses``.

A person is known by their business-scoped user id (BSUID) where the webhook gives one,
else by their WhatsApp id (the phone number): WhatsApp may stop showing the number of a
person who adopts a username, while the BSUID stays. Each message is stored under its
own id (``wamid.``), so a webhook delivered twice is stored once.

Invites: a ``wa.me`` link opens WhatsApp with ``DAFTAR <token>`` typed in; that
text is read as ``/start <token>``, as Telegram's deep link is; ``HUBUNGKAN <code>`` (a
liaison linking this account to their registration) as ``/akun <code>``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.inbox.intake import Decoded
from handlers.port import Attachment, ChatRef, Event, Sender
from models import ChatKind
from models.accounts import LINK_WORD
from models.inbox import Received
from models.invites import WHATSAPP_INVITE_WORD
from models.receipts import Receipt

CHANNEL = "whatsapp"
MEDIA_PREFIX = "wa:"
TAG_PREFIX = "outbox:"
_INVITE = re.compile(rf"^\s*{WHATSAPP_INVITE_WORD}\s+([A-Za-z0-9_-]{{6,64}})\s*$", re.IGNORECASE)
_LINK = re.compile(rf"^\s*{LINK_WORD}\s+([A-Za-z0-9]{{6,16}})\s*$", re.IGNORECASE)
_MEDIA = {
    "image": "photo",
    "document": "document",
    "audio": "audio",
    "video": "video",
    "sticker": "sticker",
}


def tag_of(outbox_id: int) -> str:
    """What a message carries back in its statuses (``biz_opaque_callback_data``): its
    outbox row, so a message handed over just before a crash can be found again."""
    return f"{TAG_PREFIX}{outbox_id}"


def outbox_id_of(tag: str) -> int | None:
    number = tag.removeprefix(TAG_PREFIX)
    return int(number) if tag.startswith(TAG_PREFIX) and number.isdigit() else None


@dataclass(frozen=True)
class Status:
    """One delivery status of one of our messages."""

    message_id: str
    receipt: Receipt
    at: datetime
    recipient: str
    error: str = ""
    outbox_id: int | None = None  # the row the message was sent for (our tag, echoed)


@dataclass
class Webhook:
    messages: list[Received]
    statuses: list[Status]
    senders: dict[str, datetime]  # who wrote, and when (their window opens again)


def read_webhook(body: dict[str, Any], phone_number_id: str) -> Webhook:
    """The messages and statuses of one webhook meant for our number."""
    found = Webhook([], [], {})
    if body.get("object") != "whatsapp_business_account":
        raise ValueError("not a WhatsApp Business Account webhook")
    for entry in body.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            if change.get("field") != "messages":
                continue
            metadata = value.get("metadata") or {}
            if str(metadata.get("phone_number_id", "")) != phone_number_id:
                continue
            contacts = value.get("contacts") or []
            for message in value.get("messages") or []:
                contact = _contact_of(message, contacts)
                person = person_id(message, contact)
                if not person or not message.get("id"):
                    continue
                payload = {"message": message, "contact": contact}
                found.messages.append(
                    Received(
                        update_id=str(message["id"]),
                        chat_key=person,
                        payload=json.dumps(payload, ensure_ascii=False),
                    )
                )
                at = _time(message.get("timestamp"))
                found.senders[person] = max(at, found.senders.get(person, at))
            for status in value.get("statuses") or []:
                read = _status(status)
                if read is not None:
                    found.statuses.append(read)
    return found


def person_id(message: dict[str, Any], contact: dict[str, Any]) -> str:
    return str(message.get("from_user_id") or contact.get("user_id") or message.get("from") or "")


def _contact_of(message: dict[str, Any], contacts: list[dict[str, Any]]) -> dict[str, Any]:
    for contact in contacts:
        if message.get("from") and contact.get("wa_id") == message.get("from"):
            return dict(contact)
        if message.get("from_user_id") and contact.get("user_id") == message.get("from_user_id"):
            return dict(contact)
    return dict(contacts[0]) if len(contacts) == 1 else {}


def _time(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return datetime.now(tz=UTC)


def _status(status: dict[str, Any]) -> Status | None:
    try:
        receipt = Receipt(status.get("status", ""))
    except ValueError:
        return None
    errors = status.get("errors") or []
    error = ""
    if errors:
        first = errors[0]
        error = f"whatsapp {first.get('code')}: {first.get('title') or first.get('message', '')}"
    return Status(
        message_id=str(status.get("id", "")),
        receipt=receipt,
        at=_time(status.get("timestamp")),
        recipient=str(status.get("recipient_user_id") or status.get("recipient_id") or ""),
        error=error,
        outbox_id=outbox_id_of(str(status.get("biz_opaque_callback_data") or "")),
    )


def decode(payload: str) -> Decoded:
    """A stored message as the help desk's event (None: nothing for it, e.g. a system
    notice or a type WhatsApp calls ``unsupported``)."""
    stored = json.loads(payload)
    message: dict[str, Any] = stored.get("message") or {}
    contact: dict[str, Any] = stored.get("contact") or {}
    person = person_id(message, contact)
    kind = message.get("type", "")
    name = str((contact.get("profile") or {}).get("name") or "")
    text: str | None = None
    button: str | None = None
    attachments: tuple[Attachment, ...] = ()
    if kind == "text":
        text = str((message.get("text") or {}).get("body") or "")
        invite = _INVITE.match(text)
        link = _LINK.match(text)
        if invite:
            text = f"/start {invite.group(1)}"
        elif link:
            text = f"/akun {link.group(1)}"
    elif kind == "interactive":
        reply = message.get("interactive") or {}
        chosen = reply.get("button_reply") or reply.get("list_reply") or {}
        button = str(chosen.get("id") or "") or None
    elif kind == "button":  # a quick-reply button of a template
        button = str((message.get("button") or {}).get("payload") or "") or None
    elif kind in _MEDIA:
        media = message.get(kind) or {}
        neutral = _MEDIA[kind]
        if kind == "audio" and media.get("voice"):
            neutral = "voice"
        attachments = (
            Attachment(
                neutral,
                MEDIA_PREFIX + str(media.get("id", "")),
                name=media.get("filename"),
                mime=media.get("mime_type"),
            ),
        )
        text = media.get("caption") or None
    elif kind == "location":
        attachments = (Attachment("location"),)
    elif kind == "contacts":
        attachments = (Attachment("contact"),)
    elif kind == "reaction":
        reaction = message.get("reaction") or {}
        attachments = (Attachment("reaction", name=reaction.get("emoji") or None),)
    else:
        return Decoded(None)
    context = message.get("context") or {}
    event = Event(
        channel=CHANNEL,
        chat=ChatRef(id=person, kind=ChatKind.PRIVATE, title=name),
        sender=Sender(id=person, name=name),
        ref=str(message.get("id", "")),
        text=text,
        button=button,
        attachments=attachments,
        update_id=str(message.get("id", "")),
        reply_to=str(context["id"]) if context.get("id") else None,
    )
    return Decoded(event)
