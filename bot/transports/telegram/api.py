"""The Bot API as the Telegram transport uses it, whichever library carries the calls.

Each runtime (``aiogram``, ``ptb``) implements :class:`BotApi` in a few lines per method;
everything around the calls (the inbox, the conversion into events, retries, splitting,
what a refusal means) is written once, in this package, against this protocol.

A runtime raises its library's own exceptions; :meth:`BotApi.failure` reads one as the
Bot API's error (:class:`ApiFailure`), and ``refusals`` says what that error means.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

# Files sent by their own method (sendPhoto, ...); any other kind goes as a document.
MEDIA_KINDS = ("photo", "video", "voice", "audio", "animation")


@dataclass(frozen=True)
class Key:
    """An inline button: a link (``url``) or a payload sent back when pressed."""

    label: str
    url: str | None = None
    payload: str | None = None


Keyboard = Sequence[Sequence[Key]]


@dataclass(frozen=True)
class Upload:
    """A file the help desk made, sent as a document."""

    name: str
    content: bytes


@dataclass(frozen=True)
class ApiFailure:
    """A failed call in the Bot API's own terms (https://core.telegram.org/bots/api#making-requests)."""

    status: int | None  # the HTTP status; None when no answer came (network trouble)
    description: str
    retry_after: float = 0.0  # ResponseParameters.retry_after
    migrate_to: int | None = None  # ResponseParameters.migrate_to_chat_id
    timed_out: bool = False  # the request went out and no answer came: it may have arrived


@dataclass(frozen=True)
class Me:
    id: int
    username: str


@dataclass(frozen=True)
class ChatInfo:
    """What getChat and getChatMember (for the bot) say, for checking a staff chat."""

    type: str
    title: str
    forum: bool
    status: str  # the bot's ChatMember status
    can_manage_topics: bool


def media_kind(kind: str) -> str:
    """The Bot API's name for a file of ``kind``: its method is ``send_<kind>`` and its
    parameter ``<kind>`` in both libraries."""
    return kind if kind in MEDIA_KINDS else "document"


def inline_keyboard(
    keyboard: Keyboard, button: Callable[..., Any], markup: Callable[..., Any]
) -> Any | None:
    """The library's InlineKeyboardMarkup (``markup``) of its InlineKeyboardButtons
    (``button``): both libraries take the Bot API's field names as keywords."""
    if not keyboard:
        return None
    return markup(
        inline_keyboard=[
            [
                button(text=k.label, url=k.url)
                if k.url
                else button(text=k.label, callback_data=k.payload)
                for k in row
            ]
            for row in keyboard
        ]
    )


def plain_markup(keyboard: Keyboard) -> dict[str, Any] | None:
    """The keyboard as the Bot API's JSON. A text message and an edit, the calls of every
    answer, are made with plain parameters through each library's request layer (its
    errors, timeouts and connection pool stay), not through its ``send_message``: that
    builds the library's object for each button and turns them back into JSON (about
    50 µs of CPU per answer in aiogram, more in python-telegram-bot)."""
    if not keyboard:
        return None
    return {
        "inline_keyboard": [
            [
                {"text": k.label, "url": k.url}
                if k.url
                else {"text": k.label, "callback_data": k.payload}
                for k in row
            ]
            for row in keyboard
        ]
    }


def chat_info_of(chat: Any, member: Any) -> ChatInfo:
    """ChatInfo from either library's getChat and getChatMember answers."""
    return ChatInfo(
        type=chat.type,
        title=chat.title or "",
        forum=bool(chat.is_forum),
        status=member.status,
        can_manage_topics=bool(getattr(member, "can_manage_topics", False)),
    )


class BotApi(Protocol):
    """The calls the help desk makes; message ids and thread ids come back as ints."""

    errors: tuple[type[Exception], ...]  # what the library raises for a failed call

    def failure(self, exc: BaseException) -> ApiFailure | None:
        """The Bot API error behind the library's exception; None for anything else."""
        ...

    def decode(self, payload: str) -> Any:
        """A stored update (JSON) as the library's ``Update`` object, whose fields carry
        the Bot API's names (``message``, ``from_user``, ``chat``...)."""
        ...

    async def get_me(self) -> Me: ...

    async def set_commands(
        self, commands: Sequence[tuple[str, str]], language: str | None
    ) -> None: ...

    async def delete_webhook(self) -> None: ...

    async def set_webhook(self, url: str, secret: str, allowed_updates: Sequence[str]) -> None: ...

    async def get_updates(
        self, offset: int | None, poll_seconds: int, allowed_updates: Sequence[str]
    ) -> list[dict[str, Any]]:
        """The updates as Telegram sent them (JSON objects), stored as they are."""
        ...

    async def send_message(
        self, chat_id: str, text: str, *, html: bool, thread: int | None, keyboard: Keyboard
    ) -> int: ...

    async def edit_message(
        self, chat_id: str, message_id: int, text: str, keyboard: Keyboard
    ) -> None:
        """Edits an HTML text message of ours."""
        ...

    async def send_file(
        self,
        chat_id: str,
        kind: str,
        file: str | Upload,
        *,
        caption: str | None,
        html: bool,
        thread: int | None,
        keyboard: Keyboard,
    ) -> int:
        """A photo, video, voice, audio, animation or (any other ``kind``) a document, by
        Telegram file id or uploaded."""
        ...

    async def answer_callback(
        self, callback_id: str, text: str | None, alert: bool | None
    ) -> None: ...

    async def fetch_file(self, file_id: str) -> tuple[str, bytes]:
        """A file a person sent (getFile, then the download): its path and its bytes."""
        ...

    async def create_topic(self, chat_id: str, name: str) -> int: ...

    async def close_topic(self, chat_id: str, thread: int) -> None: ...

    async def reopen_topic(self, chat_id: str, thread: int) -> None: ...

    async def chat_info(self, chat_id: str) -> ChatInfo: ...

    async def close(self) -> None: ...
