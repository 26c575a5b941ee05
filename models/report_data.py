"""What a tier report holds: plain numbers, ready for any rendering (XLSX, PDF, HTML,
a chat message). Built by :func:`models.reports.build_report`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from models.report_scope import Period


@dataclass(frozen=True)
class Count:
    key: str
    count: int


@dataclass
class OfficeRow:
    """One office's line in the report (for KPU RI's, a province with all below it)."""

    code: str
    name: str
    tickets: int = 0
    recorded: int = 0
    self_service: int = 0
    sla_breaches: int = 0
    escalations: int = 0
    reopened: int = 0

    @property
    def consultations(self) -> int:
        return self.tickets + self.recorded

    def add(self, other: OfficeRow) -> None:
        for name in ("tickets", "recorded", "self_service", "sla_breaches", "escalations"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.reopened += other.reopened


@dataclass(frozen=True)
class Durations:
    """Working hours: first response and resolution, median and 90th percentile."""

    first_response_median: float | None = None
    first_response_p90: float | None = None
    first_response_n: int = 0
    resolution_median: float | None = None
    resolution_p90: float | None = None
    resolution_n: int = 0


@dataclass(frozen=True)
class Satisfaction:
    rated: int = 0
    closed: int = 0  # tickets that could have been rated (resolved or closed)
    average: float | None = None

    @property
    def response_rate(self) -> float | None:
        return self.rated / self.closed if self.closed else None


@dataclass(frozen=True)
class AnnouncementLine:
    id: int
    at: datetime
    text: str
    recipients: int
    ack_requested: bool
    acks: int

    @property
    def ack_rate(self) -> float | None:
        if not self.ack_requested or not self.recipients:
            return None
        return self.acks / self.recipients


@dataclass
class ReportData:
    office_code: str
    office_name: str
    period: Period
    start: datetime
    end: datetime
    generated_at: datetime
    rows: list[OfficeRow]
    total: OfficeRow
    by_channel: list[Count] = field(default_factory=list)
    by_party: list[Count] = field(default_factory=list)
    by_role: list[Count] = field(default_factory=list)
    by_topic: list[Count] = field(default_factory=list)
    by_stage: list[Count] = field(default_factory=list)
    durations: Durations = Durations()
    satisfaction: Satisfaction = Satisfaction()
    gaps: list[Count] = field(default_factory=list)
    announcements: list[AnnouncementLine] = field(default_factory=list)
    reminders_sent: int = 0

    @property
    def self_service_share(self) -> float | None:
        asked = self.total.self_service + self.total.consultations
        return self.total.self_service / asked if asked else None

    @property
    def reopen_rate(self) -> float | None:
        return self.total.reopened / self.total.tickets if self.total.tickets else None
