"""Sending, copying, forwarding, editing and deleting messages, as Telegram does them.

Imitated behaviour:

* sending (``sendMessage``, ``sendPhoto``, ``sendDocument``, other ``send*`` returning a
  Message, ``sendMediaGroup``, ``copyMessage``, ``forwardMessage``) returns a Message with
  the next message id of the chat, ``date``, the chat, ``from`` = the bot, the content,
  the inline keyboard (reply keyboards are not echoed), ``message_thread_id`` /
  ``is_topic_message`` in a topic and ``reply_to_message`` for ``reply_parameters``
  ("message to be replied not found" unless ``allow_sending_without_reply``);
  ``copyMessage`` returns only a MessageId, as Telegram does; a message to copy or
  forward must exist ("message to copy not found");
* sending into a closed topic is refused with TOPIC_CLOSED, into a deleted or unknown
  thread with "message thread not found";
* uploads get fresh file ids (their bytes are kept for getFile downloads); a file_id
  string is reused as is;
* edits find the bot's message or answer "message to edit not found" (or "message can't
  be edited" for a user's message) and refuse no-op edits with "message is not modified";
  an edit without ``reply_markup`` removes the inline keyboard, as on Telegram;
* flood limits (when configured) are applied when a message is about to be delivered:
  a refused message gets no id and is not counted as delivered.
"""

from __future__ import annotations

import copy
import re
import time
from typing import Any

from . import builders, errors
from .content import check_reply_markup, render_caption, render_text, stored_markup
from .limits import RateLimiter, Stats
from .models import UploadedFile
from .state import ChatState, World

JsonDict = dict[str, Any]

#: Required fields (besides file ids) of media objects a ``send<Kind>`` call produces.
_MEDIA_FIELDS: dict[str, JsonDict] = {
    "document": {},
    "video": {"width": 640, "height": 360, "duration": 1},
    "animation": {"width": 320, "height": 240, "duration": 1},
    "audio": {"duration": 1},
    "voice": {"duration": 1},
    "video_note": {"length": 240, "duration": 1},
}
#: Message fields that make up its content (copied by copyMessage / forwardMessage).
_CONTENT_KEYS = (
    "text", "entities", "link_preview_options", "caption", "caption_entities",
    "show_caption_above_media", "photo", "document", "video", "animation", "audio", "voice",
    "video_note", "sticker", "contact", "location", "venue", "poll", "dice", "has_media_spoiler",
)  # fmt: skip


