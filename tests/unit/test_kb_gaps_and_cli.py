"""Knowledge gaps in the database, and the ``helpdesk kb`` commands as a person runs them."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from knowledge.search import normalise
from models import GapReason, ManualClock, record_gap, top_gaps
from tests.cli import helpdesk
from tests.unit.kb_sample import write_sample

DEV = Path(__file__).parents[2] / "bench" / "faq_dev.yaml"  # a copy of the shared dev set
SHARED_DEV = Path(__file__).parents[3] / "shared" / "eval" / "faq_dev.yaml"


def test_gaps_are_masked_grouped_and_counted(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    asked = [
        "NIK saya 3201 2345 6789 0001 dicatut, lapor ke mana?",
        "Cuaca besok?",
        "nik saya 3201234567890002 dicatut lapor ke mana",
    ]
    with sessions() as session:
        for minutes, question in enumerate(asked):
            record_gap(
                session,
                at=clock.now() + timedelta(minutes=minutes),
                channel="telegram",
                person_id=None,
                question=question,
                normalised=normalise(question),
                lang="id",
                reason=GapReason.UNANSWERED,
                top_ids=("a", "b"),
            )
        session.commit()
        gaps = top_gaps(session, since=None, limit=10)
    assert [g.count for g in gaps] == [2, 1]
    assert "3201" not in gaps[0].example and gaps[0].example.endswith("lapor ke mana")
    assert not any(c.isdigit() for c in gaps[0].normalised)
    assert gaps[0].last_at == clock.now() + timedelta(minutes=2)
    with sessions() as session:
        assert top_gaps(session, since=clock.now() + timedelta(minutes=2), limit=10)[0].count == 1


def test_a_long_question_is_cut_and_the_reason_kept(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with sessions() as session:
        gap = record_gap(
            session,
            at=clock.now(),
            channel="console",
            person_id=None,
            question="x" * 5000,
            normalised="",
            lang="en",
            reason=GapReason.STILL_NEED_HELP,
            entry_id="daftar-batas",
            top_ids=[f"entry-{i}" for i in range(100)],
        )
        session.commit()
        assert len(gap.question) == 1000 and len(gap.normalised) <= 300
        assert len(gap.top_ids) <= 200 and gap.reason is GapReason.STILL_NEED_HELP


def test_kb_check_passes_on_good_content_and_lists_problems_otherwise(tmp_path: Path) -> None:
    good = helpdesk("kb", "check", "--folder", str(write_sample(tmp_path / "good")), cwd=tmp_path)
    assert good.returncode == 0
    assert good.stdout.startswith("ok: 3 entries in 1 categories; ")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.yaml").write_text("category: {id: x}\n", encoding="utf-8")
    bad = helpdesk("kb", "check", "--folder", str(tmp_path / "bad"), cwd=tmp_path)
    assert bad.returncode == 1 and "needs both id and en" in bad.stdout


def test_kb_check_refuses_a_calendar_with_a_free_text_source(tmp_path: Path) -> None:
    folder = str(write_sample(tmp_path / "kb"))
    calendars = tmp_path / "calendars"
    calendars.mkdir()
    (calendars / "c.yaml").write_text(
        """calendar:
  id: c
  name: {id: Kalender, en: Calendar}
  sources:
    - {kind: regulation, title: "PKPU Nomor 3 Tahun 2022"}
stages:
  - id: c-daftar
    name: {id: Pendaftaran, en: Registration}
    starts_at: 2022-08-01
    ends_at: 2022-08-14
    source: "facts.md 2A baris 3"
""",
        encoding="utf-8",
    )
    bad = helpdesk("kb", "check", "--folder", folder, "--calendars", str(calendars), cwd=tmp_path)
    assert bad.returncode == 1 and "'source' is free text" in bad.stdout


def test_kb_ask_reads_stdin_and_writes_one_json_line_per_question(tmp_path: Path) -> None:
    folder = str(write_sample(tmp_path / "kb"))
    result = helpdesk(
        "kb",
        "ask",
        "--folder",
        folder,
        cwd=tmp_path,
        stdin="kpn batas akhir daftar parpol\n\nWhen does party registration close?\n",
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == [
        "kpn batas akhir daftar parpol",
        "",
        "When does party registration close?",
    ]
    first = lines[0]
    assert first["answered"] is True and first["lang"] == "id"
    assert set(first["results"][0]) == {"id", "title", "answer", "score", "mismatch"}
    assert set(first["facets"]) == {
        "elections",
        "years",
        "levels",
        "stage",
        "kinds",
        "topics",
        "roles",
        "systems",
        "semesters",
        "counts",
        "offices",
    }
    assert first["refusal"] == [] and lines[1]["refusal"]
    assert first["results"][0]["answer"].startswith("Pendaftaran ditutup")
    assert lines[1]["answered"] is False and lines[2]["lang"] == "en"


def test_kb_ask_with_a_question_answers_in_text_or_json(tmp_path: Path) -> None:
    folder = str(write_sample(tmp_path / "kb"))
    text = helpdesk("kb", "ask", "lupa password sipol", "--folder", folder, cwd=tmp_path)
    assert "Hubungi helpdesk" in text.stdout
    as_json = helpdesk(
        "kb", "ask", "lupa password sipol", "--json", "--top", "2", "--folder", folder, cwd=tmp_path
    )
    assert 1 <= len(json.loads(as_json.stdout)["results"]) <= 2


def test_kb_eval_prints_ours_beside_the_baseline(tmp_path: Path) -> None:
    result = helpdesk("kb", "eval", str(DEV), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for label in ("hit@1", "hit@3", "MRR", "out-of-scope accuracy", "p99 latency", "baseline"):
        assert label in result.stdout
    figures = json.loads(helpdesk("kb", "eval", str(DEV), "--json", cwd=tmp_path).stdout)
    assert figures["search"]["hit1"] >= 0.92 and figures["search"]["oos_accuracy"] >= 0.9


def test_kb_gaps_lists_nothing_on_a_new_database(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/gaps.db"}
    result = helpdesk("kb", "gaps", "--since", "2024-01-01", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "no unanswered questions recorded since 2024-01-01" in result.stdout
    wrong = helpdesk("kb", "gaps", "--since", "yesterday", cwd=tmp_path, env=env)
    assert wrong.returncode == 2 and "--since must be a date" in wrong.stderr


def test_the_copy_of_the_development_set_matches_the_shared_one() -> None:
    if not SHARED_DEV.exists():
        pytest.skip("the shared evaluation folder is not beside this checkout")
    assert DEV.read_bytes() == SHARED_DEV.read_bytes()
