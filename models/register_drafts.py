"""Forms an officer is filling in a staff chat (a consultation, a guest-book visit),
kept between two events. Typed answers can be long, so a draft is a text of its own
rather than a short ``app_state`` value."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class RegisterDraft(SQLModel, table=True):
    __tablename__ = "register_draft"

    key: str = Field(primary_key=True, max_length=120)  # "<chat id>:<person id>"
    value: str = Field(sa_type=sa.Text)  # JSON
    updated_at: datetime = Field(sa_type=UTCDateTime)
