"""The consultation register and the guest book: numbering, masking, tickets counted
once, guest visits turned into consultations, self-service counted without people."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from models import ManualClock
from models.consultations import (
    Channel,
    ConsultationInput,
    SelfServiceCount,
    VisitorRole,
    consult_from_guest,
    count_self_service,
    mask_contact,
    record_consultation,
    sign_guest_book,
)
from models.offices import subtree_codes
from models.register import register_rows
from tests.unit.consult_world import recorded
from tests.unit.desk_world import world_in

NIK = "3402123456789012"
PHONE = "081234567890"


def test_numbers_run_per_office_and_start_again_each_year(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        first = recorded(world, "34.02")
        second = recorded(world, "34.02")
        other = recorded(world, "34.71")
        next_year = recorded(world, "34.02", at=datetime(2027, 1, 2, 3, 0, tzinfo=UTC))
        assert [first.number, second.number] == ["BTL/2026/0001", "BTL/2026/0002"]
        assert other.number.endswith("/2026/0001")
        assert next_year.number == "BTL/2027/0001"


def test_personal_numbers_are_masked_before_they_are_stored_and_contacts_when_shown(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        consultation = recorded(
            world,
            "34.02",
            question=f"NIK saya {NIK}, hp {PHONE}",
            answer=f"Hubungi +62 812-3456-7890 atau {NIK}",
            contact=PHONE,
        )
        stored = f"{consultation.question} {consultation.answer}"
        assert NIK not in stored and PHONE not in stored and "812-3456-7890" not in stored
        assert consultation.contact == PHONE  # the office keeps it whole ...
        assert mask_contact(PHONE) == "********7890"  # ... and shows it masked
        assert mask_contact("ani.rahma@example.org") == "an***@example.org"


def test_a_ticket_is_a_consultation_already_and_is_not_recorded_twice(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        ticket = world.ticket(question="Bagaimana unggah KTA?")
        recorded(world, "34.02", channel=Channel.PHONE)
        with pytest.raises(ValueError, match="ticket"):
            record_consultation(
                world.session,
                ConsultationInput("34.02", Channel.BOT, "Budi", VisitorRole.LIAISON, "x"),
                actor="test",
                now=world.now,
            )
        start, end = world.now - timedelta(days=1), world.now + timedelta(days=1)
        rows = register_rows(world.session, subtree_codes(world.session, "34"), start, end)
        assert sorted(r.channel for r in rows) == ["bot", "phone"]
        assert any(r.number == ticket.number and r.question for r in rows)


def test_a_guest_book_visit_becomes_a_walk_in_consultation_once(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        entry = sign_guest_book(
            world.session,
            office_code="34.02",
            visitor_name="Sari",
            role=VisitorRole.CANDIDATE,
            party="Partai X",
            contact=PHONE,
            purpose="Konsultasi syarat calon",
            at=world.now,
        )
        made = consult_from_guest(
            world.session, entry, question="Syarat calon?", actor="test", now=world.now
        )
        again = consult_from_guest(
            world.session, entry, question="Syarat calon?", actor="test", now=world.now
        )
        assert made.id == again.id == entry.consultation_id
        assert (made.channel, made.visitor_name, made.role) == (
            Channel.WALK_IN,
            "Sari",
            VisitorRole.CANDIDATE,
        )
        assert made.contact == PHONE and made.party == "Partai X"


def test_self_service_is_counted_per_day_entry_and_office_not_per_person(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        day = date(2026, 11, 23)
        for _ in range(3):
            count_self_service(world.session, day=day, office_code="34.02", entry_id="sipol/kta")
        count_self_service(world.session, day=day, office_code="34.71", entry_id="sipol/kta")
        world.session.commit()
        counts = {
            (c.office_code, c.entry_id): c.count
            for c in world.session.exec(select(SelfServiceCount)).all()
        }
        assert counts == {("34.02", "sipol/kta"): 3, ("34.71", "sipol/kta"): 1}
