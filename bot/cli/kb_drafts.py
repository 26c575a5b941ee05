"""``helpdesk kb drafts list|show|approve|reject`` and ``helpdesk kb export``: the FAQ
drafts made from resolved tickets, reviewed from a terminal, and the approved entries
written out as content files.

From the terminal the reviewer is the operator (audited as such): the same rules apply
to the draft (only pending ones change; approval needs a complete entry), and an
approved draft is served to its office's subtree, or everywhere with ``--everywhere``.
A running bot picks the approval up at its next question, without a restart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typer

from bot.cli.common import container, fail

drafts_app = typer.Typer(help="FAQ drafts from resolved tickets.", no_args_is_help=True)

EDIT_OPTIONS = {
    "question_id": ("question", "id"),
    "question_en": ("question", "en"),
    "answer_id": ("answer", "id"),
    "answer_en": ("answer", "en"),
    "category": ("category", "id"),
    "phrasings_id": ("phrasings", "id"),
    "phrasings_en": ("phrasings", "en"),
}


def _found(session: Any, draft_id: int) -> Any:
    from models.kb_drafts import find_draft

    draft = find_draft(session, draft_id)
    if draft is None:
        raise fail(f"no draft #{draft_id}", 1)
    return draft


def _as_dict(draft: Any) -> dict[str, Any]:
    return {
        "id": draft.id,
        "status": draft.status.value,
        "ticket": draft.ticket_number,
        "office": draft.office_code,
        "scope": draft.scope_code,
        "category": draft.category,
        "question": {"id": draft.question_id, "en": draft.question_en},
        "answer": {"id": draft.answer_id, "en": draft.answer_en},
        "copied": draft.copied_lang,
        "phrasings": {lang: draft.phrasings_in(lang) for lang in ("id", "en")},
        "related": draft.related_ids(),
        "entry": draft.entry_id,
    }


@drafts_app.command("list")
def list_command(
    status: str = typer.Option("pending", "--status", help="pending, approved, rejected or all."),
    limit: int = typer.Option(50, "--limit", min=1, max=1000),
) -> None:
    """The drafts with this status, oldest first."""
    from sqlmodel import Session

    from models.kb_drafts import DraftStatus, list_drafts

    wanted = None if status == "all" else DraftStatus(status)
    with container() as built, Session(built.engine) as session:
        found = list_drafts(session, wanted, limit)
        if not found:
            typer.echo(f"no {status} drafts")
        for d in found:
            typer.echo(
                f"#{d.id}  {d.status.value:<8}  ticket {d.ticket_number}  {d.office_code:<6}  "
                f"{d.category or '-'}  {d.question_id[:70]}"
            )


@drafts_app.command("show")
def show_command(draft_id: int = typer.Argument(...)) -> None:
    """One draft as JSON, with what keeps it from approval."""
    from sqlmodel import Session

    from handlers.curate.drafts import as_entry

    with container() as built, Session(built.engine) as session:
        draft = _found(session, draft_id)
        shown = _as_dict(draft)
        kb = built.helpdesk.services.kb
        shown["problems"] = as_entry(session, kb, draft)[1] if kb is not None else []
        typer.echo(json.dumps(shown, ensure_ascii=False, indent=2))


@drafts_app.command("approve")
def approve_command(
    draft_id: int = typer.Argument(...),
    everywhere: bool = typer.Option(False, "--everywhere", help="Serve it to every office."),
    question_id: str = typer.Option(None, "--edit-question-id"),
    question_en: str = typer.Option(None, "--edit-question-en"),
    answer_id: str = typer.Option(None, "--edit-answer-id"),
    answer_en: str = typer.Option(None, "--edit-answer-en"),
    category: str = typer.Option(None, "--edit-category", help="cat/sub, e.g. pendaftaran/sipol"),
    phrasings_id: str = typer.Option(None, "--edit-phrasings-id", help='Separated by "|".'),
    phrasings_en: str = typer.Option(None, "--edit-phrasings-en", help='Separated by "|".'),
) -> None:
    """Edit (optional), then approve: served at once, and by `kb export`."""
    edits = {
        "question_id": question_id,
        "question_en": question_en,
        "answer_id": answer_id,
        "answer_en": answer_en,
        "category": category,
        "phrasings_id": phrasings_id,
        "phrasings_en": phrasings_en,
    }
    _review(draft_id, edits, approve=True, everywhere=everywhere)


@drafts_app.command("reject")
def reject_command(draft_id: int = typer.Argument(...)) -> None:
    """Reject a pending draft."""
    _review(draft_id, dict.fromkeys(EDIT_OPTIONS), approve=False)


def _review(
    draft_id: int, edits: Mapping[str, str | None], *, approve: bool, everywhere: bool = False
) -> None:
    from sqlmodel import Session

    from handlers.curate import drafts
    from models.kb_drafts import DraftField
    from models.refusals import Refusal

    with container() as built, Session(built.engine) as session:
        kb = built.helpdesk.services.kb
        if kb is None:
            raise fail("the knowledge base could not be read", 1)
        kb.refresh(session)
        draft = _found(session, draft_id)
        now = built.clock.now()
        try:
            for option, value in edits.items():
                if value is not None:
                    name, lang = EDIT_OPTIONS[option]
                    drafts.edit(session, kb, draft, None, DraftField(name), lang, value, now)
            if approve:
                drafts.approve(session, kb, draft, None, now, everywhere=everywhere)
            else:
                drafts.reject(session, draft, None, now)
        except Refusal as refusal:
            session.rollback()
            for problem in refusal.context.get("problems", []):
                typer.echo(problem, err=True)
            raise fail(f"refused: {refusal.key.rsplit('/', 1)[-1]}", 1) from None
        session.commit()
        where = "everywhere" if draft.scope_code == "RI" else f"in {draft.scope_code}'s subtree"
        done = f"approved as {draft.entry_id}, served {where}" if approve else "rejected"
        typer.echo(f"draft #{draft.id} {done}")


OUT_OPTION = typer.Option(Path("var/kb-export"), "--out", help="Folder to write into.")


def export_command(out: Path = OUT_OPTION) -> None:
    """Write the shipped content with the approved drafts added, as *.yaml content files
    (`helpdesk kb check --folder OUT` checks them; copy them into knowledge/faq to ship)."""
    from sqlmodel import Session

    from knowledge.content.approved import export, served_entries
    from models.kb_drafts import approved_drafts

    with container() as built, Session(built.engine) as session:
        copied = {d.entry_id: d.copied_lang for d in approved_drafts(session)}
        served = [(s.entry, copied.get(s.entry.id)) for s in served_entries(session)]
    written = export(served, out)
    typer.echo(f"{len(served)} approved entries exported; {len(written)} files in {out}")
