"""Files the help desk makes itself (a report, a register export) that travel through the
outbox like any message.

An app's ``file_id`` names a file the app already holds; a generated file does not exist
in the app yet, so its bytes are kept here, in the same transaction as the message that
carries it, and uploaded by the delivery worker. The message names it with the
attachment kind :data:`UPLOAD` and the file's id.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, select

from models.outbox import Lane, OutboxMessage, enqueue
from models.types import UTCDateTime

UPLOAD = "upload"  # attachment kind of an outbox message whose file is an OutboxFile


class OutboxFile(SQLModel, table=True):
    __tablename__ = "outbox_file"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    mime: str = Field(default="application/octet-stream", max_length=120)
    content: bytes = Field(sa_type=sa.LargeBinary)
    created_at: datetime = Field(sa_type=UTCDateTime)


def already_queued(session: Session, campaign: str, recipient: str) -> bool:
    """Whether this (campaign, recipient) is in the outbox, in any state: a caller that
    would spend time making a file asks first."""
    found = session.exec(
        select(OutboxMessage.id).where(
            OutboxMessage.campaign == campaign, OutboxMessage.recipient == recipient
        )
    ).first()
    return found is not None


def enqueue_file(
    session: Session,
    *,
    campaign: str,
    recipient: str,
    channel: str,
    chat_id: str,
    caption: str,
    name: str,
    content: bytes,
    mime: str,
    lane: Lane,
    now: datetime,
    thread: str | None = None,
) -> OutboxMessage | None:
    """A generated file, with ``caption``, into the outbox; None (and nothing stored)
    when this (campaign, recipient) is there already."""
    if already_queued(session, campaign, recipient):
        return None
    stored = OutboxFile(name=name[:120], mime=mime[:120], content=content, created_at=now)
    session.add(stored)
    session.flush()
    message = enqueue(
        session,
        campaign=campaign,
        recipient=recipient,
        channel=channel,
        chat_id=chat_id,
        text=caption,
        lane=lane,
        now=now,
        thread=thread,
        attachment=(UPLOAD, str(stored.id)),
    )
    if message is None:
        session.delete(stored)
    return message


def load_upload(session: Session, attachment_file_id: str) -> OutboxFile | None:
    """The stored file an outbox message carries."""
    if not attachment_file_id.isdigit():
        return None
    return session.get(OutboxFile, int(attachment_file_id))
