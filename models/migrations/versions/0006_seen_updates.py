"""seen updates (an update delivered twice is handled once)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.types import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seen_update",
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("update_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "update_id"),
    )
    op.create_index("ix_seen_update_at", "seen_update", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_seen_update_at", table_name="seen_update")
    op.drop_table("seen_update")
