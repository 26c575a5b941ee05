"""The port between a messaging app and the help desk.

A transport turns an app's update into an :class:`Event` and turns the help desk's
:class:`Reply` and :class:`Toast` values back into API calls. Handlers see only these.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from models import ChatKind


@dataclass(frozen=True)
class ChatRef:
    """Where something happened or is to be said: the app's chat id, and a forum topic."""

    id: str
    kind: ChatKind
    thread: str | None = None
    title: str = ""
    forum: bool = False


@dataclass(frozen=True)
class Sender:
    """Who did it, as the app knows them."""

    id: str
    name: str
    username: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Attachment:
    kind: str  # photo, document, sticker, voice, video, audio, animation, location, contact,
    # reaction (an emoji on one of our messages), other
    file_id: str = ""
    name: str | None = None
    mime: str | None = None
    size: int | None = None


class Membership(enum.StrEnum):
    """What changed about the bot's place in a chat."""

    JOINED = "joined"  # the bot was added to a group
    LEFT = "left"  # the bot was removed from a group
    BLOCKED = "blocked"  # a person blocked the bot in private
    UNBLOCKED = "unblocked"  # a person restarted the bot after blocking it
    RIGHTS_LOST = "rights_lost"  # still in the group, no longer an admin who may run a desk
    RIGHTS_BACK = "rights_back"  # an admin again (with topic rights in a forum)


@dataclass(frozen=True)
class Event:
    """One thing that happened in a chat.

    ``button`` is a pressed button's payload exactly as the app returned it: it is not
    trusted until the help desk has checked its signature. ``reply_to`` is set only for a
    real reply, never for a forum topic's implicit reply to the topic's first message.
    """

    channel: str
    chat: ChatRef
    sender: Sender
    ref: str = ""
    text: str | None = None
    button: str | None = None
    attachments: tuple[Attachment, ...] = ()
    membership: Membership | None = None
    update_id: str | None = None
    reply_to: str | None = None  # the app's id of the message this one answers, if any
    reply_to_sender: Sender | None = None  # who wrote that message (None: unknown, or us)
    moved_to: str | None = None  # the group became a supergroup with this id
    edited: bool = False  # the person edited a message they had sent (``ref``)


@dataclass(frozen=True)
class Button:
    label: str
    payload: str | None = None  # signed; None only for link buttons
    url: str | None = None


@dataclass(frozen=True)
class FileOut:
    """A file made for the person (an .ics calendar, a report), sent with the reply's text
    as its caption."""

    name: str
    content: bytes
    mime: str = "application/octet-stream"


@dataclass(frozen=True)
class Reply:
    """Something to say. ``text`` is a small HTML subset (b, i, a, code) with every piece of
    user text escaped; ``edit`` names a message of ours to replace instead of sending."""

    chat: ChatRef
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: str | None = None
    file: FileOut | None = None


@dataclass(frozen=True)
class Toast:
    """A short notice shown where a button was pressed (Telegram: answerCallbackQuery)."""

    text: str
    alert: bool = False


Out = Reply | Toast


@dataclass(frozen=True)
class Command:
    """A slash command offered in the app's command menu, in one language."""

    name: str
    description: str


@dataclass(frozen=True)
class Outcome:
    """What the help desk did with an event: what to say, and a word for the record."""

    outs: list[Out] = field(default_factory=list)
    note: str = "ok"
