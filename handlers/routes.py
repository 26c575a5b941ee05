"""Which handler answers which command or button action. One table, read top to bottom."""

from __future__ import annotations

from collections.abc import Callable

from handlers import start
from handlers.context import Context
from handlers.port import Outcome

Handler = Callable[[Context, str], Outcome]

# Commands, with the Indonesian aliases liaisons type.
COMMANDS: dict[str, Handler] = {
    "start": start.start,
    "menu": start.show_menu,
    "help": start.show_help,
    "bantuan": start.show_help,
    "language": start.ask_language,
    "bahasa": start.ask_language,
}

# Button actions: the part before the first ':' picks the handler, the rest is its argument.
ACTIONS: dict[str, Handler] = {
    "home": start.show_menu,
    "menu": start.open_menu_entry,
    "lang": start.choose_language,
}

# Commands shown in the app's command menu, in this order; descriptions are labels.
MENU_COMMANDS: tuple[str, ...] = ("start", "menu", "help", "language")
