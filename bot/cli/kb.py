"""``helpdesk kb``: check the knowledge base, ask it, measure it, list its gaps; review
the FAQ drafts made at the desk and export the approved ones (``bot.cli.kb_drafts``).

check, ask and eval need neither a database nor a Telegram token; gaps, drafts and export
read the database.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import typer

from bot.cli.common import container, fail
from bot.cli.kb_drafts import drafts_app, export_command
from knowledge.content.calendar import FOLDER as CALENDAR_FOLDER
from knowledge.content.faq import DEFAULT_FOLDER

kb_app = typer.Typer(help="The knowledge base (FAQ content and search).", no_args_is_help=True)
kb_app.add_typer(drafts_app, name="drafts")
kb_app.command("export")(export_command)

FOLDER_OPTION = typer.Option(DEFAULT_FOLDER, "--folder", help="Folder with the *.yaml content.")
CALENDARS_OPTION = typer.Option(
    CALENDAR_FOLDER, "--calendars", help="Folder with the stage calendars (*.yaml)."
)


EVAL_FILE_ARGUMENT = typer.Argument(..., exists=True, dir_okay=False, help="Questions to measure.")
LENIENT_OPTION = typer.Option(
    False, "--lenient", help="Use the content even if `kb check` finds problems."
)


def _load(folder: Path, lenient: bool = False) -> Any:
    from knowledge.search import ContentError, KnowledgeBase

    try:
        return KnowledgeBase.load(folder, strict=not lenient)
    except ContentError as exc:
        for problem in exc.problems:
            typer.echo(problem, err=True)
        raise fail(
            f"the knowledge base has {len(exc.problems)} problem(s): run `helpdesk kb check`", 1
        ) from None


@kb_app.command("check")
def check_command(
    folder: Path = FOLDER_OPTION,
    calendars: Path = CALENDARS_OPTION,
) -> None:
    """Validate the content and the stage calendars (typed sources a liaison can check,
    like the entries'); list every problem and exit 1 if there is any."""
    from knowledge.content.calendar import CalendarError, load_folder
    from knowledge.content.faq import read_folder

    content = read_folder(folder)
    problems = list(content.problems)
    stages = 0
    try:
        stages = sum(len(c.stages) for c in load_folder(calendars, datetime.now(UTC)))
    except CalendarError as exc:
        problems += exc.problems
    if problems:
        for problem in problems:
            typer.echo(problem)
        typer.echo(f"{len(problems)} problem(s) found", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"ok: {len(content.entries)} entries in {len(content.categories)} categories; "
        f"{stages} stages in {calendars.name}"
    )


@kb_app.command("ask")
def ask_command(
    question: str = typer.Argument(None, help="The question; without it, one per stdin line."),
    top: int = typer.Option(3, "--top", min=1, max=20, help="How many entries to show."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object instead of text."),
    folder: Path = FOLDER_OPTION,
    lenient: bool = LENIENT_OPTION,
) -> None:
    """The same search the bot uses, for one question or for every line of stdin."""
    kb = _load(folder, lenient)
    if question is None:
        for line in sys.stdin:
            typer.echo(json.dumps(_as_json(kb.search(line.strip(), top)), ensure_ascii=False))
        return
    result = kb.search(question, top)
    if as_json:
        typer.echo(json.dumps(_as_json(result), ensure_ascii=False, indent=2))
        return
    typer.echo(_as_text(result))


def _as_json(result: Any) -> dict[str, Any]:
    return {
        "question": result.question,
        "lang": result.lang,
        "answered": result.answered,
        "facets": dict(result.facets),
        "refusal": list(result.refusal),
        "results": [
            {
                "id": hit.entry.id,
                "title": hit.entry.title(result.lang),
                "answer": hit.entry.answer_in(result.lang),
                "score": hit.score,
                "mismatch": list(hit.mismatch),
            }
            for hit in result.hits
        ],
    }


def _as_text(result: Any) -> str:
    if not result.hits:
        return "Not sure: nothing in the knowledge base matches. An officer should answer."
    first = result.hits[0]
    lines: list[str] = []
    if result.answered:
        lines += [
            f"{first.entry.title(result.lang)}  [{first.entry.id}, confidence {first.score:.2f}]",
            "",
            first.entry.answer_in(result.lang),
        ]
        others = result.hits[1:]
        if others:
            lines += ["", "Related:"]
    else:
        lines += [f"Not sure ({'; '.join(result.refusal)}). Closest entries:"]
        others = result.hits
    lines += [f"  - {h.entry.title(result.lang)}  [{h.entry.id}, {h.score:.2f}]" for h in others]
    return "\n".join(lines)


@kb_app.command("eval")
def eval_command(
    file: Path = EVAL_FILE_ARGUMENT,
    as_json: bool = typer.Option(False, "--json", help="The figures as JSON."),
    folder: Path = FOLDER_OPTION,
    lenient: bool = LENIENT_OPTION,
) -> None:
    """hit@1, hit@3, MRR, out-of-scope accuracy and latency, beside the title-matching baseline."""
    from knowledge.tools.baseline import TitleMatcher
    from knowledge.tools.evaluate import evaluate, load_items
    from knowledge.tools.report import render_reports

    kb = _load(folder, lenient)
    try:
        items = load_items(file)
    except (ValueError, OSError) as exc:
        raise fail(str(exc)) from None
    ours = evaluate("search", kb, items, kb.entries)
    baseline = evaluate("baseline", TitleMatcher(kb.entries), items, kb.entries)
    if as_json:
        typer.echo(json.dumps({"search": asdict(ours), "baseline": asdict(baseline)}, indent=2))
        return
    typer.echo(render_reports(file.name, ours, baseline))


@kb_app.command("calibrate")
def calibrate_command(
    folder: Path = FOLDER_OPTION,
    lenient: bool = LENIENT_OPTION,
    write: bool = typer.Option(False, "--write", help="Write knowledge/search/calibration.py."),
    real: list[Path] = typer.Option(  # noqa: B008
        None, "--real", help="Evaluation file of real questions (repeatable); default: none."
    ),
) -> None:
    """Fit the confidence on the knowledge base's own phrasings (as written and with chat
    noise), on out-of-scope questions and on real questions with known answers (the
    threshold is then cross-validated on them); prints the coefficients and threshold."""
    from knowledge.tools.calibrate import CALIBRATION_MODULE, fit_report

    report, module = fit_report(_load(folder, lenient), real or ())
    typer.echo(report)
    if write:
        CALIBRATION_MODULE.write_text(module, encoding="utf-8")
        typer.echo(f"written: {CALIBRATION_MODULE}")


@kb_app.command("gaps")
def gaps_command(
    limit: int = typer.Option(20, "--limit", min=1, max=1000, help="How many groups to list."),
    since: str = typer.Option(None, "--since", help="Only gaps from this day on (2024-08-01)."),
    office: str = typer.Option(None, "--office", help="Only questions asked in this subtree."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per group."),
) -> None:
    """The questions the bot could not answer, near-identical ones grouped: how often,
    an example, the offices that asked, and the closest entry."""
    from sqlmodel import Session

    from knowledge.gaps import top_gaps

    start: datetime | None = None
    if since:
        try:
            start = datetime.combine(date.fromisoformat(since), datetime.min.time(), UTC)
        except ValueError:
            raise fail(f"--since must be a date like 2024-08-01, not {since!r}") from None
    with container() as built, Session(built.engine) as session:
        clusters = top_gaps(session, office, start, limit)
    if not clusters:
        typer.echo("no unanswered questions recorded" + (f" since {since}" if since else ""))
        return
    width = max(len(str(c.count)) for c in clusters)
    for c in clusters:
        if as_json:
            found = {
                "count": c.count,
                "example": c.example,
                "offices": list(c.offices),
                "closest": c.closest,
                "wordings": c.forms,
                "last": c.last_at.isoformat(),
            }
            typer.echo(json.dumps(found, ensure_ascii=False))
            continue
        when = c.last_at.strftime("%Y-%m-%d %H:%M UTC")
        offices = ", ".join(c.offices) or "-"
        typer.echo(
            f"{c.count:>{width}}  {c.example}  (last {when}; {c.forms} wording(s); "
            f"offices: {offices}; closest: {c.closest or '-'})"
        )
