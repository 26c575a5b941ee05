"""Replies written to the outbox's answer lane, in the unit of work that produced them.

The help desk's replies to an update leave through the delivery worker like every other
message, on the first lane (``Lane.ANSWER``), so an update's effects, its "handled" mark
and its replies commit together. Each reply is one (campaign, recipient) of the outbox:
``answer:<channel>:<update id>`` and its position, so writing them again is harmless.
Toasts (a pressed button's short notice) are not written: the transport shows them at
once, and one lost in a crash is harmless (the button can be pressed again).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session

from handlers.port import Out, Reply
from models import Lane
from models.outbox import enqueue_all, outbox_row


def answer_campaign(channel: str, update_id: str) -> str:
    return f"answer:{channel}:{update_id}"


def write_answers(
    session: Session,
    *,
    channel: str,
    campaign: str,
    outs: Sequence[Out],
    now: datetime,
    origin_at: datetime | None = None,
) -> int:
    """Writes the replies among ``outs`` to the outbox (the caller commits), in one
    statement; how many. ``origin_at``: when the update they answer was received, kept on
    the first of them, whose sending ends the answer latency (``bot.metrics``)."""
    rows: list[dict[str, Any]] = []
    for index, out in enumerate(outs):
        if not isinstance(out, Reply):
            continue
        file = out.file
        rows.append(
            outbox_row(
                campaign=campaign,
                recipient=str(index),
                channel=channel,
                chat_id=out.chat.id,
                thread=out.chat.thread,
                text=out.text,
                lane=Lane.ANSWER,
                now=now,
                buttons=[
                    [{"label": b.label, "payload": b.payload, "url": b.url} for b in row]
                    for row in out.buttons
                ],
                edit=out.edit,
                file=(file.name, file.mime, file.content) if file is not None else None,
                origin_at=None if rows else origin_at,  # the first answer's latency
            )
        )
    enqueue_all(session, rows)
    return len(rows)
