"""The columns of the two registers, in the order the paper registers keep them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handlers.reports.words import Words, safe
from models.register import GuestRow, RegisterRow


@dataclass(frozen=True)
class Column:
    label: str  # rpt_col_<label>
    value: Callable[[Any, Words], str | int | datetime]
    width: int = 18


CONSULTATION_COLUMNS: tuple[Column, ...] = (
    Column("number", lambda r, w: r.number, 16),
    Column("at", lambda r, w: w.naive(r.at), 17),
    Column("office", lambda r, w: r.office_code, 9),
    Column("channel", lambda r, w: w.named("channel", r.channel), 14),
    Column("visitor", lambda r, w: safe(r.visitor_name), 22),
    Column("party", lambda r, w: safe(r.party), 14),
    Column("role", lambda r, w: w.named("role", r.role), 16),
    Column("contact", lambda r, w: r.contact, 16),
    Column("topic", lambda r, w: safe(r.topic), 16),
    Column("stage", lambda r, w: safe(r.stage), 16),
    Column("question", lambda r, w: safe(r.question), 40),
    Column("answer", lambda r, w: safe(r.answer), 40),
    Column("legal_basis", lambda r, w: safe(r.legal_basis), 20),
    Column("officer", lambda r, w: safe(r.officer), 18),
    Column("status", lambda r, w: w.named("status", r.status), 14),
    Column("follow_up", lambda r, w: safe(r.follow_up), 24),
    Column("duration", lambda r, w: r.duration_minutes, 10),
)

GUEST_COLUMNS: tuple[Column, ...] = (
    Column("at", lambda g, w: w.naive(g.at), 17),
    Column("office", lambda g, w: g.office_code, 9),
    Column("visitor", lambda g, w: safe(g.visitor_name), 22),
    Column("party", lambda g, w: safe(g.party), 16),
    Column("role", lambda g, w: w.named("role", g.role), 16),
    Column("contact", lambda g, w: g.contact, 16),
    Column("purpose", lambda g, w: safe(g.purpose), 40),
    Column("consultation", lambda g, w: g.consultation_number, 16),
)


def cells(columns: tuple[Column, ...], row: RegisterRow | GuestRow, words: Words) -> list[Any]:
    return [c.value(row, words) for c in columns]
