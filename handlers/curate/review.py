"""FAQ drafts in the staff chat: "Jadikan FAQ" on a resolved ticket's card, the review
queue (/draf), editing (/draf_ubah) and the approve / reject buttons.

A resolved ticket's topic is closed, so what a draft says is posted in the staff chat's
main thread, where supervisors look for it; the pressed button gets a short notice.
Who may review is ``models.kb_drafts.can_review``; the buttons count only in the staff
chat of the draft's office or of an office above it.

Button actions, after "kbd:": ``m:<ticket id>`` make a draft, ``v:<id>`` show one,
``a:<id>`` approve, ``x:<id>`` reject.
"""

from __future__ import annotations

from dataclasses import replace

from handlers.context import Context
from handlers.curate import drafts
from handlers.desk.guard import officer_of
from handlers.port import Button, Outcome, Reply, Toast
from handlers.refusals import guarded, refuse
from models.kb_drafts import (
    DraftField,
    DraftStatus,
    KbDraft,
    can_review,
    find_draft,
    pending_drafts,
)
from models.offices import office_for_staff_chat, subtree_codes
from models.staff import STAFF_LANGUAGE, can_act, chat_serves
from models.tickets import find_ticket

LIST_LIMIT = 10
FIELD_WORDS = {
    "pertanyaan": DraftField.QUESTION,
    "question": DraftField.QUESTION,
    "jawaban": DraftField.ANSWER,
    "answer": DraftField.ANSWER,
    "kategori": DraftField.CATEGORY,
    "category": DraftField.CATEGORY,
    "frasa": DraftField.PHRASINGS,
    "phrasings": DraftField.PHRASINGS,
}


def _button(ctx: Context, label: str, action: str, **kwargs: str) -> Button:
    text = ctx.texts.label(STAFF_LANGUAGE, label, **kwargs)
    return Button(label=text, payload=ctx.signer.sign(ctx.event.chat.id, action))


def _main_thread(ctx: Context) -> Reply:
    return Reply(replace(ctx.event.chat, thread=None), "")


def draft_view(ctx: Context, draft: KbDraft, note: str = "") -> Reply:
    """The draft as a reviewer reads it, with what still keeps it from approval."""
    kb = ctx.services.kb
    problems = drafts.as_entry(ctx.uow.session, kb, draft)[1] if kb is not None else []
    text = ctx.texts.render(
        STAFF_LANGUAGE,
        "curate/draft",
        draft=draft,
        office=drafts.office_name(ctx.uow.session, draft.office_code),
        phrasings={lang: draft.phrasings_in(lang) for lang in ("id", "en")},
        problems=problems,
        note=note,
    )
    buttons: tuple[tuple[Button, ...], ...] = ()
    if draft.status is DraftStatus.PENDING:
        buttons = (
            (
                _button(ctx, "draft_approve", f"kbd:a:{draft.id}"),
                _button(ctx, "draft_reject", f"kbd:x:{draft.id}"),
            ),
        )
    return replace(_main_thread(ctx), text=text, buttons=buttons)


# --- commands -----------------------------------------------------------------------------


def list_command(ctx: Context, arg: str) -> Outcome:
    """/draf: the pending drafts of this staff chat's office and the offices below it."""
    office = office_for_staff_chat(ctx.uow.session, ctx.chat.id or 0)
    if office is None or not can_act(ctx.uow.session, officer_of(ctx), office.code):
        reply = ctx.texts.render(STAFF_LANGUAGE, "curate/staff_only")
        return Outcome([Reply(ctx.event.chat, reply)], "drafts: not a staff chat")
    codes = subtree_codes(ctx.uow.session, office.code)
    found = pending_drafts(ctx.uow.session, codes, LIST_LIMIT)
    text = ctx.texts.render(STAFF_LANGUAGE, "curate/queue", drafts=found, office=office.name)
    rows = tuple((_button(ctx, "draft_show", f"kbd:v:{d.id}", number=str(d.id)),) for d in found)
    return Outcome([Reply(ctx.event.chat, text, rows)], f"drafts: {len(found)} pending")


@guarded
def edit_command(ctx: Context, arg: str) -> Outcome:
    """/draf_ubah <id> <pertanyaan|jawaban|kategori|frasa> [id|en] <text>: one field of a
    pending draft rewritten (phrasings separated by "|")."""
    parts = arg.split(maxsplit=2)
    field = FIELD_WORDS.get(parts[1].lower()) if len(parts) > 1 else None
    draft = find_draft(ctx.uow.session, int(parts[0])) if parts and parts[0].isdigit() else None
    rest = parts[2] if len(parts) > 2 else ""
    if draft is None or field is None or not rest.strip():
        usage = ctx.texts.render(STAFF_LANGUAGE, "curate/edit_usage")
        return Outcome([Reply(ctx.event.chat, usage)], "drafts: edit usage")
    lang, _, text = rest.partition(" ")
    if lang.lower() not in ("id", "en") or not text.strip():
        lang, text = draft.lang, rest
    refused = _not_here(ctx, draft)
    if refused is not None:
        return refused
    kb = ctx.services.kb
    if kb is None:
        return Outcome([], "drafts: no knowledge base")
    drafts.edit(
        ctx.uow.session, kb, draft, officer_of(ctx), field, lang.lower(), text, ctx.clock.now()
    )
    note = ctx.texts.label(STAFF_LANGUAGE, "draft_edited")
    view = replace(draft_view(ctx, draft, note), chat=ctx.event.chat)
    return Outcome([view], f"drafts: {draft.id} edited")


