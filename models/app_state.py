"""Small values the help desk keeps for itself, such as the key that signs buttons."""

from __future__ import annotations

import functools
import secrets

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, select
from sqlmodel.sql.expression import SelectOfScalar

from models.sql import run

SIGNING_KEY = "button_signing_key"


class AppState(SQLModel, table=True):
    __tablename__ = "app_state"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=1024)


@functools.cache
def _value_of() -> SelectOfScalar[str]:
    # Built once: asked for every message in a private chat (see models.sql).
    return select(AppState.value).where(AppState.key == sa.bindparam("key"))


def state_value(session: Session, key: str) -> str | None:
    """The value kept under ``key``, if any (only the value: no object is loaded)."""
    return run(session, _value_of(), {"key": key}).scalar()


def signing_key(session: Session) -> bytes:
    """The secret that signs button payloads, made once per database.

    Kept in the database rather than in memory so that buttons keep working across
    restarts and across several processes sharing one database.
    """
    row = session.get(AppState, SIGNING_KEY)
    if row is None:
        try:
            with session.begin_nested():
                session.add(AppState(key=SIGNING_KEY, value=secrets.token_hex(32)))
        except IntegrityError:  # another process made it first; use theirs
            pass
        row = session.get(AppState, SIGNING_KEY)
        assert row is not None
    return bytes.fromhex(row.value)
