"""consultation register, guest book and self-service counts

Revision ID: 0007_consultation_register
Revises: 0006
Create Date: 2026-12-07 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.types import UTCDateTime

revision: str = "0007_consultation_register"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "consultation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_code", _S(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", _S(length=32), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "bot",
                "walk_in",
                "phone",
                "email",
                "wa_group",
                "online_meeting",
                name="channel",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("visitor_name", _S(length=120), nullable=False),
        sa.Column("party", _S(length=120), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "liaison",
                "sipol_admin",
                "silon_admin",
                "candidate",
                "voter",
                "monitor",
                "other",
                name="visitorrole",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("contact", _S(length=120), nullable=False),
        sa.Column("topic", _S(length=64), nullable=False),
        sa.Column("stage", _S(length=64), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("legal_basis", _S(length=255), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("officer_name", _S(length=120), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "answered",
                "follow_up",
                "referred",
                name="consultstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("follow_up", sa.Text(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["office_code"], ["office.code"]),
        sa.ForeignKeyConstraint(["officer_id"], ["officer.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_code", "year", "seq", name="uq_consultation_number"),
    )
    op.create_index("ix_consultation_at", "consultation", ["at"], unique=False)
    op.create_index(
        "ix_consultation_office_at", "consultation", ["office_code", "at"], unique=False
    )
    op.create_table(
        "consultation_counter",
        sa.Column("office_code", _S(length=16), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["office_code"], ["office.code"]),
        sa.PrimaryKeyConstraint("office_code", "year"),
    )
    op.create_table(
        "guest_book_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_code", _S(length=16), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("visitor_name", _S(length=120), nullable=False),
        sa.Column("party", _S(length=120), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "liaison",
                "sipol_admin",
                "silon_admin",
                "candidate",
                "voter",
                "monitor",
                "other",
                name="visitorrole",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("contact", _S(length=120), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["consultation_id"], ["consultation.id"]),
        sa.ForeignKeyConstraint(["office_code"], ["office.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_guest_book_entry_office_at", "guest_book_entry", ["office_code", "at"], unique=False
    )
    op.create_table(
        "self_service_count",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("office_code", _S(length=16), nullable=False),
        sa.Column("entry_id", _S(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["office_code"], ["office.code"]),
        sa.PrimaryKeyConstraint("day", "office_code", "entry_id"),
    )


def downgrade() -> None:
    op.drop_table("self_service_count")
    op.drop_index("ix_guest_book_entry_office_at", table_name="guest_book_entry")
    op.drop_table("guest_book_entry")
    op.drop_table("consultation_counter")
    op.drop_index("ix_consultation_office_at", table_name="consultation")
    op.drop_index("ix_consultation_at", table_name="consultation")
    op.drop_table("consultation")