# --- buttons ------------------------------------------------------------------------------


@guarded
def on_action(ctx: Context, arg: str) -> Outcome:
    """Every "kbd:..." button."""
    op, _, rest = arg.partition(":")
    if op not in _OPS or not rest.isdigit():
        return Outcome([ctx.toast("button_expired")], "drafts: button unknown")
    if officer_of(ctx) is None:
        return refuse(ctx, "desk/refused/not_officer")
    return _OPS[op](ctx, int(rest))


def _make(ctx: Context, ticket_id: int) -> Outcome:
    """ "Jadikan FAQ" on a resolved ticket's card: the draft, made or found."""
    ticket = find_ticket(ctx.uow.session, ticket_id)
    kb = ctx.services.kb
    if ticket is None or kb is None:
        return Outcome([ctx.toast("button_expired")], "drafts: ticket gone")
    if not chat_serves(ctx.uow.session, ctx.chat.id or 0, ticket.office_code):
        return refuse(ctx, "desk/refused/not_allowed", ticket_id=ticket.id)
    draft, new = drafts.draft_from_ticket(
        ctx.uow.session, kb, ticket, officer_of(ctx), ctx.clock.now()
    )
    label = "draft_made_toast" if new else "draft_exists_toast"
    toast = Toast(ctx.texts.label(STAFF_LANGUAGE, label, number=str(draft.id)))
    return Outcome([toast, draft_view(ctx, draft)], f"drafts: {draft.id} from {ticket.number}")


def _show(ctx: Context, draft_id: int) -> Outcome:
    draft = find_draft(ctx.uow.session, draft_id)
    if draft is None:
        return Outcome([ctx.toast("button_expired")], "drafts: gone")
    refused = _not_here(ctx, draft)
    return refused or Outcome([draft_view(ctx, draft)], f"drafts: {draft.id} shown")


def _approve(ctx: Context, draft_id: int) -> Outcome:
    draft = find_draft(ctx.uow.session, draft_id)
    kb = ctx.services.kb
    if draft is None or kb is None:
        return Outcome([ctx.toast("button_expired")], "drafts: gone")
    refused = _not_here(ctx, draft) or _not_reviewer(ctx, draft)
    if refused is not None:
        return refused
    drafts.approve(ctx.uow.session, kb, draft, officer_of(ctx), ctx.clock.now())
    toast = Toast(ctx.texts.label(STAFF_LANGUAGE, "draft_approved_toast", number=str(draft.id)))
    view = replace(draft_view(ctx, draft), chat=ctx.event.chat, edit=ctx.event.ref or None)
    return Outcome([toast, view], f"drafts: {draft.id} approved")


def _reject(ctx: Context, draft_id: int) -> Outcome:
    draft = find_draft(ctx.uow.session, draft_id)
    if draft is None:
        return Outcome([ctx.toast("button_expired")], "drafts: gone")
    refused = _not_here(ctx, draft) or _not_reviewer(ctx, draft)
    if refused is not None:
        return refused
    drafts.reject(ctx.uow.session, draft, officer_of(ctx), ctx.clock.now())
    toast = Toast(ctx.texts.label(STAFF_LANGUAGE, "draft_rejected_toast", number=str(draft.id)))
    view = replace(draft_view(ctx, draft), chat=ctx.event.chat, edit=ctx.event.ref or None)
    return Outcome([toast, view], f"drafts: {draft.id} rejected")


def _not_here(ctx: Context, draft: KbDraft) -> Outcome | None:
    """Drafts are handled from the staff chat of their office or of one above it."""
    if chat_serves(ctx.uow.session, ctx.chat.id or 0, draft.office_code):
        return None
    return refuse(ctx, "desk/refused/not_allowed", ticket_id=draft.ticket_id)


def _not_reviewer(ctx: Context, draft: KbDraft) -> Outcome | None:
    if can_review(ctx.uow.session, officer_of(ctx), draft.office_code):
        return None
    return refuse(
        ctx,
        "desk/refused/draft_not_reviewer",
        ticket_id=draft.ticket_id,
        number=draft.ticket_number,
    )


_OPS = {"m": _make, "v": _show, "a": _approve, "x": _reject}
