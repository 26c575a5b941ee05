"""Offices: the tree synced from reference data, local settings, and who may act where."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlmodel import Session, select

from knowledge.content.reference import load_offices
from models import ManualClock
from models.offices import (
    Office,
    ancestors,
    get_office,
    is_within,
    office_for_staff_chat,
    set_hours,
    staffed_office,
    subtree_codes,
    sync_offices,
)
from models.staff import (
    Role,
    can_act,
    can_announce,
    can_manage_officers,
    can_verify,
    remove_officer,
)
from tests.unit.desk_world import World, world_in


@pytest.fixture
def world(sessions: Callable[[], Session], clock: ManualClock) -> Iterator[World]:
    with world_in(sessions, clock) as w:
        yield w


def test_the_whole_office_tree_syncs_once_with_a_unique_readable_prefix_each(
    sessions: Callable[[], Session],
) -> None:
    with sessions() as session:
        assert sync_offices(session, load_offices()) == 553
        session.commit()
        assert sync_offices(session, load_offices()) == 0
        offices = session.exec(select(Office)).all()
        prefixes = {o.prefix for o in offices}
        assert len(prefixes) == len(offices) == 553
        assert get_office(session, "34.02").prefix == "BTL"
        assert get_office(session, "ri").code == "RI"


def test_a_sync_refreshes_reference_fields_but_keeps_local_settings(world: World) -> None:
    chat = world.staff_chat("34.02")
    set_hours(
        world.session, get_office(world.session, "34.02"), start="07:30", actor="t", now=world.now
    )
    bantul = get_office(world.session, "34.02")
    bantul.name, prefix = "renamed by hand", bantul.prefix
    world.session.commit()
    assert sync_offices(world.session, [r for r in load_offices() if r.code == "34.02"]) == 1
    bantul = get_office(world.session, "34.02")
    assert bantul.name == "KPU Kabupaten Bantul"
    assert (bantul.staff_chat_id, bantul.work_start, bantul.prefix) == (chat.id, "07:30", prefix)


def test_the_tree_knows_ancestors_subtrees_and_who_answers_for_an_office(world: World) -> None:
    s = world.session
    assert [o.code for o in ancestors(s, "34.02")] == ["34", "RI"]
    assert is_within(s, "34.02", "34") and is_within(s, "34.02", "RI")
    assert not is_within(s, "34", "34.02") and not is_within(s, "73.71", "34")
    assert subtree_codes(s, "34") == {"34", "34.02", "34.71"}
    assert staffed_office(s, "34.02") is None
    chat = world.staff_chat("34")
    assert staffed_office(s, "34.02").code == "34"  # type: ignore[union-attr]
    assert office_for_staff_chat(s, chat.id or 0).code == "34"  # type: ignore[union-attr]


def test_linking_a_chat_to_another_office_moves_it(world: World) -> None:
    chat = world.staff_chat("34.02")
    from models.offices import link_staff_chat

    link_staff_chat(
        world.session, get_office(world.session, "34.71"), chat.id or 0, actor="t", now=world.now
    )
    assert get_office(world.session, "34.02").staff_chat_id is None
    assert get_office(world.session, "34.71").staff_chat_id == chat.id


def test_officers_act_in_their_office_and_below_but_not_above_or_beside(world: World) -> None:
    s = world.session
    province = world.officer("34")
    regency = world.officer("34.02")
    assert can_act(s, province, "34.02") and can_act(s, province, "34")
    assert can_act(s, regency, "34.02")
    assert not can_act(s, regency, "34") and not can_act(s, regency, "34.71")
    assert not can_act(s, province, "73.71")
    assert not can_act(s, None, "34.02")
    remove_officer(s, regency, actor="t", now=world.now)
    assert not can_act(s, regency, "34.02")


def test_admins_manage_officers_and_supervisors_verify_and_announce(world: World) -> None:
    s = world.session
    agent = world.officer("34.02", Role.AGENT)
    supervisor = world.officer("34.02", Role.SUPERVISOR)
    admin = world.officer("34", Role.ADMIN)
    assert can_manage_officers(s, admin, "34.02") and not can_manage_officers(
        s, supervisor, "34.02"
    )
    assert not can_manage_officers(s, admin, "RI")
    assert can_verify(s, supervisor, "34.02") and can_announce(s, supervisor, "34.02")
    assert not can_verify(s, agent, "34.02") and not can_announce(s, agent, "34.02")


def test_the_last_admin_of_an_office_stays_unless_removed_from_the_command_line(
    world: World,
) -> None:
    from models.refusals import Refusal as DeskError

    admin = world.officer("34.02", Role.ADMIN)
    with pytest.raises(DeskError, match="last_admin"):
        remove_officer(world.session, admin, actor="t", now=world.now)
    remove_officer(world.session, admin, actor="cli", now=world.now, allow_last_admin=True)
    assert not admin.active


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("16:00", "08:00", None),
        ("8:00", "16:00", None),
        ("08:00", "16:00", "0-6"),
        ("08:00", "24:00", None),
    ],
)
def test_office_hours_must_make_sense(world: World, start: str, end: str, days: str | None) -> None:
    with pytest.raises(ValueError):
        set_hours(
            world.session,
            get_office(world.session, "34.02"),
            start=start,
            end=end,
            days=days,
            actor="t",
            now=world.now,
        )
