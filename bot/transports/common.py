"""What every transport does the same way around the help desk's entrance."""

from __future__ import annotations

import html
import logging
import re

from handlers.helpdesk import HelpDesk
from handlers.port import Event, Out

log = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]+>")


def handle_safely(helpdesk: HelpDesk, event: Event) -> list[Out]:
    """The help desk's answer; when handling fails unexpectedly, the failure is logged with
    the update it came from and the person gets a short apology instead of silence."""
    try:
        return helpdesk.handle(event)
    except Exception:
        log.exception(
            "handling failed: update=%s channel=%s chat=%s",
            event.update_id,
            event.channel,
            event.chat.id,
        )
        try:
            return helpdesk.apology(event)
        except Exception:
            log.exception("the apology failed too: update=%s", event.update_id)
            return []


def html_to_plain(text: str) -> str:
    """Telegram's HTML subset as plain text: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", text))
