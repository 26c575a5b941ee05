"""Alembic environment: the engine is handed in by ``bot.storage`` (config.attributes)."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import models  # noqa: F401  (registers every table on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata

# Processes starting at once on one PostgreSQL database migrate one after the other: the
# first applies what is missing, the others then find nothing left to do.
MIGRATION_LOCK_KEY = 0x4B5055_4D47  # "KPUMG"


def run_migrations_online() -> None:
    engine: Engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            user_module_prefix="",  # custom column types render by name; the script imports them
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `helpdesk db upgrade`")
run_migrations_online()
