"""``helpdesk site build``: the public FAQ website, ready to copy to any web server."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.common import database, fail, settings_or_exit

if TYPE_CHECKING:
    from handlers.reports.public_summary import SummaryPage

site_app = typer.Typer(help="The public FAQ website.", no_args_is_help=True)


@site_app.command("build")
def build(
    out: Annotated[Path, typer.Argument(help="Folder to write the site into (created if needed).")],
    office: str = typer.Option("RI", "--office", help="Publishing office's code: RI, 34, 34.02"),
    base_url: str = typer.Option(
        "", "--base-url", help="Public URL the site is served from, for canonical links."
    ),
    search: bool = typer.Option(True, "--search/--no-search", help="Build the search index."),
    summary_months: int = typer.Option(
        3,
        "--summary-months",
        min=0,
        help="Closed months of the desk's public service summary to publish (0: none).",
    ),
) -> None:
    """Write the FAQ, the stage calendar and the desk's public service summaries (the
    publishing office's and those of the offices right below it, aggregate figures only)
    as a static site in Indonesian and English, with full-text search (Pagefind) that runs
    in the browser."""
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
    if summary_months:
        site = dataclasses.replace(site, summaries=_summaries(site.office.code, summary_months))
    pages = write_site(site, out)
    if search:
        try:
            build_search_index(out)
        except SearchIndexError as exc:
            raise fail(str(exc), code=1) from None
    elapsed = time.perf_counter() - started
    typer.echo(
        f"{pages} pages, {len(site.kb.entries)} entries, {len(site.stages)} stages, "
        f"{len(site.summaries)} service summaries for {site.office.name} in {out} "
        f"({elapsed:.1f} s)"
    )


def _summaries(office: str, months: int) -> tuple[SummaryPage, ...]:
    """The public summaries of ``office`` and the offices right below it for the last
    ``months`` closed months (in the office's zone), from the configured database."""
    from handlers.reports.public_summary import summary_pages
    from handlers.texts import Texts
    from models.offices import get_office, office_zone
    from models.report_scope import closed_months

    with database() as db, db.sessions() as session:
        now = db.clock.now()
        today = now.astimezone(office_zone(get_office(session, office))).date()
        pages = summary_pages(session, office, closed_months(today, months), now=now, texts=Texts())
    return tuple(pages)
