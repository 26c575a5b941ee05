"""Consultations for tests: hand-recorded ones and tickets, at fixed instants."""

from __future__ import annotations

from datetime import datetime

from models.consultations import (
    Channel,
    Consultation,
    ConsultationInput,
    VisitorRole,
    record_consultation,
)
from tests.unit.desk_world import World


def recorded(
    world: World,
    office: str,
    *,
    at: datetime | None = None,
    channel: Channel = Channel.WALK_IN,
    role: VisitorRole = VisitorRole.LIAISON,
    party: str = "pkb",
    topic: str = "sipol",
    stage: str = "verifikasi",
    question: str = "Kapan verifikasi faktual?",
    **more: str,
) -> Consultation:
    return record_consultation(
        world.session,
        ConsultationInput(
            office_code=office,
            channel=channel,
            visitor_name=more.pop("visitor_name", "Ani"),
            role=role,
            question=question,
            party=party,
            topic=topic,
            stage=stage,
            at=at,
            **more,  # type: ignore[arg-type]
        ),
        actor="test",
        now=world.now,
    )
