"""Plain records the fake hands to tests: recorded calls, uploaded files, webhook deliveries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class UploadedFile:
    """A multipart part that carried a file (``InputFile`` in Bot API terms)."""

    filename: str
    content_type: str
    data: bytes

    def __repr__(self) -> str:
        return f"UploadedFile({self.filename!r}, {self.content_type!r}, {len(self.data)} bytes)"


@dataclass(frozen=True, eq=False)
class Call:
    """One Bot API request as the fake saw and answered it.

    ``method`` is the canonical spelling from the spec (``sendMessage`` even if the client
    asked for ``SENDMESSAGE``); ``params`` are the decoded parameters (form strings turned
    into ints/bools/JSON objects as Telegram does); ``response`` is the JSON body sent
    back; ``at`` is ``time.monotonic()`` when the answer was ready.  ``files`` holds the
    uploaded multipart parts that are not parameters themselves (``attach://<name>``).
    Calls compare by identity, so two identical requests stay two calls.
    """

    method: str
    params: dict[str, Any]
    response: dict[str, Any]
    status: int
    at: float
    files: dict[str, UploadedFile] = field(default_factory=dict)

    def upload(self, param: str) -> UploadedFile | None:
        """The file uploaded for ``param``, sent either way multipart allows: as the part
        named ``param`` itself (python-telegram-bot) or as a part the parameter names with
        ``attach://<name>`` (aiogram); None when ``param`` is a file id or URL."""
        value = self.params.get(param)
        if isinstance(value, UploadedFile):
            return value
        if isinstance(value, str) and value.startswith("attach://"):
            return self.files.get(value.removeprefix("attach://"))
        return None

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def result(self) -> Any:
        return self.response.get("result")

    @property
    def description(self) -> str | None:
        description = self.response.get("description")
        return description if isinstance(description, str) else None

    def summary(self) -> str:
        """One line for assertion messages."""
        shown = {k: v for k, v in self.params.items() if k in _SUMMARY_KEYS}
        outcome = "ok" if self.ok else f"{self.status} {self.description}"
        return f"{self.method}({shown}) -> {outcome}"


_SUMMARY_KEYS = frozenset(
    {"chat_id", "message_id", "text", "caption", "message_thread_id", "name", "data", "offset"}
)


@dataclass(frozen=True)
class WebhookDelivery:
    """One POST of an update to the bot's webhook, as Telegram would make it."""

    update_id: int
    url: str
    status: int | None  # None when the connection itself failed
    error: str | None = None
