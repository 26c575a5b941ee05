"""``helpdesk consult add|guest|export`` and ``helpdesk report``: the consultation
register and the tier reports from the operator's shell.

The CLI is the operator's: it may record for and report on any office. In chat, the
rule of :func:`models.report_scope.can_see_report` applies.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import typer

from bot.cli.common import fail
from bot.cli.desk import ACTOR, desk
from models import Language
from models.consultations import (
    Channel,
    ConsultationInput,
    ConsultStatus,
    VisitorRole,
    consult_from_guest,
    record_consultation,
    sign_guest_book,
)
from models.offices import get_office, office_zone
from models.report_scope import parse_period

consult_app = typer.Typer(
    help="The consultation register and the guest book.", no_args_is_help=True
)

_OUT_OPTION = typer.Option(None, "--out", help="File to write; a name is made if not given.")
_HAND_CHANNELS = [c.value for c in Channel if c is not Channel.BOT]


def _choice(value: str, allowed: list[str], option: str) -> str:
    key = value.strip().lower().replace("-", "_")
    if key not in allowed:
        raise fail(f"{option} must be one of {', '.join(allowed)}, not {value!r}")
    return key


def _role(value: str) -> VisitorRole:
    return VisitorRole(_choice(value, [r.value for r in VisitorRole], "--role"))


def _language(value: str) -> Language:
    return Language(_choice(value, [lang.value for lang in Language], "--language"))


def _when(text: str | None, zone_of: object, now: datetime) -> datetime:
    """``--at`` such as "2026-11-23 09:30", in the office's local time; now when empty."""
    if not text:
        return now
    try:
        naive = datetime.fromisoformat(text.strip())
    except ValueError:
        raise fail(f"--at must look like 2026-11-23 09:30, not {text!r}") from None
    return naive if naive.tzinfo else naive.replace(tzinfo=zone_of)  # type: ignore[arg-type]


@consult_app.command("add")
def consult_add(
    office: str = typer.Option(..., "--office", help="Office code, e.g. 34.02."),
    channel: str = typer.Option(..., "--channel", help=", ".join(_HAND_CHANNELS)),
    name: str = typer.Option(..., "--name", help="The visitor's name."),
    question: str = typer.Option(..., "--question"),
    role: str = typer.Option("liaison", "--role", help="liaison, sipol_admin, silon_admin, …"),
    party: str = typer.Option("", "--party", help="Party or organisation."),
    contact: str = typer.Option("", "--contact", help="Phone or e-mail (shown masked)."),
    topic: str = typer.Option("", "--topic", help="Knowledge-base category, e.g. sipol."),
    stage: str = typer.Option("", "--stage", help="Election stage (tahapan)."),
    answer: str = typer.Option("", "--answer", help="The answer or a summary."),
    legal_basis: str = typer.Option("", "--legal-basis", help="Regulation or FAQ entry."),
    officer: str = typer.Option("", "--officer", help="The officer's name."),
    status: str = typer.Option("answered", "--status", help="answered, follow_up, referred"),
    follow_up: str = typer.Option("", "--follow-up"),
    duration: int = typer.Option(0, "--duration", min=0, max=24 * 60, help="Minutes."),
    at: str | None = typer.Option(None, "--at", help="Local time, e.g. 2026-11-23 09:30."),
) -> None:
    """Records a consultation that came by visit, phone, e-mail, messaging group or meeting."""
    data = ConsultationInput(
        office_code=office,
        channel=Channel(_choice(channel, _HAND_CHANNELS, "--channel")),
        visitor_name=name,
        role=_role(role),
        question=question,
        party=party,
        contact=contact,
        topic=topic,
        stage=stage,
        answer=answer,
        legal_basis=legal_basis,
        officer_name=officer,
        status=ConsultStatus(_choice(status, [s.value for s in ConsultStatus], "--status")),
        follow_up=follow_up,
        duration_minutes=duration,
    )
    with desk() as d:
        zone = office_zone(get_office(d.session, office))
        data = ConsultationInput(**{**data.__dict__, "at": _when(at, zone, d.now)})
        consultation = record_consultation(d.session, data, actor=ACTOR, now=d.now)
        typer.echo(f"recorded {consultation.number}")


