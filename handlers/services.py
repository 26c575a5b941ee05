"""What the help desk uses beside the database, built once by the composition root.

Each capability adds its own field here with a default, so tests and the console can
build a help desk with only what they need.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.chat_check import ChatReading
from models.zones import RI_ZONE

if TYPE_CHECKING:
    from knowledge.search import KnowledgeBase


@dataclass
class Services:
    bot_username: str = ""  # the app's name for the bot, for deep links (t.me/<bot>?start=…)
    whatsapp_number: str = ""  # the WhatsApp business number, for wa.me invite links
    timezone: str = RI_ZONE  # shown where no office's zone applies (HELPDESK_TIMEZONE)
    kb: KnowledgeBase | None = None  # the FAQ; None: the FAQ and free-text answers are off
    # What the app says of a chat and of the bot in it (for /tautkan); None: not asked.
    read_chat: Callable[[str], ChatReading | None] | None = None
