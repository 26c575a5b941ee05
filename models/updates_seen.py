"""Updates already handled, so that one delivered twice is handled once.

Telegram may deliver the same update again (a webhook answer that came too late, a
restart before the offset was confirmed). Each handled update's (channel, id) is kept
in the same unit of work as what the update changed: a repeat finds it and is skipped;
an update whose handling failed left nothing and is handled when it comes again. Ids
are kept for ``KEEP`` (Telegram re-delivers for at most a day), then forgotten.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, delete

from models.types import UTCDateTime

KEEP = timedelta(days=2)


class SeenUpdate(SQLModel, table=True):
    __tablename__ = "seen_update"
    __table_args__ = (sa.Index("ix_seen_update_at", "at"),)

    channel: str = Field(primary_key=True, max_length=32)
    update_id: str = Field(primary_key=True, max_length=64)
    at: datetime = Field(sa_type=UTCDateTime)


def first_time(session: Session, channel: str, update_id: str, now: datetime) -> bool:
    """Records the update; False when it was recorded before (a repeat)."""
    if session.get(SeenUpdate, (channel, update_id)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(SeenUpdate(channel=channel, update_id=update_id, at=now))
            session.flush()
    except sa.exc.IntegrityError:  # the same update, handled at this moment elsewhere
        return False
    return True


def forget_seen_updates(session: Session, now: datetime) -> int:
    """Forgets updates older than ``KEEP``."""
    result = session.exec(delete(SeenUpdate).where(col(SeenUpdate.at) < now - KEEP))
    return int(result.rowcount or 0)
