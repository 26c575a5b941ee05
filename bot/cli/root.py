"""The ``helpdesk`` command: its sub-commands put together, and the ones that serve
(``run``, ``start``, ``demo``) or look after the database (``db upgrade``)."""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot import __version__
from bot.cli.announce import announce
from bot.cli.common import database, fail, settings_or_exit
from bot.cli.consult import consult_app, report
from bot.cli.desk import audit_app, invite_app, office_app, officer_app, tickets_app
from bot.cli.kb import kb_app
from bot.cli.site import site_app
from bot.cli.stages import import_shipped_calendars, stages_app

if TYPE_CHECKING:
    from bot.composition import Container
    from bot.settings import Settings

app = typer.Typer(
    help="KPU help desk: answers party liaisons in Telegram and keeps the record.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(kb_app, name="kb")
app.add_typer(officer_app, name="officer")
app.add_typer(office_app, name="office")
app.add_typer(invite_app, name="invite")
app.add_typer(audit_app, name="audit")
app.add_typer(tickets_app, name="tickets")
app.add_typer(stages_app, name="stages")
app.add_typer(site_app, name="site")
app.command("announce")(announce)
app.add_typer(consult_app, name="consult")
app.command("report")(report)

DEMO_DATABASE = Path("var/demo.db")


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"helpdesk {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(
        False,
        "--version",
        callback=version_callback,
        is_eager=True,
        help="Show the version and exit.",
    ),
) -> None:
    """KPU help desk."""


@app.command()
def run() -> None:
    """Serve Telegram (long polling, or a webhook when WEBHOOK_URL is set)."""
    settings = settings_or_exit()
    if settings.telegram_bot_token is None:
        raise fail(
            "TELEGRAM_BOT_TOKEN is not set: put your bot's token in the environment or "
            ".env, or try the bot in the terminal with `helpdesk demo`."
        )
    from bot.composition import build
    from bot.http.server import HttpStartError
    from bot.transports.telegram.runner import ServiceStopped, StartupError

    container = build(settings)
    try:
        asyncio.run(_serve(settings, container))
    except (StartupError, HttpStartError) as exc:
        raise fail(f"cannot start: {exc}", 1) from None
    except ServiceStopped as exc:
        raise fail(f"stopped: {exc}", 1) from None
    finally:
        container.close()


async def _serve(settings: Settings, container: Container) -> None:
    """The help desk's HTTP server first (a taken port stops start-up before Telegram is
    asked for anything), then the transport on it, until SIGTERM or SIGINT."""
    from bot.http.server import HttpServer
    from bot.transports.telegram.runner import TelegramTransport

    http = HttpServer(*settings.listen_host_port)
    await http.start()
    try:
        transport = TelegramTransport(settings, container.helpdesk, container, http=http)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, transport.stop)
        await transport.run()
    finally:
        await http.stop()


@app.command()
def start() -> None:
    """Serve Telegram when TELEGRAM_BOT_TOKEN is set; otherwise open the console demo."""
    settings = settings_or_exit()
    if settings.telegram_bot_token is None:
        typer.echo("TELEGRAM_BOT_TOKEN is not set: opening the console demo instead.", err=True)
        demo(fresh=True, name="Demo", language="id")
    else:
        run()


@app.command()
def demo(
    fresh: bool = typer.Option(
        True, "--fresh/--keep", help="Start from a new demo database (default) or keep the last."
    ),
    name: str = typer.Option("Demo", help="Your name in the demo chat."),
    language: str = typer.Option("id", help="Language hint before you choose one: id or en."),
) -> None:
    """Chat with the bot in this terminal, on a demo database, without a Telegram token."""
    from bot.composition import build
    from bot.transports.console import ConsoleChat

    path = DEMO_DATABASE
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    settings = settings_or_exit(database_url=f"sqlite:///{path}")
    logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
    container = build(settings)
    import_shipped_calendars(container.helpdesk.sessions, container.clock)
    try:
        ConsoleChat(container.helpdesk, name=name, language=language).run()
    except KeyboardInterrupt:
        typer.echo("")
    finally:
        container.close()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (also done at every start)."""
    from bot import storage

    with database(migrate=False) as db:
        storage.upgrade(db.engine)
        typer.echo(f"database at revision {storage.current_revision(db.engine)}")


def main() -> None:
    app(prog_name="helpdesk")
