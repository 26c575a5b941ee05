"""The tier report: one function per part, each one aggregate query in the database.

Consultations are tickets opened in the period (spam left out) plus the consultations
recorded by hand; each is counted at the office that holds it, so a province's total is
its own desk plus each of its regencies and cities. Times are in working hours of the
office that held each ticket (:class:`models.working_time.WorkingTimeline`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from models.audit import AuditEntry
from models.broadcast import Acknowledgement, Announcement
from models.consultations import Channel, Consultation, SelfServiceCount, VisitorRole
from models.gaps import KbGap
from models.offices import Office, get_office, subtree_codes
from models.report_data import (
    AnnouncementLine,
    Count,
    Durations,
    OfficeRow,
    ReportData,
    Satisfaction,
)
from models.report_scope import Period, report_rows
from models.staff import Liaison, Tier
from models.stages import BatchStatus, ReminderBatch, Stage
from models.tickets import Ticket, TicketEscalation, TicketSlaMark, TicketStatus
from models.working_time import WorkingTimeline, percentile

Scope = set[str] | None
"""The office codes a query covers; None for the whole country (no filter at all)."""

NO_VALUE = ""  # a field left empty: rendered as "not recorded"
TOP_GAPS = 10


def build_report(session: Session, office_code: str, period: Period, now: datetime) -> ReportData:
    """The report of ``office_code`` for ``period``: its rows, totals and every breakdown."""
    office = get_office(session, office_code)
    start, end = period.bounds(office)
    codes: Scope = None if office.parent_code is None else subtree_codes(session, office.code)
    rows = office_rows(session, office, period, start, end)
    total = OfficeRow(code=office.code, name=office.name)
    for row in rows:
        total.add(row)
    by = breakdowns(session, codes, start, end)
    return ReportData(
        office_code=office.code,
        office_name=office.name,
        period=period,
        start=start,
        end=end,
        generated_at=now,
        rows=rows,
        total=total,
        by_channel=by["channel"],
        by_party=by["party"],
        by_role=by["role"],
        by_topic=by["topic"],
        by_stage=by["stage"],
        durations=durations(session, codes, start, end),
        satisfaction=satisfaction(session, codes, start, end),
        gaps=top_gaps(session, None if office.parent_code is None else codes, start, end),
        announcements=announcements(session, codes, start, end),
        reminders_sent=reminders_sent(session, codes, start, end),
    )


# --- the rows -----------------------------------------------------------------------------


def office_rows(
    session: Session, office: Office, period: Period, start: datetime, end: datetime
) -> list[OfficeRow]:
    """One row per part of the report; each office's counts land in exactly one row."""
    parts = report_rows(session, office)
    row_of: dict[str, OfficeRow] = {}
    rows: list[OfficeRow] = []
    for part, members in parts:
        row = OfficeRow(code=part.code, name=part.name)
        rows.append(row)
        row_of.update(dict.fromkeys(members, row))
    codes: Scope = None if office.parent_code is None else set(row_of)
    tickets = _tickets(codes, start, end)
    per_office: list[tuple[str, Any]] = [
        ("tickets", _per_office(session, tickets, Ticket.office_code)),
        (
            "recorded",
            _per_office(session, _consultations(codes, start, end), Consultation.office_code),
        ),
        (
            "self_service",
            session.execute(
                sa.select(col(SelfServiceCount.office_code), func.sum(col(SelfServiceCount.count)))
                .where(_within(SelfServiceCount.office_code, codes))
                .where(col(SelfServiceCount.day) >= period.first_day)
                .where(col(SelfServiceCount.day) <= period.last_day)
                .group_by(col(SelfServiceCount.office_code))
            ).all(),
        ),
        (
            "sla_breaches",
            _events(session, TicketSlaMark, TicketSlaMark.office_code, codes, start, end),
        ),
        (
            "escalations",
            _events(session, TicketEscalation, TicketEscalation.from_office, codes, start, end),
        ),
        ("reopened", _reopened(session, codes, start, end)),
    ]
    for name, pairs in per_office:
        for code, number in pairs:
            row = row_of[code]
            setattr(row, name, getattr(row, name) + int(number or 0))
    return rows


def _within(column: Any, codes: Scope) -> Any:
    """``column`` is one of ``codes``; always true for the whole country."""
    return sa.true() if codes is None else col(column).in_(codes)


def _tickets(codes: Scope, start: datetime, end: datetime) -> sa.Select[Any]:
    return (
        sa.select(col(Ticket.id))
        .where(_within(Ticket.office_code, codes))
        .where(col(Ticket.opened_at) >= start, col(Ticket.opened_at) < end)
        .where(col(Ticket.status) != TicketStatus.SPAM)
    )


