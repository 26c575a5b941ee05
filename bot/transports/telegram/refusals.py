"""Telegram's refusals, read once: the one home of what an error of the Bot API means.

Both ways into Telegram use it: the answers to an update (``sender``) and the outbox
(``courier``). Each error becomes one of a few outcomes; what to do about it is the
caller's (an answer is retried in place, an outbox message goes back to the worker):

- ``RATE_LIMITED``: 429 Too Many Requests; nothing more to that chat for ``wait``
  seconds (both paths tell the shared ``bot.delivery.limits.Limits``);
- ``BLOCKED``: 403 (blocked, kicked, deactivated) or 400 "chat not found" or "not enough
  rights": stop writing;
- ``CHAT_MOVED``: the group became a supergroup (``moved_to``); the message is not resent;
- ``BAD_PAYLOAD``: 400/404/413: this request will never be taken as it is; ``topic`` says
  when it is because the forum topic was deleted or closed by hand;
- ``TRANSIENT``: network trouble or a 5xx: try again after a pause; ``maybe_delivered``
  when the request went out and no answer came back (a timeout).

Errors that are none of these (401, 409, ...) are not refusals of one message:
``refusal_of`` answers None and the caller lets them through.

Each runtime reads its library's exceptions as the Bot API's error (status, description,
``retry_after``, ``migrate_to_chat_id``: ``api.ApiFailure``); what that error means is
decided here alone, for both.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from http import HTTPStatus

from bot.delivery.courier import Delivery, Verdict
from bot.transports.telegram.api import ApiFailure

TOPIC_GONE = ("message thread not found", "topic_deleted", "thread not found", "topic_id_invalid")
TOPIC_CLOSED = "topic_closed"
CHAT_NOT_FOUND = "chat not found"
NO_RIGHTS = "not enough rights"  # e.g. to create a topic: as good as removed from the chat


class Outcome(enum.StrEnum):
    RATE_LIMITED = "rate_limited"
    BLOCKED = "blocked"
    CHAT_MOVED = "chat_moved"
    BAD_PAYLOAD = "bad_payload"
    TRANSIENT = "transient"


class TopicProblem(enum.StrEnum):
    GONE = "gone"  # deleted by hand
    CLOSED = "closed"


@dataclass(frozen=True)
class Refusal:
    outcome: Outcome
    error: str
    wait: float = 0.0  # RATE_LIMITED: seconds Telegram asks us to wait
    moved_to: int | None = None  # CHAT_MOVED: the supergroup's id
    topic: TopicProblem | None = None  # BAD_PAYLOAD: the forum topic is the reason
    maybe_delivered: bool = False  # TRANSIENT: no answer came; it may have arrived


def refusal_of(failure: ApiFailure) -> Refusal | None:
    """What Telegram's error means for the message that caused it; None for anything that
    is not a refusal of one message (401, 409, ...)."""
    status, message = failure.status, failure.description
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        return Refusal(Outcome.RATE_LIMITED, message, wait=failure.retry_after)
    if failure.migrate_to is not None:
        return Refusal(Outcome.CHAT_MOVED, message, moved_to=failure.migrate_to)
    if status == HTTPStatus.FORBIDDEN:
        return Refusal(Outcome.BLOCKED, message)
    if status in (HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND):
        return _bad_request(message)
    if status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE:
        return Refusal(Outcome.BAD_PAYLOAD, message)
    if status is None:
        return Refusal(Outcome.TRANSIENT, message, maybe_delivered=failure.timed_out)
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return Refusal(Outcome.TRANSIENT, message)
    return None


def token_refused(failure: ApiFailure) -> bool:
    """401: the token was revoked or replaced; retrying cannot help."""
    return failure.status == HTTPStatus.UNAUTHORIZED


def conflict(failure: ApiFailure) -> bool:
    """409: another process polls with this token, or a webhook is set."""
    return failure.status == HTTPStatus.CONFLICT


def _bad_request(message: str) -> Refusal:
    lowered = message.lower()
    if any(gone in lowered for gone in TOPIC_GONE):
        return Refusal(Outcome.BAD_PAYLOAD, message, topic=TopicProblem.GONE)
    if TOPIC_CLOSED in lowered:
        return Refusal(Outcome.BAD_PAYLOAD, message, topic=TopicProblem.CLOSED)
    if CHAT_NOT_FOUND in lowered or NO_RIGHTS in lowered:
        return Refusal(Outcome.BLOCKED, message)
    return Refusal(Outcome.BAD_PAYLOAD, message)


def delivery_of(refusal: Refusal) -> Delivery:
    """The outbox worker's reading of a refusal (``bot.delivery.courier.Verdict``)."""
    match refusal.outcome:
        case Outcome.RATE_LIMITED:
            return Delivery(Verdict.RETRY, wait=refusal.wait, error=refusal.error)
        case Outcome.BLOCKED:
            return Delivery(Verdict.UNREACHABLE, error=refusal.error)
        case Outcome.CHAT_MOVED:
            return Delivery(Verdict.UNREACHABLE, error=f"moved to {refusal.moved_to}")
        case Outcome.BAD_PAYLOAD if refusal.topic is TopicProblem.GONE:
            return Delivery(Verdict.TOPIC_GONE, error=refusal.error)
        case Outcome.BAD_PAYLOAD if refusal.topic is TopicProblem.CLOSED:
            return Delivery(Verdict.TOPIC_CLOSED, error=refusal.error)
        case Outcome.BAD_PAYLOAD:
            return Delivery(Verdict.FAILED, error=refusal.error)
        case Outcome.TRANSIENT if refusal.maybe_delivered:
            return Delivery(Verdict.UNCERTAIN, error=refusal.error)
        case Outcome.TRANSIENT:
            return Delivery(Verdict.RETRY, pause_all=True, error=refusal.error)
