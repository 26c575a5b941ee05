"""The grouped queries behind :mod:`models.report_figures`: each reads one kind of
figure for the period and the offices asked for, grouped by the office that holds it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func

from models.audit import AuditEntry
from models.broadcast import Acknowledgement, Announcement
from models.consultations import Consultation, SelfServiceCount, VisitorRole
from models.gaps import KbGap
from models.offices import Office
from models.report_data import AnnouncementLine, Count
from models.report_scope import Period
from models.staff import Liaison, Tier
from models.stages import BatchStatus, ReminderBatch, Stage
from models.tickets import Ticket, TicketEscalation, TicketSlaMark, TicketStatus
from models.working_time import WorkingTimeline

Scope = set[str] | None
"""The office codes a query covers; None for the whole country (no filter at all)."""

NO_VALUE = ""  # a field left empty: rendered as "not recorded"
TOP_GAPS = 10
CONSULTATION_FIELDS = ("channel", "party", "role", "topic", "stage")


def _within(column: Any, codes: Scope) -> Any:
    """``column`` is one of ``codes``; always true for the whole country."""
    return sa.true() if codes is None else col(column).in_(codes)


def _tier_role(tier: str) -> str:
    role = VisitorRole.SILON_ADMIN if tier == Tier.ADMIN_SILON.value else VisitorRole.LIAISON
    return role.value


def _key(value: Any) -> str:
    if value is None:
        return NO_VALUE
    return str(getattr(value, "value", value)).strip()


class FigureQueries:
    """The grouped queries, each over the period and the offices asked for. With ``lump``
    (an office code), all but the row counts are read as if that office held everything:
    what one report needs, which shows those figures only for its whole subtree."""

    def __init__(
        self,
        session: Session,
        codes: Scope,
        start: datetime,
        end: datetime,
        lump: str | None = None,
    ) -> None:
        self.session, self.codes, self.start, self.end = session, codes, start, end
        self.lump = lump

    def _all(self, query: Any) -> list[Any]:
        return list(self.session.execute(query).all())

    def tickets(self) -> sa.Select[Any]:
        return (
            sa.select(col(Ticket.id))
            .where(_within(Ticket.office_code, self.codes))
            .where(col(Ticket.opened_at) >= self.start, col(Ticket.opened_at) < self.end)
            .where(col(Ticket.status) != TicketStatus.SPAM)
        )

    def consultations(self) -> sa.Select[Any]:
        return (
            sa.select(col(Consultation.id))
            .where(_within(Consultation.office_code, self.codes))
            .where(col(Consultation.at) >= self.start, col(Consultation.at) < self.end)
        )

    def _grouped(self, query: sa.Select[Any], *columns: Any) -> list[Any]:
        return self._all(query.with_only_columns(*columns, func.count()).group_by(*columns))

    def _per_holder(
        self, query: sa.Select[Any], holder: Any, columns: tuple[Any, ...], values: tuple[Any, ...]
    ) -> list[Any]:
        """``values`` grouped by the office holding the record (``holder``) and ``columns``;
        when lumped, grouped by ``columns`` only and credited to the lump office."""
        if self.lump is None:
            grouped = query.with_only_columns(holder, *columns, *values)
            return self._all(grouped.group_by(holder, *columns))
        grouped = query.with_only_columns(*columns, *values)
        rows = self._all(grouped.group_by(*columns) if columns else grouped)
        return [(self.lump, *row) for row in rows]

    def row_counts(self, period: Period) -> list[tuple[str, list[Any]]]:
        """Per office: tickets, recorded consultations, self-service answers, tickets with
        a service-level mark (a breach), escalated tickets, reopened tickets."""
        own = col(Ticket.office_code)
        self_service = (
            sa.select(col(SelfServiceCount.office_code), func.sum(col(SelfServiceCount.count)))
            .where(_within(SelfServiceCount.office_code, self.codes))
            .where(col(SelfServiceCount.day) >= period.first_day)
            .where(col(SelfServiceCount.day) <= period.last_day)
            .group_by(col(SelfServiceCount.office_code))
        )
        reopened = (
            sa.select(own, func.count(sa.distinct(col(AuditEntry.ticket_id))))
            .join(Ticket, col(Ticket.id) == col(AuditEntry.ticket_id))
            .where(col(AuditEntry.action) == "ticket.reopened")
            .where(col(AuditEntry.at) >= self.start, col(AuditEntry.at) < self.end)
            .where(_within(Ticket.office_code, self.codes))
            .group_by(own)
        )
        return [
            ("tickets", self._grouped(self.tickets(), own)),
            ("recorded", self._grouped(self.consultations(), col(Consultation.office_code))),
            ("self_service", self._all(self_service)),
            ("sla_breaches", self._events(TicketSlaMark, TicketSlaMark.office_code)),
            ("escalations", self._events(TicketEscalation, TicketEscalation.from_office)),
            ("reopened", self._all(reopened)),
        ]

    def _events(self, table: Any, column: Any) -> list[Any]:
        """Per office, the tickets with such an event in the period. A service-level mark
        (the claim time missed: "ping"; the answer time missed: "escalate") is a breach."""
        return self._all(
            sa.select(column, func.count(sa.distinct(col(table.ticket_id))))
            .where(_within(column, self.codes))
            .where(table.at >= self.start, table.at < self.end)
            .group_by(column)
        )

    def breakdowns(self) -> list[tuple[str, list[tuple[str, str, int]]]]:
        """Consultations by channel, party, role, topic and stage, per office: one grouped
        query per field and table. A ticket's channel is the bot, its role follows the
        liaison's tier, its topic is its category and its stage the one it was opened in."""
        own = col(Ticket.office_code)
        tickets = self.tickets().join(Liaison, col(Liaison.id) == col(Ticket.liaison_id))
        found: list[tuple[str, list[tuple[str, str, int]]]] = []
        per_ticket = {
            "party": col(Liaison.party),
            "role": col(Liaison.tier),
            "topic": col(Ticket.category),
            "stage": col(Ticket.stage),
        }
        for name, column in per_ticket.items():
            query = tickets if name in ("party", "role") else self.tickets()
            rows = self._per_holder(query, own, (column,), (func.count(),))
            named = _tier_role if name == "role" else _key
            found.append((name, [(c, named(_key(k)), n) for c, k, n in rows]))
        own = col(Consultation.office_code)
        for name in CONSULTATION_FIELDS:
            column = col(getattr(Consultation, name))
            rows = self._per_holder(self.consultations(), own, (column,), (func.count(),))
            found.append((name, [(c, _key(k), n) for c, k, n in rows]))
        return found

    def times(self, offices: dict[str, Office]) -> list[tuple[str, list[float], list[float]]]:
        """First response (from when the service level starts counting) and resolution of
        each ticket, in working hours of the office holding it, grouped by office."""
        query = (
            self.tickets()
            .with_only_columns(
                col(Ticket.office_code),
                col(Ticket.sla_from),
                col(Ticket.first_response_at),
                col(Ticket.resolved_at),
            )
            .where(
                sa.or_(
                    col(Ticket.first_response_at).is_not(None), col(Ticket.resolved_at).is_not(None)
                )
            )
        )
        found = self._all(query)
        if not found:
            return []
        latest = max(max(r[2] or r[1], r[3] or r[1]) for r in found)
        by_hours: dict[tuple[str, ...], WorkingTimeline] = {}  # same hours share a timeline
        per_office: dict[str, tuple[WorkingTimeline, list[float], list[float]]] = {}
        for code, opened, answered, done in found:
            if code not in per_office:
                office = offices[code]
                hours = _hours(office)
                if hours not in by_hours:
                    by_hours[hours] = WorkingTimeline.around(office, self.start, latest)
                per_office[code] = (by_hours[hours], [], [])
            line, first, resolved = per_office[code]
            if answered is not None:
                first.append(line.minutes(opened, answered) / 60)
            if done is not None:
                resolved.append(line.minutes(opened, done) / 60)
        return [(code, first, resolved) for code, (_line, first, resolved) in per_office.items()]

    def satisfaction(self) -> list[Any]:
        """Per office: ratings given, their sum, and tickets that could be rated."""
        done = col(Ticket.status).in_((TicketStatus.RESOLVED, TicketStatus.CLOSED))
        values = (
            func.count(col(Ticket.rating)),
            func.sum(col(Ticket.rating)),
            func.sum(sa.case((done, 1), else_=0)),
        )
        return self._per_holder(self.tickets(), col(Ticket.office_code), (), values)

    def gaps(self) -> list[Any]:
        """Unanswered questions of the period by the office of the liaison who asked."""
        query = (
            sa.select(col(KbGap.id))
            .join(Liaison, col(Liaison.person_id) == col(KbGap.person_id))
            .where(col(KbGap.at) >= self.start, col(KbGap.at) < self.end)
            .where(_within(Liaison.office_code, self.codes))
        )
        values = (func.count(col(KbGap.id)), func.max(col(KbGap.question)))
        return self._per_holder(query, col(Liaison.office_code), (col(KbGap.normalised),), values)

    def country_gaps(self) -> list[Count]:
        """The questions most often left unanswered in the period, asked by anyone."""
        number = func.count(col(KbGap.id)).label("n")
        query = (
            sa.select(func.max(col(KbGap.question)), number)
            .where(col(KbGap.at) >= self.start, col(KbGap.at) < self.end)
            .group_by(col(KbGap.normalised))
            .order_by(number.desc(), func.max(col(KbGap.question)))
            .limit(TOP_GAPS)
        )
        return [Count(q, int(n)) for q, n in self._all(query)]

    def announcements(self) -> list[tuple[str, AnnouncementLine]]:
        """Announcements made in the period, with their acknowledgements, by office."""
        acks = (
            sa.select(func.count())
            .where(col(Acknowledgement.announcement_id) == col(Announcement.id))
            .scalar_subquery()
        )
        query = (
            sa.select(
                col(Announcement.office_code),
                col(Announcement.id),
                col(Announcement.created_at),
                col(Announcement.text),
                col(Announcement.recipients),
                col(Announcement.ack),
                acks,
            )
            .where(_within(Announcement.office_code, self.codes))
            .where(col(Announcement.created_at) >= self.start)
            .where(col(Announcement.created_at) < self.end)
        )
        return [
            (code, AnnouncementLine(int(i), at, text[:120], int(n or 0), bool(ack), int(a or 0)))
            for code, i, at, text, n, ack, a in self._all(query)
        ]

    def reminders(self) -> list[Any]:
        """Reminder messages sent in the period, by the office that runs the stage."""
        return self._all(
            sa.select(col(Stage.office_code), func.sum(col(ReminderBatch.recipients)))
            .join(Stage, col(Stage.id) == col(ReminderBatch.stage_id))
            .where(col(ReminderBatch.status) == BatchStatus.SENT)
            .where(col(ReminderBatch.done_at) >= self.start, col(ReminderBatch.done_at) < self.end)
            .where(_within(Stage.office_code, self.codes))
            .group_by(col(Stage.office_code))
        )


def _hours(office: Office) -> tuple[str, ...]:
    return (office.timezone, office.work_start, office.work_end, office.work_days)