def _consultations(codes: Scope, start: datetime, end: datetime) -> sa.Select[Any]:
    return (
        sa.select(col(Consultation.id))
        .where(_within(Consultation.office_code, codes))
        .where(col(Consultation.at) >= start, col(Consultation.at) < end)
    )


def _per_office(session: Session, query: sa.Select[Any], column: Any) -> list[Any]:
    grouped = query.with_only_columns(column, func.count()).group_by(column)
    return list(session.execute(grouped).all())


def _events(
    session: Session, table: Any, column: Any, codes: Scope, start: datetime, end: datetime
) -> list[Any]:
    """Per office, the tickets with such an event in the period. A service-level mark
    (the claim time missed: "ping"; the answer time missed: "escalate") is a breach."""
    query = (
        sa.select(column, func.count(sa.distinct(col(table.ticket_id))))
        .where(_within(column, codes))
        .where(table.at >= start, table.at < end)
        .group_by(column)
    )
    return list(session.execute(query).all())


def _reopened(session: Session, codes: Scope, start: datetime, end: datetime) -> list[Any]:
    """Tickets reopened in the period (the audit log's ``ticket.reopened``), by office."""
    query = (
        sa.select(col(Ticket.office_code), func.count(sa.distinct(col(AuditEntry.ticket_id))))
        .join(Ticket, col(Ticket.id) == col(AuditEntry.ticket_id))
        .where(col(AuditEntry.action) == "ticket.reopened")
        .where(col(AuditEntry.at) >= start, col(AuditEntry.at) < end)
        .where(_within(Ticket.office_code, codes))
        .group_by(col(Ticket.office_code))
    )
    return list(session.execute(query).all())


# --- breakdowns ---------------------------------------------------------------------------

_BREAKDOWNS = ("channel", "party", "role", "topic", "stage")


def breakdowns(
    session: Session, codes: Scope, start: datetime, end: datetime
) -> dict[str, list[Count]]:
    """Consultations by channel, party, role, topic and stage: one grouped query over the
    tickets and one over the recorded consultations (a few thousand groups at most),
    added up per breakdown here. A ticket's channel is the bot; its stage is not recorded."""
    found: dict[str, list[Count]] = {name: [] for name in _BREAKDOWNS}
    party, tier, category = col(Liaison.party), col(Liaison.tier), col(Ticket.category)
    tickets = (
        _tickets(codes, start, end)
        .join(Liaison, col(Liaison.id) == col(Ticket.liaison_id))
        .with_only_columns(party, tier, category, func.count())
        .group_by(party, tier, category)
    )
    for party_key, tier_key, topic_key, n in session.execute(tickets).all():
        role = _tier_role(_key(tier_key)).value
        keys = (Channel.BOT.value, _key(party_key), role, _key(topic_key), NO_VALUE)
        for name, key in zip(_BREAKDOWNS, keys, strict=True):
            found[name].append(Count(key, int(n)))
    columns = [
        col(Consultation.channel),
        col(Consultation.party),
        col(Consultation.role),
        col(Consultation.topic),
        col(Consultation.stage),
    ]
    recorded = (
        _consultations(codes, start, end)
        .with_only_columns(*columns, func.count())
        .group_by(*columns)
    )
    for *values, n in session.execute(recorded).all():
        for name, key in zip(_BREAKDOWNS, values, strict=True):
            found[name].append(Count(_key(key), int(n)))
    return {name: _merge(counts) for name, counts in found.items()}


def _key(value: Any) -> str:
    if value is None:
        return NO_VALUE
    return str(getattr(value, "value", value)).strip()


def _merge(*parts: Iterable[Count]) -> list[Count]:
    """Counts of the same key added up, largest first, empty counts left out."""
    found: dict[str, int] = defaultdict(int)
    for part in parts:
        for item in part:
            found[item.key] += item.count
    return [Count(k, n) for k, n in sorted(found.items(), key=lambda kv: (-kv[1], kv[0])) if n]


def _tier_role(tier: str) -> VisitorRole:
    return VisitorRole.SILON_ADMIN if tier == Tier.ADMIN_SILON.value else VisitorRole.LIAISON


# --- times and satisfaction ---------------------------------------------------------------


