"""Telegram updates as the help desk's neutral events.

The objects read here are either library's (aiogram's or python-telegram-bot's): both
name every field as the Bot API does (``from`` is ``from_user`` in both), so the rules
are written once. Where the two differ, this module reads the common ground: an entity's
text is cut out here (offsets count UTF-16 units), and a pressed button's message may be
an "inaccessible" one without topic fields.

Groups are busy places: there the bot takes only commands meant for it, messages that
mention it, and replies to its own messages. Everything is taken in private chats.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from bot.inbox.intake import Decoded
from handlers.port import Attachment, ChatRef, Event, Membership, Sender
from models import ChatKind

CHANNEL = "telegram"

_KINDS = {
    "private": ChatKind.PRIVATE,
    "group": ChatKind.GROUP,
    "supergroup": ChatKind.GROUP,
    "channel": ChatKind.CHANNEL,
}
_ACTIVE = {"member", "administrator", "creator", "restricted"}


def sender_of(user: Any) -> Sender:
    if user is None:
        return Sender(id="0", name="")
    name = " ".join(p for p in (user.first_name, user.last_name) if p)
    return Sender(id=str(user.id), name=name, username=user.username, language=user.language_code)


def chat_of(message: Any) -> ChatRef:
    chat = message.chat
    # Only a message that is really in a topic carries its thread: the General topic has
    # none, and sending there with a thread id fails (core.telegram.org/bots/api#message).
    thread = str(message.message_thread_id) if message.is_topic_message else None
    title = chat.title or " ".join(p for p in (chat.first_name, chat.last_name) if p)
    return ChatRef(
        id=str(chat.id),
        kind=_KINDS.get(chat.type, ChatKind.GROUP),
        thread=thread,
        title=title,
        forum=bool(chat.is_forum),
    )


def attachments_of(message: Any) -> tuple[Attachment, ...]:
    if message.photo:
        largest = message.photo[-1]
        return (Attachment("photo", largest.file_id, size=largest.file_size),)
    for kind in ("document", "video", "audio", "voice", "animation", "video_note"):
        media = getattr(message, kind)
        if media is not None:
            return (
                Attachment(
                    kind,
                    media.file_id,
                    name=getattr(media, "file_name", None),
                    mime=getattr(media, "mime_type", None),
                    size=media.file_size,
                ),
            )
    if message.sticker:
        return (Attachment("sticker", message.sticker.file_id),)
    if message.location:
        return (Attachment("location"),)
    if message.contact:
        return (Attachment("contact"),)
    if message.poll or message.dice or message.venue or message.game:
        return (Attachment("other"),)
    return ()


def entity_text(text: str, offset: int, length: int) -> str:
    """The piece of ``text`` an entity covers: Telegram counts its offset and length in
    UTF-16 code units, not characters (an emoji before a mention counts two)."""
    units = text.encode("utf-16-le")
    return units[offset * 2 : (offset + length) * 2].decode("utf-16-le", errors="replace")


def addressed_text(message: Any, bot_username: str, bot_id: int) -> str | None:
    """The text of a group message meant for the bot, with the mention taken out;
    None when the message is not for the bot."""
    text = message.text or message.caption or ""
    entities = message.entities or message.caption_entities or []
    mention = f"@{bot_username}".lower()
    for entity in entities:
        piece = entity_text(text, entity.offset, entity.length)
        if entity.type == "bot_command" and entity.offset == 0:
            _, _, target = piece.partition("@")
            return text if not target or target.lower() == bot_username.lower() else None
        if entity.type == "mention" and piece.lower() == mention:
            return re.sub(re.escape(piece), "", text, count=1, flags=re.IGNORECASE).strip()
    replied = message.reply_to_message
    # In a forum topic every message "replies" to the topic's first message; only a reply
    # to one of the bot's own messages counts (see DESIGN.md, Telegram facts).
    if (
        replied
        and replied.from_user
        and replied.from_user.id == bot_id
        and not (message.is_topic_message and replied.message_id == message.message_thread_id)
    ):
        return text
    return None


def in_bot_topic(message: Any, bot_id: int) -> bool:
    """Whether the message is in a forum topic the bot opened (a ticket's topic in a staff
    chat): everything said there is for the bot. Telegram marks such a message as a reply
    to the topic's first message, which the bot wrote when it created the topic."""
    root = message.reply_to_message
    return bool(
        message.is_topic_message
        and root is not None
        and root.message_id == message.message_thread_id
        and root.from_user is not None
        and root.from_user.id == bot_id
    )


def replied_to(message: Any) -> tuple[str | None, Sender | None]:
    """The message this one really answers and its author; a forum topic's implicit
    reply to its first message is not an answer to anything."""
    replied = message.reply_to_message
    if replied is None or (
        message.is_topic_message and replied.message_id == message.message_thread_id
    ):
        return None, None
    return str(replied.message_id), sender_of(replied.from_user) if replied.from_user else None


