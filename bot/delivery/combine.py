"""Relay texts combined into one message in a group short of budget (Telegram: 20 a
minute per group), so that a burst is combined, never dropped.

The home of ``COMBINE_SEPARATOR`` (between messages combined into one) and of the margin
kept under ``TEXT_LIMIT``."""

from __future__ import annotations

from bot.delivery.limits import utf16_len
from models.message_limits import TEXT_LIMIT
from models.outbox import OutboxMessage

COMBINE_SEPARATOR = "\n\n"
MARGIN = 200
ROOM_TO_SPARE = 3  # a group with more room than this sends each message on its own


def combinable(rows: list[OutboxMessage], *, private: bool, group_room: int) -> list[OutboxMessage]:
    """The chat's next messages to send as one: consecutive relay texts of one lane."""
    first = rows[0]
    if private or not first.combine or group_room > ROOM_TO_SPARE:
        return [first]
    batch = [first]
    size = utf16_len(first.text)
    for row in rows[1:]:
        if not row.combine or row.lane != first.lane:
            break
        size += utf16_len(COMBINE_SEPARATOR + row.text)
        if size > TEXT_LIMIT - MARGIN:
            break
        batch.append(row)
    return batch
