"""The audit log: every ticket event and desk action, chained by hashes.

Each entry stores the hash of the entry before it and its own hash, sha256 over the
previous hash and a canonical JSON of its contents; the last hash is also kept in a
one-row head. Changing, removing or inserting an entry breaks the chain, and
:func:`audit_verify` says where.

Appends are serialised: an appender first writes the head row (a row lock on
PostgreSQL, the single write lock on SQLite) and only then reads it, so two processes
appending at once make one chain, never a fork. The audit is never purged, so entries
carry ids, statuses and lengths, never what people wrote.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from models.types import UTCDateTime

GENESIS = "0" * 64
HEAD_ID = 1


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    actor: str = Field(max_length=64)
    action: str = Field(max_length=48)
    ticket_id: int | None = Field(default=None, index=True)
    data: str = Field(default="{}", sa_type=sa.Text)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The end of the chain: the last entry's number and hash."""

    __tablename__ = "audit_head"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    seq: int = Field(default=0)
    hash: str = Field(default=GENESIS, max_length=64)


def canonical(value: Any) -> str:
    """One spelling of a JSON value: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(entry: AuditEntry) -> str:
    body = canonical(
        {
            "id": entry.id,
            "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": entry.actor,
            "action": entry.action,
            "ticket_id": entry.ticket_id,
            "data": entry.data,
        }
    )
    return hashlib.sha256((entry.prev_hash + body).encode()).hexdigest()


def _locked_head(session: Session) -> AuditHead:
    """The head row, locked for this transaction: written before it is read."""
    for _attempt in range(3):
        touched = session.execute(
            sa.update(AuditHead).where(col(AuditHead.id) == HEAD_ID).values(seq=AuditHead.seq)
        )
        if touched.rowcount:  # type: ignore[attr-defined]
            head = session.exec(
                select(AuditHead)
                .where(AuditHead.id == HEAD_ID)
                .execution_options(populate_existing=True)
            ).one()
            return head
        try:
            with session.begin_nested():
                session.add(AuditHead(id=HEAD_ID, seq=0, hash=GENESIS))
                session.flush()
        except sa.exc.IntegrityError:
            continue  # another process made it first; lock theirs
    raise RuntimeError("could not lock the audit head")


def audit_append(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    ticket_id: int | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Appends one entry to the chain, in the caller's transaction."""
    head = _locked_head(session)
    entry = AuditEntry(
        id=head.seq + 1,
        at=at,
        actor=actor[:64],
        action=action[:48],
        ticket_id=ticket_id,
        data=canonical(dict(data or {})),
        prev_hash=head.hash,
        hash="",
    )
    entry.hash = entry_hash(entry)
    head.seq, head.hash = entry.id, entry.hash
    session.add(entry)
    session.add(head)
    session.flush()
    return entry


def audit_verify(session: Session) -> list[str]:
    """Problems with the chain, the first broken entry first; empty when intact."""
    problems: list[str] = []
    previous, expected = GENESIS, 1
    rows = session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).yield_per(500)
    for entry in rows:
        if entry.id != expected:
            problems.append(f"entry {expected}: missing (next entry is {entry.id})")
        if entry.prev_hash != previous:
            problems.append(f"entry {entry.id}: does not follow entry {entry.id - 1}")
        if entry_hash(entry) != entry.hash:
            problems.append(
                f"entry {entry.id}: contents changed ({entry.at:%Y-%m-%d %H:%M:%S} UTC, "
                f"{entry.actor}, {entry.action})"
            )
        previous, expected = entry.hash, entry.id + 1
    head = session.get(AuditHead, HEAD_ID)
    last = expected - 1
    if head is not None and (head.seq != last or head.hash != previous):
        problems.append(f"entry {last + 1}: missing (the chain ends at {head.seq}, found {last})")
    return problems


def audit_entries(session: Session, ticket_id: int) -> list[AuditEntry]:
    """A ticket's events, oldest first."""
    return list(
        session.exec(
            select(AuditEntry).where(AuditEntry.ticket_id == ticket_id).order_by(col(AuditEntry.id))
        ).all()
    )
