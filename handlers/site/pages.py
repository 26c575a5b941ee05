"""The public FAQ site as files: every page rendered from ``templates/site/`` (autoescaped),
in Indonesian and English, plus the stylesheet and the stages as iCalendar files.

Layout of the output folder (links between pages are relative, so the site works from
any path of any web server, and from the disk)::

    index.html                      language choice
    assets/site.css
    <lang>/index.html               home: search box, categories, next stages, the bot
    <lang>/search/index.html        full-text search (the index is added afterwards)
    <lang>/c/<category>/index.html  a category's questions, by subcategory
    <lang>/e/<entry>/index.html     one entry: question, answer, sources, validity
    <lang>/schedule/index.html      the stages, each with its .ics
    <lang>/summary/index.html       the desk's public summaries, by period and office
    <lang>/summary/<period>/<office>/index.html   one office's summary for one period
    ics/<lang>/<stage>.ics, ics/<lang>/all.ics

Only entry pages carry ``data-pagefind-body``, so search finds entries and nothing else.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from handlers.calendar.text import stage_view, when
from handlers.site.content import SiteInput, entry_sources
from handlers.texts import TEMPLATES, Texts
from knowledge.content.ics import IcsWords, to_ics
from knowledge.search import Category, Entry
from models import Language
from models.stages import Stage

SITE_TEMPLATES = TEMPLATES / "site"
STYLESHEET = SITE_TEMPLATES / "site.css"
LANGS = (Language.ID, Language.EN)
NOON = time(12, 0)
# What a build writes into the output folder (the search index's folder included).
OWNED = ("index.html", "assets", "ics", "pagefind", *(lang.value for lang in LANGS))


@dataclass(frozen=True)
class Block:
    """A piece of an answer: a paragraph, or a list of items (lines written "- ...")."""

    kind: str  # "p" or "ul"
    lines: tuple[str, ...]


def answer_blocks(text: str) -> list[Block]:
    """An answer's plain text as paragraphs and bullet lists, line by line."""
    blocks: list[Block] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        item = line[2:].strip() if line.startswith(("- ", "• ")) else None
        if item is not None and blocks and blocks[-1].kind == "ul":
            blocks[-1] = Block("ul", (*blocks[-1].lines, item))
        elif item is not None:
            blocks.append(Block("ul", (item,)))
        else:
            blocks.append(Block("p", (line,)))
    return blocks


