"""FAQ drafts made from resolved tickets, and their review

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-07 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.types import UTCDateTime

revision: str = "0011"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "kb_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("ticket_number", _TEXT(length=16), nullable=False),
        sa.Column("office_code", _TEXT(length=16), nullable=False),
        sa.Column("lang", _TEXT(length=8), nullable=False),
        sa.Column("copied_lang", _TEXT(length=8), nullable=True),
        sa.Column("question_id", _TEXT(length=500), nullable=False),
        sa.Column("question_en", _TEXT(length=500), nullable=False),
        sa.Column("answer_id", sa.Text(), nullable=False),
        sa.Column("answer_en", sa.Text(), nullable=False),
        sa.Column("category", _TEXT(length=64), nullable=False),
        sa.Column("phrasings", sa.Text(), nullable=False),
        sa.Column("related", _TEXT(length=120), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "rejected",
                name="draftstatus",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("scope_code", _TEXT(length=16), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], name="fk_kb_draft_ticket_id"),
        sa.ForeignKeyConstraint(
            ["office_code"], ["office.code"], name="fk_kb_draft_office_code_office"
        ),
        sa.ForeignKeyConstraint(
            ["scope_code"], ["office.code"], name="fk_kb_draft_scope_code_office"
        ),
        sa.ForeignKeyConstraint(["created_by"], ["officer.id"], name="fk_kb_draft_created_by"),
        sa.ForeignKeyConstraint(["reviewed_by"], ["officer.id"], name="fk_kb_draft_reviewed_by"),
        sa.PrimaryKeyConstraint("id", name="pk_kb_draft"),
    )
    with op.batch_alter_table("kb_draft", schema=None) as batch_op:
        batch_op.create_index("ix_kb_draft_ticket_id", ["ticket_id"], unique=False)
        batch_op.create_index("ix_kb_draft_status_office", ["status", "office_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kb_draft", schema=None) as batch_op:
        batch_op.drop_index("ix_kb_draft_status_office")
        batch_op.drop_index("ix_kb_draft_ticket_id")
    op.drop_table("kb_draft")
