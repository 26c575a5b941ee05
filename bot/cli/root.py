"""The ``helpdesk`` command: its sub-commands put together, and the ones that serve
(``run``, ``start``, ``demo``) or look after the database (``db upgrade``)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot import __version__, collector
from bot.cli.announce import announce
from bot.cli.common import database, fail, settings_or_exit
from bot.cli.consult import consult_app, report
from bot.cli.demo import demo
from bot.cli.desk import audit_app, invite_app, office_app, officer_app, tickets_app
from bot.cli.kb import kb_app
from bot.cli.site import site_app
from bot.cli.stages import stages_app
from bot.cli.status import status
from bot.cli.whatsapp import whatsapp_app

if TYPE_CHECKING:
    from bot.composition import Container
    from bot.http.server import HttpServer
    from bot.settings import Settings
    from bot.transports.telegram.api import BotApi
    from bot.transports.telegram.runner import TelegramTransport
    from bot.transports.whatsapp import WhatsAppTransport

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
app.add_typer(whatsapp_app, name="whatsapp")
app.command("announce")(announce)
app.add_typer(consult_app, name="consult")
app.command("report")(report)
app.command("status")(status)


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
    from bot.storage import MigrationFailed
    from bot.transports.telegram.runner import ServiceStopped, StartupError

    made: list[BotApi] = []

    def meanwhile() -> None:  # what serving imports and makes, while the database migrates
        import bot.transports.telegram.runner  # noqa: F401
        from bot.transports.telegram.runtimes import RuntimeMissing, make_api

        with contextlib.suppress(RuntimeMissing):  # the transport reports it
            made.append(make_api(settings))

    try:  # before any thread starts: a migration runs in a forked child (bot.storage)
        with collector.paused():
            container = build(settings, migrate_apart=True, meanwhile=meanwhile)
    except MigrationFailed as exc:
        raise fail(f"cannot start: {exc}", 1) from None
    try:
        asyncio.run(_serve(settings, container, made[0] if made else None))
    except (StartupError, HttpStartError) as exc:
        raise fail(f"cannot start: {exc}", 1) from None
    except ServiceStopped as exc:
        raise fail(f"stopped: {exc}", 1) from None
    finally:
        container.close()


async def _serve(settings: Settings, container: Container, api: BotApi | None = None) -> None:
    """The help desk's HTTP server first (a taken port stops start-up before Telegram is
    asked for anything), then the transport on it (on ``api`` when it was made already),
    until SIGTERM or SIGINT."""
    from bot.http.server import HttpServer
    from bot.transports.telegram.runner import TelegramTransport

    http = HttpServer(*settings.listen_host_port)
    container.serve_health(http)
    await http.start()
    try:
        whatsapp = _whatsapp(settings, container, http)
        transport = TelegramTransport(settings, container.helpdesk, container, http=http, api=api)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, transport.stop)
        if whatsapp is None:
            await transport.run()
        else:
            await serve_both(transport, whatsapp)
    finally:
        await http.stop()


def _whatsapp(
    settings: Settings, container: Container, http: HttpServer
) -> WhatsAppTransport | None:
    """WhatsApp beside Telegram when its settings are given: its courier joins the outbox."""
    if not settings.whatsapp_enabled:
        return None
    from bot.transports.whatsapp import CHANNEL, WhatsAppTransport

    whatsapp = WhatsAppTransport(settings, container.helpdesk, http)
    container.couriers[CHANNEL] = whatsapp.courier
    container.channel_limits[CHANNEL] = whatsapp.limits
    return whatsapp


async def serve_both(telegram: TelegramTransport, whatsapp: WhatsAppTransport) -> None:
    """Both transports until Telegram's stops (a signal, or a failure); WhatsApp's then
    stops too. WhatsApp's answers wake the outbox worker Telegram's transport runs (or
    the leader's, in another process)."""
    whatsapp.wake_outbox = telegram.wake_outbox
    serving = asyncio.create_task(whatsapp.run())
    try:
        await telegram.run()
    finally:
        whatsapp.stop()
        await serving


@app.command()
def start() -> None:
    """Serve Telegram when TELEGRAM_BOT_TOKEN is set; otherwise open the console demo."""
    settings = settings_or_exit()
    if settings.telegram_bot_token is None:
        typer.echo("TELEGRAM_BOT_TOKEN is not set: opening the console demo instead.", err=True)
        demo(fresh=True, name="Demo", language="id")
    else:
        run()


app.command()(demo)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (also done at every start)."""
    from bot import storage

    with database(migrate=False) as db:
        storage.upgrade(db.engine)
        typer.echo(f"database at revision {storage.current_revision(db.engine)}")


_BACKUP_PATH = typer.Argument(..., help="The file to write the copy to.")


@db_app.command("backup")
def db_backup(
    path: Path = _BACKUP_PATH,
    force: bool = typer.Option(False, "--force", help="Replace PATH if it exists."),
) -> None:
    """Copy the SQLite database to PATH, consistent, while the bot runs (PostgreSQL:
    use pg_dump)."""
    from bot.backup import BackupRefused, backup_sqlite

    settings = settings_or_exit()
    try:
        done = backup_sqlite(settings.database_url, path, force=force)
    except BackupRefused as exc:
        raise fail(f"no backup made: {exc}") from None
    except sqlite3.Error as exc:
        raise fail(f"no backup made: the database could not be read ({exc})", 1) from None
    typer.echo(f"backup written to {done.path} ({done.size:,} bytes, {done.pages:,} pages)")


def main() -> None:
    app(prog_name="helpdesk")