def durations(session: Session, codes: Scope, start: datetime, end: datetime) -> Durations:
    """First response (from when the service level starts counting) and resolution times
    of the period's tickets, in working hours of the office holding each ticket."""
    query = (
        sa.select(
            col(Ticket.office_code),
            col(Ticket.sla_from),
            col(Ticket.first_response_at),
            col(Ticket.resolved_at),
        )
        .where(col(Ticket.id).in_(_tickets(codes, start, end)))
        .where(
            sa.or_(col(Ticket.first_response_at).is_not(None), col(Ticket.resolved_at).is_not(None))
        )
    )
    found = session.execute(query).all()
    if not found:
        return Durations()
    latest = max(max(r[2] or r[1], r[3] or r[1]) for r in found)
    offices = {
        o.code: o
        for o in session.exec(select(Office).where(col(Office.code).in_({r[0] for r in found})))
    }
    by_hours: dict[tuple[str, ...], WorkingTimeline] = {}  # offices on the same hours share one
    timelines: dict[str, WorkingTimeline] = {}
    first: list[float] = []
    resolved: list[float] = []
    for code, opened, answered, done in found:
        line = timelines.get(code)
        if line is None:
            o = offices[code]
            hours = (o.timezone, o.work_start, o.work_end, o.work_days)
            if hours not in by_hours:
                by_hours[hours] = WorkingTimeline.around(o, start, latest)
            line = timelines[code] = by_hours[hours]
        if answered is not None:
            first.append(line.minutes(opened, answered) / 60)
        if done is not None:
            resolved.append(line.minutes(opened, done) / 60)
    return Durations(
        percentile(first, 0.5), percentile(first, 0.9), len(first),
        percentile(resolved, 0.5), percentile(resolved, 0.9), len(resolved),
    )  # fmt: skip


def satisfaction(session: Session, codes: Scope, start: datetime, end: datetime) -> Satisfaction:
    """Ratings of the period's tickets: the average score and how many of the tickets
    that could be rated (resolved or closed) were."""
    done = col(Ticket.status).in_((TicketStatus.RESOLVED, TicketStatus.CLOSED))
    query = sa.select(
        func.count(col(Ticket.rating)),
        func.avg(col(Ticket.rating)),
        func.sum(sa.case((done, 1), else_=0)),
    ).where(col(Ticket.id).in_(_tickets(codes, start, end)))
    rated, average, closed = session.execute(query).one()
    return Satisfaction(int(rated or 0), int(closed or 0), float(average) if average else None)


# --- what the desk did besides answering --------------------------------------------------


def top_gaps(session: Session, codes: Scope, start: datetime, end: datetime) -> list[Count]:
    """The questions most often left unanswered in the period; for an office below KPU RI,
    those of liaisons registered with its subtree (``codes``; None: everyone)."""
    number = func.count(col(KbGap.id)).label("n")
    query = (
        sa.select(func.max(col(KbGap.question)), number)
        .where(col(KbGap.at) >= start, col(KbGap.at) < end)
        .group_by(col(KbGap.normalised))
        .order_by(number.desc(), func.max(col(KbGap.question)))
        .limit(TOP_GAPS)
    )
    if codes is not None:
        query = query.join(Liaison, col(Liaison.person_id) == col(KbGap.person_id)).where(
            _within(Liaison.office_code, codes)
        )
    return [Count(q, int(n)) for q, n in session.execute(query).all()]


def announcements(
    session: Session, codes: Scope, start: datetime, end: datetime
) -> list[AnnouncementLine]:
    """Announcements of these offices made in the period, with their acknowledgements."""
    acks = (
        sa.select(func.count())
        .where(col(Acknowledgement.announcement_id) == col(Announcement.id))
        .scalar_subquery()
    )
    query = (
        sa.select(
            col(Announcement.id),
            col(Announcement.created_at),
            col(Announcement.text),
            col(Announcement.recipients),
            col(Announcement.ack),
            acks,
        )
        .where(_within(Announcement.office_code, codes))
        .where(col(Announcement.created_at) >= start, col(Announcement.created_at) < end)
        .order_by(col(Announcement.created_at))
    )
    return [
        AnnouncementLine(int(i), at, text[:120], int(n or 0), bool(ack), int(a or 0))
        for i, at, text, n, ack, a in session.execute(query).all()
    ]


def reminders_sent(session: Session, codes: Scope, start: datetime, end: datetime) -> int:
    """Reminder messages sent in the period for stages run by these offices."""
    query = (
        sa.select(func.sum(col(ReminderBatch.recipients)))
        .join(Stage, col(Stage.id) == col(ReminderBatch.stage_id))
        .where(col(ReminderBatch.status) == BatchStatus.SENT)
        .where(col(ReminderBatch.done_at) >= start, col(ReminderBatch.done_at) < end)
        .where(_within(Stage.office_code, codes))
    )
    return int(session.execute(query).scalar_one() or 0)
