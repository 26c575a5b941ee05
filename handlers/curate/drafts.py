"""The draft use cases, for the staff chat and the CLI alike: make a draft from a
resolved ticket, edit it, approve or reject it. What a draft may be and who reviews it is
``models.kb_drafts``' rule; whether it is a complete entry is the content's rule
(``knowledge.content.approved.entry_problems``), checked here before approval. An
approval is served by the running knowledge base at once (``KnowledgeBase.refresh``).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from knowledge.content.approved import draft_entry, entry_problems
from knowledge.content.faq import RELATED_RANGE
from knowledge.search import KnowledgeBase
from models.kb_drafts import (
    DraftField,
    KbDraft,
    approve_draft,
    edit_draft,
    make_draft,
    reject_draft,
    require_review,
)
from models.offices import find_office
from models.refusals import Refusal
from models.staff import Officer
from models.tickets import Ticket


def office_name(session: Session, code: str) -> str:
    office = find_office(session, code)
    return office.name if office is not None else code


def draft_from_ticket(
    session: Session, kb: KnowledgeBase, ticket: Ticket, officer: Officer | None, now: datetime
) -> tuple[KbDraft, bool]:
    """A draft from a resolved ticket; its category is the closest entry's, to start with."""
    closest = kb.search(ticket.question, top=1).hits
    category = closest[0].entry.category if closest else ""
    return make_draft(session, ticket=ticket, officer=officer, category=category, now=now)


def as_entry(session: Session, kb: KnowledgeBase, draft: KbDraft) -> tuple[list[str], list[str]]:
    """The entries it will list as related (the closest, at least ``RELATED_RANGE[0]``),
    and what keeps it from approval (empty when it can be approved)."""
    entry = draft_entry(draft, office_name(session, draft.office_code), related=[])
    low, high = RELATED_RANGE
    hits = kb.search(entry.title(draft.lang), top=high + 1).hits
    nearby = [e.id for e in kb.shipped if e.category == draft.category] + [
        e.id for e in kb.shipped
    ]  # too few close ones: the category's first, then any
    related = list(dict.fromkeys(h.entry.id for h in hits if h.entry.id != entry.id))[:high]
    related += [i for i in dict.fromkeys(nearby) if i not in related][: max(0, low - len(related))]
    return related, entry_problems(entry, kb.categories)


def edit(
    session: Session,
    kb: KnowledgeBase,
    draft: KbDraft,
    officer: Officer | None,
    field: DraftField,
    lang: str,
    value: str,
    now: datetime,
) -> KbDraft:
    """One field rewritten; a category must be one of the knowledge base's ("cat/sub")."""
    if field is DraftField.CATEGORY:
        paths = {f"{c.id}/{s.id}" for c in kb.categories for s in c.subcategories}
        if value.strip() not in paths:
            raise Refusal("desk/refused/draft_category", category=value.strip()[:64])
    return edit_draft(
        session, draft=draft, officer=officer, field=field, value=value, lang=lang, now=now
    )


def approve(
    session: Session,
    kb: KnowledgeBase,
    draft: KbDraft,
    officer: Officer | None,
    now: datetime,
    *,
    everywhere: bool = False,
) -> KbDraft:
    """Approves a complete draft and serves it at once; refused with the problems when
    it is not complete."""
    require_review(session, officer, draft)
    related, problems = as_entry(session, kb, draft)
    if problems:
        raise Refusal("desk/refused/draft_incomplete", draft=draft.id, problems=problems)
    approve_draft(
        session, draft=draft, officer=officer, related=related, now=now, everywhere=everywhere
    )
    session.flush()
    kb.refresh(session)
    return draft


def reject(session: Session, draft: KbDraft, officer: Officer | None, now: datetime) -> KbDraft:
    return reject_draft(session, draft=draft, officer=officer, now=now)
