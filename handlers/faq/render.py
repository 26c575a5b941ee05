"""How the FAQ looks: the menu levels, an answer and their buttons.

Actions stay short to fit Telegram's 64 bytes once signed: categories and topics travel as
their index in the menu ("faq:s:3:1:0" = category 3, topic 1, page 0), entries by their
id (at most 32 characters), with the language of the answer when it differs from the menu.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from handlers.context import Context
from handlers.faq.answers import StageLine
from handlers.port import Button, Reply
from handlers.texts import Texts
from knowledge.search import Category, Entry, KnowledgeBase, Subcategory
from models import Language
from models.message_limits import TEXT_LIMIT as MAX_TEXT

PAGE_SIZE = 6  # questions per page of a topic
RELATED = 3  # related entries offered under an answer

Keyboard = tuple[tuple[Button, ...], ...]


def in_lang(texts: Mapping[str, str], lang: Language) -> str:
    """A text of the content in ``lang``, or in Indonesian where it lacks that language."""
    return texts.get(lang.value) or texts.get(Language.ID.value) or ""


def button(ctx: Context, lang: Language, label: str, action: str, **kwargs: Any) -> Button:
    """A button labelled in ``lang`` (not necessarily the person's setting), signed for
    this chat."""
    return Button(
        label=ctx.texts.label(lang, label, **kwargs),
        payload=ctx.signer.sign(ctx.event.chat.id, action),
    )


def reply(
    ctx: Context,
    lang: Language,
    template: str,
    buttons: Keyboard = (),
    *,
    edit: bool = False,
    **context: Any,
) -> Reply:
    """Like ``ctx.say``, in ``lang``: an answer follows the language it was asked in."""
    return Reply(
        chat=ctx.event.chat,
        text=ctx.texts.render(lang, template, **context),
        buttons=buttons,
        edit=ctx.event.ref if edit and ctx.event.button is not None else None,
    )


def nav_row(ctx: Context, lang: Language, back: str) -> tuple[Button, ...]:
    return (button(ctx, lang, "faq_back", back), button(ctx, lang, "home", "home"))


# --- the three menu levels -------------------------------------------------------------


def categories_view(ctx: Context, kb: KnowledgeBase) -> Reply:
    lang = ctx.lang
    rows: list[tuple[Button, ...]] = [
        (button(ctx, lang, "faq_topic", f"faq:c:{i}", title=in_lang(c.title, lang)),)
        for i, c in enumerate(kb.categories)
    ]
    rows.append((button(ctx, lang, "home", "home"),))
    return reply(ctx, lang, "faq/categories", tuple(rows), edit=True)


def topics_view(ctx: Context, index: int, category: Category) -> Reply:
    lang = ctx.lang
    rows: list[tuple[Button, ...]] = [
        (button(ctx, lang, "faq_topic", f"faq:s:{index}:{i}:0", title=in_lang(s.title, lang)),)
        for i, s in enumerate(category.subcategories)
    ]
    rows.append(nav_row(ctx, lang, "faq:h"))
    return reply(
        ctx, lang, "faq/topics", tuple(rows), edit=True, category=in_lang(category.title, lang)
    )


@dataclass(frozen=True)
class Place:
    """Where a topic sits in the menu, and which page of it is shown."""

    ci: int
    si: int
    category: Category
    topic: Subcategory
    page: int = 0


def questions_view(ctx: Context, place: Place, entries: Sequence[Entry]) -> Reply:
    """One page of a topic's questions, numbered, with a button per question."""
    lang = ctx.lang
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    page = min(max(place.page, 0), pages - 1)
    shown = entries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    first = page * PAGE_SIZE + 1
    titles = [in_lang(e.question, lang) for e in shown]
    rows: list[tuple[Button, ...]] = [
        (button(ctx, lang, "faq_question", f"faq:e:{e.id}", number=first + n, title=titles[n]),)
        for n, e in enumerate(shown)
    ]
    paging = []
    if page > 0:
        paging.append(button(ctx, lang, "faq_prev", f"faq:s:{place.ci}:{place.si}:{page - 1}"))
    if page < pages - 1:
        paging.append(button(ctx, lang, "faq_next", f"faq:s:{place.ci}:{place.si}:{page + 1}"))
    if paging:
        rows.append(tuple(paging))
    rows.append(nav_row(ctx, lang, f"faq:c:{place.ci}"))
    return reply(
        ctx,
        lang,
        "faq/questions",
        tuple(rows),
        edit=True,
        category=in_lang(place.category.title, lang),
        topic=in_lang(place.topic.title, lang),
        questions=titles,
        first=first,
        page=page + 1,
        pages=pages,
    )


def locate(kb: KnowledgeBase, entry: Entry) -> tuple[int, int, int] | None:
    """(category index, topic index, page) of the list an entry appears in."""
    cat_id, _, sub_id = entry.category.partition("/")
    for ci, category in enumerate(kb.categories):
        if category.id != cat_id:
            continue
        for si, topic in enumerate(category.subcategories):
            if topic.id == sub_id:
                ids = [e.id for e in kb.entries_in(entry.category)]
                position = ids.index(entry.id) if entry.id in ids else 0
                return ci, si, position // PAGE_SIZE
    return None


# --- an answer -------------------------------------------------------------------------


def answer_lines(text: str) -> list[tuple[bool, str]]:
    """The answer's lines; a "- " line is a bullet (shown as "• ")."""
    lines: list[tuple[bool, str]] = []
    for line in text.strip().splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            lines.append((True, stripped[2:].strip()))
        else:
            lines.append((False, stripped))
    return lines


@dataclass(frozen=True)
class AnswerShown:
    """An entry about to be shown, and how it was reached."""

    entry: Entry
    lang: Language
    typed: bool = False  # reached by a typed question rather than the menu
    cut: int | None = None  # the length of a long typed question, of which the start was read
    stages: tuple[StageLine, ...] = ()


def answer_text(texts: Texts, shown: AnswerShown, today: date) -> str:
    """The answer as a message within Telegram's 4096 characters: a longer one (which
    ``kb check`` should have refused) loses the end of its text, marked with "…"."""
    entry = shown.entry
    body = in_lang(entry.answer, shown.lang)
    valid_from: date | None = entry.valid_from
    valid_until: date | None = entry.valid_until
    context: dict[str, Any] = {
        "title": in_lang(entry.question, shown.lang),
        "source": entry.citation(shown.lang.value),
        "uncertain": entry.uncertain,
        "stages": shown.stages,
        "ended_on": valid_until if valid_until is not None and valid_until < today else None,
        "starts_on": valid_from if valid_from is not None and valid_from > today else None,
        "cut": shown.cut,
    }
    for _ in range(5):
        text = texts.render(shown.lang, "faq/answer", lines=answer_lines(body), **context)
        over = len(text) - MAX_TEXT
        if over <= 0:
            return text
        body = body[: max(0, len(body) - over - 10)].rstrip() + " …"
    return text[: MAX_TEXT - 1] + "…"


def answer_buttons(ctx: Context, kb: KnowledgeBase, shown: AnswerShown) -> Keyboard:
    """Feedback, two or three related entries, back to the entry's topic, home."""
    entry, lang = shown.entry, shown.lang
    source = "t" if shown.typed else "m"
    rows: list[tuple[Button, ...]] = [
        (
            button(ctx, lang, "faq_helpful", f"faq:y:{entry.id}:{lang.value}"),
            button(ctx, lang, "faq_need_help", f"faq:n:{entry.id}:{lang.value}:{source}"),
        )
    ]
    for related in [kb.entry(r) for r in entry.related][:RELATED]:
        if related is not None:
            title = in_lang(related.question, lang)
            action = f"faq:e:{related.id}:{lang.value}"
            rows.append((button(ctx, lang, "faq_related", action, title=title),))
    where = locate(kb, entry)
    back = f"faq:s:{where[0]}:{where[1]}:{where[2]}" if where is not None else "faq:h"
    rows.append(nav_row(ctx, lang, back))
    return tuple(rows)


def answer_view(ctx: Context, kb: KnowledgeBase, shown: AnswerShown, today: date) -> Reply:
    """An answer; from the menu it replaces the list it was chosen from."""
    return Reply(
        chat=ctx.event.chat,
        text=answer_text(ctx.texts, shown, today),
        buttons=answer_buttons(ctx, kb, shown),
        edit=ctx.event.ref if ctx.event.button is not None else None,
    )


def not_sure_view(
    ctx: Context, lang: Language, suggestions: Sequence[Entry], cut: int | None
) -> Reply:
    """No confident answer: the closest entries as choices, an officer, the FAQ menu."""
    titles = [in_lang(e.question, lang) for e in suggestions]
    rows: list[tuple[Button, ...]] = [
        (button(ctx, lang, "faq_suggestion", f"faq:e:{e.id}:{lang.value}", title=t),)
        for e, t in zip(suggestions, titles, strict=True)
    ]
    rows.append((button(ctx, lang, "faq_ask_officer", f"faq:o:{lang.value}"),))
    rows.append((button(ctx, lang, "faq_menu", "faq:h"), button(ctx, lang, "home", "home")))
    return reply(ctx, lang, "faq/not_sure", tuple(rows), suggestions=titles, cut=cut)
