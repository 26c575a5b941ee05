"""What the bot answers to a message that is not a command or a button: an FAQ answer or
a ticket. This module decides, above both ``handlers.faq`` and ``handlers.desk``.

The rule, in order:
1. Commands and buttons do what they say (``handlers.routes``).
2. The desk claims a message first (``handlers.desk.inbox`` holds that rule): in a staff
   chat, an officer's answer in a ticket's topic or to a ticket's relayed message, and
   then the text an officer's open register form waits for (/catat, /tamu:
   ``handlers.register.record``); in a private chat, the name typed while registering,
   and a liaison's message for one of their tickets.
3. Other text is a question for the knowledge base (``handlers.faq.browse``); only its
   first ``READ_LIMIT`` characters are read (``handlers.faq.answers``). A help desk built
   without a knowledge base points the person to the menu.
4. The FAQ's dead ends ("still need help", "ask an officer") and ``/tanya <question>``
   open a ticket for a registered liaison in a private chat; anyone else is told how to
   reach an officer and offered registration.
5. Files and anything else are acknowledged as not read.
"""

from __future__ import annotations

from handlers.context import Context
from handlers.desk import inbox, liaison
from handlers.desk.guard import liaison_of
from handlers.faq import browse
from handlers.faq import render as view
from handlers.faq.answers import (
    ANSWERED,
    NOT_SURE,
    READ_LIMIT,
    question_behind,
    record_still_need_help,
)
from handlers.home import fallback
from handlers.port import Outcome
from handlers.register import record
from handlers.ui import main_menu
from knowledge.search import KnowledgeBase
from knowledge.search.smalltalk import small_talk
from models import ChatKind, Language


def message(ctx: Context, text: str) -> Outcome:
    """A message that is not a command or a button (rules 2, 3 and 5)."""
    taken = inbox.intercept(ctx, text)
    if taken is None and text and ctx.event.chat.kind is not ChatKind.PRIVATE:
        taken = record.take_text(ctx, text)
    if taken is not None:
        return taken
    if text:
        return free_text(ctx, text)
    if ctx.event.attachments and ctx.event.attachments[0].kind == "reaction":
        return Outcome([], "reaction")  # an emoji on one of our messages: nothing to answer
    if ctx.event.attachments:
        return fallback.attachment(ctx, ctx.event.attachments[0].kind)
    return fallback.attachment(ctx, "other")


def free_text(ctx: Context, text: str) -> Outcome:
    """Free text is a question for the knowledge base; a help desk built without one points
    the person to the menu. A very long message is acknowledged as such. A message that
    asks nothing (a greeting, thanks, "ok") is answered in kind, with the menu, and is not
    searched: it is no question the knowledge base failed."""
    kind = small_talk(text)
    if kind is not None:
        name = ctx.person.display_name if ctx.event.chat.kind is ChatKind.PRIVATE else ""
        reply = ctx.say("small_talk", main_menu(ctx), kind=kind.value, name=name)
        return Outcome([reply], f"small talk: {kind.value}")
    if ctx.services.kb is not None:
        return browse.answer_free_text(ctx, text)
    long = len(text) > READ_LIMIT
    reply = ctx.say("free_text_not_ready", main_menu(ctx), length=len(text), long=long)
    return Outcome([reply], "free text: not answered")


def ask(ctx: Context, arg: str) -> Outcome:
    """/tanya <question>: from a registered liaison in a private chat, a ticket for their
    office (or the one the routing rules name), answered by an officer. Without a
    question, or from anyone else, it is the FAQ's "ask": the question is searched, and
    the FAQ's dead ends lead to a ticket or to registration."""
    private = ctx.event.chat.kind is ChatKind.PRIVATE
    if not arg.strip():
        return browse.ask_prompt(ctx)
    if not private or liaison_of(ctx) is None:
        return browse.answer_free_text(ctx, arg)
    return liaison.open_for(ctx, arg, source="command")


# --- the FAQ's dead ends -------------------------------------------------------------------


def on_faq_action(ctx: Context, arg: str) -> Outcome:
    """Every "faq:..." button: the dead ends ("n", "o") here, the rest in the FAQ."""
    op, *parts = arg.split(":")
    dead_end = _DEAD_ENDS.get(op)
    if dead_end is None:
        return browse.on_action(ctx, arg)
    if ctx.services.kb is None:
        return browse.not_ready(ctx, "faq")
    return dead_end(ctx, ctx.services.kb, parts)


def _need_help(ctx: Context, kb: KnowledgeBase, parts: list[str]) -> Outcome:
    """``n:<id>:<lang>:<m|t>``: "still need help" after an answer reached by menu or typing."""
    entry = browse.entry_of(kb, parts)
    if entry is None:
        return browse.gone(ctx, "entry")
    lang = browse.language(parts[1] if len(parts) > 1 else None, ctx)
    typed = len(parts) > 2 and parts[2] == "t"
    question = None
    if typed and ctx.person.id is not None and ctx.chat.id is not None:
        question = question_behind(
            ctx.uow.session, ctx.person.id, ctx.chat.id, ANSWERED.format(entry.id)
        )
    return still_need_help(ctx, entry.id, question or view.in_lang(entry.question, lang), lang)


def _officer(ctx: Context, kb: KnowledgeBase, parts: list[str]) -> Outcome:
    """``o:<lang>``: "ask an officer" after a question the bot was not sure about."""
    lang = browse.language(parts[0] if parts else None, ctx)
    question = None
    if ctx.person.id is not None and ctx.chat.id is not None:
        question = question_behind(ctx.uow.session, ctx.person.id, ctx.chat.id, NOT_SURE)
    return still_need_help(ctx, None, question or "", lang)


_DEAD_ENDS = {"n": _need_help, "o": _officer}


def still_need_help(
    ctx: Context, entry_id: str | None, question: str, lang: Language | None = None
) -> Outcome:
    """The person wants an officer, after an answer (``entry_id``) that did not help or a
    question the bot was not sure about (``entry_id`` None: that one is on record already).

    The answer that did not help is recorded as a gap. A registered liaison gets a ticket
    with ``question`` and the entry the bot had offered; anyone else is told how to reach
    an officer and offered registration.
    """
    lang = lang or ctx.lang
    if entry_id is not None:
        record_still_need_help(ctx.uow.session, browse.asker(ctx), question, lang, entry_id)
    entry = ctx.services.kb.entry(entry_id) if ctx.services.kb and entry_id else None
    offered = [{"id": entry.id, "title": view.in_lang(entry.question, lang)}] if entry else []
    opened = liaison.from_faq(ctx, entry_id, question, offered)
    if opened is not None:
        return opened
    buttons: view.Keyboard = (
        (view.button(ctx, lang, "faq_menu", "faq:h"), view.button(ctx, lang, "home", "home")),
    )
    if ctx.event.chat.kind == "private":  # not a liaison yet: tickets need registration
        buttons = ((view.button(ctx, lang, "desk_register", "rg:s"),), *buttons)
    reply = view.reply(ctx, lang, "faq/reach_officer", buttons, recorded=entry_id is not None)
    note = f"faq still need help: {entry_id}" if entry_id else "faq ask officer"
    return Outcome([reply], note[:64])


def edited(ctx: Context, text: str) -> Outcome:
    """A message the person edited: the desk relays a liaison's edit into their ticket
    (``handlers.desk.inbox``); the FAQ does not answer it again."""
    return inbox.edited(ctx, text) or Outcome([], "edit: nothing to do")
