"""/laporan in a staff chat: an officer asks for the office's tier report, picking the
period (this or last month, this or last week) and the format (PDF or XLSX) by button.
Only officers of the chat's office or of an office above it may (``models.report_scope``);
the file is made at once and travels to the chat through the outbox, like every file.

  lp:p:<period>         a period picked: the formats
  lp:f:<period>:<fmt>   the format picked: the file is queued
"""

from __future__ import annotations

from datetime import date, timedelta

from handlers.context import Context
from handlers.port import Button, Outcome, Reply
from handlers.refusals import guarded
from handlers.register.staff_office import office_and_officer
from handlers.reports.files import ReportFormat
from handlers.reports.scheduled import queue_report_file
from models.offices import office_zone
from models.outbox import Lane
from models.report_scope import Period, parse_period
from models.staff import STAFF_LANGUAGE

FORMATS = (ReportFormat.PDF, ReportFormat.XLSX)


def period_choices(today: date) -> list[tuple[str, Period]]:
    """This month, last month, this week, last week, as (label name, period)."""
    last_month = today.replace(day=1) - timedelta(days=1)
    this_week = today.isocalendar()
    last_week = (today - timedelta(days=7)).isocalendar()
    return [
        ("reg_this_month", parse_period(f"{today:%Y-%m}")),
        ("reg_last_month", parse_period(f"{last_month:%Y-%m}")),
        ("reg_this_week", parse_period(f"{this_week[0]}-W{this_week[1]:02d}")),
        ("reg_last_week", parse_period(f"{last_week[0]}-W{last_week[1]:02d}")),
    ]


def _say(
    ctx: Context, template: str, rows: tuple[tuple[Button, ...], ...] = (), **kw: object
) -> Reply:
    text = ctx.texts.render(STAFF_LANGUAGE, template, **kw)
    edit = ctx.event.ref if ctx.event.button is not None else None
    return Reply(chat=ctx.event.chat, text=text, buttons=rows, edit=edit)


def _button(ctx: Context, label: str, action: str) -> Button:
    return Button(
        label=ctx.texts.label(STAFF_LANGUAGE, label),
        payload=ctx.signer.sign(ctx.event.chat.id, action),
    )


@guarded
def ask_report(ctx: Context, arg: str = "") -> Outcome:
    """/laporan: the periods to choose from."""
    office, _officer = office_and_officer(ctx)
    today = ctx.clock.now().astimezone(office_zone(office)).date()
    rows = tuple(
        (_button(ctx, label, f"lp:p:{period.key}"),) for label, period in period_choices(today)
    )
    return Outcome([_say(ctx, "register/report_period", rows, office=office.name)], "report asked")


@guarded
def on_action(ctx: Context, arg: str) -> Outcome:
    """Every "lp:..." button; the permission is checked again for whoever pressed it."""
    office, _officer = office_and_officer(ctx)
    op, _, rest = arg.partition(":")
    key, _, fmt_text = rest.partition(":")
    try:
        period = parse_period(key)
    except ValueError:
        return Outcome([ctx.toast("button_expired")], "report: period unknown")
    if op == "p":
        rows = (
            tuple(_button(ctx, f"reg_format_{f.value}", f"lp:f:{key}:{f.value}") for f in FORMATS),
        )
        reply = _say(ctx, "register/report_format", rows, office=office.name, period=key)
        return Outcome([reply], "report: period picked")
    try:
        fmt = ReportFormat(fmt_text)
    except ValueError:
        return Outcome([ctx.toast("button_expired")], "report: format unknown")
    now = ctx.clock.now()
    queue_report_file(
        ctx.uow.session,
        office,
        period,
        fmt,
        texts=ctx.texts,
        now=now,
        campaign=f"report-asked:{office.code}:{key}:{fmt.value}:{ctx.event.chat.id}:{ctx.event.ref}",
        chat=(ctx.event.channel, ctx.event.chat.id, ctx.event.chat.thread),
        template="register/report_file",
        lane=Lane.RELAY,
    )
    reply = _say(ctx, "register/report_coming", office=office.name, period=key, fmt=fmt.value)
    return Outcome([reply], "report: queued")
