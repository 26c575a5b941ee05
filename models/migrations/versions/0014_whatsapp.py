"""WhatsApp: the app's long message ids and delivery statuses on outbox rows, each
person's customer-service window, and app accounts linked to one person

Revision ID: 0014_whatsapp
Revises: 0013_ticket_stage
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.types import UTCDateTime

revision: str = "0014_whatsapp"
down_revision: str | None = "0013_ticket_stage"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        batch.alter_column(
            "message_id", type_=_S(length=128), existing_type=_S(length=32), existing_nullable=True
        )
        batch.add_column(sa.Column("delivered_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("read_at", UTCDateTime(), nullable=True))
        batch.create_index("ix_outbox_app_ref", ["channel", "message_id"])
    op.create_table(
        "contact_window",
        sa.Column("channel", _S(length=32), nullable=False),
        sa.Column("chat_id", _S(length=64), nullable=False),
        sa.Column("last_inbound", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "chat_id"),
    )
    op.create_table(
        "tier_use",
        sa.Column("channel", _S(length=32), nullable=False),
        sa.Column("chat_id", _S(length=64), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "chat_id"),
    )
    op.create_index("ix_tier_use_at", "tier_use", ["at"])
    op.create_table(
        "person_link",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("primary_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["primary_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("person_id"),
    )
    op.create_index("ix_person_link_primary_id", "person_link", ["primary_id"])
    op.create_table(
        "link_code",
        sa.Column("code", _S(length=16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_index("ix_link_code_person_id", "link_code", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_link_code_person_id", table_name="link_code")
    op.drop_table("link_code")
    op.drop_index("ix_person_link_primary_id", table_name="person_link")
    op.drop_table("person_link")
    op.drop_index("ix_tier_use_at", table_name="tier_use")
    op.drop_table("tier_use")
    op.drop_table("contact_window")
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_index("ix_outbox_app_ref")
        batch.drop_column("read_at")
        batch.drop_column("delivered_at")
        batch.alter_column(
            "message_id", type_=_S(length=32), existing_type=_S(length=128), existing_nullable=True
        )
