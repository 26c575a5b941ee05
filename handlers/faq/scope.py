"""Whose knowledge base a question is searched in: entries approved at the desk may be
served to one office's subtree only (``knowledge.search.KnowledgeBase``), so a search
carries the asker's offices, their own and those above it. A liaison's office is where
they registered; an officer's is the office they work for; anyone else has none, and is
served the shipped entries and those approved for everywhere."""

from __future__ import annotations

from handlers.context import Context
from models.offices import ancestors
from models.staff import find_liaison, officer_office


def asker_offices(ctx: Context) -> frozenset[str] | None:
    session = ctx.uow.session
    liaison = find_liaison(session, ctx.person.id)
    code = liaison.office_code if liaison is not None else None
    if code is None:
        code = officer_office(session, ctx.person.id)
    if code is None:
        return None
    return frozenset({code, *(office.code for office in ancestors(session, code))})