@consult_app.command("guest")
def consult_guest(
    office: str = typer.Option(..., "--office"),
    name: str = typer.Option(..., "--name"),
    role: str = typer.Option("liaison", "--role"),
    party: str = typer.Option("", "--party"),
    contact: str = typer.Option("", "--contact"),
    purpose: str = typer.Option("", "--purpose"),
    question: str = typer.Option("", "--question", help="Also record it as a consultation."),
    answer: str = typer.Option("", "--answer"),
    officer: str = typer.Option("", "--officer"),
) -> None:
    """Signs a visit into the guest book; with --question, records the consultation too."""
    with desk() as d:
        entry = sign_guest_book(
            d.session,
            office_code=office,
            visitor_name=name,
            role=_role(role),
            party=party,
            contact=contact,
            purpose=purpose,
            at=d.now,
        )
        typer.echo(f"signed in guest {entry.id}")
        if question.strip():
            consultation = consult_from_guest(
                d.session,
                entry,
                question=question,
                answer=answer,
                officer_name=officer,
                actor=ACTOR,
                now=d.now,
            )
            typer.echo(f"recorded {consultation.number}")


def _write(out: Path, content: bytes) -> None:
    out.write_bytes(content)
    typer.echo(f"wrote {out} ({len(content):,} bytes)")


@consult_app.command("export")
def consult_export(
    office: str = typer.Option(..., "--office"),
    first: str = typer.Option(..., "--from", help="First local day, e.g. 2026-11-01."),
    last: str = typer.Option(..., "--to", help="Last local day, included."),
    fmt: str = typer.Option("xlsx", "--format", help="xlsx, pdf or csv"),
    register: str = typer.Option("consultations", "--register", help="consultations, guestbook"),
    out: Path | None = _OUT_OPTION,
    language: str = typer.Option("id", "--language"),
) -> None:
    """The office's registers (with the offices below it) for a span of days."""
    from handlers.reports.files import ExportFormat, Register, export_register
    from handlers.texts import Texts

    try:
        days = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise fail("--from and --to must be dates like 2026-11-01") from None
    kind = ExportFormat(_choice(fmt, [f.value for f in ExportFormat], "--format"))
    which = Register(_choice(register, [r.value for r in Register], "--register"))
    with desk() as d:
        content = export_register(
            d.session, office, *days, kind, register=which, texts=Texts(), lang=_language(language)
        )
    target = out or Path(f"register-{office}-{days[0]}-{days[1]}.{kind.value}")
    _write(target, content)


def report(
    office: str = typer.Option(..., "--office"),
    period: str = typer.Option(..., "--period", help="A month 2026-11 or a week 2026-W48."),
    fmt: str = typer.Option(
        "pdf", "--format", help="pdf, xlsx, html, or summary (the public page, aggregate only)"
    ),
    out: Path | None = _OUT_OPTION,
    language: str = typer.Option("id", "--language"),
) -> None:
    """The tier report of an office for a month or a week."""
    from handlers.reports.files import ReportFormat, report_file
    from handlers.texts import Texts

    try:
        span = parse_period(period)
    except ValueError as exc:
        raise fail(str(exc)) from None
    kind = ReportFormat(_choice(fmt, [f.value for f in ReportFormat], "--format"))
    with desk() as d:
        content = report_file(
            d.session, office, span, kind, now=d.now, texts=Texts(), lang=_language(language)
        )
    if kind is ReportFormat.SUMMARY:
        _write(out or Path(f"ringkasan-{office}-{span.key}.html"), content)
        return
    _write(out or Path(f"laporan-{office}-{span.key}.{kind.value}"), content)
