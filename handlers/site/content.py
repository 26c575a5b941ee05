"""What the public FAQ site shows: the knowledge base's categories and entries, the stages
of the calendars that concern the site's office, and how the desk is reached.

The site is published by one office (KPU RI by default). Its schedule shows the stages
that office's liaisons live by: those run by the office itself or by an office above it
(a national stage holds everywhere), and those run by an office below it; a stage meant
for some regions only is shown when one of them lies on the office's branch of the tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from handlers.reports.public_summary import SummaryPage
from knowledge.content import reference
from knowledge.content.calendar import FOLDER as CALENDAR_FOLDER
from knowledge.content.calendar import load_folder
from knowledge.content.reference import OfficeRecord
from knowledge.search import Category, Entry, KnowledgeBase
from models.offices import RI
from models.stages import Stage

DEMO_CALENDAR = "demo"  # relative demo times: never published


class SiteError(ValueError):
    """The site cannot be built as asked (an unknown office, unreadable content)."""


@dataclass(frozen=True)
class Source:
    """One source an entry cites, as a reader sees it: a text, and a link when one exists."""

    text: str
    url: str | None = None


def entry_sources(entry: Entry, lang: str) -> list[Source]:
    """The sources of an entry, for the page that shows it, each with its link when it has
    one. The one place that knows how an entry stores its sources."""
    return [
        Source(text=replace(source, url="").citation(lang), url=source.url)
        for source in entry.sources
    ]


@dataclass(frozen=True)
class SiteInput:
    """Everything one build reads, gathered before any page is written."""

    kb: KnowledgeBase
    office: OfficeRecord
    stages: tuple[Stage, ...]  # the office's stages, in start order
    bot_username: str  # empty: no bot link, the page says how to reach the desk
    base_url: str  # empty: links stay relative and no canonical URL is written
    now: datetime
    summaries: tuple[SummaryPage, ...] = ()  # the desk's public summaries, by period

    @property
    def zone(self) -> str:
        """The zone the site shows times in: the publishing office's."""
        return self.office.timezone

    def categories(self) -> tuple[Category, ...]:
        """Categories that have at least one entry, in menu order."""
        return tuple(c for c in self.kb.categories if self.kb.entries_in(c.id))

    def upcoming(self) -> list[Stage]:
        """Stages not yet closed for this office's zone."""
        return [s for s in self.stages if s.deadline_in(self.zone) >= self.now]

    def past(self) -> list[Stage]:
        """Closed stages, the latest first."""
        done = [s for s in self.stages if s.deadline_in(self.zone) < self.now]
        return sorted(done, key=lambda s: s.deadline_in(self.zone), reverse=True)


def _branch(code: str) -> set[str]:
    """The office and every office above it."""
    return {code, *(o.code for o in reference.ancestors(code))}


def concerns_office(stage: Stage, office: OfficeRecord) -> bool:
    """Whether a stage belongs on the site of ``office`` (see the module's rule)."""
    above = _branch(office.code)
    run_here_or_above = stage.office_code in above
    run_below = office.code in _branch(stage.office_code)
    if not (run_here_or_above or run_below):
        return False
    regions = stage.region_list
    return not regions or any(r in above or office.code in _branch(r) for r in regions)


def load_stages(folder: Path, now: datetime) -> list[Stage]:
    """The shipped calendars' stages (the demo calendar left out), as unsaved rows."""
    stages: list[Stage] = []
    for calendar in load_folder(folder, now):
        if calendar.id == DEMO_CALENDAR:
            continue
        for data in calendar.stages:
            stages.append(Stage(**data.columns(), created_at=now, updated_at=now))
    return stages


def gather(
    kb: KnowledgeBase,
    *,
    office_code: str = RI,
    bot_username: str = "",
    base_url: str = "",
    now: datetime | None = None,
    calendar_folder: Path = CALENDAR_FOLDER,
    summaries: Sequence[SummaryPage] = (),
) -> SiteInput:
    """The input of a build for ``office_code``; SiteError when the office is unknown."""
    office = reference.office(office_code)
    if office is None:
        raise SiteError(f"unknown office {office_code!r} (see knowledge/reference/offices.yaml)")
    moment = now or datetime.now(UTC)
    stages = [s for s in load_stages(calendar_folder, moment) if concerns_office(s, office)]
    stages.sort(key=lambda s: (s.start_in(office.timezone), s.key))
    return SiteInput(
        kb=kb,
        office=office,
        stages=tuple(stages),
        bot_username=bot_username.lstrip("@"),
        base_url=base_url.rstrip("/"),
        now=moment,
        summaries=tuple(summaries),
    )
