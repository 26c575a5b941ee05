"""The error answers the fake gives, worded as the real Bot API words them.

Telegram answers a failed call with ``{"ok": false, "error_code": N, "description": "..."}``
(plus ``"parameters"`` for flood control).  Client code often branches on these exact
descriptions, so they live here as constants that transports and tests can import.

Descriptions marked *(fake)* are the fake's own wording for a check Telegram words
differently or does not make; everything else is copied from real Telegram answers.
"""

from __future__ import annotations

from typing import Any

UNAUTHORIZED = "Unauthorized"
NOT_FOUND = "Not Found"

MESSAGE_TOO_LONG = "Bad Request: message is too long"
CAPTION_TOO_LONG = "Bad Request: message caption is too long"
MESSAGE_TEXT_EMPTY = "Bad Request: message text is empty"
CANT_PARSE_ENTITIES = "Bad Request: can't parse entities: "  # followed by the parser's reason
UNSUPPORTED_PARSE_MODE = "Bad Request: unsupported parse_mode"
BUTTON_DATA_INVALID = "Bad Request: BUTTON_DATA_INVALID"
TEXT_BUTTONS_UNALLOWED = (
    "Bad Request: can't parse inline keyboard button: "
    "Text buttons are unallowed in the inline keyboard"
)

MESSAGE_TO_EDIT_NOT_FOUND = "Bad Request: message to edit not found"
MESSAGE_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
MESSAGE_CANT_BE_EDITED = "Bad Request: message can't be edited"
NO_TEXT_TO_EDIT = "Bad Request: there is no text in the message to edit"
NO_CAPTION_TO_EDIT = "Bad Request: there is no caption in the message to edit"
MESSAGE_TO_DELETE_NOT_FOUND = "Bad Request: message to delete not found"
MESSAGE_TO_COPY_NOT_FOUND = "Bad Request: message to copy not found"
MESSAGE_TO_FORWARD_NOT_FOUND = "Bad Request: message to forward not found"
REPLY_NOT_FOUND = "Bad Request: message to be replied not found"
CHAT_NOT_FOUND = "Bad Request: chat not found"

TOPIC_CLOSED = "Bad Request: TOPIC_CLOSED"
THREAD_NOT_FOUND = "Bad Request: message thread not found"
TOPIC_ID_INVALID = "Bad Request: TOPIC_ID_INVALID"
TOPIC_NOT_MODIFIED = "Bad Request: TOPIC_NOT_MODIFIED"
CHAT_NOT_FORUM = "Bad Request: the chat is not a forum"

QUERY_ID_INVALID = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)
BOT_COMMAND_INVALID = "Bad Request: BOT_COMMAND_INVALID"
WEBHOOK_HTTPS_REQUIRED = "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"

BOT_BLOCKED = "Forbidden: bot was blocked by the user"
BOT_KICKED_FROM_GROUP = "Forbidden: bot was kicked from the group chat"
BOT_KICKED_FROM_SUPERGROUP = "Forbidden: bot was kicked from the supergroup chat"

WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
TERMINATED_BY_OTHER_GET_UPDATES = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)

TERMINATED_BY_SET_WEBHOOK = "Conflict: terminated by setWebhook request"

#: Default description for a programmed failure (``fail_next``) of a given status.
DEFAULT_DESCRIPTIONS: dict[int, str] = {
    400: "Bad Request",
    401: UNAUTHORIZED,
    403: BOT_BLOCKED,
    404: NOT_FOUND,
    409: TERMINATED_BY_OTHER_GET_UPDATES,
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class ApiError(Exception):
    """A refusal the fake answers with instead of a result."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(description: str) -> ApiError:
    """400 with a full ``"Bad Request: ..."`` description."""
    return ApiError(400, description)


def too_many_requests(retry_after: int) -> ApiError:
    """Flood control: 429 with ``parameters.retry_after`` in whole seconds."""
    return ApiError(
        429,
        f"Too Many Requests: retry after {retry_after}",
        {"retry_after": retry_after},
    )


def missing_field(name: str) -> ApiError:
    """What Telegram answers when a required parameter is absent (``"chat_id is empty"``)."""
    if name == "text":
        return ApiError(400, MESSAGE_TEXT_EMPTY)
    return ApiError(400, f"Bad Request: {name} is empty")
