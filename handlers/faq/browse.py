"""The FAQ: a guided menu (topic → subtopic → question → answer) and answers to typed
questions, with feedback on every answer.

Button actions, after "faq:":
  h                     the FAQ's first level (its categories)
  c:<ci>                a category's subtopics
  s:<ci>:<si>:<page>    a page of a subtopic's questions
  e:<id>[:<lang>]       an answer (in ``lang`` when given, else the person's language)
  y:<id>:<lang>         "this answered it"

The FAQ's dead ends, "faq:n:<id>:<lang>:<m|t>" ("still need help" about an answer reached
by menu or by typing) and "faq:o:<lang>" ("ask an officer" after a question the bot was
not sure about), lead to a ticket: ``handlers.ask`` answers them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from handlers.context import Context
from handlers.faq import answers, scope
from handlers.faq import render as view
from handlers.port import Outcome, Toast
from knowledge.search import Entry, KnowledgeBase
from models import Language

Op = Callable[[Context, KnowledgeBase, list[str]], Outcome]


def not_ready(ctx: Context, entry: str) -> Outcome:
    """Without a knowledge base (a help desk built without one) the FAQ says so politely."""
    home = ((ctx.button("home", "home"),),)
    return Outcome(
        [ctx.toast("not_ready"), ctx.say("not_ready", home, entry=entry, edit=True)],
        f"not ready: {entry}",
    )


def gone(ctx: Context, why: str) -> Outcome:
    """A button that points at something the knowledge base no longer has."""
    return Outcome([ctx.toast("faq_gone")], f"faq gone: {why}"[:64])


def language(code: str | None, ctx: Context) -> Language:
    try:
        return Language(code) if code else ctx.lang
    except ValueError:
        return ctx.lang


# --- the menu --------------------------------------------------------------------------


def show_categories(ctx: Context, arg: str = "") -> Outcome:
    """/faq and the main menu's FAQ button: the knowledge base's categories."""
    if ctx.services.kb is None:
        return not_ready(ctx, "faq")
    return Outcome([view.categories_view(ctx, ctx.services.kb)], "faq menu")


def ask_prompt(ctx: Context, arg: str = "") -> Outcome:
    """The main menu's "ask a question": any text a person sends is a question, so this
    only invites one."""
    if ctx.services.kb is None:
        return not_ready(ctx, "ask")
    return Outcome([ctx.say("faq/ask_prompt", (view.nav_row(ctx, ctx.lang, "faq:h"),), edit=True)])


def on_action(ctx: Context, arg: str) -> Outcome:
    """Every "faq:..." button."""
    op, *parts = arg.split(":")
    handler = OPS.get(op)
    if handler is None:
        return gone(ctx, f"unknown action {op!r}")
    if ctx.services.kb is None:
        return not_ready(ctx, "faq")
    return handler(ctx, ctx.services.kb, parts)


def _categories(ctx: Context, kb: KnowledgeBase, parts: list[str]) -> Outcome:
    return Outcome([view.categories_view(ctx, kb)], "faq menu")


def _index(text: str, size: int) -> int | None:
    return int(text) if text.isdigit() and int(text) < size else None


def _topics(ctx: Context, kb: KnowledgeBase, parts: list[str]) -> Outcome:
    ci = _index(parts[0], len(kb.categories)) if parts else None
    if ci is None:
        return gone(ctx, "category")
    return Outcome([view.topics_view(ctx, ci, kb.categories[ci])], f"faq category {ci}")


def _questions(ctx: Context, kb: KnowledgeBase, parts: list[str]) -> Outcome:
    if len(parts) != 3 or not parts[2].isdigit():
        return gone(ctx, "topic")
    ci = _index(parts[0], len(kb.categories))
    if ci is None:
        return gone(ctx, "category")
    category = kb.categories[ci]
    si = _index(parts[1], len(category.subcategories))
    if si is None:
        return gone(ctx, "topic")
    topic = category.subcategories[si]
    place = view.Place(ci, si, category, topic, page=int(parts[2]))
    offices = scope.asker_offices(ctx)
    entries = list(kb.entries_in(f"{category.id}/{topic.id}", offices))
    return Outcome([view.questions_view(ctx, place, entries)], f"faq topic {ci}/{si}")


def entry_of(kb: KnowledgeBase, parts: list[str]) -> Entry | None:
    return kb.entry(parts[0]) if parts else None


def _answer(ctx: Context, kb: KnowledgeBase, parts: list[str]) -> Outcome:
    entry = entry_of(kb, parts)
    if entry is None:
        return gone(ctx, "entry")
    lang = language(parts[1] if len(parts) > 1 else None, ctx)
    shown = view.AnswerShown(entry, lang, stages=_stages(ctx, entry, lang))
    reply = view.answer_view(ctx, kb, shown, _today(ctx))
    answers.count_answered(ctx.uow.session, ctx.person.id, entry.id, ctx.clock.now())
    return Outcome([reply], f"faq shown: {entry.id}")


def _helpful(ctx: Context, kb: KnowledgeBase, parts: list[str]) -> Outcome:
    """ "This answered it": thanked, and kept in the interaction record."""
    entry = entry_of(kb, parts)
    if entry is None:
        return gone(ctx, "entry")
    lang = language(parts[1] if len(parts) > 1 else None, ctx)
    return Outcome([Toast(ctx.texts.label(lang, "faq_thanks"))], f"faq helpful: {entry.id}")


OPS: dict[str, Op] = {
    "h": _categories,
    "c": _topics,
    "s": _questions,
    "e": _answer,
    "y": _helpful,
}


# --- typed questions -------------------------------------------------------------------


def answer_free_text(ctx: Context, text: str) -> Outcome:
    """A typed question: answered in the language it was asked in when the knowledge base
    is confident; otherwise the closest entries are offered with an officer, and the
    question is recorded (masked) as a gap. The person's language setting is unchanged."""
    kb = ctx.services.kb
    if kb is None:
        return not_ready(ctx, "ask")
    question = answers.read_question(text)
    if question is None:
        buttons = ((view.button(ctx, ctx.lang, "faq_menu", "faq:h"),),)
        return Outcome([ctx.say("faq/no_words", buttons)], "faq: no words")
    kb.refresh(ctx.uow.session)  # entries approved since, in this process or another
    result = kb.search(question.text, top=3, offices=scope.asker_offices(ctx))
    lang = language(result.lang, ctx)
    entries = [hit.entry for hit in result.hits]
    if result.answered and entries:
        entry = entries[0]
        shown = view.AnswerShown(
            entry, lang, typed=True, cut=question.cut, stages=_stages(ctx, entry, lang)
        )
        reply = view.answer_view(ctx, kb, shown, _today(ctx))
        answers.count_answered(ctx.uow.session, ctx.person.id, entry.id, ctx.clock.now())
        return Outcome([reply], answers.ANSWERED.format(entry.id))
    answers.record_unanswered(
        ctx.uow.session, asker(ctx), question.text, lang, [e.id for e in entries]
    )
    return Outcome([view.not_sure_view(ctx, lang, entries, question.cut)], answers.NOT_SURE)


def asker(ctx: Context) -> answers.Asker:
    return answers.Asker(at=ctx.clock.now(), channel=ctx.event.channel, person_id=ctx.person.id)


def _stages(ctx: Context, entry: Entry, lang: Language) -> tuple[answers.StageLine, ...]:
    zone = ctx.services.timezone
    return tuple(answers.stage_lines(ctx.uow.session, entry.id, lang, zone))


def _today(ctx: Context) -> date:
    """Today in the help desk's zone: what an answer's validity dates are compared with."""
    return ctx.clock.now().astimezone(ZoneInfo(ctx.services.timezone)).date()
