"""``helpdesk demo``: the whole desk in the terminal, without Telegram. The demo database
holds an office (KPU Kabupaten Bantul) with its staff chat and an officer, and the
person at the keyboard is a liaison invited by that office: a question the knowledge
base cannot answer becomes a ticket whose topic and card appear in the staff chat, and
``/officer`` lets the same keyboard answer it there."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import typer
from sqlmodel import Session

from bot.cli.common import settings_or_exit
from bot.cli.stages import import_shipped_calendars
from bot.transports.console import CHANNEL, LIAISON_ID, ConsoleChat, StaffSeat
from models import ChatKind, Clock, Language, UnitOfWork
from models.chats import seen_chat
from models.invites import create_invite, redeem_invite
from models.offices import find_office, link_staff_chat
from models.people import seen_person
from models.staff import Role, Tier, add_officer, find_liaison, find_officer

DEMO_DATABASE = Path("var/demo.db")
DEMO_OFFICE = "34.02"  # KPU Kabupaten Bantul (WIB)
DEMO_PARTY = "pkb"
STAFF = StaffSeat(
    chat_id="console-staff",
    title="Staf KPU Kabupaten Bantul",
    officer_id="console-officer",
    officer_name="Andi (petugas)",
)

# Libraries that speak at INFO while the database is migrated and the desk is built: in
# the console they would interleave with the chat.
QUIET_LOGGERS = ("alembic", "aiogram", "sqlalchemy", "apscheduler", "httpx", "asyncio")


def demo(
    fresh: bool = typer.Option(
        True, "--fresh/--keep", help="Start from a new demo database (default) or keep the last."
    ),
    name: str = typer.Option("Demo", help="Your name in the demo chat."),
    language: str = typer.Option("id", help="Language hint before you choose one: id or en."),
) -> None:
    """Chat with the bot in this terminal, on a demo database, without a Telegram token:
    as a liaison, and (with /officer) as an officer in the office's staff chat."""
    from bot.composition import build

    path = DEMO_DATABASE
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    settings = settings_or_exit(database_url=f"sqlite:///{path}")
    quiet_libraries()
    container = build(settings)
    import_shipped_calendars(container.helpdesk.sessions, container.clock)
    seed_desk(container.helpdesk.sessions, container.clock, name=name, language=language)
    try:
        ConsoleChat(container.helpdesk, name=name, language=language, staff=STAFF).run()
    except KeyboardInterrupt:
        typer.echo("")
    finally:
        container.close()


def quiet_libraries() -> None:
    """Warnings and errors only, from the help desk and the libraries alike."""
    root = logging.getLogger()
    root.setLevel(max(root.level, logging.WARNING))
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def seed_desk(sessions: Callable[[], Session], clock: Clock, *, name: str, language: str) -> None:
    """The demo office's staff chat and officer, and the person at the keyboard registered
    as a liaison by the office's invite, as if they had opened the invite link. Kept as
    they are when the demo database is kept."""
    now = clock.now()
    with UnitOfWork(sessions) as uow:
        session = uow.session
        office = find_office(session, DEMO_OFFICE)
        assert office is not None, "the reference offices are synced at build"
        officer = seen_person(
            session,
            channel=CHANNEL,
            external_id=STAFF.officer_id,
            display_name=STAFF.officer_name,
            username=None,
            language_hint=Language.ID,
            now=now,
            in_private=False,
        )
        if find_officer(session, officer.id) is None:
            add_officer(
                session,
                person=officer,
                office_code=DEMO_OFFICE,
                role=Role.ADMIN,
                name=STAFF.officer_name,
                actor="demo",
                now=now,
            )
        if office.staff_chat_id is None:
            chat = seen_chat(
                session,
                channel=CHANNEL,
                external_id=STAFF.chat_id,
                kind=ChatKind.GROUP,
                title=STAFF.title,
                forum=True,
                now=now,
            )
            assert chat.id is not None
            link_staff_chat(session, office, chat.id, actor="demo", now=now)
        liaison = seen_person(
            session,
            channel=CHANNEL,
            external_id=LIAISON_ID,
            display_name=name,
            username=None,
            language_hint=Language.from_hint(language),
            now=now,
            in_private=True,
        )
        if find_liaison(session, liaison.id) is None:
            _invite, token = create_invite(
                session,
                office_code=DEMO_OFFICE,
                party=DEMO_PARTY,
                tier=Tier.DPC,
                now=now,
                created_by=None,
            )
            redeem_invite(session, token, liaison, name, now)
        uow.commit()
