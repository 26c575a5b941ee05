"""What the help desk says to things it has no handler for: free text it cannot answer
yet, files, stickers, and commands it does not know."""

from __future__ import annotations

from handlers import faq
from handlers.context import Context
from handlers.port import Outcome
from handlers.start import main_menu

LONG_TEXT = 1000  # past this, a message is more than one question


def free_text(ctx: Context, text: str) -> Outcome:
    """Free text is a question for the knowledge base; a help desk built without one points
    the person to the menu. A very long message is acknowledged as such."""
    if ctx.services.kb is not None:
        return faq.answer_free_text(ctx, text)
    return Outcome(
        [
            ctx.say(
                "free_text_not_ready", main_menu(ctx), length=len(text), long=len(text) > LONG_TEXT
            )
        ],
        "free text: not answered",
    )


def attachment(ctx: Context, kind: str) -> Outcome:
    return Outcome([ctx.say("attachment_not_read", kind=kind)], f"attachment {kind}")


def unknown_command(ctx: Context, name: str) -> Outcome:
    return Outcome([ctx.say("unknown_command", command=name)], f"unknown command /{name}")


def expired_button(ctx: Context) -> Outcome:
    """A button that is not ours, or was altered: nothing is done, the person is told."""
    return Outcome([ctx.toast("button_expired")], "button refused")
