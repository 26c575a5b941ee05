"""``helpdesk stages ...``: the stage calendar.

``stages import FILE`` checks a calendar file and stores it; importing it again updates
the stages in place, so reminders already handled are not repeated and the rest follow
the new times. ``stages list`` shows what is stored, ``stages export --ics`` writes an
iCalendar file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer
from sqlmodel import Session

from bot.cli.common import database
from handlers.texts import Texts
from knowledge.content.calendar import FOLDER, CalendarError, load_calendar
from knowledge.content.ics import IcsWords, to_ics
from models import Clock, Language, UnitOfWork
from models.stages import Stage, all_stages, import_stages, upcoming_stages
from models.zones import zone_abbr

if TYPE_CHECKING:
    from bot.composition import Database

stages_app = typer.Typer(help="The stage calendar: import, list, export.", no_args_is_help=True)


def import_file(db: Database, path: Path) -> str:
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
    with database(log_level="WARNING") as db:
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
    with database(log_level="WARNING") as db, db.sessions() as session:
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
    with database(log_level="WARNING") as db, db.sessions() as session:
        now = db.clock.now()
        stages = upcoming_stages(session, now, zone, 1000) if upcoming else all_stages(session)
        text = to_ics(stages, now=now, words=words, zone=zone, lang=lang.value)
    ics.parent.mkdir(parents=True, exist_ok=True)
    ics.write_bytes(text.encode("utf-8"))
    typer.echo(f"{len(stages)} stages written to {ics}")


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
