"""Buttons every capability shares: the main menu, the language choice, the reminders
switch and the way home. Imports no other handler, so any handler may import it.

The main menu's entries are answered by ``handlers.home.menu``; their payloads
(``menu:<entry>``, ``home``, ``lang:<code>:<then>``, ``sch:mute``/``sch:unmute``) are
part of buttons already sitting in chats and never change.
"""

from __future__ import annotations

from handlers.context import Context
from handlers.port import Button
from models import ChatKind
from models.stages import is_muted

# The main menu: (action, label), two buttons a row.
MAIN_MENU: tuple[tuple[str, str], ...] = (
    ("menu:faq", "menu_faq"),
    ("menu:ask", "menu_ask"),
    ("menu:tickets", "menu_tickets"),
    ("menu:schedule", "menu_schedule"),
    ("menu:settings", "menu_settings"),
)


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
