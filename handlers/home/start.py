"""First contact, the main menu, help and the language setting."""

from __future__ import annotations

from handlers.context import Context
from handlers.desk.register import redeem
from handlers.home import accounts
from handlers.port import Outcome
from handlers.ui import home_row, language_buttons, main_menu
from models import ChatKind, Language
from models.invites import looks_like_invite_token

WROTE_BACK = "read"  # the action of a button that only says "I am here"


def start_or_redeem(ctx: Context, arg: str) -> Outcome:
    """/start: with an invite token (from a deep link) in a private chat, registration;
    otherwise the usual start."""
    if arg.startswith(accounts.DEEP_LINK_PREFIX) and ctx.event.chat.kind is ChatKind.PRIVATE:
        return accounts.redeem(ctx, arg.removeprefix(accounts.DEEP_LINK_PREFIX))
    if arg and ctx.event.chat.kind is ChatKind.PRIVATE and looks_like_invite_token(arg):
        return redeem(ctx, arg)
    return start(ctx, arg)


def start(ctx: Context, arg: str) -> Outcome:
    """/start: a newcomer chooses a language first; a known person gets the menu."""
    if ctx.person.language is None and ctx.event.chat.kind == "private":
        return Outcome(
            [
                ctx.say(
                    "choose_language", language_buttons(ctx, "menu"), name=ctx.person.display_name
                )
            ],
            "language asked",
        )
    return Outcome([ctx.say("welcome", main_menu(ctx), name=ctx.person.display_name)])


def show_menu(ctx: Context, arg: str) -> Outcome:
    return Outcome([ctx.say("menu", main_menu(ctx), edit=True)])


def wrote_back(ctx: Context, arg: str) -> Outcome:
    """A button that only says "I am here" (a WhatsApp template's "read it" quick reply):
    the press itself opened the person's window and sent what was held for them, so there
    is nothing more to say."""
    return Outcome([], "wrote back")


def show_help(ctx: Context, arg: str) -> Outcome:
    return Outcome([ctx.say("help", (home_row(ctx),))])


def ask_language(ctx: Context, arg: str) -> Outcome:
    return Outcome(
        [
            ctx.say(
                "choose_language",
                language_buttons(ctx, "menu"),
                name=ctx.person.display_name,
                edit=True,
            )
        ]
    )


def choose_language(ctx: Context, arg: str) -> Outcome:
    """``lang:<code>:<then>``: remember the language, then show the menu in it."""
    code, _, _then = arg.partition(":")
    try:
        language = Language(code)
    except ValueError:
        return Outcome([ctx.toast("button_expired")], "unknown language")
    ctx.person.language = language
    ctx.uow.session.add(ctx.person)
    return Outcome(
        [
            ctx.toast("language_saved"),
            ctx.say("welcome", main_menu(ctx), name=ctx.person.display_name, edit=True),
        ],
        f"language {language.value}",
    )
