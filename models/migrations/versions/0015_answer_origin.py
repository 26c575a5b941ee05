"""an answer's outbox row records when the update it answers was received, so that the
process that sends it observes the answer latency, whichever process handled the update

Revision ID: 0015_answer_origin
Revises: 0014_whatsapp
Create Date: 2026-12-07 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.types import UTCDateTime

revision: str = "0015_answer_origin"
down_revision: str | None = "0014_whatsapp"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("origin_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_column("origin_at")