class Messaging:
    """Message handlers over the fake's ``World``."""

    def __init__(
        self,
        world: World,
        bot_user: JsonDict,
        stats: Stats,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.world = world
        self.bot_user = bot_user
        self.stats = stats
        self.limiter = limiter

    def send_message(self, params: JsonDict) -> JsonDict:
        chat = self.world.resolve(params["chat_id"])
        text, entities = render_text(
            params["text"], params.get("parse_mode"), params.get("entities")
        )
        content: JsonDict = {"text": text}
        if entities:
            content["entities"] = entities
        if "link_preview_options" in params:
            content["link_preview_options"] = params["link_preview_options"]
        return self._deliver(chat, self._compose(chat, params, content))

    def send_photo(self, params: JsonDict) -> JsonDict:
        return self.send_media("Photo", params)

    def send_media(self, kind_name: str, params: JsonDict) -> JsonDict:
        """``sendDocument``, ``sendVideo``, ... and any other ``send*`` returning a Message."""
        chat = self.world.resolve(params["chat_id"])
        kind = re.sub(r"(?<!^)([A-Z])", r"_\1", kind_name).lower()  # VideoNote -> video_note
        content: JsonDict = {}
        if kind in params and (kind == "photo" or kind in _MEDIA_FIELDS):
            content[kind] = self._media_object(kind, params[kind])
        content.update(self._caption(params))
        return self._deliver(chat, self._compose(chat, params, content))

    def send_media_group(self, params: JsonDict) -> list[JsonDict]:
        chat = self.world.resolve(params["chat_id"])
        group_id = str(int(time.time() * 1000))
        drafts = []
        for item in params["media"]:
            content = {item["type"]: self._media_object(item["type"], item["media"])}
            content.update(self._caption(item))
            draft = self._compose(chat, params, content)
            draft["media_group_id"] = group_id
            drafts.append(draft)
        return [self._deliver(chat, draft) for draft in drafts]

    def copy_message(self, params: JsonDict) -> JsonDict:
        chat = self.world.resolve(params["chat_id"])
        source = self._source(params["from_chat_id"], params["message_id"])
        if source is None:
            raise errors.bad_request(errors.MESSAGE_TO_COPY_NOT_FOUND)
        content = _content(source)
        if "caption" in params:
            content.pop("caption", None)
            content.pop("caption_entities", None)
            content.update(self._caption(params))
        message = self._deliver(chat, self._compose(chat, params, content))
        return {"message_id": message["message_id"]}

    def copy_messages(self, params: JsonDict) -> list[JsonDict]:
        chat = self.world.resolve(params["chat_id"])
        results = []
        for message_id in params["message_ids"]:
            source = self._source(params["from_chat_id"], message_id)
            if source is not None:
                delivered = self._deliver(chat, self._compose(chat, params, _content(source)))
                results.append({"message_id": delivered["message_id"]})
        return results

    def forward_message(self, params: JsonDict) -> JsonDict:
        chat = self.world.resolve(params["chat_id"])
        source = self._source(params["from_chat_id"], params["message_id"])
        if source is None:
            raise errors.bad_request(errors.MESSAGE_TO_FORWARD_NOT_FOUND)
        return self._deliver(chat, self._forwarded(chat, params, source))

    def forward_messages(self, params: JsonDict) -> list[JsonDict]:
        chat = self.world.resolve(params["chat_id"])
        results = []
        for message_id in params["message_ids"]:
            source = self._source(params["from_chat_id"], message_id)
            if source is not None:
                delivered = self._deliver(chat, self._forwarded(chat, params, source))
                results.append({"message_id": delivered["message_id"]})
        return results

    def send_chat_action(self, params: JsonDict) -> bool:
        chat = self.world.resolve(params["chat_id"])
        if "message_thread_id" in params:
            chat.thread(params["message_thread_id"])
        return True

    def _forwarded(self, chat: ChatState, params: JsonDict, source: JsonDict) -> JsonDict:
        sender = source.get("from")
        origin: JsonDict
        if sender is not None:
            origin = {"type": "user", "date": source["date"], "sender_user": sender}
        else:
            origin = {"type": "chat", "date": source["date"], "sender_chat": source["chat"]}
        draft = self._compose(chat, params, _content(source))
        draft["forward_origin"] = origin
        return draft

    def _source(self, from_chat_id: int | str, message_id: int) -> JsonDict | None:
        return self.world.resolve(from_chat_id).find(message_id)

    def _caption(self, params: JsonDict) -> JsonDict:
        rendered = render_caption(
            params.get("caption"), params.get("parse_mode"), params.get("caption_entities")
        )
        if rendered is None:
            return {}
        caption, entities = rendered
        content: JsonDict = {"caption": caption}
        if entities:
            content["caption_entities"] = entities
        return content

    def _media_object(self, kind: str, source: UploadedFile | str) -> Any:
        if isinstance(source, UploadedFile) or "://" in source:
            file_id, unique_id = self.world.new_file_id(kind)
            if isinstance(source, UploadedFile):
                self.world.files[file_id] = source.data
        else:
            file_id, unique_id = source, f"u{source}"
        if kind == "photo":
            return builders.photo_sizes(file_id, unique_id)
        media: JsonDict = {"file_id": file_id, "file_unique_id": unique_id}
        if isinstance(source, UploadedFile) and kind in ("document", "audio", "video", "animation"):
            media["file_name"] = source.filename
            media["mime_type"] = source.content_type
        return {**media, **_MEDIA_FIELDS.get(kind, {})}

    def _compose(self, chat: ChatState, params: JsonDict, content: JsonDict) -> JsonDict:
        """A message the bot is about to send, checked as Telegram checks it."""
        message: JsonDict = {
            "message_id": 0,  # allocated on delivery
            "from": self.bot_user,
            "chat": dict(chat.chat),
            "date": int(time.time()),
        }
        thread_id = params.get("message_thread_id")
        if thread_id is not None:
            chat.thread(thread_id)
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        reply = params.get("reply_parameters")
        if reply is not None:
            replied_chat = self.world.resolve(reply.get("chat_id", chat.id))
            replied = replied_chat.find(reply["message_id"])
            if replied is not None:
                message["reply_to_message"] = {
                    k: v for k, v in replied.items() if k != "reply_to_message"
                }
            elif not reply.get("allow_sending_without_reply"):
                raise errors.bad_request(errors.REPLY_NOT_FOUND)
        message.update(copy.deepcopy(content))
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        if inline := stored_markup(markup):
            message["reply_markup"] = inline
        return message

    def _deliver(self, chat: ChatState, message: JsonDict) -> JsonDict:
        """Flood control, then the message exists: it gets its id and is counted."""
        if self.limiter is not None:
            retry_after = self.limiter.acquire(chat.id, private=chat.is_private)
            if retry_after is not None:
                raise errors.too_many_requests(retry_after)
        message["message_id"] = chat.next_message_id()
        chat.sent[message["message_id"]] = message
        self.stats.sent += 1
        self.stats.delivered[chat.id] += 1
        return message

    # -- editing and deleting ------------------------------------------------------------------

    def edit_message_text(self, params: JsonDict) -> JsonDict | bool:
        if "text" not in params:
            raise errors.bad_request(errors.MESSAGE_TEXT_EMPTY)
        text, entities = render_text(
            params["text"], params.get("parse_mode"), params.get("entities")
        )
        check_reply_markup(params.get("reply_markup"))
        message = self._editable(params)
        if message is None:
            return True
        if "text" not in message:
            raise errors.bad_request(errors.NO_TEXT_TO_EDIT)
        changes: JsonDict = {"text": text, "entities": entities or None}
        return self._apply_edit(message, changes, stored_markup(params.get("reply_markup")))

    def edit_message_caption(self, params: JsonDict) -> JsonDict | bool:
        rendered = render_caption(
            params.get("caption"), params.get("parse_mode"), params.get("caption_entities")
        )
        check_reply_markup(params.get("reply_markup"))
        message = self._editable(params)
        if message is None:
            return True
        if "text" in message:
            raise errors.bad_request(errors.NO_CAPTION_TO_EDIT)
        caption, entities = rendered if rendered is not None else (None, [])
        changes: JsonDict = {"caption": caption, "caption_entities": entities or None}
        return self._apply_edit(message, changes, stored_markup(params.get("reply_markup")))

    def edit_message_reply_markup(self, params: JsonDict) -> JsonDict | bool:
        check_reply_markup(params.get("reply_markup"))
        message = self._editable(params)
        if message is None:
            return True
        return self._apply_edit(message, {}, stored_markup(params.get("reply_markup")))

    def _editable(self, params: JsonDict) -> JsonDict | None:
        """The bot's message an edit targets; ``None`` for inline messages."""
        if "inline_message_id" in params:
            return None
        if "chat_id" not in params:
            raise errors.missing_field("chat_id")
        if "message_id" not in params:
            raise errors.bad_request("Bad Request: message identifier is not specified")
        chat = self.world.resolve(params["chat_id"])
        message = chat.sent.get(params["message_id"])
        if message is None:
            if params["message_id"] in chat.incoming:
                raise errors.bad_request(errors.MESSAGE_CANT_BE_EDITED)
            raise errors.bad_request(errors.MESSAGE_TO_EDIT_NOT_FOUND)
        return message

    @staticmethod
    def _apply_edit(message: JsonDict, changes: JsonDict, markup: JsonDict | None) -> JsonDict:
        changes = {**changes, "reply_markup": markup}
        if all(message.get(key) == value for key, value in changes.items()):
            raise errors.bad_request(errors.MESSAGE_NOT_MODIFIED)
        for key, value in changes.items():
            if value is None:
                message.pop(key, None)
            else:
                message[key] = value
        message["edit_date"] = int(time.time())
        return message

    def delete_message(self, params: JsonDict) -> bool:
        chat = self.world.resolve(params["chat_id"])
        if not _forget(chat, params["message_id"]):
            raise errors.bad_request(errors.MESSAGE_TO_DELETE_NOT_FOUND)
        return True

    def delete_messages(self, params: JsonDict) -> bool:
        chat = self.world.resolve(params["chat_id"])
        for message_id in params["message_ids"]:
            _forget(chat, message_id)
        return True


def _content(message: JsonDict) -> JsonDict:
    return {key: message[key] for key in _CONTENT_KEYS if key in message}


def _forget(chat: ChatState, message_id: int) -> bool:
    return (
        chat.sent.pop(message_id, None) is not None
        or chat.incoming.pop(message_id, None) is not None
    )
