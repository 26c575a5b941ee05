"""Which stage (tahapan) a question that arrives as a ticket belongs to.

The rule: the stage running, at the instant the ticket is opened, for the office the
question is routed to, among the stages meant for that liaison (their office's area,
tier and party: :func:`models.audience.stage_concerns`), in that office's local time
(a stage held in each office's own zone closes at 23.59 WIT in Jayapura and two hours
later in Jakarta). When several run at once, the one whose FAQ entries include one the
bot offered for the question, else the one that ends first. None running: no stage.

Why the running stage and not the stage of the FAQ entry the question concerns: a ticket
is opened mostly because the bot had no answer, so most tickets concern no entry, and an
entry may serve stages of several elections. The running stage is known for every ticket,
and it is what officers pick from when they record a consultation by hand, so both
kinds are counted alike. The entries offered only settle a tie.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models.audience import stage_concerns
from models.offices import Office
from models.staff import Liaison
from models.stages import Stage

_ZONE_MARGIN = timedelta(hours=12)  # local stages shift by the zone; UTC bounds are wider


def stage_at_opening(
    session: Session, *, office: Office, liaison: Liaison, at: datetime, entries: Collection[str]
) -> str:
    """The key of the stage a ticket opened at ``at`` for ``office`` belongs to; "" if none."""
    nearby = session.exec(
        select(Stage)
        .where(col(Stage.starts_at) <= at + _ZONE_MARGIN)
        .where(col(Stage.ends_at) >= at - _ZONE_MARGIN)
    ).all()
    zone = office.timezone
    running = [
        s
        for s in nearby
        if s.start_in(zone) <= at <= s.deadline_in(zone)
        and stage_concerns(session, s, office.code, liaison)
    ]
    if not running:
        return ""
    offered = set(entries)
    about = [s for s in running if offered.intersection(s.faq_list)]
    return min(about or running, key=lambda s: (s.deadline_in(zone), s.key)).key
