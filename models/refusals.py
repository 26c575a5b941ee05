"""One refusal type for every rule that says no: :class:`Refusal`, carrying the key of
the template that explains it politely and what fills it. Rules in ``models`` and
handlers raise it; ``handlers.refusals`` turns it into the reply, in one place.

Refusals of the desk's rules (keys under ``desk/refused/``, listed in
``DESK_REFUSAL_KEYS``) are also kept in the audit log; the others (a command used in the
wrong chat, an announcement that is too long) are answered only.
"""

from __future__ import annotations

from typing import Any

DESK_REFUSALS = "desk/refused/"


class Refusal(Exception):
    """A rule said no. ``key`` names the template that explains it politely; ``context``
    fills it."""

    def __init__(self, key: str, **context: Any) -> None:
        super().__init__(key)
        self.key = key
        self.context = context

    @property
    def audited(self) -> bool:
        return self.key.startswith(DESK_REFUSALS)


# Every refusal the desk rules can raise; each needs a template in every language.
DESK_REFUSAL_KEYS: tuple[str, ...] = tuple(
    f"{DESK_REFUSALS}{name}"
    for name in (
        "not_officer",
        "not_allowed",
        "not_liaison",
        "not_your_ticket",
        "invite_unknown",
        "invite_expired",
        "invite_used_up",
        "illegal_transition",
        "reopen_too_late",
        "rating_invalid",
        "empty_question",
        "too_many_open",
        "unverified_open",
        "unverified_cooldown",
        "link_unreadable",
        "link_not_group",
        "link_bot_absent",
        "link_no_topic_rights",
        "ticket_closed",
        "no_parent_office",
        "unknown_office",
        "unknown_party",
        "unknown_tier",
        "unknown_role",
        "last_admin",
    )
)
