"""Time-driven rules: SLA ping and auto-escalation (once), idle close, retention purge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlmodel import Session, col, select

from handlers.desk.ticks import check_sla, close_idle_tickets, purge_transcripts
from models import (
    Interaction,
    InteractionKind,
    Lane,
    Liaison,
    ManualClock,
    OutboxMessage,
    OutboxStatus,
)
from models.audit import audit_entries, audit_verify
from models.interactions import record_interaction
from models.outbox import enqueue
from models.ticket_actions import (
    add_liaison_message,
    claim_ticket,
    close_ticket,
    officer_reply,
    open_ticket,
)
from models.tickets import Ticket, TicketMessage, TicketStatus
from tests.unit.desk_world import RecordingNotices, world_in

Sessions = Callable[[], Session]


def open_one(
    sessions: Sessions,
    clock: ManualClock,
    office: str = "34.02",
    chats: tuple[str, ...] = ("34.02", "34", "RI"),
) -> int:
    with world_in(sessions, clock) as world:
        for code in chats:
            world.staff_chat(code)
        ticket = world.ticket(world.liaison(office))
        world.session.commit()
        assert ticket.id is not None
        return ticket.id


def ticket(sessions: Sessions, ticket_id: int) -> Ticket:
    with sessions() as session:
        found = session.get(Ticket, ticket_id)
        assert found is not None
        return found


def test_an_unclaimed_ticket_pings_the_staff_chat_once_after_the_claim_threshold(
    sessions: Sessions, clock: ManualClock
) -> None:
    notices = RecordingNotices()
    open_one(sessions, clock)  # Monday 09.00 WIB
    clock.advance(timedelta(minutes=59))
    assert check_sla(sessions, clock, notices) == 0
    clock.advance(timedelta(minutes=1))
    assert check_sla(sessions, clock, notices) == 1
    assert check_sla(sessions, clock, notices) == 0
    clock.advance(timedelta(minutes=30))
    assert check_sla(sessions, clock, notices) == 0
    assert notices.told == [("unclaimed", "BTL-0001")]


def test_the_claim_threshold_counts_working_minutes_only(
    sessions: Sessions, clock: ManualClock
) -> None:
    notices = RecordingNotices()
    clock.advance(timedelta(hours=6, minutes=30))  # Monday 15.30 WIB
    open_one(sessions, clock)
    clock.advance(timedelta(hours=2))  # 17.30: only 30 working minutes so far
    assert check_sla(sessions, clock, notices) == 0
    clock.advance(timedelta(hours=15))  # Tuesday 08.30
    assert check_sla(sessions, clock, notices) == 1


def test_an_unanswered_ticket_escalates_by_itself_once_and_the_province_gets_its_own_clock(
    sessions: Sessions, clock: ManualClock
) -> None:
    notices = RecordingNotices()
    ticket_id = open_one(sessions, clock)
    clock.advance(timedelta(minutes=240))
    assert check_sla(sessions, clock, notices) == 2  # the ping, then the escalation
    assert notices.told == [("unclaimed", "BTL-0001"), ("escalated", "34.02->34")]
    moved = ticket(sessions, ticket_id)
    assert (moved.office_code, moved.status, moved.escalations) == ("34", TicketStatus.NEW, 1)
    assert check_sla(sessions, clock, notices) == 0
    clock.advance(timedelta(minutes=60))
    assert check_sla(sessions, clock, notices) == 1
    assert notices.told[-1] == ("unclaimed", "BTL-0001")
    with sessions() as session:
        actions = [e.action for e in audit_entries(session, ticket_id)]
        assert actions == [
            "ticket.opened",
            "ticket.sla_ping",
            "ticket.escalated",
            "ticket.sla_ping",
        ]
        assert audit_verify(session) == []


def test_a_claimed_ticket_that_got_an_answer_does_not_escalate(
    sessions: Sessions, clock: ManualClock
) -> None:
    notices = RecordingNotices()
    ticket_id = open_one(sessions, clock)
    with world_in(sessions, clock) as world:
        officer = world.officer("34.02")
        found = world.session.get(Ticket, ticket_id)
        assert found is not None
        claim_ticket(world.session, ticket=found, officer=officer, now=world.now)
        officer_reply(world.session, ticket=found, officer=officer, text="Baik", now=world.now)
        add_liaison_message(
            world.session,
            ticket=found,
            liaison=world.session.get(Liaison, found.liaison_id),
            text="Terima kasih, satu lagi",
            now=world.now,
        )
        world.session.commit()
    clock.advance(timedelta(days=2))
    assert check_sla(sessions, clock, notices) == 0 and notices.told == []


def test_a_claimed_but_unanswered_ticket_escalates_without_a_ping(
    sessions: Sessions, clock: ManualClock
) -> None:
    notices = RecordingNotices()
    ticket_id = open_one(sessions, clock)
    with world_in(sessions, clock) as world:
        found = world.session.get(Ticket, ticket_id)
        assert found is not None
        claim_ticket(world.session, ticket=found, officer=world.officer("34.02"), now=world.now)
        world.session.commit()
    clock.advance(timedelta(hours=4))
    assert check_sla(sessions, clock, notices) == 1
    assert notices.told == [("escalated", "34.02->34")]


def test_at_kpu_ri_there_is_nowhere_higher_so_only_the_ping(
    sessions: Sessions, clock: ManualClock
) -> None:
    notices = RecordingNotices()
    open_one(sessions, clock, office="RI", chats=("RI",))
    clock.advance(timedelta(days=3))
    assert check_sla(sessions, clock, notices) == 1
    assert check_sla(sessions, clock, notices) == 0
    assert notices.told == [("unclaimed", "RI-0001")]


def test_answered_or_resolved_tickets_left_alone_are_closed_with_notice(
    sessions: Sessions, clock: ManualClock
) -> None:
    notices = RecordingNotices()
    answered = open_one(sessions, clock)
    untouched = open_one(sessions, clock)
    with world_in(sessions, clock) as world:
        found = world.session.get(Ticket, answered)
        assert found is not None
        officer_reply(
            world.session, ticket=found, officer=world.officer("34.02"), text="Sudah", now=world.now
        )
        world.session.commit()
    clock.advance(timedelta(days=7))
    assert close_idle_tickets(sessions, clock, notices) == 0
    clock.advance(timedelta(seconds=1))
    assert close_idle_tickets(sessions, clock, notices) == 1
    assert close_idle_tickets(sessions, clock, notices) == 0
    assert ticket(sessions, answered).status is TicketStatus.CLOSED
    assert ticket(sessions, untouched).status is TicketStatus.NEW
    assert notices.told == [("idle_closed", "BTL-0001")]


def test_old_transcripts_are_purged_and_the_counts_kept(
    sessions: Sessions, clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        world.staff_chat("34.02")
        liaison = world.liaison(verified=True)
        old = open_ticket(
            world.session, liaison=liaison, question="NIK dan alamat saya ...", now=world.now
        )
        add_liaison_message(
            world.session,
            ticket=old,
            liaison=liaison,
            text="rahasia",
            now=world.now,
            attachment=("photo", "AgAD-ktp"),
        )
        for campaign, status in (
            (f"ticket:{old.id}:msg:1", OutboxStatus.SENT),
            (f"ticket:{old.id}9:msg:1", OutboxStatus.SENT),
        ):
            row = enqueue(
                world.session,
                campaign=campaign,
                recipient="staff",
                channel="telegram",
                chat_id="-1001",
                text="rahasia",
                lane=Lane.RELAY,
                now=world.now,
            )
            assert row is not None
            row.status = status
        close_ticket(world.session, ticket=old, liaison=liaison, now=world.now)
        recent = world.ticket(liaison)
        world.session.commit()
        old_id, recent_id = old.id, recent.id
    clock.advance(timedelta(days=365, seconds=1))
    with sessions() as session:
        recent_ticket = session.get(Ticket, recent_id)
        assert recent_ticket is not None
        close_ticket(
            session,
            ticket=recent_ticket,
            liaison=session.get(Liaison, recent_ticket.liaison_id),
            now=clock.now(),
        )
        session.commit()
    assert purge_transcripts(sessions, clock, retention=timedelta(days=365)) == 1
    assert purge_transcripts(sessions, clock, retention=timedelta(days=365)) == 0
    with sessions() as session:
        purged = session.get(Ticket, old_id)
        assert purged is not None and purged.question == "" and purged.purged_at == clock.now()
        messages = session.exec(
            select(TicketMessage).where(TicketMessage.ticket_id == old_id)
        ).all()
        assert [(m.text, m.attachment_kind, m.attachment_file_id) for m in messages] == [
            ("", "photo", None)
        ]
        texts = {m.campaign: m.text for m in session.exec(select(OutboxMessage)).all()}
        assert texts == {f"ticket:{old_id}:msg:1": "", f"ticket:{old_id}9:msg:1": "rahasia"}
        assert session.get(Ticket, recent_id).question != ""  # type: ignore[union-attr]
        assert audit_entries(session, old_id or 0)[-1].action == "ticket.purged"


def test_the_record_of_events_falls_under_the_same_retention(
    sessions: Sessions, clock: ManualClock
) -> None:
    with sessions() as session:
        for content in ("pertanyaan lama", "pertanyaan baru"):
            record_interaction(
                session,
                at=clock.now(),
                channel="telegram",
                kind=InteractionKind.TEXT,
                content=content,
                outcome="faq: answered",
            )
            session.commit()
            clock.advance(timedelta(days=200))
    purge_transcripts(sessions, clock, retention=timedelta(days=365))
    with sessions() as session:
        rows = session.exec(select(Interaction).order_by(col(Interaction.id))).all()
        kept = [(i.content, i.outcome) for i in rows]
    assert kept == [("", "faq: answered"), ("pertanyaan baru", "faq: answered")]
