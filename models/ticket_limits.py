"""Who may open a ticket, and how many: the limits, in one place.

- A verified liaison (invited by an officer, or checked by a supervisor) has at most
  ``MAX_OPEN`` open tickets at a time.
- An unverified liaison (registered themselves, nobody has checked them yet) can still be
  helped, within limits: at most ``UNVERIFIED_MAX_OPEN`` open ticket, and a new one only
  ``UNVERIFIED_COOLDOWN`` after their last ticket was resolved, closed or marked spam.
  Officers see "not verified" on the card and may verify them from there.

The count and the insert of a new ticket happen under a lock on the liaison's row
(:func:`lock_liaison`), so two messages at the same instant cannot make one too many.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from models.refusals import Refusal
from models.staff import Liaison
from models.tickets import OPEN_STATUSES, Ticket

MAX_OPEN = 5  # open tickets per verified liaison at a time
UNVERIFIED_MAX_OPEN = 1  # open tickets per unverified liaison at a time
UNVERIFIED_COOLDOWN = timedelta(hours=1)  # after an unverified liaison's last ticket ended


def lock_liaison(session: Session, liaison: Liaison) -> None:
    """Holds the liaison's row until the transaction ends, so that whoever counts their
    open tickets next waits for this transaction's insert. PostgreSQL: ``SELECT … FOR
    UPDATE``. SQLite allows one writer at a time and a transaction becomes the writer at
    its first write: a no-op update takes that lock before the count."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(select(Liaison.id).where(Liaison.id == liaison.id).with_for_update()).one()
        return
    session.execute(sa.update(Liaison).where(col(Liaison.id) == liaison.id).values(id=Liaison.id))


def check_may_open(session: Session, liaison: Liaison, now: datetime) -> None:
    """Raises a :class:`Refusal` when the liaison may not open another ticket now. Call
    under :func:`lock_liaison`."""
    open_count = session.exec(
        select(func.count())
        .select_from(Ticket)
        .where(Ticket.liaison_id == liaison.id, col(Ticket.status).in_(OPEN_STATUSES))
    ).one()
    if liaison.verified:
        if open_count >= MAX_OPEN:
            raise Refusal("desk/refused/too_many_open", limit=MAX_OPEN)
        return
    if open_count >= UNVERIFIED_MAX_OPEN:
        raise Refusal("desk/refused/unverified_open", limit=UNVERIFIED_MAX_OPEN)
    ended = last_ended(session, liaison)
    if ended is not None and now < ended + UNVERIFIED_COOLDOWN:
        minutes = int((ended + UNVERIFIED_COOLDOWN - now).total_seconds() // 60) + 1
        raise Refusal("desk/refused/unverified_cooldown", minutes=minutes)


def last_ended(session: Session, liaison: Liaison) -> datetime | None:
    """When the liaison's most recent ticket was resolved or closed, if any was."""
    rows = session.exec(
        select(Ticket.closed_at, Ticket.resolved_at)
        .where(Ticket.liaison_id == liaison.id)
        .order_by(col(Ticket.id).desc())
        .limit(20)
    ).all()
    ends = [at for pair in rows for at in pair if at is not None]
    return max(ends) if ends else None
