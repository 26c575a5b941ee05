"""Numbers given out in order: the last number used is kept in a counter row.

The counter row is written before it is read, so two processes numbering at once wait
for each other on the row lock and never hand out the same number.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select


def bump_counter(session: Session, table: type[SQLModel], **key: Any) -> int:
    """The next number of the counter row of ``table`` identified by ``key`` (columns
    ``**key`` and an integer ``last``); the row is created at 0 on first use."""
    columns = [getattr(table, name) == value for name, value in key.items()]
    last: Any = getattr(table, "last")  # noqa: B009  (every counter table has one)
    for _attempt in range(3):
        bumped = session.execute(sa.update(table).where(*columns).values(last=last + 1))
        if bumped.rowcount:  # type: ignore[attr-defined]
            return int(session.exec(select(last).where(*columns)).one())
        try:
            with session.begin_nested():
                session.add(table(last=0, **key))
                session.flush()
        except sa.exc.IntegrityError:
            continue
    raise RuntimeError(f"could not bump counter {table.__name__} {key}")
