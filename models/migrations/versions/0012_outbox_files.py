"""files made by the help desk (reports) that travel through the outbox, and the
register forms officers are filling in a staff chat

Revision ID: 0012_outbox_files
Revises: 0011
Create Date: 2026-12-07 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.types import UTCDateTime

revision: str = "0012_outbox_files"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "outbox_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", _S(length=120), nullable=False),
        sa.Column("mime", _S(length=120), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "register_draft",
        sa.Column("key", _S(length=120), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("register_draft")
    op.drop_table("outbox_file")
