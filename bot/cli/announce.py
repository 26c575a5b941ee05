"""``helpdesk announce``: an announcement to an office's area, sent from the shell.

Without ``--yes`` it only counts the recipients. The announcement goes through the same
use cases as one written in chat (``handlers.announce.broadcasts``): the same text limit
(``MAX_TEXT``), the same tiers (``TIERS``) and parties, the same outbox.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.common import database, fail
from handlers.announce.broadcasts import (
    MAX_TEXT,
    queue_announcement,
    recipients_of,
    run_queued_announcements,
)
from handlers.signing import Signer
from handlers.texts import Texts
from knowledge.content.calendar import TIERS
from knowledge.content.reference import party as reference_party
from models import UnitOfWork, signing_key
from models.broadcast import Announcement
from models.offices import find_office

if TYPE_CHECKING:
    from bot.composition import Database

TIER_HELP = f"Only these tiers: {', '.join(TIERS)}."


def announce(
    office: str = typer.Option(..., "--office", help="Office code: RI, 34, 34.02 ..."),
    tier: Annotated[list[str] | None, typer.Option("--tier", help=TIER_HELP)] = None,
    party: Annotated[
        list[str] | None, typer.Option("--party", help="Only these parties (codes, e.g. pkb).")
    ] = None,
    text: str = typer.Option(..., "--text", help="The announcement (plain text)."),
    ack: bool = typer.Option(False, "--ack", help='Add an "I have read this" button.'),
    yes: bool = typer.Option(False, "--yes", help="Send it; without this, only count."),
) -> None:
    """Announce to an office and the offices below it (optionally some tiers/parties)."""
    tier, party = tier or [], party or []
    for value in tier:
        if value not in TIERS:
            raise fail(f"unknown tier {value!r}: use {', '.join(TIERS)}")
    for value in party:
        if reference_party(value) is None:
            raise fail(f"unknown party {value!r}: use a party code such as pkb or golkar")
    if not text.strip() or len(text) > MAX_TEXT:
        raise fail(f"--text must be 1 to {MAX_TEXT} characters")
    with database(log_level="WARNING") as db:
        ident = _create(db, office, tier, party, text, ack, yes)
        if ident is None:
            return
        signer = Signer(_signing_key(db))
        run_queued_announcements(db.sessions, db.clock, Texts(), signer)
        with db.sessions() as session:
            sent = session.get(Announcement, ident)
            assert sent is not None
            typer.echo(
                f"announcement {ident}: {sent.recipients} recipients, campaign {sent.campaign}"
            )


def _signing_key(db: Database) -> bytes:
    with UnitOfWork(db.sessions) as uow:
        key = signing_key(uow.session)
        uow.commit()
        return key


def _create(
    db: Database, office: str, tier: list[str], party: list[str], text: str, ack: bool, yes: bool
) -> int | None:
    """The announcement, queued (its id); None after only counting (without --yes)."""
    with UnitOfWork(db.sessions) as uow:
        session, now = uow.session, db.clock.now()
        found = find_office(session, office)
        if found is None:
            raise fail(f"unknown office {office!r}: use a code such as RI, 34 or 34.02")
        ann = Announcement(
            office_code=found.code,
            tiers=",".join(sorted(set(tier))),
            parties=",".join(sorted(set(party))),
            text=text.strip(),
            ack=ack,
            created_at=now,
        )
        if not yes:
            count = len(recipients_of(session, ann))
            typer.echo(f"would reach {count} recipients; add --yes to send")
            return None
        session.add(ann)
        queue_announcement(session, ann, now)
        session.flush()
        uow.commit()
        return ann.id
