"""How desk things are shown: times in the office's zone, party and tier names, ticket
topic names. Pure formatting; templates do the wording."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handlers.texts import Texts
from knowledge.content.reference import party_short_name as party_name
from models import Language
from models.message_limits import TOPIC_NAME_LIMIT
from models.offices import Office, office_zone
from models.sla import is_working, next_working_moment, sla_due
from models.staff import Liaison, Tier
from models.tickets import Ticket, TicketStatus
from models.zones import zone_abbr

SUBJECT_CHARS = 60  # the subject part of a topic name; the whole name fits 128


def local_time(moment: datetime, office: Office) -> str:
    """ "23/11/2026 10.00 WIB": a moment as people in the office's zone read it."""
    here = moment.astimezone(office_zone(office))
    return f"{here:%d/%m/%Y %H.%M} {zone_abbr(office.timezone)}"


def hours_text(office: Office) -> str:
    """ "08.00–16.00 WIB"."""
    start, end = office.work_start.replace(":", "."), office.work_end.replace(":", ".")
    return f"{start}–{end} {zone_abbr(office.timezone)}"


def tier_label(texts: Texts, lang: Language, tier: Tier | str) -> str:
    return texts.label(lang, f"desk_tier_{Tier(tier).value}")


def status_label(texts: Texts, lang: Language, status: TicketStatus | str) -> str:
    return texts.label(lang, f"desk_status_{TicketStatus(status).value}")


def shorten(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters, cut at a word with "…"."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] or line[: limit - 1]
    return cut + "…"


def topic_name(ticket: Ticket, liaison: Liaison, origin: Office) -> str:
    """ "#BTL-0042 · PKB · Kab. Bantul · <subject>" within Telegram's 128 characters."""
    head = f"#{ticket.number} · {party_name(liaison.party)} · {origin.short or origin.name} · "
    subject = shorten(ticket.subject or ticket.question, SUBJECT_CHARS)
    return (head + subject)[:TOPIC_NAME_LIMIT]


@dataclass(frozen=True)
class Expectation:
    """When a liaison may expect an answer: now (office open) or when it opens."""

    open_now: bool
    opens: str  # when the office next opens, local
    due: str  # when an officer should have taken the ticket, local
    hours: str  # the office's working hours

    def as_context(self) -> dict[str, Any]:
        return {
            "open_now": self.open_now,
            "opens": self.opens,
            "due": self.due,
            "hours": self.hours,
        }


def expectation(office: Office, start: datetime, now: datetime) -> Expectation:
    return Expectation(
        open_now=is_working(office, now),
        opens=local_time(next_working_moment(office, now), office),
        due=local_time(sla_due(office, start, office.claim_minutes), office),
        hours=hours_text(office),
    )


def suggestions_of(ticket: Ticket) -> list[str]:
    """What the bot had already offered before the ticket was opened, as short lines."""
    lines: list[str] = []
    for item in ticket.suggestions():
        title = str(item.get("title") or item.get("question") or item.get("id") or "")
        if title:
            lines.append(shorten(title, 120))
    return lines[:5]
