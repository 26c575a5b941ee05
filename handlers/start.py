"""First contact, the main menu, help and the language setting."""

from __future__ import annotations

from handlers import faq
from handlers.context import Context
from handlers.port import Button, Outcome
from models import ChatKind, Language
from models.stages import is_muted

# The main menu: (action, label). Entries whose capability is not built yet answer
# politely through ``not_ready`` instead of failing.
MAIN_MENU: tuple[tuple[str, str], ...] = (
    ("menu:faq", "menu_faq"),
    ("menu:ask", "menu_ask"),
    ("menu:tickets", "menu_tickets"),
    ("menu:schedule", "menu_schedule"),
    ("menu:settings", "menu_settings"),
)
NOT_READY: frozenset[str] = frozenset()


def main_menu(ctx: Context) -> tuple[tuple[Button, ...], ...]:
    buttons = [ctx.button(label, action) for action, label in MAIN_MENU]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))


def language_buttons(ctx: Context, then: str) -> tuple[tuple[Button, ...], ...]:
    return ((ctx.button("lang_id", f"lang:id:{then}"), ctx.button("lang_en", f"lang:en:{then}")),)


def reminder_row(ctx: Context) -> tuple[tuple[Button, ...], ...]:
    """Reminders on or off, for a person in their private chat."""
    if ctx.event.chat.kind is not ChatKind.PRIVATE or ctx.person.id is None:
        return ()
    if is_muted(ctx.uow.session, ctx.person.id):
        return ((ctx.button("cal_unmute", "sch:unmute"),),)
    return ((ctx.button("cal_mute", "sch:mute"),),)


def home_row(ctx: Context) -> tuple[Button, ...]:
    return (ctx.button("home", "home"),)


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


def open_menu_entry(ctx: Context, entry: str) -> Outcome:
    if entry == "faq":
        return faq.show_categories(ctx)
    if entry == "ask":
        return faq.ask_prompt(ctx)
    if entry == "tickets":
        from handlers import desk_liaison  # it builds on this module's menu

        return desk_liaison.my_tickets(ctx)
    if entry == "schedule":
        from handlers import schedule

        return schedule.show_schedule(ctx, "")
    if entry == "settings":
        return Outcome(
            [
                ctx.say(
                    "settings",
                    (*language_buttons(ctx, "menu"), *reminder_row(ctx), home_row(ctx)),
                    language=ctx.lang.value,
                    edit=True,
                )
            ]
        )
    if entry in NOT_READY:
        return Outcome(
            [
                ctx.toast("not_ready"),
                ctx.say("not_ready", (home_row(ctx),), entry=entry, edit=True),
            ],
            f"not ready: {entry}",
        )
    return Outcome([ctx.toast("button_expired")], f"unknown menu entry {entry!r}")
