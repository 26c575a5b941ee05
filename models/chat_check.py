"""Whether a chat can serve as an office's staff chat, from what the app says of it.

The rule, read when a chat is linked (``helpdesk office link``, ``/tautkan``):

- it must be a group (a private chat or a channel cannot hold a desk);
- the bot must be in it (not removed, not restricted);
- a forum (a supergroup with topics) needs the bot as an admin allowed to manage topics,
  since each ticket gets its own topic there; a plain group works in reply mode
  (officers answer by replying to the relayed message).

A refusal names the template that explains it (``desk/refused/link_*``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from models.chats import ChatKind


class BotStanding(enum.StrEnum):
    """The bot's membership in a chat, as the app reports it."""

    OWNER = "creator"
    ADMIN = "administrator"
    MEMBER = "member"
    RESTRICTED = "restricted"
    LEFT = "left"
    KICKED = "kicked"


@dataclass(frozen=True)
class ChatReading:
    """What the app says of a chat and of the bot in it."""

    kind: ChatKind
    title: str
    forum: bool
    standing: BotStanding
    can_manage_topics: bool


def link_refusal(reading: ChatReading | None) -> str | None:
    """The template key of the reason the chat cannot be a staff chat; None when it can.
    ``None`` for ``reading``: the app could not show the chat (unknown, or the bot is not
    in it)."""
    if reading is None:
        return "desk/refused/link_unreadable"
    if reading.kind is not ChatKind.GROUP:
        return "desk/refused/link_not_group"
    if reading.standing in (BotStanding.LEFT, BotStanding.KICKED, BotStanding.RESTRICTED):
        return "desk/refused/link_bot_absent"
    if reading.forum and not (
        reading.standing is BotStanding.OWNER
        or (reading.standing is BotStanding.ADMIN and reading.can_manage_topics)
    ):
        return "desk/refused/link_no_topic_rights"
    return None
