"""delivery outbox and staff-chat topics

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.types import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _s(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign", _s(120), nullable=False),
        sa.Column("recipient", _s(64), nullable=False),
        sa.Column("channel", _s(32), nullable=False),
        sa.Column("chat_id", _s(64), nullable=False),
        sa.Column("thread", _s(32), nullable=True),
        sa.Column("topic", _s(120), nullable=True),
        sa.Column("lane", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("buttons", sa.Text(), nullable=False),
        sa.Column("attachment_kind", _s(16), nullable=True),
        sa.Column("attachment_file_id", _s(255), nullable=True),
        sa.Column("combine", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sending_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("message_id", _s(32), nullable=True),
        sa.Column("error", _s(255), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign", "recipient", name="uq_outbox_campaign_recipient"),
    )
    op.create_index("ix_outbox_due", "outbox_message", ["status", "lane", "not_before"])
    op.create_index("ix_outbox_sent_ref", "outbox_message", ["channel", "chat_id", "message_id"])
    op.create_table(
        "topic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", _s(120), nullable=False),
        sa.Column("channel", _s(32), nullable=False),
        sa.Column("chat_id", _s(64), nullable=False),
        sa.Column("name", _s(128), nullable=False),
        sa.Column("thread", _s(32), nullable=True),
        sa.Column("wanted", sa.String(length=8), nullable=False),
        sa.Column("actual", sa.String(length=8), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("recreated", sa.Integer(), nullable=False),
        sa.Column("error", _s(255), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key", name="uq_topic_key"),
    )
    op.create_index("ix_topic_thread", "topic", ["channel", "chat_id", "thread"])


def downgrade() -> None:
    op.drop_index("ix_topic_thread", table_name="topic")
    op.drop_table("topic")
    op.drop_index("ix_outbox_sent_ref", table_name="outbox_message")
    op.drop_index("ix_outbox_due", table_name="outbox_message")
    op.drop_table("outbox_message")
