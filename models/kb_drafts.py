"""Draft FAQ entries made from resolved tickets, and the review they wait for.

The rules, here once:

- A draft is made from a ticket that an officer has resolved (or that is closed since):
  the liaison's question and the officers' public answers in that ticket, with identity
  and phone numbers masked. Internal notes never go into a draft. One ticket gives at
  most one draft that is pending or approved.
- The draft is written in the staff chats' language (``STAFF_LANGUAGE``); the other
  language starts as a copy of it, marked ``copied_lang`` until a reviewer writes it.
- Supervisors and admins of the draft's office or of an office above it review it
  (:func:`can_review`): edit, approve or reject. Only a pending draft changes.
- An approved draft is served to the subtree of the office it belongs to; approved by an
  officer of KPU RI, it is served everywhere (``scope_code`` is then ``RI``).
- Its source, for the liaison, is the office's help desk and the day the answer was given.
"""

from __future__ import annotations

import enum
import functools
import json
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select
from sqlmodel.sql.expression import Select

from models.audit import audit_append
from models.interactions import mask_personal_numbers
from models.offices import RI, is_within
from models.refusals import Refusal
from models.sql import run
from models.staff import STAFF_LANGUAGE, Officer, Role, can_act
from models.tickets import AuthorKind, Ticket, TicketStatus, ticket_messages
from models.types import UTCDateTime, enum_type

DRAFTABLE = frozenset({TicketStatus.RESOLVED, TicketStatus.CLOSED})
MAX_QUESTION = 500
MAX_ANSWER = 3000
ENTRY_PREFIX = "petugas-"  # approved entries' ids: "petugas-<draft id>"


class DraftStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class DraftField(enum.StrEnum):
    """What a reviewer may edit (per language where it has one)."""

    QUESTION = "question"
    ANSWER = "answer"
    CATEGORY = "category"
    PHRASINGS = "phrasings"


