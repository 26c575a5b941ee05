"""The main menu's entries (``menu:<entry>``): each opens its capability. This module
sits above the capabilities it opens, so none of them imports it."""

from __future__ import annotations

from handlers.calendar import schedule
from handlers.context import Context
from handlers.desk import liaison
from handlers.faq import browse
from handlers.port import Outcome
from handlers.ui import home_row, language_buttons, reminder_row


def open_menu_entry(ctx: Context, entry: str) -> Outcome:
    if entry == "faq":
        return browse.show_categories(ctx)
    if entry == "ask":
        return browse.ask_prompt(ctx)
    if entry == "tickets":
        return liaison.my_tickets(ctx)
    if entry == "schedule":
        return schedule.show_schedule(ctx, "")
    if entry == "settings":
        return _settings(ctx)
    return Outcome([ctx.toast("button_expired")], f"unknown menu entry {entry!r}")


def _settings(ctx: Context) -> Outcome:
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
