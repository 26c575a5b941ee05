"""calendar reminders announcements

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.types import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _s(length: int) -> sa.String:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", _s(64), nullable=False),
        sa.Column("calendar", _s(32), nullable=False),
        sa.Column("name_id", _s(200), nullable=False),
        sa.Column("name_en", _s(200), nullable=False),
        sa.Column("todo_id", sa.Text(), nullable=False),
        sa.Column("todo_en", sa.Text(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("zone", _s(40), nullable=False),
        sa.Column("local_starts", _s(16), nullable=True),
        sa.Column("local_ends", _s(16), nullable=True),
        sa.Column("all_day", sa.Boolean(), nullable=False),
        sa.Column("office_code", _s(16), nullable=False),
        sa.Column("tiers", _s(64), nullable=False),
        sa.Column("regions", _s(255), nullable=False),
        sa.Column("parties", _s(255), nullable=False),
        sa.Column("system", _s(32), nullable=False),
        sa.Column("faq_ids", _s(255), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("reminders", _s(128), nullable=False),
        sa.Column("opening_notice", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stage"),
        sa.UniqueConstraint("key", name="uq_stage_key"),
    )
    op.create_index("ix_stage_calendar", "stage", ["calendar"], unique=False)
    op.create_index("ix_stage_ends_at", "stage", ["ends_at"], unique=False)
    op.create_table(
        "reminder_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("offset", _s(16), nullable=False),
        sa.Column("zone", _s(40), nullable=False),
        sa.Column(
            "status",
            sa.Enum("sent", "skipped", name="batchstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("reason", _s(32), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["stage_id"], ["stage.id"], name="fk_reminder_batch_stage"),
        sa.PrimaryKeyConstraint("id", name="pk_reminder_batch"),
        sa.UniqueConstraint("stage_id", "offset", "zone", name="uq_reminder_batch"),
    )
    op.create_table(
        "reminder_mute",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("muted_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name="fk_reminder_mute_person"),
        sa.PrimaryKeyConstraint("person_id", name="pk_reminder_mute"),
    )
    op.create_table(
        "broadcast_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("office_code", _s(16), nullable=False),
        sa.Column("registered_by", sa.Integer(), nullable=True),
        sa.Column("registered_at", UTCDateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["chat_id"], ["chat.id"], name="fk_broadcast_group_chat"),
        sa.ForeignKeyConstraint(["registered_by"], ["person.id"], name="fk_broadcast_group_person"),
        sa.PrimaryKeyConstraint("id", name="pk_broadcast_group"),
        sa.UniqueConstraint("chat_id", name="uq_broadcast_group_chat"),
    )
    op.create_table(
        "announcement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_code", _s(16), nullable=False),
        sa.Column("tiers", _s(64), nullable=False),
        sa.Column("parties", _s(255), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("ack", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "queued",
                "sent",
                "cancelled",
                name="announcementstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["person.id"], name="fk_announcement_person"),
        sa.PrimaryKeyConstraint("id", name="pk_announcement"),
    )
    op.create_table(
        "acknowledgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("announcement_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["announcement_id"], ["announcement.id"], name="fk_acknowledgement_announcement"
        ),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name="fk_acknowledgement_person"),
        sa.PrimaryKeyConstraint("id", name="pk_acknowledgement"),
        sa.UniqueConstraint("announcement_id", "person_id", name="uq_acknowledgement"),
    )
    op.create_index(
        "ix_acknowledgement_announcement_id", "acknowledgement", ["announcement_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_acknowledgement_announcement_id", table_name="acknowledgement")
    op.drop_table("acknowledgement")
    op.drop_table("announcement")
    op.drop_table("broadcast_group")
    op.drop_table("reminder_mute")
    op.drop_table("reminder_batch")
    op.drop_index("ix_stage_ends_at", table_name="stage")
    op.drop_index("ix_stage_calendar", table_name="stage")
    op.drop_table("stage")
