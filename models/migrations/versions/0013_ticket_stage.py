"""a ticket records the stage (tahapan) running at its office when it was opened, so the
register and the reports count tickets by stage like the consultations recorded by hand

Revision ID: 0013_ticket_stage
Revises: 0012_outbox_files
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013_ticket_stage"
down_revision: str | None = "0012_outbox_files"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(
            sa.Column(
                "stage",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.drop_column("stage")
