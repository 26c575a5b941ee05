"""What the fake Telegram remembers about chats: messages, topics, blocks, members, files.

Imitated behaviour:

* message ids are allocated per chat from one sequence shared by the bot's messages,
  users' messages and forum-topic creation (a topic's ``message_thread_id`` is the id of
  its service message), so they interleave as in a real chat;
* a chat first seen in an update keeps the shape the update gave it; an unknown chat id
  gets a default shape from Telegram's id ranges (positive: private, ``-100...``:
  supergroup, other negative: group);
* a topic the bot creates starts with a ``forum_topic_created`` service message from the
  bot (kept apart from ``sent``); messages in the topic reply to it, as on Telegram;
* a string ``chat_id`` must be ``@username`` of a known chat, else "chat not found";
* users who block the bot / groups that remove it (seen as ``my_chat_member`` updates)
  refuse further messages with 403, as after ``FakeBotAPI.block``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from . import builders, errors

JsonDict = dict[str, Any]
DEFAULT_TOPIC_COLOR = 7322096  # 0x6FB9F0, the first of Telegram's six topic colours


@dataclass
class Topic:
    thread_id: int
    name: str
    icon_color: int = DEFAULT_TOPIC_COLOR
    icon_custom_emoji_id: str | None = None
    closed: bool = False
    deleted: bool = False

    def as_forum_topic(self) -> JsonDict:
        result: JsonDict = {
            "message_thread_id": self.thread_id,
            "name": self.name,
            "icon_color": self.icon_color,
        }
        if self.icon_custom_emoji_id:
            result["icon_custom_emoji_id"] = self.icon_custom_emoji_id
        return result


@dataclass
class ChatState:
    chat: JsonDict
    last_message_id: int = 0
    sent: dict[int, JsonDict] = field(default_factory=dict)  # the bot's messages, current state
    incoming: dict[int, JsonDict] = field(default_factory=dict)  # users' messages
    service: dict[int, JsonDict] = field(default_factory=dict)  # topics' first messages
    topics: dict[int, Topic] = field(default_factory=dict)
    blocked: str | None = None  # the 403 description while the bot may not write here

    @property
    def id(self) -> int:
        return int(self.chat["id"])

    @property
    def type(self) -> str:
        return str(self.chat["type"])

    @property
    def is_private(self) -> bool:
        return self.type == "private"

    def next_message_id(self) -> int:
        self.last_message_id += 1
        return self.last_message_id

    def find(self, message_id: int) -> JsonDict | None:
        return (
            self.sent.get(message_id)
            or self.incoming.get(message_id)
            or self.service.get(message_id)
        )

    def thread(self, thread_id: int) -> Topic:
        """The open topic a message is sent into, or Telegram's refusal."""
        topic = self.topics.get(thread_id)
        if topic is None or topic.deleted:
            raise errors.bad_request(errors.THREAD_NOT_FOUND)
        if topic.closed:
            raise errors.bad_request(errors.TOPIC_CLOSED)
        return topic

    def topic(self, thread_id: int) -> Topic:
        """A topic to manage (edit/close/reopen/delete)."""
        topic = self.topics.get(thread_id)
        if topic is None or topic.deleted:
            raise errors.bad_request(errors.TOPIC_ID_INVALID)
        return topic

    def forget_thread(self, thread_id: int) -> None:
        """Deleting a topic deletes every message in it."""
        self.service.pop(thread_id, None)
        for store in (self.sent, self.incoming):
            doomed = [m for m, msg in store.items() if msg.get("message_thread_id") == thread_id]
            for message_id in doomed:
                del store[message_id]


class World:
    """All chats the fake knows, plus bot-wide state (callbacks, files, members)."""

    def __init__(self) -> None:
        self.chats: dict[int, ChatState] = {}
        self.callback_queries: set[str] = set()
        self.members: dict[tuple[int, int], str] = {}
        self.files: dict[str, bytes] = {}
        self._file_numbers = itertools.count(1)

    def chat(self, chat_id: int) -> ChatState:
        state = self.chats.get(chat_id)
        if state is None:
            state = ChatState(builders.chat(chat_id, first_name="User"))
            self.chats[chat_id] = state
        return state

    def resolve(self, chat_id: int | str) -> ChatState:
        """The chat a ``chat_id`` parameter names (an id or ``@username``)."""
        if isinstance(chat_id, int):
            return self.chat(chat_id)
        username = chat_id.removeprefix("@")
        if chat_id.startswith("@"):
            for state in self.chats.values():
                if state.chat.get("username") == username:
                    return state
        raise errors.bad_request(errors.CHAT_NOT_FOUND)

    def new_file_id(self, kind: str) -> tuple[str, str]:
        number = next(self._file_numbers)
        return f"{kind}-{number:06d}", f"u{kind}-{number:06d}"

    # -- learning from pushed updates --------------------------------------------------------

    def observe_update(self, update: JsonDict) -> None:
        """Remember what a pushed update tells about chats, messages and callbacks."""
        for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
            if isinstance(update.get(key), dict):
                self.observe_message(update[key])
        query = update.get("callback_query")
        if isinstance(query, dict):
            self.callback_queries.add(str(query.get("id")))
        member_update = update.get("my_chat_member")
        if isinstance(member_update, dict):
            self._observe_membership(member_update)

    def observe_message(self, message: JsonDict) -> None:
        state = self._observe_chat(message["chat"])
        state.incoming[message["message_id"]] = message
        state.last_message_id = max(state.last_message_id, message["message_id"])
        thread_id = message.get("message_thread_id")
        if thread_id is not None and thread_id not in state.topics:
            state.topics[thread_id] = Topic(thread_id, name=f"Topic {thread_id}")

    def _observe_chat(self, chat: JsonDict) -> ChatState:
        state = self.chat(chat["id"])
        state.chat = {**state.chat, **chat}
        return state

    def _observe_membership(self, member_update: JsonDict) -> None:
        state = self._observe_chat(member_update["chat"])
        status = member_update["new_chat_member"]["status"]
        if status in ("kicked", "left"):
            state.blocked = blocked_description(state)
        else:
            state.blocked = None


def blocked_description(state: ChatState) -> str:
    """The 403 Telegram gives for a chat where the bot may no longer write."""
    if state.is_private:
        return errors.BOT_BLOCKED
    if state.type == "supergroup":
        return errors.BOT_KICKED_FROM_SUPERGROUP
    return errors.BOT_KICKED_FROM_GROUP
