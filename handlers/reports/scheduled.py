"""Reports sent on a schedule into each office's staff chat, and the one path every
report file takes into a chat: the outbox.

The rule: at 07.00 local time of each office (its own zone: WIB, WITA or WIT), on
Mondays the report of the ISO week just ended, and on the 1st of a month the report of
the month just ended, go to the office's linked staff chat as a file. Offices with no
linked staff chat get none. Each (office, period) is sent once, even across restarts:
the outbox campaign ``report:<office>:<period>`` exists once, and an office whose
report is queued is skipped before any file is made. A report missed for the whole
due day (the bot was down) is not sent late.
"""

from __future__ import annotations

import enum
import logging
import time as timer
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from handlers.reports.files import ReportFormat, report_file
from handlers.texts import Texts
from models.chats import Chat
from models.clock import Clock
from models.offices import Office, office_zone
from models.outbox import Lane
from models.outbox_files import already_queued, enqueue_file
from models.report_scope import Period, parse_period
from models.reports import ReportCache
from models.staff import STAFF_LANGUAGE
from models.uow import UnitOfWork
from models.zones import OFFICE_ZONES

log = logging.getLogger(__name__)

SEND_AT = time(7, 0)  # local time of each office
RECIPIENT = "staff"
RUN_BUDGET_SECONDS = 50.0  # one tick stops after this; the next tick carries on
MIME = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.HTML: "text/html",
    ReportFormat.SUMMARY: "text/html",
}


class Cadence(enum.StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"


@dataclass(frozen=True)
class DueReport:
    cadence: Cadence
    period: Period


def report_campaign(office_code: str, period: Period) -> str:
    return f"report:{office_code}:{period.key}"


def due_reports(local_now: datetime) -> list[DueReport]:
    """What is due at this local time: on a Monday from 07.00, last week's report; on the
    1st from 07.00, last month's. Both on a Monday the 1st."""
    if local_now.time() < SEND_AT:
        return []
    today = local_now.date()
    due: list[DueReport] = []
    if today.day == 1:
        last_month = today - timedelta(days=1)
        due.append(DueReport(Cadence.MONTHLY, parse_period(f"{last_month:%Y-%m}")))
    if today.isoweekday() == 1:
        year, week, _ = (today - timedelta(days=7)).isocalendar()
        due.append(DueReport(Cadence.WEEKLY, parse_period(f"{year}-W{week:02d}")))
    return due


def queue_report_file(
    session: Session,
    office: Office,
    period: Period,
    fmt: ReportFormat,
    *,
    texts: Texts,
    now: datetime,
    campaign: str,
    chat: tuple[str, str, str | None],
    template: str,
    lane: Lane,
    cache: ReportCache | None = None,
) -> bool:
    """Makes ``office``'s report for ``period`` and queues it, with a caption, into
    ``chat`` (channel, chat id, thread); False when this campaign was queued before."""
    channel, chat_id, thread = chat
    if already_queued(session, campaign, RECIPIENT):
        return False
    content = report_file(session, office.code, period, fmt, now=now, texts=texts, cache=cache)
    caption = texts.render(
        STAFF_LANGUAGE, template, office=office.name, period=period.key, fmt=fmt.value
    )
    queued = enqueue_file(
        session,
        campaign=campaign,
        recipient=RECIPIENT,
        channel=channel,
        chat_id=chat_id,
        caption=caption,
        name=f"laporan-{office.code}-{period.key}.{fmt.value}",
        content=content,
        mime=MIME[fmt],
        lane=lane,
        now=now,
        thread=thread,
    )
    return queued is not None


def _offices_with_staff_chat(session: Session) -> list[Office]:
    return list(
        session.exec(
            select(Office).where(col(Office.staff_chat_id).is_not(None)).order_by(col(Office.code))
        ).all()
    )


def send_scheduled_reports(
    sessions: Callable[[], Session],
    clock: Clock,
    texts: Texts,
    *,
    fmt: ReportFormat = ReportFormat.XLSX,
    budget_seconds: float = RUN_BUDGET_SECONDS,
) -> int:
    """The scheduler's tick: queues every due report not queued yet, each in a commit of
    its own (the file is made before anything is written, so the database is locked
    only for the insert), and stops after ``budget_seconds`` (the next tick goes on).
    Returns how many reports it queued."""
    started = timer.monotonic()
    now = clock.now()
    if not any(due_reports(now.astimezone(ZoneInfo(zone))) for zone in OFFICE_ZONES):
        return 0  # most ticks: nothing is due anywhere, and no office is looked at
    with UnitOfWork(sessions) as uow:
        due = [
            (office.code, report)
            for office in _offices_with_staff_chat(uow.session)
            for report in due_reports(now.astimezone(office_zone(office)))
        ]
    queued = 0
    cache = ReportCache()  # each office's figures read once for all the tick's reports
    for code, report in due:
        if timer.monotonic() - started > budget_seconds:
            log.info("scheduled reports: time budget spent, %d queued; the rest next tick", queued)
            break
        with UnitOfWork(sessions) as uow:
            queued += _queue_for_office(uow.session, code, report, now, texts, fmt, cache)
            uow.commit()
    return queued


def _queue_for_office(
    session: Session,
    code: str,
    due: DueReport,
    now: datetime,
    texts: Texts,
    fmt: ReportFormat,
    cache: ReportCache,
) -> int:
    office = session.get(Office, code)
    if office is None or office.staff_chat_id is None:
        return 0
    staff = session.get(Chat, office.staff_chat_id)
    if staff is None:
        return 0
    return queue_report_file(
        session,
        office,
        due.period,
        fmt,
        texts=texts,
        now=now,
        campaign=report_campaign(office.code, due.period),
        chat=(staff.channel, staff.external_id, None),
        template=f"reports/scheduled_{due.cadence.value}",
        lane=Lane.BULK,
        cache=cache,
    )
