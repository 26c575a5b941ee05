"""Update objects shaped exactly as Telegram sends them, for tests to push.

These functions are pure: every identifier is passed in.  ``FakeBotAPI`` has methods of
the same names that allocate message ids, look up the bot's earlier messages and fill in
the bot user, which is what tests normally use::

    fake.push_update(fake.message_update(chat_id=42, from_id=42, text="/start"))

Shapes imitated:

* a text message carries ``entities`` Telegram computes itself: a ``bot_command`` for a
  leading ``/command`` (with an optional ``@botname``) and a ``mention`` for each
  ``@username``; offsets and lengths are in UTF-16 code units;
* a photo or document message puts the text in ``caption``/``caption_entities``; a photo
  arrives as several ``PhotoSize`` objects, smallest first;
* a message in a forum topic has ``message_thread_id`` and ``is_topic_message``; its
  supergroup has ``is_forum``;
* a callback query carries the message the pressed button belongs to;
* ``my_chat_member`` reports the bot's own membership change: added to or removed from
  a group, or blocked (``member`` -> ``kicked``) / unblocked by a user in private.
"""

from __future__ import annotations

import re
from typing import Any

from .html_check import utf16_len

JsonDict = dict[str, Any]

_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")
_MENTION_RE = re.compile(r"(?<![A-Za-z0-9_/@])@[A-Za-z][A-Za-z0-9_]{4,31}(?![A-Za-z0-9_])")

#: Statuses of ``ChatMember`` subtypes and the fields each one requires besides the user.
_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
    "can_manage_topics",
)
_RESTRICTED_RIGHTS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_react_to_messages",
    "can_edit_tag",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
)
CHAT_MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")


def user(
    user_id: int,
    *,
    first_name: str = "Budi",
    language_code: str | None = "id",
    username: str | None = None,
    is_bot: bool = False,
) -> JsonDict:
    result: JsonDict = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if username:
        result["username"] = username
    if language_code:
        result["language_code"] = language_code
    return result


def default_chat_type(chat_id: int) -> str:
    """Telegram's id ranges: users are positive, supergroups/channels ``-100...``."""
    if chat_id > 0:
        return "private"
    return "supergroup" if chat_id <= -1_000_000_000_000 else "group"


def chat(
    chat_id: int,
    *,
    chat_type: str | None = None,
    first_name: str = "Budi",
    title: str | None = None,
    is_forum: bool = False,
) -> JsonDict:
    """A ``Chat``: private chats carry the user's name, groups a title."""
    chat_type = chat_type or default_chat_type(chat_id)
    result: JsonDict = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        result["first_name"] = first_name
    else:
        result["title"] = title or f"Test {chat_type} {chat_id}"
    if is_forum and chat_type == "supergroup":
        result["is_forum"] = True
    return result


def text_entities(text: str) -> list[JsonDict]:
    """The entities Telegram derives from plain text: a leading command and mentions."""
    entities: list[JsonDict] = []
    command = _COMMAND_RE.match(text)
    if command:
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command[0])})
    entities.extend(
        {
            "type": "mention",
            "offset": utf16_len(text[: mention.start()]),
            "length": utf16_len(mention[0]),
        }
        for mention in _MENTION_RE.finditer(text)
    )
    return entities


def photo_sizes(file_id: str, file_unique_id: str) -> list[JsonDict]:
    """A photo as Telegram delivers it: the same picture in several sizes, smallest first."""
    sizes = ((90, 67, 1_234, "s"), (320, 240, 15_321, "m"), (1280, 960, 98_765, "y"))
    return [
        {
            "file_id": f"{file_id}-{suffix}",
            "file_unique_id": f"{file_unique_id}-{suffix}",
            "width": width,
            "height": height,
            "file_size": size,
        }
        for width, height, size, suffix in sizes
    ]


def document_object(
    file_id: str,
    file_unique_id: str,
    *,
    file_name: str = "document.pdf",
    mime_type: str = "application/pdf",
    file_size: int = 54_321,
) -> JsonDict:
    return {
        "file_id": file_id,
        "file_unique_id": file_unique_id,
        "file_name": file_name,
        "mime_type": mime_type,
        "file_size": file_size,
    }


def message(
    *,
    message_id: int,
    date: int,
    chat: JsonDict,
    sender: JsonDict,
    text: str,
    thread_id: int | None = None,
    is_topic_message: bool = False,
    reply_to_message: JsonDict | None = None,
    photo: bool = False,
    document: bool = False,
    document_name: str = "document.pdf",
) -> JsonDict:
    """An incoming ``Message`` from a user; with photo/document, ``text`` is the caption."""
    result: JsonDict = {
        "message_id": message_id,
        "from": sender,
        "chat": chat,
        "date": date,
    }
    if thread_id is not None:
        result["message_thread_id"] = thread_id
    if is_topic_message:
        result["is_topic_message"] = True
    if reply_to_message is not None:
        result["reply_to_message"] = reply_to_message
    key = f"{chat['id']}-{message_id}"
    if photo:
        result["photo"] = photo_sizes(f"photo-{key}", f"uphoto-{key}")
    if document:
        result["document"] = document_object(f"doc-{key}", f"udoc-{key}", file_name=document_name)
    if photo or document:
        if text:
            result["caption"] = text
            if entities := text_entities(text):
                result["caption_entities"] = entities
    else:
        result["text"] = text
        if entities := text_entities(text):
            result["entities"] = entities
    return result


def callback_query(
    *,
    query_id: str,
    sender: JsonDict,
    message: JsonDict,
    data: str,
    chat_instance: str,
) -> JsonDict:
    return {
        "id": query_id,
        "from": sender,
        "message": message,
        "chat_instance": chat_instance,
        "data": data,
    }


def chat_member(status: str, member: JsonDict, *, until_date: int = 0) -> JsonDict:
    """A ``ChatMember`` of the subtype ``status`` names, with its required fields."""
    result: JsonDict = {"status": status, "user": member}
    if status == "creator":
        result["is_anonymous"] = False
    elif status == "administrator":
        result.update(can_be_edited=False, is_anonymous=False)
        result.update(dict.fromkeys(_ADMIN_RIGHTS, True))
        # Not in Bot API 10.1, but aiogram 3.31 refuses an administrator without it.
        result["can_send_welcome_messages"] = False
    elif status == "restricted":
        result["is_member"] = True
        result.update(dict.fromkeys(_RESTRICTED_RIGHTS, False))
        result["until_date"] = until_date
    elif status == "kicked":
        result["until_date"] = until_date
    elif status not in ("member", "left"):
        raise ValueError(f"unknown chat member status {status!r}; one of {CHAT_MEMBER_STATUSES}")
    return result


def chat_member_updated(
    *,
    chat: JsonDict,
    sender: JsonDict,
    member: JsonDict,
    old_status: str,
    new_status: str,
    date: int,
) -> JsonDict:
    return {
        "chat": chat,
        "from": sender,
        "date": date,
        "old_chat_member": chat_member(old_status, member),
        "new_chat_member": chat_member(new_status, member),
    }
