"""``helpdesk stages ...`` (the stage calendar) and ``helpdesk announce``.

``stages import FILE`` checks a calendar file and stores it; importing it again updates
the stages in place, so reminders already handled are not repeated and the rest follow
the new times. ``stages list`` shows what is stored, ``stages export --ics`` writes an
iCalendar file. ``announce`` sends an announcement to an office's area from the shell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from sqlmodel import Session

from bot.cli_common import fail, settings_or_exit
from handlers.announce.broadcasts import (
    MAX_TEXT,
    queue_announcement,
    recipients_of,
    run_queued_announcements,
)
from handlers.signing import Signer
from handlers.texts import Texts
from knowledge.calendar import FOLDER, TIERS, CalendarError, load_calendar
from knowledge.ics import IcsWords, to_ics
from knowledge.reference import party as reference_party
from models import Clock, Language, SystemClock, UnitOfWork, signing_key
from models.broadcast import Announcement
from models.offices import find_office
from models.stages import Stage, all_stages, import_stages, upcoming_stages
from models.zones import zone_abbr

TIER_HELP = f"Only these tiers: {', '.join(TIERS)}."
stages_app = typer.Typer(help="The stage calendar: import, list, export.", no_args_is_help=True)


@dataclass
class Db:
    sessions: Callable[[], Session]
    clock: Clock


@contextmanager
def database() -> Iterator[Db]:
    """The configured database, migrated and with the office tree in place."""
    from bot import storage
    from bot.composition import sync_reference_offices

    settings = settings_or_exit(log_level="WARNING")
    engine = storage.make_engine(settings.database_url)
    try:
        storage.upgrade(engine)
        sync_reference_offices(engine)
        yield Db(storage.session_factory(engine), SystemClock())
    finally:
        engine.dispose()


def import_file(db: Db, path: Path) -> str:
    """Checks and stores one calendar file; one line saying what changed."""
    calendar = load_calendar(path, db.clock.now())
    with UnitOfWork(db.sessions) as uow:
        result = import_stages(uow.session, calendar.id, calendar.stages, db.clock.now())
        uow.commit()
    for warning in calendar.warnings:
        typer.echo(f"warning: {warning}", err=True)
    return (
        f"{calendar.id}: {len(calendar.stages)} stages ({result.created} new, "
        f"{result.updated} updated, {result.unchanged} unchanged, {result.removed} removed)"
    )


@stages_app.command("import")
def stages_import(
    files: Annotated[
        list[Path], typer.Argument(help="Calendar YAML files (knowledge/calendars/).")
    ],
) -> None:
    """Check calendar files and store their stages (again: update in place)."""
    problems: list[str] = []
    with database() as db:
        for path in files:
            if not path.is_file():
                problems.append(f"{path}: no such file")
                continue
            try:
                typer.echo(import_file(db, path))
            except CalendarError as exc:
                problems += exc.problems
    if problems:
        for problem in problems:
            typer.echo(problem, err=True)
        raise typer.Exit(1)


def _line(stage: Stage, zone: str) -> str:
    start, end = stage.start_in(zone), stage.deadline_in(zone)
    shape = "%Y-%m-%d" if stage.all_day else "%Y-%m-%d %H:%M"
    shown = ZoneInfo(stage.display_zone(zone))
    when = f"{start.astimezone(shown):{shape}} → {end.astimezone(shown):{shape}}"
    local = " local" if stage.local else ""
    return f"{stage.key:<40} {when} {zone_abbr(stage.display_zone(zone))}{local}  {stage.name_id}"


@stages_app.command("list")
def stages_list(
    upcoming: bool = typer.Option(False, "--upcoming", help="Only stages not closed yet."),
    zone: str = typer.Option("Asia/Jakarta", help="Show local stages in this zone."),
) -> None:
    """The stored stages, in start order (or by deadline with --upcoming)."""
    with database() as db, db.sessions() as session:
        now = db.clock.now()
        stages = upcoming_stages(session, now, zone, 1000) if upcoming else all_stages(session)
        for stage in stages:
            typer.echo(_line(stage, zone))
        if not stages:
            typer.echo("no stages" + (" to come" if upcoming else ": import a calendar first"))


@stages_app.command("export")
def stages_export(
    ics: Annotated[Path, typer.Option("--ics", help="Write an iCalendar (.ics) file here.")],
    zone: str = typer.Option("Asia/Jakarta", help="Zone for stages local to each office."),
    lang: Annotated[Language, typer.Option(help="Language of the texts: id or en.")] = Language.ID,
    upcoming: bool = typer.Option(False, "--upcoming", help="Only stages not closed yet."),
) -> None:
    """Export the stages as iCalendar, for calendar apps."""
    texts = Texts()
    words = IcsWords(
        calendar_name=texts.label(lang, "cal_ics_name"),
        local_note=texts.label(lang, "cal_ics_local"),
        system=texts.label(lang, "cal_ics_system"),
        source=texts.label(lang, "cal_ics_source"),
    )
    with database() as db, db.sessions() as session:
        now = db.clock.now()
        stages = upcoming_stages(session, now, zone, 1000) if upcoming else all_stages(session)
        text = to_ics(stages, now=now, words=words, zone=zone, lang=lang.value)
    ics.parent.mkdir(parents=True, exist_ok=True)
    ics.write_bytes(text.encode("utf-8"))
    typer.echo(f"{len(stages)} stages written to {ics}")


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
    with database() as db:
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


def _signing_key(db: Db) -> bytes:
    with UnitOfWork(db.sessions) as uow:
        key = signing_key(uow.session)
        uow.commit()
        return key


def _create(
    db: Db, office: str, tier: list[str], party: list[str], text: str, ack: bool, yes: bool
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


def import_shipped_calendars(sessions: Callable[[], Session], clock: Clock) -> int:
    """Stores every calendar shipped in knowledge/calendars (the demo's relative times
    count from now); the number of stages."""
    total = 0
    for path in sorted(FOLDER.glob("*.yaml")):
        calendar = load_calendar(path, clock.now())
        with UnitOfWork(sessions) as uow:
            import_stages(uow.session, calendar.id, calendar.stages, clock.now())
            uow.commit()
        total += len(calendar.stages)
    return total
