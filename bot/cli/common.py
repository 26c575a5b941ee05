"""What every ``helpdesk`` sub-command shares: one-line failures, settings, and the two
ways to reach the database, both through the composition root (``bot.composition``):
``container`` (the whole help desk) and ``database`` (the database alone, no knowledge base)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer

from bot.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from bot.composition import Container, Database


def fail(message: str, code: int = 2) -> typer.Exit:
    """A one-line refusal on standard error; raise the result."""
    typer.echo(message, err=True)
    return typer.Exit(code)


def settings_or_exit(**overrides: Any) -> Settings:
    try:
        settings = load_settings(**overrides)
    except SettingsError as exc:
        raise fail(str(exc)) from None
    from bot.logs import setup_logging

    setup_logging(settings.log_level, settings.log_format)
    return settings


@contextmanager
def container(**overrides: Any) -> Iterator[Container]:
    """The wired help desk on the configured database (migrated), closed afterwards."""
    from bot.composition import build

    built = build(settings_or_exit(**overrides))
    try:
        yield built
    finally:
        built.close()


@contextmanager
def database(*, migrate: bool = True, **overrides: Any) -> Iterator[Database]:
    """The configured database (migrated, offices synced, unless told not to migrate),
    closed afterwards. Lighter than ``container``: no knowledge base is read."""
    from bot.composition import open_database

    opened = open_database(settings_or_exit(**overrides), migrate=migrate)
    try:
        yield opened
    finally:
        opened.close()
