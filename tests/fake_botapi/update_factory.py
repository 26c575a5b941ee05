"""Update builders bound to a running fake: ids allocated, earlier messages looked up.

``FakeBotAPI`` inherits these, so tests write::

    fake.push_update(fake.message_update(chat_id=42, from_id=42, text="/start"))

The shapes are those of ``builders`` (see there for what is imitated).  Here the message
id comes from the chat's own sequence, a reply or a callback carries the current state
of the message it refers to, and the bot user is the fake's own.  ``chat_type`` defaults
from the id range (positive: private, ``-100...``: supergroup, other negative: group) or
from what the fake already knows about the chat.
"""

from __future__ import annotations

import copy
import itertools
import time
from typing import Any

from . import builders
from .state import World

JsonDict = dict[str, Any]


class UpdateFactory:
    """Mixin for ``FakeBotAPI``: builds update dicts (without ``update_id``) to push."""

    _world: World
    bot_user: JsonDict
    _callback_numbers = itertools.count(1)

    def message_update(
        self,
        *,
        chat_id: int,
        from_id: int,
        text: str,
        chat_type: str | None = None,
        first_name: str = "Budi",
        language_code: str = "id",
        thread_id: int | None = None,
        is_topic_message: bool = False,
        reply_to_message_id: int | None = None,
        photo: bool = False,
        document: bool = False,
        document_name: str = "document.pdf",
        chat_title: str | None = None,
    ) -> JsonDict:
        """A ``message`` update from a user; ``chat_type`` defaults from the id range."""
        state = self._world.chat(chat_id)
        chat = builders.chat(
            chat_id,
            chat_type=chat_type or state.type,
            first_name=first_name,
            title=chat_title or state.chat.get("title"),
            is_forum=thread_id is not None or bool(state.chat.get("is_forum")),
        )
        reply_to = None
        if reply_to_message_id is None and is_topic_message and thread_id in state.service:
            # Telegram: a message in a topic that replies to nothing replies to the
            # topic's first message (the "topic created" service message).
            reply_to_message_id = thread_id
        if reply_to_message_id is not None:
            found = state.find(reply_to_message_id)
            if found is None:
                reply_to = {"message_id": reply_to_message_id, "date": 0, "chat": chat}
            else:
                reply_to = {k: v for k, v in found.items() if k != "reply_to_message"}
        message = builders.message(
            message_id=state.next_message_id(),
            date=int(time.time()),
            chat=chat,
            sender=builders.user(from_id, first_name=first_name, language_code=language_code),
            text=text,
            thread_id=thread_id,
            is_topic_message=is_topic_message,
            reply_to_message=copy.deepcopy(reply_to),
            photo=photo,
            document=document,
            document_name=document_name,
        )
        return {"message": message}

    def callback_update(
        self,
        *,
        chat_id: int,
        from_id: int,
        message_id: int,
        data: str,
        chat_type: str | None = None,
        first_name: str = "Budi",
        language_code: str = "id",
    ) -> JsonDict:
        """A button press on the bot's message ``message_id`` (inaccessible if unknown)."""
        state = self._world.chat(chat_id)
        message = state.find(message_id)
        if message is None:  # Telegram sends an InaccessibleMessage (date 0) then
            chat = builders.chat(chat_id, chat_type=chat_type or state.type, first_name=first_name)
            message = {"chat": chat, "message_id": message_id, "date": 0}
        query = builders.callback_query(
            query_id=f"{from_id}{next(self._callback_numbers):08d}",
            sender=builders.user(from_id, first_name=first_name, language_code=language_code),
            message=copy.deepcopy(message),
            data=data,
            chat_instance=f"ci{abs(chat_id)}",
        )
        return {"callback_query": query}

    def my_chat_member_update(
        self,
        *,
        chat_id: int,
        from_id: int,
        old_status: str,
        new_status: str,
        chat_type: str | None = None,
        chat_title: str | None = None,
        first_name: str = "Budi",
    ) -> JsonDict:
        """The bot's membership changed: added/removed in a group, blocked in private."""
        state = self._world.chat(chat_id)
        chat = builders.chat(
            chat_id,
            chat_type=chat_type or state.type,
            first_name=first_name,
            title=chat_title or state.chat.get("title"),
            is_forum=bool(state.chat.get("is_forum")),  # as Telegram says of a forum
        )
        member_update = builders.chat_member_updated(
            chat=chat,
            sender=builders.user(from_id, first_name=first_name),
            member=self.bot_user,
            old_status=old_status,
            new_status=new_status,
            date=int(time.time()),
        )
        return {"my_chat_member": member_update}