class SiteWriter:
    """Renders and writes every page of one build."""

    def __init__(self, site: SiteInput, out: Path, texts: Texts | None = None) -> None:
        self.site = site
        self.out = out
        self.texts = texts or Texts()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.pages = 0
        self._word_modules: dict[Language, Any] = {}
        self._stages_of: dict[str, list[Stage]] = {}
        for stage in site.stages:
            for entry_id in stage.faq_list:
                self._stages_of.setdefault(entry_id, []).append(stage)

    def write_all(self) -> int:
        """Writes the whole site; returns the number of HTML pages written. What an earlier
        build wrote is removed first, so a withdrawn entry leaves no page behind (and
        nothing else in the folder is touched)."""
        self.out.mkdir(parents=True, exist_ok=True)
        for name in OWNED:
            target = self.out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
        (self.out / "assets").mkdir()
        shutil.copyfile(STYLESHEET, self.out / "assets" / "site.css")
        self._page("", "site/landing.html.j2", Language.ID, at_root=True)
        for lang in LANGS:
            self._language(lang)
        return self.pages

    def _language(self, lang: Language) -> None:
        site = self.site
        self._page("", "site/home.html.j2", lang, categories=self._category_views(lang))
        self._page("search/", "site/search.html.j2", lang)
        for category in site.categories():
            self._page(
                f"c/{category.id}/",
                "site/category.html.j2",
                lang,
                category=self._category_view(category, lang),
            )
        for entry in site.kb.entries:
            self._page(f"e/{entry.id}/", "site/entry.html.j2", lang, entry=self._entry(entry, lang))
        self._page(
            "schedule/",
            "site/schedule.html.j2",
            lang,
            upcoming=[self._stage(s, lang) for s in site.upcoming()],
            past=[self._stage(s, lang) for s in site.past()],
        )
        self._calendars(lang)
        if site.summaries:
            self._summaries(lang)

    def _summaries(self, lang: Language) -> None:
        """The summaries' index, a section per period, and a page per office and period
        holding the public summary (aggregate figures only, rendered by the reports)."""
        periods: dict[str, list[dict[str, str]]] = {}
        for page in self.site.summaries:
            key = page.period.key
            periods.setdefault(key, []).append({"code": page.office_code, "name": page.office_name})
            self._page(
                f"summary/{key}/{page.office_code}/",
                "site/summary.html.j2",
                lang,
                office_name=page.office_name,
                period=key,
                fragment=Markup(page.fragments[lang.value]),  # our own autoescaped rendering
            )
        self._page("summary/", "site/summaries.html.j2", lang, periods=periods)

    def _page(
        self, path: str, template: str, lang: Language, *, at_root: bool = False, **context: Any
    ) -> None:
        """Renders ``template`` to ``<lang>/<path>index.html`` (``path`` "" is the language's
        home), or to ``<path>index.html`` when ``at_root``."""
        rel = path if at_root else f"{lang.value}/{path}"
        depth = rel.count("/")
        html = self.env.get_template(template).render(
            lang=lang.value,
            other=LANGS[1].value if lang is LANGS[0] else LANGS[0].value,
            path=path,
            root="../" * depth,
            site=self.site,
            w=self._words(lang),
            words={code.value: self._words(code) for code in LANGS},
            office=self.site.office,
            bot_url=f"https://t.me/{self.site.bot_username}" if self.site.bot_username else "",
            canonical=f"{self.site.base_url}/{rel}" if self.site.base_url else "",
            **context,
        )
        target = self.out / rel / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        self.pages += 1

    def _words(self, lang: Language) -> Any:
        """The site's words in ``lang`` (``templates/site/<lang>/words.html.j2``), read once."""
        if lang not in self._word_modules:
            template = self.env.get_template(f"site/{lang.value}/words.html.j2")
            self._word_modules[lang] = template.module
        return self._word_modules[lang]

    def _category_views(self, lang: Language) -> list[dict[str, Any]]:
        return [self._category_view(c, lang) for c in self.site.categories()]

    def _category_view(self, category: Category, lang: Language) -> dict[str, Any]:
        kb = self.site.kb
        subs = []
        for sub in category.subcategories:
            entries = kb.entries_in(f"{category.id}/{sub.id}")
            if entries:
                links = [{"id": e.id, "title": e.title(lang.value)} for e in entries]
                subs.append({"id": sub.id, "title": _in(sub.title, lang), "entries": links})
        count = sum(len(s["entries"]) for s in subs)
        return {"id": category.id, "title": _in(category.title, lang), "subs": subs, "count": count}

    def _entry(self, entry: Entry, lang: Language) -> dict[str, Any]:
        kb = self.site.kb
        category_id, _, sub_id = entry.category.partition("/")
        category = kb.category(category_id)
        sub = category.subcategory(sub_id) if category else None
        related = [kb.entry(r) for r in entry.related]
        stages = [self._stage(s, lang) for s in self._stages_of.get(entry.id, ())]
        return {
            "id": entry.id,
            "title": entry.title(lang.value),
            "blocks": answer_blocks(entry.answer_in(lang.value)),
            "sources": entry_sources(entry, lang.value),
            "uncertain": entry.uncertain,
            "valid_from": self._date(entry.valid_from, lang),
            "valid_until": self._date(entry.valid_until, lang),
            "category": {"id": category_id, "title": _in(category.title, lang) if category else ""},
            "sub": _in(sub.title, lang) if sub else "",
            "related": [{"id": r.id, "title": r.title(lang.value)} for r in related if r],
            "phrasings": entry.phrasings.get(lang.value, ()),
            "keywords": entry.keywords,
            "stages": stages,
        }

    def _date(self, day: date | None, lang: Language) -> str:
        if day is None:
            return ""
        zone = self.site.zone
        instant = datetime.combine(day, NOON, tzinfo=ZoneInfo(zone))
        return when(self.texts, lang, instant, zone, date_only=True)

    def _stage(self, stage: Stage, lang: Language) -> dict[str, Any]:
        view = stage_view(self.texts, lang, stage, self.site.zone, self.site.now)
        return {"key": stage.key, "view": view, "source": stage.source}

    def _calendars(self, lang: Language) -> None:
        folder = self.out / "ics" / lang.value
        folder.mkdir(parents=True, exist_ok=True)
        words = IcsWords(
            calendar_name=self.texts.label(lang, "cal_ics_name"),
            local_note=self.texts.label(lang, "cal_ics_local"),
            system=self.texts.label(lang, "cal_ics_system"),
            source=self.texts.label(lang, "cal_ics_source"),
        )

        def ics(stages: list[Stage]) -> bytes:
            text = to_ics(stages, now=self.site.now, words=words, zone=self.site.zone, lang=lang)
            return text.encode("utf-8")

        for stage in self.site.stages:
            (folder / f"{stage.key}.ics").write_bytes(ics([stage]))
        (folder / "all.ics").write_bytes(ics(list(self.site.stages)))


def _in(titles: dict[str, str], lang: Language) -> str:
    return titles.get(lang.value) or titles["id"]


def write_site(site: SiteInput, out: Path) -> int:
    """Writes the site of ``site`` into ``out``; returns the number of HTML pages."""
    return SiteWriter(site, out).write_all()
