"""What the help desk says to things it has no handler for: files, stickers, commands it
does not know, and buttons that are not ours. (Free text is ``handlers.ask``'s.)"""

from __future__ import annotations

from handlers.context import Context
from handlers.port import Outcome


def attachment(ctx: Context, kind: str) -> Outcome:
    return Outcome([ctx.say("attachment_not_read", kind=kind)], f"attachment {kind}")


def unknown_command(ctx: Context, name: str) -> Outcome:
    return Outcome([ctx.say("unknown_command", command=name)], f"unknown command /{name}")


def expired_button(ctx: Context) -> Outcome:
    """A button that is not ours, or was altered: nothing is done, the person is told."""
    return Outcome([ctx.toast("button_expired")], "button refused")
