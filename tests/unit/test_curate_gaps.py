"""Gaps that read themselves: near-identical unanswered questions grouped with their
count, latest wording, offices and closest entry; scoped to an office's subtree; shown
by ``helpdesk kb gaps``."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session

from bot import storage
from knowledge.gaps import top_gaps
from knowledge.search import normalise
from models import GapReason, ManualClock, record_gap
from models.staff import Liaison
from tests.unit.desk_world import World, seed_offices, world_in
from tests.unit.test_cli import helpdesk

ASKED = [
    ("34.02", "Lupa password SIPOL gimana ya?", ("sipol-akun", "daftar-batas")),
    ("34.71", "lupa pasword sipol gmn", ("sipol-akun",)),
    ("34.02", "saya lupa password akun sipol", ("sipol-akun",)),
    ("73.71", "apakah saksi boleh memotret hasil penghitungan", ("verfak-sampel",)),
    ("73.71", "saksi boleh memotret hasil penghitungan suara?", ()),
    (None, "cuaca besok cerah?", ()),
]


def _ask(world: World, liaisons: dict[str, Liaison]) -> None:
    for minutes, (office, question, top) in enumerate(ASKED):
        person = None
        if office is not None:
            liaison = liaisons.setdefault(office, world.liaison(office))
            person = liaison.person_id
        record_gap(
            world.session,
            at=world.now + timedelta(minutes=minutes),
            channel="telegram",
            person_id=person,
            question=question,
            normalised=normalise(question),
            lang="id",
            reason=GapReason.UNANSWERED,
            top_ids=top,
        )
    world.session.commit()


def test_near_identical_questions_form_one_cluster_with_offices_and_closest_entry(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        _ask(world, {})
        clusters = top_gaps(world.session, None, None, 10)
    assert [c.count for c in clusters] == [3, 2, 1]
    sipol, saksi, weather = clusters
    assert sipol.example == "saya lupa password akun sipol" and sipol.forms == 3
    assert sipol.offices == ("34.02", "34.71") and sipol.closest == "sipol-akun"
    assert saksi.offices == ("73.71",) and saksi.closest == "verfak-sampel"
    assert weather.offices == () and weather.closest is None
    assert sipol.last_at == clock.now() + timedelta(minutes=2)


def test_an_office_sees_the_gaps_of_its_subtree_only_and_since_a_moment(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with world_in(sessions, clock) as world:
        _ask(world, {})
        yogyakarta = top_gaps(world.session, "34", None, 10)
        bantul = top_gaps(world.session, "34.02", None, 10)
        recent = top_gaps(world.session, "RI", clock.now() + timedelta(minutes=4), 10)
        assert top_gaps(world.session, "RI", None, 1)[0].count == 3
    assert [c.count for c in yogyakarta] == [3]
    assert [c.count for c in bantul] == [2] and bantul[0].offices == ("34.02",)
    assert sorted(c.example for c in recent) == [
        "cuaca besok cerah?",
        "saksi boleh memotret hasil penghitungan suara?",
    ]


def test_kb_gaps_prints_the_clusters(tmp_path: Path, clock: ManualClock) -> None:
    url = f"sqlite:///{tmp_path}/gaps.db"
    engine = storage.make_engine(url)
    storage.upgrade(engine)
    with storage.session_factory(engine)() as session:
        seed_offices(session)
        session.commit()
        _ask(World(session, clock), {})
    engine.dispose()
    env = {"DATABASE_URL": url}
    text = helpdesk("kb", "gaps", "--office", "34", cwd=tmp_path, env=env)
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("3  saya lupa password akun sipol")
    assert "offices: 34.02, 34.71; closest: sipol-akun" in text.stdout
    lines = helpdesk("kb", "gaps", "--json", "--limit", "2", cwd=tmp_path, env=env)
    found = [json.loads(line) for line in lines.stdout.splitlines()]
    assert [g["count"] for g in found] == [3, 2] and found[1]["offices"] == ["73.71"]
