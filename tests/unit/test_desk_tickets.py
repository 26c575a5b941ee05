"""Tickets: the state machine, numbering, routing, escalation and what people do with them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from models import ManualClock
from models.audit import audit_entries, audit_verify
from models.offices import get_office
from models.refusals import Refusal as DeskError
from models.staff import Role, Tier
from models.ticket_actions import (
    MAX_TEXT,
    add_liaison_message,
    claim_ticket,
    close_ticket,
    escalate_ticket,
    mark_spam,
    officer_reply,
    open_ticket,
    rate_ticket,
    reopen_ticket,
    resolve_ticket,
)
from models.ticket_limits import MAX_OPEN
from models.tickets import (
    TRANSITIONS,
    IllegalTransition,
    Ticket,
    TicketAction,
    TicketStatus,
    find_ticket_by_number,
    liaison_tickets,
    next_number,
    ticket_for_topic,
    ticket_messages,
    transition,
)
from tests.unit.desk_world import World, world_in

S, A = TicketStatus, TicketAction


@pytest.fixture
def world(sessions: Callable[[], Session], clock: ManualClock) -> Iterator[World]:
    with world_in(sessions, clock) as w:
        yield w


def bare(status: TicketStatus, claimed_by: int | None = None) -> Ticket:
    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    return Ticket(
        number="X-1",
        office_code="34.02",
        origin_office_code="34.02",
        liaison_id=1,
        subject="s",
        status=status,
        claimed_by=claimed_by,
        opened_at=now,
        sla_from=now,
        last_activity_at=now,
    )


LEGAL = [
    (S.NEW, A.CLAIM, S.CLAIMED),
    (S.NEW, A.OFFICER_REPLY, S.WAITING),
    (S.CLAIMED, A.OFFICER_REPLY, S.WAITING),
    (S.WAITING, A.RESOLVE, S.RESOLVED),
    (S.RESOLVED, A.RATE, S.RESOLVED),
    (S.RESOLVED, A.CLOSE, S.CLOSED),
    (S.NEW, A.SPAM, S.SPAM),
    (S.CLAIMED, A.ESCALATE, S.NEW),
    (S.WAITING, A.IDLE_CLOSE, S.CLOSED),
    (S.RESOLVED, A.IDLE_CLOSE, S.CLOSED),
]


@pytest.mark.parametrize(("start", "action", "end"), LEGAL)
def test_legal_moves_lead_where_the_table_says(
    start: TicketStatus, action: TicketAction, end: TicketStatus
) -> None:
    ticket = bare(start)
    assert transition(ticket, action, "t", ticket.opened_at) is end is ticket.status


def test_a_liaison_answer_or_a_reopen_goes_back_to_whoever_held_the_ticket() -> None:
    assert (
        transition(bare(S.WAITING, claimed_by=3), A.LIAISON_MESSAGE, "t", bare(S.NEW).opened_at)
        is S.CLAIMED
    )
    assert transition(bare(S.WAITING), A.LIAISON_MESSAGE, "t", bare(S.NEW).opened_at) is S.NEW
    reopened = bare(S.RESOLVED, claimed_by=3)
    transition(reopened, A.REOPEN, "t", reopened.opened_at)
    assert reopened.status is S.CLAIMED and reopened.resolved_at is None


ILLEGAL = [(s, a) for a in TicketAction for s in TicketStatus if s not in TRANSITIONS[a]]


@pytest.mark.parametrize(("start", "action"), ILLEGAL)
def test_every_move_not_in_the_table_is_refused(start: TicketStatus, action: TicketAction) -> None:
    ticket = bare(start)
    with pytest.raises(IllegalTransition) as refused:
        transition(ticket, action, "t", ticket.opened_at)
    assert ticket.status is start
    assert refused.value.key == "desk/refused/illegal_transition"


def test_closed_and_spam_tickets_cannot_be_worked_on_and_spam_never_reopens() -> None:
    assert (S.SPAM, A.REOPEN) in ILLEGAL and (S.CLOSED, A.OFFICER_REPLY) in ILLEGAL
    assert (S.CLOSED, A.LIAISON_MESSAGE) in ILLEGAL and (S.SPAM, A.CLAIM) in ILLEGAL


def test_tickets_are_numbered_per_office_with_the_office_prefix(world: World) -> None:
    bantul, yogya = world.liaison("34.02", verified=True), world.liaison("34.71")
    numbers = [world.ticket(bantul).number for _ in range(3)] + [world.ticket(yogya).number]
    assert numbers[:3] == ["BTL-0001", "BTL-0002", "BTL-0003"]
    prefix = get_office(world.session, "34.71").prefix
    assert numbers[3] == f"{prefix}-0001"
    assert find_ticket_by_number(world.session, "#btl-0002") is not None


def test_two_sessions_numbering_at_once_never_get_the_same_number(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        world.session.commit()
    got: list[str] = []
    first_has_lock = threading.Event()

    def take(hold: bool) -> None:
        with sessions() as session:
            number = next_number(session, get_office(session, "34.02"))
            if hold:
                first_has_lock.set()
                threading.Event().wait(0.3)  # keep the counter locked a moment
            got.append(number)
            session.commit()

    holder = threading.Thread(target=take, args=(True,))
    holder.start()
    assert first_has_lock.wait(5)
    second = threading.Thread(target=take, args=(False,))
    second.start()
    holder.join(10)
    second.join(10)
    assert sorted(got) == ["BTL-0001", "BTL-0002"]


@pytest.mark.parametrize(
    ("tier", "category", "office"),
    [
        (Tier.DPP, "pendaftaran", "RI"),
        (Tier.DPP, "sipol/akun", "RI"),
        (Tier.DPD, "verifikasi", "34"),
        (Tier.DPC, "pendaftaran", "34.02"),
        (Tier.DPP, "kampanye", "34.02"),
        (Tier.DPP, None, "34.02"),
    ],
)
def test_national_matters_are_routed_up_by_the_rule_table(
    world: World, tier: Tier, category: str | None, office: str
) -> None:
    for code in ("RI", "34", "34.02"):
        world.staff_chat(code)
    ticket = open_ticket(
        world.session,
        liaison=world.liaison("34.02", tier),
        question="Tanya",
        category=category,
        now=world.now,
    )
    assert ticket.office_code == ticket.origin_office_code == office


def test_an_office_without_a_staff_chat_hands_its_tickets_to_the_nearest_office_above(
    world: World,
) -> None:
    world.staff_chat("34")
    ticket = world.ticket(world.liaison("34.02"))
    assert (ticket.office_code, ticket.origin_office_code, ticket.number) == (
        "34",
        "34.02",
        "BTL-0001",
    )


def test_escalation_climbs_regency_province_ri_and_stops_there(world: World) -> None:
    for code in ("RI", "34", "34.02"):
        world.staff_chat(code)
    officer = world.officer("34.02")
    ticket = world.ticket(world.liaison("34.02"))
    claim_ticket(world.session, ticket=ticket, officer=officer, now=world.now)
    ticket.topic_key = "ticket:1:34.02"
    first = escalate_ticket(world.session, ticket=ticket, officer=officer, now=world.now)
    assert (first.from_office, first.to_office, ticket.office_code) == ("34.02", "34", "34")
    assert ticket.status is S.NEW and ticket.claimed_by is None and ticket.topic_key is None
    assert ticket_for_topic(world.session, "ticket:1:34.02") is ticket
    with pytest.raises(DeskError, match="not_allowed"):  # the regency cannot act up there
        escalate_ticket(world.session, ticket=ticket, officer=officer, now=world.now)
    province = world.officer("34")
    second = escalate_ticket(world.session, ticket=ticket, officer=province, now=world.now)
    assert (second.to_office, ticket.escalations) == ("RI", 2)
    with pytest.raises(DeskError, match="no_parent_office"):
        escalate_ticket(world.session, ticket=ticket, officer=world.officer("RI"), now=world.now)


def test_escalation_skips_an_office_without_a_staff_chat(world: World) -> None:
    world.staff_chat("RI")
    world.staff_chat("34.02")
    ticket = world.ticket(world.liaison("34.02"))
    moved = escalate_ticket(
        world.session, ticket=ticket, officer=world.officer("34.02"), now=world.now
    )
    assert moved.to_office == "RI"


def test_a_question_is_stored_masked_with_what_the_bot_suggested(world: World) -> None:
    ticket = open_ticket(
        world.session,
        liaison=world.liaison(),
        question="NIK saya 3402011234567890, HP 0812-3456-7890. Kenapa TMS?",
        suggested=[{"id": "vermin-tms", "title": "Arti TMS"}],
        now=world.now,
    )
    assert "3402011234567890" not in ticket.question and "7890" in ticket.question
    assert "0812" not in ticket.question
    assert ticket.suggestions() == [{"id": "vermin-tms", "title": "Arti TMS"}]


def test_an_empty_question_and_too_many_open_tickets_are_refused(world: World) -> None:
    liaison = world.liaison(verified=True)
    with pytest.raises(DeskError, match="empty_question"):
        open_ticket(world.session, liaison=liaison, question="   ", now=world.now)
    for _ in range(MAX_OPEN):
        world.ticket(liaison)
    with pytest.raises(DeskError, match="too_many_open"):
        world.ticket(liaison)


def test_a_very_long_question_is_kept_up_to_the_limit(world: World) -> None:
    ticket = world.ticket(question="panjang " * 2100)
    assert len(ticket.question) == MAX_TEXT and len(ticket.subject) <= 120


def test_a_full_conversation_claim_answer_reply_resolve_rate_reopen(world: World) -> None:
    world.staff_chat("34.02")
    liaison, officer = world.liaison(), world.officer("34.02")
    ticket = world.ticket(liaison)
    reply = officer_reply(
        world.session, ticket=ticket, officer=officer, text="Sudah dicek", now=world.now
    )
    assert ticket.status is S.WAITING and ticket.claimed_by == officer.id
    assert ticket.first_response_at == world.now and reply.officer_id == officer.id
    world.clock.advance(timedelta(minutes=5))
    add_liaison_message(
        world.session,
        ticket=ticket,
        liaison=liaison,
        text=None,
        attachment=("photo", "AgAD123"),
        now=world.now,
    )
    assert ticket.status is S.CLAIMED
    note = officer_reply(
        world.session, ticket=ticket, officer=officer, text="cek KTP", internal=True, now=world.now
    )
    assert note.internal and ticket.status is S.CLAIMED
    resolve_ticket(world.session, ticket=ticket, officer=officer, now=world.now)
    rate_ticket(world.session, ticket=ticket, liaison=liaison, rating=5, now=world.now)
    assert (ticket.status, ticket.rating) == (S.RESOLVED, 5)
    world.clock.advance(timedelta(days=2))
    reopen_ticket(world.session, ticket=ticket, liaison=liaison, now=world.now)
    assert ticket.status is S.CLAIMED
    kinds = [m.author_kind.value for m in ticket_messages(world.session, ticket.id or 0)]
    assert kinds == ["officer", "liaison", "officer"]
    actions = [e.action for e in audit_entries(world.session, ticket.id or 0)]
    assert actions == [
        "ticket.opened",
        "ticket.replied",
        "ticket.message",
        "ticket.note",
        "ticket.resolved",
        "ticket.rated",
        "ticket.reopened",
    ]
    assert audit_verify(world.session) == []


def test_reopening_is_allowed_only_within_the_window(world: World) -> None:
    liaison, officer = world.liaison(), world.officer("34.02")
    ticket = world.ticket(liaison)
    resolve_ticket(world.session, ticket=ticket, officer=officer, now=world.now)
    close_ticket(world.session, ticket=ticket, liaison=liaison, now=world.now)
    world.clock.advance(timedelta(days=7, minutes=1))
    with pytest.raises(DeskError, match="reopen_too_late"):
        reopen_ticket(world.session, ticket=ticket, liaison=liaison, now=world.now)
    reopen_ticket(
        world.session, ticket=ticket, liaison=liaison, now=world.now, window=timedelta(days=30)
    )
    assert ticket.status is S.CLAIMED


def test_officers_of_other_offices_and_other_liaisons_are_refused(world: World) -> None:
    liaison = world.liaison("34.02")
    ticket = world.ticket(liaison)
    with pytest.raises(DeskError, match="not_allowed"):
        claim_ticket(world.session, ticket=ticket, officer=world.officer("34.71"), now=world.now)
    with pytest.raises(DeskError, match="not_officer"):
        resolve_ticket(world.session, ticket=ticket, officer=None, now=world.now)
    with pytest.raises(DeskError, match="not_your_ticket"):
        add_liaison_message(
            world.session, ticket=ticket, liaison=world.liaison(), text="hai", now=world.now
        )
    with pytest.raises(DeskError, match="not_liaison"):
        close_ticket(world.session, ticket=ticket, liaison=None, now=world.now)
    assert ticket.status is S.NEW


def test_ratings_are_one_to_five_after_resolution_only(world: World) -> None:
    liaison = world.liaison()
    ticket = world.ticket(liaison)
    with pytest.raises(IllegalTransition):
        rate_ticket(world.session, ticket=ticket, liaison=liaison, rating=4, now=world.now)
    resolve_ticket(world.session, ticket=ticket, officer=world.officer("34.02"), now=world.now)
    for bad in (0, 6):
        with pytest.raises(DeskError, match="rating_invalid"):
            rate_ticket(world.session, ticket=ticket, liaison=liaison, rating=bad, now=world.now)


def test_spam_is_closed_for_good_and_messages_to_it_are_refused(world: World) -> None:
    liaison = world.liaison()
    ticket = world.ticket(liaison)
    mark_spam(
        world.session, ticket=ticket, officer=world.officer("34", Role.SUPERVISOR), now=world.now
    )
    assert ticket.closed_at == world.now
    with pytest.raises(DeskError, match="ticket_closed"):
        add_liaison_message(
            world.session, ticket=ticket, liaison=liaison, text="halo", now=world.now
        )
    with pytest.raises(IllegalTransition):
        reopen_ticket(world.session, ticket=ticket, liaison=liaison, now=world.now)


def test_a_liaison_sees_their_own_tickets_newest_first(world: World) -> None:
    liaison = world.liaison(verified=True)
    first, second = world.ticket(liaison), world.ticket(liaison)
    world.ticket(world.liaison())
    assert [t.id for t in liaison_tickets(world.session, liaison.id or 0)] == [second.id, first.id]