class KbDraft(SQLModel, table=True):
    """A candidate FAQ entry, made from one ticket, waiting for (or past) review."""

    __tablename__ = "kb_draft"
    __table_args__ = (sa.Index("ix_kb_draft_status_office", "status", "office_code"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    ticket_number: str = Field(max_length=16)
    office_code: str = Field(foreign_key="office.code", max_length=16)
    lang: str = Field(max_length=8)  # the language the officers wrote in
    copied_lang: str | None = Field(default=None, max_length=8)  # still a copy, to translate
    question_id: str = Field(default="", max_length=MAX_QUESTION)
    question_en: str = Field(default="", max_length=MAX_QUESTION)
    answer_id: str = Field(default="", sa_type=sa.Text)
    answer_en: str = Field(default="", sa_type=sa.Text)
    category: str = Field(default="", max_length=64)
    phrasings: str = Field(default="{}", sa_type=sa.Text)  # JSON {"id": [...], "en": [...]}
    related: str = Field(default="", max_length=120)  # comma-separated entry ids
    answered_on: date = Field(sa_type=sa.Date)
    status: DraftStatus = Field(default=DraftStatus.PENDING, sa_type=enum_type(DraftStatus, 12))
    scope_code: str | None = Field(default=None, foreign_key="office.code", max_length=16)
    created_by: int | None = Field(default=None, foreign_key="officer.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    reviewed_by: int | None = Field(default=None, foreign_key="officer.id")
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def entry_id(self) -> str:
        return f"{ENTRY_PREFIX}{self.id}"

    def question(self, lang: str) -> str:
        return self.question_en if lang == "en" else self.question_id

    def answer(self, lang: str) -> str:
        return self.answer_en if lang == "en" else self.answer_id

    def phrasings_in(self, lang: str) -> list[str]:
        return [str(p) for p in json.loads(self.phrasings or "{}").get(lang, [])]

    def related_ids(self) -> list[str]:
        return [r for r in self.related.split(",") if r]


# --- permissions --------------------------------------------------------------------------


def can_review(session: Session, officer: Officer | None, office_code: str) -> bool:
    """Supervisors and admins review the drafts of their office and of the offices below."""
    return (
        can_act(session, officer, office_code)
        and officer is not None
        and officer.role in (Role.SUPERVISOR, Role.ADMIN)
    )


def require_review(session: Session, officer: Officer | None, draft: KbDraft) -> None:
    if officer is not None and not can_review(session, officer, draft.office_code):
        raise Refusal("desk/refused/draft_not_reviewer", number=draft.ticket_number)
    if draft.status is not DraftStatus.PENDING:
        raise Refusal("desk/refused/draft_not_pending", draft=draft.id, status=draft.status.value)


def _actor(officer: Officer | None) -> str:
    return officer.actor if officer is not None else "operator"


# --- making a draft -----------------------------------------------------------------------


def draft_for_ticket(session: Session, ticket_id: int) -> KbDraft | None:
    """The ticket's draft that is pending or approved, if any."""
    return session.exec(
        select(KbDraft).where(
            KbDraft.ticket_id == ticket_id, col(KbDraft.status) != DraftStatus.REJECTED
        )
    ).first()


def officer_answer(session: Session, ticket: Ticket) -> str:
    """The officers' public answers in the ticket, in order, masked; notes left out."""
    messages = ticket_messages(session, ticket.id or 0, include_internal=False)
    texts = [
        m.text.strip()
        for m in messages
        if m.author_kind is AuthorKind.OFFICER and not m.internal and m.text.strip()
    ]
    return mask_personal_numbers("\n\n".join(texts))[:MAX_ANSWER]


def make_draft(
    session: Session,
    *,
    ticket: Ticket,
    officer: Officer | None,
    category: str,
    now: datetime,
) -> tuple[KbDraft, bool]:
    """A draft from a resolved ticket (or the one it already has); True when new.
    Refused when the ticket is not resolved or no officer answered it in words."""
    if officer is not None and not can_act(session, officer, ticket.office_code):
        raise Refusal("desk/refused/not_allowed")
    if ticket.status not in DRAFTABLE:
        raise Refusal("desk/refused/draft_not_resolved", number=ticket.number)
    existing = draft_for_ticket(session, ticket.id or 0)
    if existing is not None:
        return existing, False
    answer = officer_answer(session, ticket)
    question = mask_personal_numbers(" ".join(ticket.question.split()))[:MAX_QUESTION]
    if not answer or not question:
        raise Refusal("desk/refused/draft_no_answer", number=ticket.number)
    lang = STAFF_LANGUAGE.value
    other = "en" if lang == "id" else "id"
    draft = KbDraft(
        ticket_id=ticket.id or 0,
        ticket_number=ticket.number,
        office_code=ticket.office_code,
        lang=lang,
        copied_lang=other,
        category=category[:64],
        phrasings=json.dumps({lang: [question], other: []}, ensure_ascii=False),
        answered_on=(ticket.answered_at or ticket.resolved_at or now).date(),
        created_by=officer.id if officer is not None else None,
        created_at=now,
    )
    for code in (lang, other):
        _set_text(draft, DraftField.QUESTION, code, question)
        _set_text(draft, DraftField.ANSWER, code, answer)
    session.add(draft)
    session.flush()
    audit_append(
        session,
        at=now,
        actor=_actor(officer),
        action="kb_draft_made",
        ticket_id=ticket.id,
        data={"draft": draft.id},
    )
    return draft, True


# --- reviewing ----------------------------------------------------------------------------


def _set_text(draft: KbDraft, field: DraftField, lang: str, value: str) -> None:
    limit = MAX_QUESTION if field is DraftField.QUESTION else MAX_ANSWER
    setattr(draft, f"{field.value}_{'en' if lang == 'en' else 'id'}", value[:limit])


def edit_draft(
    session: Session,
    *,
    draft: KbDraft,
    officer: Officer | None,
    field: DraftField,
    value: str,
    lang: str,
    now: datetime,
) -> KbDraft:
    """A reviewer rewrites one field of a pending draft (masked like the rest). Writing the
    language that was a copy makes it the reviewer's own; phrasings are given as a list
    separated by "|" and replace those of that language. The category is checked by the
    caller (it belongs to the knowledge base). The other language stops being a copy once
    its question and its answer are both written."""
    require_review(session, officer, draft)
    text = mask_personal_numbers(value.strip())
    if not text:
        raise Refusal("desk/refused/draft_empty", field=field.value)
    if field is DraftField.CATEGORY:
        draft.category = text[:64]
    elif field is DraftField.PHRASINGS:
        found = json.loads(draft.phrasings or "{}")
        items = [" ".join(p.split()) for p in text.split("|")]
        found[lang] = [p[:MAX_QUESTION] for p in dict.fromkeys(items) if p]
        draft.phrasings = json.dumps(found, ensure_ascii=False)
    else:
        _set_text(draft, field, lang, text)
    copied = draft.copied_lang
    own = draft.lang
    written = copied is not None and draft.question(copied) != draft.question(own)
    if written and copied is not None and draft.answer(copied) != draft.answer(own):
        draft.copied_lang = None  # both its question and its answer are written now
    session.add(draft)
    audit_append(
        session,
        at=now,
        actor=_actor(officer),
        action="kb_draft_edited",
        ticket_id=draft.ticket_id,
        data={"draft": draft.id, "field": field.value, "lang": lang},
    )
    return draft


def approve_draft(
    session: Session,
    *,
    draft: KbDraft,
    officer: Officer | None,
    related: list[str],
    now: datetime,
    everywhere: bool = False,
) -> KbDraft:
    """Approves a pending draft: served from now on to its office's subtree, or everywhere
    when the reviewer is an officer of KPU RI (or an operator says ``everywhere``). Whether
    the entry is complete is the knowledge base's rule, checked by the caller first."""
    require_review(session, officer, draft)
    at_ri = officer is not None and officer.office_code == RI
    draft.scope_code = RI if (at_ri or everywhere) else draft.office_code
    draft.related = ",".join(related)[:120]
    return _review(session, draft, officer, DraftStatus.APPROVED, now)


def reject_draft(
    session: Session, *, draft: KbDraft, officer: Officer | None, now: datetime
) -> KbDraft:
    """Rejects a pending draft; the ticket may be drafted again later."""
    require_review(session, officer, draft)
    return _review(session, draft, officer, DraftStatus.REJECTED, now)


def _review(
    session: Session, draft: KbDraft, officer: Officer | None, status: DraftStatus, now: datetime
) -> KbDraft:
    draft.status = status
    draft.reviewed_by = officer.id if officer is not None else None
    draft.reviewed_at = now
    session.add(draft)
    session.flush()
    audit_append(
        session,
        at=now,
        actor=_actor(officer),
        action=f"kb_draft_{status.value}",
        ticket_id=draft.ticket_id,
        data={"draft": draft.id, "scope": draft.scope_code},
    )
    return draft


# --- reading ------------------------------------------------------------------------------


def find_draft(session: Session, draft_id: int) -> KbDraft | None:
    return session.get(KbDraft, draft_id)


def pending_drafts(session: Session, office_codes: set[str] | None, limit: int) -> list[KbDraft]:
    """Pending drafts, oldest first; of these offices only when ``office_codes`` is given."""
    query = select(KbDraft).where(KbDraft.status == DraftStatus.PENDING)
    if office_codes is not None:
        query = query.where(col(KbDraft.office_code).in_(office_codes))
    return list(session.exec(query.order_by(col(KbDraft.id)).limit(limit)).all())


def list_drafts(session: Session, status: DraftStatus | None, limit: int) -> list[KbDraft]:
    query = select(KbDraft)
    if status is not None:
        query = query.where(KbDraft.status == status)
    return list(session.exec(query.order_by(col(KbDraft.id)).limit(limit)).all())


def approved_drafts(session: Session) -> list[KbDraft]:
    """Every approved draft, in the order they were made."""
    query = select(KbDraft).where(KbDraft.status == DraftStatus.APPROVED)
    return list(session.exec(query.order_by(col(KbDraft.id))).all())


def approved_mark(session: Session) -> tuple[int, int]:
    """A cheap fingerprint of the approved drafts (how many, the newest id): a running
    knowledge base compares it to know when another process approved one (at every
    free-text question, so the statement is composed once)."""
    count, newest = run(session, _approved_mark()).one()
    return int(count or 0), int(newest or 0)


@functools.cache
def _approved_mark() -> Select[int, int | None]:
    return select(sa.func.count(col(KbDraft.id)), sa.func.max(col(KbDraft.id))).where(
        KbDraft.status == DraftStatus.APPROVED
    )


def visible_from(session: Session, scope_code: str | None, office_code: str | None) -> bool:
    """Whether an entry served to ``scope_code``'s subtree reaches an asker of
    ``office_code`` (None: not known, reached only by entries for everywhere)."""
    if scope_code is None or scope_code == RI:
        return True
    return office_code is not None and is_within(session, office_code, scope_code)
