"""``helpdesk status``: the help desk's health in a terminal. It reads the database
directly (the figures ``/metrics`` shows) and, when a bot serves on HTTP_LISTEN, asks it
for its readiness (``GET /readyz``). The words come from ``bot/cli/templates``.

Exit status: 0 when the database answers and a running bot says it is ready; 1 otherwise
(a bot that does not answer included), so a monitoring script can rely on it.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import typer
from sqlalchemy.engine import make_url

from bot.cli.common import settings_or_exit
from bot.health.figures import DatabaseTrouble, DeskFigures
from bot.health.readiness import CHECK_SECONDS, Health
from bot.settings import Settings
from models import Language, SystemClock
from models.zones import zone_abbr

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class BotAnswer:
    """What the running bot said about its readiness; ``error`` when it did not answer."""

    url: str
    ready: bool = False
    checks: tuple[dict[str, Any], ...] = ()
    error: str = ""


def status(
    language: str = typer.Option("id", "--language", help="id or en."),
) -> None:
    """The help desk's health: database, outbox, tickets, and a running bot's readiness."""
    try:
        lang = Language(language.strip().lower())
    except ValueError:
        raise typer.BadParameter("must be id or en", param_hint="--language") from None
    settings = settings_or_exit()
    clock = SystemClock()
    health = Health(
        settings.database_url,
        clock,
        telegram_seconds=settings.ready_telegram_seconds,
        outbox_lag_seconds=settings.ready_outbox_lag_seconds,
    )
    figures: DeskFigures | None = None
    database_error = ""
    try:
        figures = health.read_figures()
    except DatabaseTrouble as exc:
        database_error = " ".join(str(getattr(exc, "orig", None) or exc).split())[:200]
    finally:
        health.close()
    answer = ask_running_bot(settings)
    zone = settings.zone
    typer.echo(
        render(
            lang,
            "status",
            now=clock.now().astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            zone=zone_abbr(settings.helpdesk_timezone),
            database=make_url(settings.database_url).render_as_string(hide_password=True),
            database_error=database_error,
            figures=figures,
            lag_limit=settings.ready_outbox_lag_seconds,
            bot=answer,
        )
    )
    if figures is None or not answer.ready:
        raise typer.Exit(1)


def ask_running_bot(settings: Settings) -> BotAnswer:
    host, port = settings.listen_host_port
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/readyz"
    try:
        with urllib.request.urlopen(url, timeout=CHECK_SECONDS + 2) as response:
            body = json.loads(response.read())
    except urllib.error.HTTPError as exc:  # 503: not ready, and why
        try:
            body = json.loads(exc.read())
        except ValueError:
            return BotAnswer(url, error=f"HTTP {exc.code}")
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        return BotAnswer(url, error=" ".join(str(reason).split())[:200])
    checks = tuple({"name": k} | v for k, v in sorted(body.get("checks", {}).items()))
    return BotAnswer(url, ready=bool(body.get("ready")), checks=checks)


def render(lang: Language, name: str, /, **context: Any) -> str:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # a terminal, not HTML
    )
    environment.filters["seconds"] = lambda s: f"{s:.0f} s"
    return environment.get_template(f"{lang.value}/{name}.txt.j2").render(**context).rstrip()
