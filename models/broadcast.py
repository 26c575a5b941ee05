"""Broadcasts: groups registered to receive them, announcements, and who read them."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from models.stages import join_list, split_list
from models.types import UTCDateTime, enum_type


class BroadcastGroup(SQLModel, table=True):
    """A group chat that receives the reminders and announcements of an office's area,
    registered from inside the group by an officer."""

    __tablename__ = "broadcast_group"
    __table_args__ = (sa.UniqueConstraint("chat_id", name="uq_broadcast_group_chat"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(foreign_key="chat.id")
    office_code: str = Field(max_length=16)
    registered_by: int | None = Field(default=None, foreign_key="person.id")
    registered_at: datetime = Field(sa_type=UTCDateTime)
    active: bool = Field(default=True)


def register_group(
    session: Session, *, chat_id: int, office_code: str, person_id: int | None, now: datetime
) -> BroadcastGroup:
    """Registers (or re-registers, possibly for another office) a group for broadcasts."""
    group = session.exec(select(BroadcastGroup).where(BroadcastGroup.chat_id == chat_id)).first()
    if group is None:
        group = BroadcastGroup(chat_id=chat_id, office_code=office_code, registered_at=now)
    group.office_code = office_code
    group.registered_by = person_id
    group.registered_at = now
    group.active = True
    session.add(group)
    session.flush()
    return group


def unregister_group(session: Session, chat_id: int) -> bool:
    group = session.exec(select(BroadcastGroup).where(BroadcastGroup.chat_id == chat_id)).first()
    if group is None or not group.active:
        return False
    group.active = False
    session.add(group)
    return True


def find_group(session: Session, chat_id: int) -> BroadcastGroup | None:
    return session.exec(
        select(BroadcastGroup).where(
            BroadcastGroup.chat_id == chat_id, col(BroadcastGroup.active).is_(True)
        )
    ).first()


class AnnouncementStatus(enum.StrEnum):
    DRAFT = "draft"
    QUEUED = "queued"  # confirmed; a tick puts it in the outbox in chunks
    SENT = "sent"  # put in the outbox for every recipient
    CANCELLED = "cancelled"


class Announcement(SQLModel, table=True):
    """A message from an office to an audience: the office and those below it, optionally
    only some tiers and parties. ``ack`` adds an "I have read this" button."""

    __tablename__ = "announcement"

    id: int | None = Field(default=None, primary_key=True)
    office_code: str = Field(max_length=16)
    tiers: str = Field(default="", max_length=64)
    parties: str = Field(default="", max_length=255)
    text: str = Field(sa_type=sa.Text)
    ack: bool = Field(default=False)
    status: AnnouncementStatus = Field(
        default=AnnouncementStatus.DRAFT, sa_type=enum_type(AnnouncementStatus, 16)
    )
    created_by: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    recipients: int = Field(default=0)

    @property
    def tier_list(self) -> tuple[str, ...]:
        return split_list(self.tiers)

    @property
    def party_list(self) -> tuple[str, ...]:
        return split_list(self.parties)

    @property
    def campaign(self) -> str:
        """The outbox campaign of its messages (recipient = chat id)."""
        return f"ann:{self.id}:m"

    @property
    def campaign_prefix(self) -> str:
        return f"ann:{self.id}:"

    def toggle_tier(self, tier: str) -> None:
        self.tiers = join_list(_toggled(self.tier_list, tier))

    def toggle_party(self, party: str) -> None:
        self.parties = join_list(_toggled(self.party_list, party))


def _toggled(items: Iterable[str], item: str) -> list[str]:
    current = list(items)
    return [i for i in current if i != item] if item in current else sorted([*current, item])


class Acknowledgement(SQLModel, table=True):
    """A person pressed "I have read this" under an announcement."""

    __tablename__ = "acknowledgement"
    __table_args__ = (
        sa.UniqueConstraint("announcement_id", "person_id", name="uq_acknowledgement"),
    )

    id: int | None = Field(default=None, primary_key=True)
    announcement_id: int = Field(foreign_key="announcement.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    at: datetime = Field(sa_type=UTCDateTime)


def acknowledge(session: Session, announcement_id: int, person_id: int, now: datetime) -> bool:
    """Records that a person read an announcement; False when they already had."""
    exists = session.exec(
        select(Acknowledgement.id).where(
            Acknowledgement.announcement_id == announcement_id,
            Acknowledgement.person_id == person_id,
        )
    ).first()
    if exists is not None:
        return False
    try:
        with session.begin_nested():
            session.add(
                Acknowledgement(announcement_id=announcement_id, person_id=person_id, at=now)
            )
            session.flush()
    except sa.exc.IntegrityError:
        return False
    return True


def acknowledged_by(session: Session, announcement_id: int) -> set[int]:
    return set(
        session.exec(
            select(Acknowledgement.person_id).where(
                Acknowledgement.announcement_id == announcement_id
            )
        )
    )