def message_event(message: Any, update_id: int, bot_username: str, bot_id: int) -> Event | None:
    """The event for a message, or None when the bot should ignore it."""
    if message.from_user is not None and message.from_user.id == bot_id:
        return None
    chat = chat_of(message)
    if message.migrate_to_chat_id:
        return Event(
            channel=CHANNEL,
            chat=chat,
            sender=sender_of(message.from_user),
            ref=str(message.message_id),
            update_id=str(update_id),
            moved_to=str(message.migrate_to_chat_id),
        )
    attachments = attachments_of(message)
    if chat.kind is ChatKind.PRIVATE:
        text = message.text or message.caption
    else:
        text = addressed_text(message, bot_username, bot_id)
        if text is None and in_bot_topic(message, bot_id):
            text = message.text or message.caption or ""
        if text is None:
            return None
    if not text and not attachments:
        return None  # service messages: members joined, pinned, topic created, ...
    reply_to, reply_to_sender = replied_to(message)
    return Event(
        channel=CHANNEL,
        chat=chat,
        sender=sender_of(message.from_user),
        ref=str(message.message_id),
        text=text or None,
        attachments=attachments,
        update_id=str(update_id),
        reply_to=reply_to,
        reply_to_sender=reply_to_sender,
    )


def callback_event(query: Any, update_id: int) -> Event | None:
    """The event for a pressed button; None for buttons on messages we cannot see
    (inline-mode messages)."""
    message = query.message
    if message is None or query.data is None:
        return None
    chat = message.chat
    thread = None
    if getattr(message, "is_topic_message", False):  # an inaccessible message has none
        thread = str(message.message_thread_id)
    ref = ChatRef(
        id=str(chat.id),
        kind=_KINDS.get(chat.type, ChatKind.GROUP),
        thread=thread,
        title=chat.title or "",
        forum=bool(chat.is_forum),
    )
    return Event(
        channel=CHANNEL,
        chat=ref,
        sender=sender_of(query.from_user),
        ref=str(message.message_id),
        button=query.data,
        update_id=str(update_id),
    )


def _rights_change(update: Any) -> Membership | None:
    """The bot stays in a group with other rights: it may still run a desk there (an
    admin, allowed to manage topics where there are topics), or no longer."""

    def works(member: object) -> bool:
        status = getattr(member, "status", "")
        if status == "creator":
            return True
        if status != "administrator":
            return False
        return not update.chat.is_forum or bool(getattr(member, "can_manage_topics", False))

    before, after = works(update.old_chat_member), works(update.new_chat_member)
    if before == after:
        return None
    return Membership.RIGHTS_BACK if after else Membership.RIGHTS_LOST


def membership_event(update: Any, update_id: int) -> Event | None:
    """The bot's own membership changed: added to or removed from a group, or (in a
    private chat) blocked or unblocked by the person."""
    old, new = update.old_chat_member.status, update.new_chat_member.status
    private = update.chat.type == "private"
    was_in, is_in = old in _ACTIVE, new in _ACTIVE
    if was_in == is_in and (private or not is_in):
        return None
    if was_in == is_in:  # a change of the bot's rights in a group
        change = _rights_change(update)
        if change is None:
            return None
    elif private:
        change = Membership.UNBLOCKED if is_in else Membership.BLOCKED
    else:
        change = Membership.JOINED if is_in else Membership.LEFT
    chat = update.chat
    title = chat.title or " ".join(p for p in (chat.first_name, chat.last_name) if p)
    ref = ChatRef(
        id=str(chat.id),
        kind=_KINDS.get(chat.type, ChatKind.GROUP),
        title=title,
        forum=bool(chat.is_forum),
    )
    return Event(
        channel=CHANNEL,
        chat=ref,
        sender=sender_of(update.from_user),
        membership=change,
        update_id=str(update_id),
    )


def decoded(update: Any, bot_username: str, bot_id: int) -> Decoded:
    """A decoded update (either library's ``Update``) as the help desk's event."""
    if update.message is not None:
        return Decoded(message_event(update.message, update.update_id, bot_username, bot_id))
    if update.edited_message is not None:
        event = message_event(update.edited_message, update.update_id, bot_username, bot_id)
        return Decoded(dataclasses.replace(event, edited=True) if event else None)
    if update.callback_query is not None:
        query = update.callback_query
        return Decoded(callback_event(query, update.update_id), callback_id=query.id)
    if update.my_chat_member is not None:
        return Decoded(membership_event(update.my_chat_member, update.update_id))
    return Decoded(None)
