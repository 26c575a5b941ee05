"""``helpdesk site build``: the public FAQ website, ready to copy to any web server."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import fail, settings_or_exit

site_app = typer.Typer(help="The public FAQ website.", no_args_is_help=True)


@site_app.command("build")
def build(
    out: Annotated[Path, typer.Argument(help="Folder to write the site into (created if needed).")],
    office: str = typer.Option("RI", "--office", help="Publishing office's code: RI, 34, 34.02"),
    base_url: str = typer.Option(
        "", "--base-url", help="Public URL the site is served from, for canonical links."
    ),
    search: bool = typer.Option(True, "--search/--no-search", help="Build the search index."),
) -> None:
    """Write the FAQ and the stage calendar as a static site in Indonesian and English,
    with full-text search (Pagefind) that runs in the browser."""
    from bot.composition import knowledge_with_approved
    from bot.site_index import SearchIndexError, build_search_index
    from handlers.site import SiteError, gather, write_site
    from knowledge.search import ContentError

    settings = settings_or_exit()
    started = time.perf_counter()
    try:
        site = gather(
            knowledge_with_approved(settings),
            office_code=office,
            bot_username=settings.telegram_bot_username or "",
            base_url=base_url,
        )
    except (ContentError, SiteError) as exc:
        raise fail(f"cannot build the site: {exc}") from None
    pages = write_site(site, out)
    if search:
        try:
            build_search_index(out)
        except SearchIndexError as exc:
            raise fail(str(exc), code=1) from None
    elapsed = time.perf_counter() - started
    typer.echo(
        f"{pages} pages, {len(site.entries())} entries, {len(site.stages)} stages "
        f"for {site.office.name} in {out} ({elapsed:.1f} s)"
    )
