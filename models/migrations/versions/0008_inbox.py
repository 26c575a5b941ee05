"""inbox (updates stored before they are confirmed), answers through the outbox, topic
creation intents

Revision ID: 0008
Revises: 0007_consultation_register
Create Date: 2026-12-07 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.types import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007_consultation_register"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _s(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "inbox_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", _s(32), nullable=False),
        sa.Column("update_id", _s(64), nullable=False),
        sa.Column("chat_key", _s(64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("handled_at", UTCDateTime(), nullable=True),
        sa.Column("error", _s(255), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "update_id", name="uq_inbox_channel_update"),
    )
    op.create_index("ix_inbox_status", "inbox_update", ["status", "id"])
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("edit_ref", _s(32), nullable=True))
        batch.add_column(sa.Column("file_name", _s(255), nullable=True))
        batch.add_column(sa.Column("file_mime", _s(127), nullable=True))
        batch.add_column(sa.Column("file_content", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("topic") as batch:
        batch.add_column(sa.Column("creating_since", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("orphans", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("topic") as batch:
        batch.drop_column("orphans")
        batch.drop_column("creating_since")
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_column("file_content")
        batch.drop_column("file_mime")
        batch.drop_column("file_name")
        batch.drop_column("edit_ref")
    op.drop_index("ix_inbox_status", table_name="inbox_update")
    op.drop_table("inbox_update")
