"""Relay texts combined into one message in a group short of budget (Telegram: 20 a
minute per group), so that a burst is combined, never dropped; and the parcel a courier
hands to the app for one send, combined or not (:func:`parcel_of`).

The home of ``COMBINE_SEPARATOR`` (between messages combined into one) and of the margin
kept under ``TEXT_LIMIT``."""

from __future__ import annotations

from collections.abc import Sequence

from bot.delivery.courier import Parcel
from bot.delivery.limits import utf16_len
from models.message_limits import TEXT_LIMIT
from models.outbox import OutboxMessage
from models.outbox_files import UPLOAD

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


def parcel_of(rows: Sequence[OutboxMessage], upload: tuple[str, bytes, str] | None) -> Parcel:
    """One send of ``rows`` (one message, or relay texts combined): the first row says
    where and how; ``upload`` is the stored file its attachment names, if it still is."""
    first = rows[0]
    return Parcel(
        chat_id=first.chat_id,
        text=COMBINE_SEPARATOR.join(r.text for r in rows),
        thread=first.thread,
        buttons=first.button_rows(),
        attachment_kind=first.attachment_kind,
        # a stored file that is gone leaves the text alone, never a bogus file id
        attachment_file_id=None
        if first.attachment_kind == UPLOAD and upload is None
        else first.attachment_file_id,
        upload=upload,
        edit=first.edit_ref,
        file_name=first.file_name,
        file_mime=first.file_mime,
        file_content=first.file_content,
        lane=first.lane,
        outbox_id=first.id,
        campaign=first.campaign,
    )
