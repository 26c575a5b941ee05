"""Dispatch of Bot API methods to the fake's handlers, and the chat-level methods.

Each handler receives the decoded, spec-checked parameters (uploads already resolved to
``UploadedFile``) and returns the ``result`` Telegram would return, shaped as the
spec's return type, or raises ``ApiError`` with Telegram's refusal.  Messages are handled
in ``messaging``; here live identity, chats, members, files, callback answers, commands
and forum topics.  Imitated behaviour:

* ``getMe`` is the bot user (``is_bot`` true, ``username``);
* ``answerCallbackQuery`` only accepts ids of callback queries pushed as updates
  ("query is too old and response timeout expired or query ID is invalid" otherwise);
* ``setMyCommands`` refuses command names other than 1-32 of ``a-z0-9_``
  (BOT_COMMAND_INVALID) and stores commands per scope and language for getMyCommands;
* ``createForumTopic`` returns a ForumTopic whose ``message_thread_id`` is the next
  message id of the chat (the topic's service message, from the bot, which later
  messages in the topic reply to), refused in basic groups;
  ``editForumTopic``/``closeForumTopic``/``reopenForumTopic`` refuse no-op changes with
  TOPIC_NOT_MODIFIED and unknown topics with TOPIC_ID_INVALID; ``deleteForumTopic``
  deletes the topic's messages too.

Any other ``send*`` method returning a Message produces one; any other valid method
answers ``true``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

from . import builders, errors
from .limits import RateLimiter, Stats
from .messaging import Messaging
from .spec import BotApiSpec
from .state import DEFAULT_TOPIC_COLOR, ChatState, Topic, World

JsonDict = dict[str, Any]
Handler = Callable[[JsonDict], Any]

_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")


class BotMethods:
    """The Bot API as it acts on the fake's ``World``."""

    def __init__(
        self,
        spec: BotApiSpec,
        world: World,
        bot_user: JsonDict,
        stats: Stats,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.spec = spec
        self.world = world
        self.bot_user = bot_user
        self.commands: dict[str, list[JsonDict]] = {}
        self.messaging = messaging = Messaging(world, bot_user, stats, limiter)
        self._handlers: dict[str, Handler] = {
            "getMe": self.get_me,
            "sendMessage": messaging.send_message,
            "sendPhoto": messaging.send_photo,
            "sendMediaGroup": messaging.send_media_group,
            "copyMessage": messaging.copy_message,
            "copyMessages": messaging.copy_messages,
            "forwardMessage": messaging.forward_message,
            "forwardMessages": messaging.forward_messages,
            "editMessageText": messaging.edit_message_text,
            "editMessageCaption": messaging.edit_message_caption,
            "editMessageReplyMarkup": messaging.edit_message_reply_markup,
            "deleteMessage": messaging.delete_message,
            "deleteMessages": messaging.delete_messages,
            "sendChatAction": messaging.send_chat_action,
            "answerCallbackQuery": self.answer_callback_query,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "getChat": self.get_chat,
            "getChatMember": self.get_chat_member,
            "getChatAdministrators": self.get_chat_administrators,
            "getFile": self.get_file,
            "createForumTopic": self.create_forum_topic,
            "editForumTopic": self.edit_forum_topic,
            "closeForumTopic": self.close_forum_topic,
            "reopenForumTopic": self.reopen_forum_topic,
            "deleteForumTopic": self.delete_forum_topic,
        }

    def call(self, method: str, params: JsonDict) -> Any:
        handler = self._handlers.get(method)
        if handler is not None:
            return handler(params)
        if method.startswith("send") and "Message" in self.spec.returns(method):
            return self.messaging.send_media(method.removeprefix("send"), params)
        return True

    # -- identity and chats ----------------------------------------------------------------

    def get_me(self, params: JsonDict) -> JsonDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def get_chat(self, params: JsonDict) -> JsonDict:
        chat = self.world.resolve(params["chat_id"])
        gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
        return {
            **chat.chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys((*gifts, "gifts_from_channels"), False),
        }

    def get_chat_member(self, params: JsonDict) -> JsonDict:
        chat = self.world.resolve(params["chat_id"])
        return self._member(chat, params["user_id"])

    def get_chat_administrators(self, params: JsonDict) -> list[JsonDict]:
        chat = self.world.resolve(params["chat_id"])
        users = {user_id for chat_id, user_id in self.world.members if chat_id == chat.id}
        members = [self._member(chat, user_id) for user_id in sorted(users | {self.bot_user["id"]})]
        return [m for m in members if m["status"] in ("creator", "administrator")]

    def _member(self, chat: ChatState, user_id: int) -> JsonDict:
        if user_id == self.bot_user["id"]:
            default = "member" if chat.is_private else "administrator"
            user = self.bot_user
        else:
            default = "member"
            known = self.world.chats.get(user_id)
            name = known.chat.get("first_name", "User") if known else "User"
            user = builders.user(user_id, first_name=name, language_code=None)
        status = self.world.members.get((chat.id, user_id), default)
        return builders.chat_member(status, user)

    def get_file(self, params: JsonDict) -> JsonDict:
        file_id: str = params["file_id"]
        data = self.world.files.get(file_id)
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(data) if data is not None else 1024,
            "file_path": f"files/{file_id}",
        }

    # -- callbacks and commands ----------------------------------------------------------------

    def answer_callback_query(self, params: JsonDict) -> bool:
        if params["callback_query_id"] not in self.world.callback_queries:
            raise errors.bad_request(errors.QUERY_ID_INVALID)
        return True

    def set_my_commands(self, params: JsonDict) -> bool:
        for command in params["commands"]:
            if not _COMMAND_NAME_RE.fullmatch(command["command"]):
                raise errors.bad_request(errors.BOT_COMMAND_INVALID)
        self.commands[_commands_key(params)] = params["commands"]
        return True

    def get_my_commands(self, params: JsonDict) -> list[JsonDict]:
        return self.commands.get(_commands_key(params), [])

    def delete_my_commands(self, params: JsonDict) -> bool:
        self.commands.pop(_commands_key(params), None)
        return True

    # -- forum topics --------------------------------------------------------------------------

    def create_forum_topic(self, params: JsonDict) -> JsonDict:
        chat = self.world.resolve(params["chat_id"])
        if chat.type in ("group", "channel"):
            raise errors.bad_request(errors.CHAT_NOT_FORUM)
        topic = Topic(
            chat.next_message_id(),  # the id of the "topic created" service message
            name=params["name"],
            icon_color=params.get("icon_color", DEFAULT_TOPIC_COLOR),
            icon_custom_emoji_id=params.get("icon_custom_emoji_id"),
        )
        chat.topics[topic.thread_id] = topic
        if chat.type == "supergroup":
            chat.chat["is_forum"] = True
        chat.service[topic.thread_id] = {
            "message_id": topic.thread_id,
            "from": self.bot_user,
            "chat": dict(chat.chat),
            "date": int(time.time()),
            "message_thread_id": topic.thread_id,
            "is_topic_message": True,
            "forum_topic_created": {"name": topic.name, "icon_color": topic.icon_color},
        }
        return topic.as_forum_topic()

    def edit_forum_topic(self, params: JsonDict) -> bool:
        topic = self._topic(params)
        name = params.get("name", topic.name)
        emoji = params.get("icon_custom_emoji_id", topic.icon_custom_emoji_id)
        if (name, emoji) == (topic.name, topic.icon_custom_emoji_id):
            raise errors.bad_request(errors.TOPIC_NOT_MODIFIED)
        topic.name, topic.icon_custom_emoji_id = name, emoji or None
        return True

    def close_forum_topic(self, params: JsonDict) -> bool:
        return self._set_closed(params, closed=True)

    def reopen_forum_topic(self, params: JsonDict) -> bool:
        return self._set_closed(params, closed=False)

    def delete_forum_topic(self, params: JsonDict) -> bool:
        topic = self._topic(params)
        topic.deleted = True
        self.world.resolve(params["chat_id"]).forget_thread(topic.thread_id)
        return True

    def _set_closed(self, params: JsonDict, *, closed: bool) -> bool:
        topic = self._topic(params)
        if topic.closed == closed:
            raise errors.bad_request(errors.TOPIC_NOT_MODIFIED)
        topic.closed = closed
        return True

    def _topic(self, params: JsonDict) -> Topic:
        return self.world.resolve(params["chat_id"]).topic(params["message_thread_id"])


def _commands_key(params: JsonDict) -> str:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps([scope, params.get("language_code", "")], sort_keys=True)
