"""desk offices tickets

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.types import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "office",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("short", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("region", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "ri",
                "province",
                "regency",
                "city",
                name="officelevel",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("parent_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("prefix", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("staff_chat_id", sa.Integer(), nullable=True),
        sa.Column("work_start", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("work_end", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("work_days", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("claim_minutes", sa.Integer(), nullable=False),
        sa.Column("answer_minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_code"],
            ["office.code"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_chat_id"],
            ["chat.id"],
        ),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("prefix", name="uq_office_prefix"),
        sa.UniqueConstraint("staff_chat_id", name="uq_office_staff_chat"),
    )
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_office_parent_code"), ["parent_code"], unique=False)

    op.create_table(
        "officer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("office_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column(
            "role",
            sa.Enum("agent", "supervisor", "admin", name="role", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_code"],
            ["office.code"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", name="uq_officer_person"),
    )
    with op.batch_alter_table("officer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_officer_office_code"), ["office_code"], unique=False)

    op.create_table(
        "ticket_counter",
        sa.Column("office_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_code"],
            ["office.code"],
        ),
        sa.PrimaryKeyConstraint("office_code"),
    )
    op.create_table(
        "invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("office_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("party", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column(
            "tier",
            sa.Enum("dpp", "dpd", "dpc", "lo", "silon", name="tier", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("uses_left", sa.Integer(), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["officer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["office_code"],
            ["office.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash", name="uq_invite_token_hash"),
    )
    op.create_table(
        "liaison",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("party", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column(
            "tier",
            sa.Enum("dpp", "dpd", "dpc", "lo", "silon", name="tier", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("office_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("verified_by", sa.Integer(), nullable=True),
        sa.Column("verified_at", UTCDateTime(), nullable=True),
        sa.Column(
            "via",
            sa.Enum("invite", "self", name="liaisonvia", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_code"],
            ["office.code"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["verified_by"],
            ["officer.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", name="uq_liaison_person"),
    )
    with op.batch_alter_table("liaison", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_liaison_office_code"), ["office_code"], unique=False)

    op.create_table(
        "ticket",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("office_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column(
            "origin_office_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False
        ),
        sa.Column("liaison_id", sa.Integer(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("suggested", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "claimed",
                "waiting",
                "resolved",
                "closed",
                "spam",
                name="ticketstatus",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("claimed_by", sa.Integer(), nullable=True),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("sla_from", UTCDateTime(), nullable=False),
        sa.Column("last_activity_at", UTCDateTime(), nullable=False),
        sa.Column("first_response_at", UTCDateTime(), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("topic_key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("escalations", sa.Integer(), nullable=False),
        sa.Column("purged_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["claimed_by"],
            ["officer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["liaison_id"],
            ["liaison.id"],
        ),
        sa.ForeignKeyConstraint(
            ["office_code"],
            ["office.code"],
        ),
        sa.ForeignKeyConstraint(
            ["origin_office_code"],
            ["office.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number", name="uq_ticket_number"),
    )
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_liaison_id"), ["liaison_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ticket_office_code"), ["office_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_ticket_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_ticket_topic_key"), ["topic_key"], unique=False)

    op.create_table(
        "ticket_escalation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("from_office", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("to_office", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("from_topic_key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("by_officer", sa.Integer(), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_officer"],
            ["officer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["from_office"],
            ["office.code"],
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
        ),
        sa.ForeignKeyConstraint(
            ["to_office"],
            ["office.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ticket_escalation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ticket_escalation_from_topic_key"), ["from_topic_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ticket_escalation_ticket_id"), ["ticket_id"], unique=False
        )

    op.create_table(
        "ticket_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column(
            "author_kind",
            sa.Enum(
                "liaison",
                "officer",
                "bot",
                "system",
                name="authorkind",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("author_person_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachment_kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column(
            "attachment_file_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True
        ),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ticket_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ticket_message_ticket_id"), ["ticket_id"], unique=False
        )

    op.create_table(
        "ticket_sla_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("office_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_code"],
            ["office.code"],
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id", "office_code", "kind", name="uq_ticket_sla_mark"),
    )


def downgrade() -> None:
    op.drop_table("ticket_sla_mark")
    with op.batch_alter_table("ticket_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_message_ticket_id"))

    op.drop_table("ticket_message")
    with op.batch_alter_table("ticket_escalation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_escalation_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_ticket_escalation_from_topic_key"))

    op.drop_table("ticket_escalation")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_topic_key"))
        batch_op.drop_index(batch_op.f("ix_ticket_status"))
        batch_op.drop_index(batch_op.f("ix_ticket_office_code"))
        batch_op.drop_index(batch_op.f("ix_ticket_liaison_id"))

    op.drop_table("ticket")
    with op.batch_alter_table("liaison", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_liaison_office_code"))

    op.drop_table("liaison")
    op.drop_table("invite")
    op.drop_table("ticket_counter")
    with op.batch_alter_table("officer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_officer_office_code"))

    op.drop_table("officer")
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_office_parent_code"))

    op.drop_table("office")
    op.drop_table("audit_head")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_at"))

    op.drop_table("audit_entry")
