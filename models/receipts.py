"""What a messaging app reports about a message after accepting it (WhatsApp's delivery
statuses: sent, delivered, read, failed), recorded on the outbox row it belongs to, and
the customer-service window the app counts from a person's last message.

A status may arrive late, twice or out of order (Meta retries webhooks and does not
promise order): each one only moves a row forward, and "failed" never undoes "read".
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, func, select, update

from models.outbox import OutboxMessage, OutboxStatus
from models.types import UTCDateTime

WINDOW = timedelta(hours=24)  # WhatsApp's customer-service window


class Receipt(enum.StrEnum):
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


def record_receipt(
    session: Session,
    channel: str,
    message_id: str,
    receipt: Receipt,
    at: datetime,
    error: str = "",
    outbox_id: int | None = None,
) -> OutboxMessage | None:
    """Records one status on the row that became ``message_id`` (or, when the app echoes
    it, row ``outbox_id``); None when no row did (a part of a long message, or a message
    sent by hand). A status for a row left ``uncertain`` by a crash (or still ``sending``:
    the restarted process may hear of it before it recovers its rows) proves it was
    sent: it becomes ``sent`` (see :func:`requeue_unconfirmed`). The caller commits."""
    row = session.exec(
        select(OutboxMessage).where(
            OutboxMessage.channel == channel, OutboxMessage.message_id == message_id
        )
    ).first()
    if row is None and outbox_id is not None:
        row = session.get(OutboxMessage, outbox_id)
        if row is None or row.channel != channel:
            return None
        if row.status in (OutboxStatus.UNCERTAIN, OutboxStatus.SENDING) and not row.message_id:
            row.status, row.message_id, row.sent_at, row.error = (
                OutboxStatus.SENT,
                message_id,
                at,
                None,
            )
    if row is None:
        return None
    if receipt is Receipt.DELIVERED and row.delivered_at is None:
        row.delivered_at = at
    elif receipt is Receipt.READ:
        row.delivered_at = row.delivered_at or at
        row.read_at = row.read_at or at
    elif receipt is Receipt.FAILED and row.delivered_at is None:
        row.status = OutboxStatus.FAILED
        row.error = error[:255] or "failed"
    session.add(row)
    return row


def receipt_counts(session: Session, campaign_prefix: str) -> tuple[int, int]:
    """How many messages of the campaigns starting with ``campaign_prefix`` the app
    reported delivered, and read (only apps that report it: WhatsApp)."""
    where = col(OutboxMessage.campaign).startswith(campaign_prefix, autoescape=True)
    delivered = session.exec(
        select(func.count()).where(where, col(OutboxMessage.delivered_at).is_not(None))
    ).one()
    read = session.exec(
        select(func.count()).where(where, col(OutboxMessage.read_at).is_not(None))
    ).one()
    return int(delivered), int(read)


class ContactWindow(SQLModel, table=True):
    """When a person last wrote to the help desk in an app that limits what may be sent
    afterwards (WhatsApp: free-form messages only within 24 hours of it)."""

    __tablename__ = "contact_window"

    channel: str = Field(primary_key=True, max_length=32)
    chat_id: str = Field(primary_key=True, max_length=64)
    last_inbound: datetime = Field(sa_type=UTCDateTime)


def person_wrote(session: Session, channel: str, chat_id: str, at: datetime) -> int:
    """The person wrote at ``at``: the window opens again, and what was held for them
    because it was closed goes out now (how many). The caller commits."""
    window = session.get(ContactWindow, (channel, chat_id))
    if window is None:
        session.add(ContactWindow(channel=channel, chat_id=chat_id, last_inbound=at))
    elif window.last_inbound < at:
        window.last_inbound = at
        session.add(window)
    result = session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.channel) == channel,
            col(OutboxMessage.chat_id) == chat_id,
            col(OutboxMessage.status) == OutboxStatus.HELD,
        )
        .values(status=OutboxStatus.PENDING, not_before=at, error=None)
    )
    return int(result.rowcount or 0)


def window_open(session: Session, channel: str, chat_id: str, now: datetime) -> bool:
    """Whether free-form messages may go to the person now."""
    window = session.get(ContactWindow, (channel, chat_id))
    return window is not None and now - window.last_inbound < WINDOW


def held_for(session: Session, channel: str, chat_id: str) -> int:
    return len(
        session.exec(
            select(OutboxMessage.id).where(
                OutboxMessage.channel == channel,
                OutboxMessage.chat_id == chat_id,
                OutboxMessage.status == OutboxStatus.HELD,
            )
        ).all()
    )


TIER_LOCK = 0x7469_6572  # "tier": the advisory lock the daily count is taken under


class TierUse(SQLModel, table=True):
    """When the help desk last began a conversation with a person who had not written
    within 24 hours (a template outside the window): WhatsApp's daily messaging limit
    counts such people, each once in any 24 hours."""

    __tablename__ = "tier_use"

    channel: str = Field(primary_key=True, max_length=32)
    chat_id: str = Field(primary_key=True, max_length=64)
    at: datetime = Field(sa_type=UTCDateTime, index=True)


def take_tier(session: Session, channel: str, chat_id: str, tier: int, now: datetime) -> bool:
    """Whether one more business-initiated message may go to ``chat_id`` under a limit of
    ``tier`` people a day (0: no limit); when it may, it is counted. The caller commits."""
    since = now - WINDOW
    if session.get_bind().dialect.name == "postgresql":
        # Senders count in turn (SQLite's writers already do): two that counted at once
        # would both find room for the last person of the day.
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": TIER_LOCK})
    use = session.get(TierUse, (channel, chat_id))
    if use is not None and use.at > since:
        return True  # already counted today
    if tier:
        counted = session.exec(
            select(func.count()).where(col(TierUse.channel) == channel, col(TierUse.at) > since)
        ).one()
        if int(counted) >= tier:
            return False
    if use is None:
        use = TierUse(channel=channel, chat_id=chat_id, at=now)
    use.at = now
    session.add(use)
    return True


def tier_frees_at(session: Session, channel: str, now: datetime) -> datetime:
    """When the oldest person counted today stops counting (room for one more)."""
    oldest = session.exec(
        select(func.min(TierUse.at)).where(
            col(TierUse.channel) == channel, col(TierUse.at) > now - WINDOW
        )
    ).one()
    return (oldest or now) + WINDOW


def requeue_unconfirmed(session: Session, channel: str, before: datetime) -> int:
    """Messages of an app that reports every message it takes (WhatsApp's statuses, which
    name our row) left ``uncertain`` by a crash and handed over before ``before`` without
    any status since: the app never took them, so they go back in line (how many). The
    caller commits, and chooses ``before`` late enough for delayed statuses to arrive."""
    result = session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.channel) == channel,
            col(OutboxMessage.status) == OutboxStatus.UNCERTAIN,
            col(OutboxMessage.message_id).is_(None),
            col(OutboxMessage.sending_at) < before,
        )
        .values(
            status=OutboxStatus.PENDING,
            error="the app never reported taking it before a restart: sent again",
        )
    )
    return int(result.rowcount or 0)
