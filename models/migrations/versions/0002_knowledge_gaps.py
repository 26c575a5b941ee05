"""knowledge gaps

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.types import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kb_gap",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("question", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("normalised", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("lang", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "unanswered", "still_need_help", name="gapreason", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("entry_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("top_ids", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name="fk_kb_gap_person_id"),
        sa.PrimaryKeyConstraint("id", name="pk_kb_gap"),
    )
    with op.batch_alter_table("kb_gap", schema=None) as batch_op:
        batch_op.create_index("ix_kb_gap_at", ["at"], unique=False)
        batch_op.create_index("ix_kb_gap_person_id", ["person_id"], unique=False)
        batch_op.create_index("ix_kb_gap_normalised_at", ["normalised", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kb_gap", schema=None) as batch_op:
        batch_op.drop_index("ix_kb_gap_normalised_at")
        batch_op.drop_index("ix_kb_gap_person_id")
        batch_op.drop_index("ix_kb_gap_at")
    op.drop_table("kb_gap")
