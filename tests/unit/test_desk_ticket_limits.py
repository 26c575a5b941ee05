"""Who may open tickets: the limits for unverified liaisons, and the count taken under a
lock so that two tickets opened at the same instant cannot make one too many."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from sqlmodel import Session, select

from models import ManualClock
from models.refusals import Refusal
from models.staff import Liaison, Role, verify_liaison
from models.ticket_actions import close_ticket, open_ticket, resolve_ticket
from models.ticket_limits import MAX_OPEN, UNVERIFIED_COOLDOWN, UNVERIFIED_MAX_OPEN
from models.tickets import Ticket
from tests.unit.desk_world import World, world_in


@pytest.fixture
def world(sessions: Callable[[], Session], clock: ManualClock) -> Iterator[World]:
    with world_in(sessions, clock) as w:
        yield w


def test_an_unverified_liaison_has_one_open_ticket_at_a_time(world: World) -> None:
    liaison = world.liaison()
    assert not liaison.verified and UNVERIFIED_MAX_OPEN == 1
    world.ticket(liaison)
    with pytest.raises(Refusal, match="unverified_open"):
        world.ticket(liaison)


def test_an_unverified_liaison_waits_after_a_ticket_ends(world: World) -> None:
    liaison = world.liaison()
    ticket = world.ticket(liaison)
    close_ticket(world.session, ticket=ticket, liaison=liaison, now=world.now)
    world.clock.advance(UNVERIFIED_COOLDOWN / 2)
    with pytest.raises(Refusal, match="unverified_cooldown") as refused:
        world.ticket(liaison)
    assert refused.value.context["minutes"] == 31
    world.clock.advance(UNVERIFIED_COOLDOWN / 2)
    assert world.ticket(liaison).status.open


def test_a_resolved_ticket_starts_the_cool_down_too(world: World) -> None:
    world.staff_chat("34.02")
    liaison, officer = world.liaison(), world.officer("34.02")
    ticket = world.ticket(liaison)
    resolve_ticket(world.session, ticket=ticket, officer=officer, now=world.now)
    with pytest.raises(Refusal, match="unverified_cooldown"):
        world.ticket(liaison)


def test_once_verified_the_usual_limit_applies(world: World) -> None:
    liaison = world.liaison()
    world.ticket(liaison)
    supervisor = world.officer("34.02", Role.SUPERVISOR)
    verify_liaison(world.session, liaison, officer=supervisor, now=world.now)
    for _ in range(MAX_OPEN - 1):
        world.ticket(liaison)
    with pytest.raises(Refusal, match="too_many_open"):
        world.ticket(liaison)


def test_two_tickets_opened_at_the_same_instant_make_one(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    """The first transaction has counted and inserted but not committed when the second
    counts: without the lock the second sees no open ticket and opens one too."""
    with world_in(sessions, clock) as world:
        liaison_id = world.liaison().id
        world.session.commit()
    first_inserted = threading.Event()
    results: list[str] = []

    def open_one(hold: bool) -> None:
        with sessions() as reading:  # the liaison as the handler found them
            found = reading.get(Liaison, liaison_id)
        with sessions() as session:
            assert found is not None
            liaison = session.merge(found, load=False)
            try:
                open_ticket(session, liaison=liaison, question="Kapan?", now=clock.now())
            except Refusal as refusal:
                results.append(refusal.key)
                return
            finally:
                if hold:
                    first_inserted.set()
            if hold:
                threading.Event().wait(0.5)  # the second one counts now
            session.commit()
            results.append("opened")

    first = threading.Thread(target=open_one, args=(True,))
    first.start()
    assert first_inserted.wait(10)
    second = threading.Thread(target=open_one, args=(False,))
    second.start()
    first.join(20)
    second.join(20)
    assert sorted(results) == ["desk/refused/unverified_open", "opened"]
    with sessions() as session:
        assert len(session.exec(select(Ticket).where(Ticket.liaison_id == liaison_id)).all()) == 1
