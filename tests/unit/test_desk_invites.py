"""Liaisons: invite links (expiry, uses, guessing) and self-registration with verification."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from models import ManualClock, Person
from models.invites import (
    Invite,
    create_invite,
    deep_link,
    looks_like_invite_token,
    redeem_invite,
)
from models.refusals import Refusal as DeskError
from models.staff import (
    LiaisonVia,
    Role,
    Tier,
    register_liaison,
    unverified_liaisons,
    verify_liaison,
)
from tests.unit.desk_world import World, world_in


@pytest.fixture
def world(sessions: Callable[[], Session], clock: ManualClock) -> Iterator[World]:
    with world_in(sessions, clock) as w:
        yield w


def invite(world: World, uses: int = 1, ttl: timedelta = timedelta(days=14)) -> tuple[Invite, str]:
    officer = world.officer("34.02")
    return create_invite(
        world.session,
        office_code="34.02",
        party="pkb",
        tier=Tier.DPC,
        uses=uses,
        ttl=ttl,
        created_by=officer.id,
        now=world.now,
    )


def test_an_invite_token_fits_a_deep_link_and_only_its_hash_is_stored(world: World) -> None:
    made, token = invite(world)
    assert re.fullmatch(r"[A-Za-z0-9_-]{24}", token) and looks_like_invite_token(token)
    link = deep_link("@kpu_helpdesk_bot", token)
    assert link == f"https://t.me/kpu_helpdesk_bot?start={token}"
    world.session.commit()
    with world.session.connection() as connection:
        rows = connection.execute(sa.text("SELECT * FROM invite")).all()
    assert token not in repr(rows) and made.token_hash in repr(rows)


def test_opening_the_link_registers_a_verified_liaison_of_the_invite(world: World) -> None:
    made, token = invite(world)
    person = world.person("Siti")
    liaison = redeem_invite(world.session, token, person, "Siti Rahma", world.now)
    assert (liaison.office_code, liaison.party, liaison.tier) == ("34.02", "pkb", Tier.DPC)
    assert liaison.verified and liaison.via is LiaisonVia.INVITE
    assert liaison.verified_by == made.created_by and liaison.name == "Siti Rahma"
    again = redeem_invite(world.session, token, person, "Siti", world.now)  # a second tap
    assert again.id == liaison.id and made.uses_left == 0


def test_an_invite_serves_as_many_people_as_it_has_uses(world: World) -> None:
    made, token = invite(world, uses=2)
    redeem_invite(world.session, token, world.person(), "A", world.now)
    redeem_invite(world.session, token, world.person(), "B", world.now)
    with pytest.raises(DeskError, match="invite_used_up"):
        redeem_invite(world.session, token, world.person(), "C", world.now)
    assert (made.uses, made.uses_left) == (2, 0)


def test_an_invite_expires(world: World) -> None:
    _made, token = invite(world, ttl=timedelta(days=14))
    world.clock.advance(timedelta(days=14))
    with pytest.raises(DeskError, match="invite_expired"):
        redeem_invite(world.session, token, world.person(), "Late", world.now)


def test_guessed_altered_or_malformed_tokens_are_unknown(world: World) -> None:
    _made, token = invite(world)
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for guess in (secrets.token_urlsafe(18), altered, "", "x" * 65, "abc def", "../../etc"):
        with pytest.raises(DeskError, match="invite_unknown"):
            redeem_invite(world.session, guess, world.person(), "Guess", world.now)


def test_an_invite_verifies_a_liaison_who_had_registered_themselves(world: World) -> None:
    person = world.person()
    mine = register_liaison(
        world.session,
        person=person,
        name="Budi",
        party="pkb",
        tier=Tier.DPD,
        office_code="34",
        now=world.now,
    )
    assert not mine.verified and mine.via is LiaisonVia.SELF
    _made, token = invite(world)
    liaison = redeem_invite(world.session, token, person, "Budi", world.now)
    assert liaison.id == mine.id and liaison.verified and liaison.office_code == "34.02"


def test_self_registered_liaisons_wait_for_a_supervisor_of_their_office(world: World) -> None:
    liaison = world.liaison("34.02")
    assert unverified_liaisons(world.session, {"34.02"}) == [liaison]
    with pytest.raises(DeskError, match="not_allowed"):
        verify_liaison(
            world.session, liaison, officer=world.officer("34.02", Role.AGENT), now=world.now
        )
    with pytest.raises(DeskError, match="not_allowed"):
        verify_liaison(
            world.session, liaison, officer=world.officer("34.71", Role.ADMIN), now=world.now
        )
    supervisor = world.officer("34", Role.SUPERVISOR)
    verify_liaison(world.session, liaison, officer=supervisor, now=world.now)
    assert liaison.verified and liaison.verified_by == supervisor.id
    assert unverified_liaisons(world.session, {"34.02"}) == []


def test_registering_again_elsewhere_drops_the_verification(world: World) -> None:
    liaison = world.liaison("34.02")
    verify_liaison(world.session, liaison, officer=world.officer("34", Role.ADMIN), now=world.now)
    person = world.session.get(Person, liaison.person_id)
    assert person is not None
    again = register_liaison(
        world.session,
        person=person,
        name="Budi",
        party="pkb",
        tier=Tier.DPC,
        office_code="34.71",
        now=world.now,
    )
    assert again.id == liaison.id and not again.verified


def test_an_unknown_office_is_refused(world: World) -> None:
    with pytest.raises(DeskError, match="unknown_office"):
        create_invite(
            world.session,
            office_code="99.99",
            party="pkb",
            tier=Tier.DPC,
            created_by=None,
            now=world.now,
        )
