"""What the outbox worker needs from a messaging app, and what the app's answer means."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class Verdict(enum.StrEnum):
    SENT = "sent"  # accepted; ``ref`` is the message id (or the new topic's thread id)
    RETRY = "retry"  # not taken now (429, network down, 5xx): try again after ``wait``
    UNREACHABLE = "unreachable"  # blocked, kicked, chat gone: stop writing there
    FAILED = "failed"  # refused for good (bad request); trying again will not help
    TOPIC_GONE = "topic_gone"  # the forum topic was deleted by hand
    TOPIC_CLOSED = "topic_closed"  # the forum topic is closed
    UNCERTAIN = "uncertain"  # handed over, but no answer came: it may have arrived
    HELD = "held"  # the app may not carry it now (WhatsApp's 24-hour window): it waits


@dataclass(frozen=True)
class Delivery:
    verdict: Verdict
    ref: str | None = None
    wait: float = 0.0  # for RETRY: seconds to wait
    pause_all: bool = False  # for RETRY: the app is not answering, so every chat pauses
    error: str = ""


@dataclass(frozen=True)
class Parcel:
    """One message as the outbox holds it, ready for an app."""

    chat_id: str
    text: str  # the small HTML subset of the port
    thread: str | None = None
    buttons: Sequence[Sequence[dict[str, str | None]]] = ()
    attachment_kind: str | None = None
    attachment_file_id: str | None = None
    edit: str | None = None  # replace this message of ours instead of sending a new one
    file_name: str | None = None  # a file made for the person, uploaded with the text
    file_mime: str | None = None
    file_content: bytes | None = None
    upload: tuple[str, bytes, str] | None = None  # a file we made: name, bytes, type
    lane: int = 0  # models.outbox.Lane: an answer, a relay or a bulk send
    campaign: str = ""  # the outbox campaign it belongs to (what kind of message it is)
    outbox_id: int | None = None  # its outbox row, for an app that echoes a reference


class Courier(Protocol):
    """A messaging app, as the outbox worker uses it. Implementations never raise for an
    app's refusal: they answer with a :class:`Delivery`."""

    channel: str

    def is_private(self, chat_id: str) -> bool: ...

    async def send(self, parcel: Parcel) -> Delivery: ...

    async def create_topic(self, chat_id: str, name: str) -> Delivery: ...

    async def set_topic_closed(self, chat_id: str, thread: str, closed: bool) -> Delivery: ...


class MediaCourier(Courier, Protocol):
    """An app whose files another app may need: a person's photo relayed to a staff chat
    in another app is fetched from the first and uploaded to the second."""

    def owns_media(self, file_id: str) -> bool: ...

    async def fetch_media(self, file_id: str) -> tuple[str, bytes, str] | None: ...
