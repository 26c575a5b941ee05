"""FAQ drafts from resolved tickets: made masked and without notes, reviewed by the right
people, refused until complete, served at once to the office's subtree (or everywhere
from KPU RI), seen by another running knowledge base, and exported as content that
``kb check`` accepts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from handlers.curate.drafts import approve, draft_from_ticket, edit, reject
from knowledge.content.approved import export, served_entries
from knowledge.content.faq import read_folder
from knowledge.gaps import GapCluster
from knowledge.search import KnowledgeBase
from models import ManualClock
from models.kb_drafts import DraftField, DraftStatus, KbDraft
from models.refusals import Refusal
from models.staff import Role
from models.ticket_actions import officer_reply, resolve_ticket
from models.tickets import Ticket
from tests.unit.desk_world import World, world_in
from tests.unit.kb_sample import write_sample

QUESTION = "Apakah saksi boleh memotret hasil penghitungan suara? NIK saya 3201234567890001"
ANSWER = "Boleh. Saksi boleh memotret salinan hasil penghitungan. Tanya saya di 081234567890."
PHRASINGS = (
    "saksi foto hasil hitung | boleh motret hasil penghitungan suara | saksi ambil gambar "
    "formulir hasil | dokumentasi hasil hitung oleh saksi | memotret salinan hasil di tps"
)
ASKED_AGAIN = "bolehkah saksi mengambil foto hasil hitung suara"


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    return KnowledgeBase.load(write_sample(tmp_path / "kb"))


def _resolved(world: World, office: str = "34.02") -> Ticket:
    session = world.session
    ticket = world.ticket(world.liaison(office), QUESTION)
    officer = world.officer(office)
    officer_reply(session, ticket=ticket, officer=officer, text=ANSWER, now=world.now)
    officer_reply(
        session, ticket=ticket, officer=officer, text="rahasia", now=world.now, internal=True
    )
    resolve_ticket(session, ticket=ticket, officer=officer, now=world.now)
    return ticket


def _complete(world: World, kb: KnowledgeBase, draft: KbDraft, reviewer_office: str) -> None:
    reviewer = world.officer(reviewer_office, Role.SUPERVISOR)
    edit(world.session, kb, draft, reviewer, DraftField.PHRASINGS, "id", PHRASINGS, world.now)
    edit(world.session, kb, draft, reviewer, DraftField.CATEGORY, "", "partai/jadwal", world.now)
    approve(world.session, kb, draft, reviewer, world.now)
    world.session.commit()


def test_a_draft_is_made_from_the_resolved_ticket_masked_and_without_notes(
    sessions: Callable[[], Session], clock: ManualClock, kb: KnowledgeBase
) -> None:
    with world_in(sessions, clock) as world:
        open_one = world.ticket(world.liaison(), QUESTION)
        with pytest.raises(Refusal, match="draft_not_resolved"):
            draft_from_ticket(world.session, kb, open_one, None, world.now)
        ticket = _resolved(world)
        draft, new = draft_from_ticket(world.session, kb, ticket, None, world.now)
        assert new and draft.ticket_number == ticket.number
        assert "3201234567890001" not in draft.question_id and draft.question_id.endswith("0001")
        assert "081234567890" not in draft.answer_id and "rahasia" not in draft.answer_id
        assert draft.answer_id.startswith("Boleh. Saksi boleh memotret")
        assert draft.lang == "id" and draft.copied_lang == "en"
        assert draft.answer_en == draft.answer_id  # a copy until a reviewer writes it
        assert draft.category == ""  # no entry is close: the reviewer picks one
        again, new_again = draft_from_ticket(world.session, kb, ticket, None, world.now)
        assert again.id == draft.id and not new_again


def test_only_supervisors_above_approve_and_only_a_complete_draft(
    sessions: Callable[[], Session], clock: ManualClock, kb: KnowledgeBase
) -> None:
    with world_in(sessions, clock) as world:
        draft, _ = draft_from_ticket(world.session, kb, _resolved(world), None, world.now)
        agent = world.officer("34.02")
        with pytest.raises(Refusal, match="draft_not_reviewer"):
            approve(world.session, kb, draft, agent, world.now)
        elsewhere = world.officer("73", Role.SUPERVISOR)
        with pytest.raises(Refusal, match="draft_not_reviewer"):
            approve(world.session, kb, draft, elsewhere, world.now)
        supervisor = world.officer("34", Role.SUPERVISOR)
        with pytest.raises(Refusal, match="draft_incomplete") as refused:
            approve(world.session, kb, draft, supervisor, world.now)
        assert any("id phrasings" in p for p in refused.value.context["problems"])
        with pytest.raises(Refusal, match="draft_category"):
            edit(world.session, kb, draft, supervisor, DraftField.CATEGORY, "id", "x/y", world.now)
        edit(world.session, kb, draft, supervisor, DraftField.ANSWER, "en", "Yes.", world.now)
        assert draft.copied_lang == "en" and draft.answer_en == "Yes."  # the question still
        edit(world.session, kb, draft, supervisor, DraftField.QUESTION, "en", "May?", world.now)
        assert draft.copied_lang is None
        assert draft.status is DraftStatus.PENDING


def test_an_approved_entry_is_served_at_once_in_its_subtree_and_survives_restarts(
    sessions: Callable[[], Session], clock: ManualClock, kb: KnowledgeBase, tmp_path: Path
) -> None:
    restarted = KnowledgeBase.load(tmp_path / "kb")  # another process, or after a restart
    with world_in(sessions, clock) as world:
        draft, _ = draft_from_ticket(world.session, kb, _resolved(world), None, world.now)
        assert not kb.search(ASKED_AGAIN, offices={"34.02", "34", "RI"}).answered
        _complete(world, kb, draft, "34")
        assert draft.scope_code == "34.02" and draft.status is DraftStatus.APPROVED
        bantul = kb.search(ASKED_AGAIN, offices={"34.02", "34", "RI"})
        assert bantul.answered and bantul.hits[0].entry.id == draft.entry_id
        makassar = kb.search(ASKED_AGAIN, offices={"73.71", "73", "RI"})
        assert all(hit.entry.id != draft.entry_id for hit in makassar.hits)
        assert draft.entry_id not in [e.id for e in kb.entries_in("partai/jadwal")]
        assert draft.entry_id in [e.id for e in kb.entries_in("partai/jadwal", {"34.02"})]
        assert restarted.refresh(world.session) and not restarted.refresh(world.session)
        assert restarted.search(ASKED_AGAIN, offices={"34.02"}).hits[0].entry.id == draft.entry_id
        entry = restarted.entry(draft.entry_id)
        assert entry is not None and entry.question["en"] == entry.question["id"]
        assert "Jawaban petugas Helpdesk KPU Kabupaten Bantul" in entry.citation("id")


def test_approved_at_kpu_ri_it_is_served_everywhere_and_a_rejected_ticket_drafts_again(
    sessions: Callable[[], Session], clock: ManualClock, kb: KnowledgeBase
) -> None:
    with world_in(sessions, clock) as world:
        ticket = _resolved(world)
        first, _ = draft_from_ticket(world.session, kb, ticket, None, world.now)
        reject(world.session, first, world.officer("34.02", Role.ADMIN), world.now)
        with pytest.raises(Refusal, match="draft_not_pending"):
            approve(world.session, kb, first, world.officer("RI", Role.ADMIN), world.now)
        second, new = draft_from_ticket(world.session, kb, ticket, None, world.now)
        assert new and second.id != first.id
        _complete(world, kb, second, "RI")
        assert second.scope_code == "RI"
        anywhere = kb.search(ASKED_AGAIN, offices=None)
        assert anywhere.answered and anywhere.hits[0].entry.id == second.entry_id


def test_export_writes_content_that_kb_check_accepts(
    sessions: Callable[[], Session], clock: ManualClock, kb: KnowledgeBase, tmp_path: Path
) -> None:
    with world_in(sessions, clock) as world:
        draft, _ = draft_from_ticket(world.session, kb, _resolved(world), None, world.now)
        _complete(world, kb, draft, "34.02")
        served = [(s.entry, draft.copied_lang) for s in served_entries(world.session)]
    written = export(served, tmp_path / "out", folder=tmp_path / "kb")
    assert [p.name for p in written] == ["partai.yaml"]
    text = written[0].read_text(encoding="utf-8")
    assert "the en texts are still a copy" in text
    content = read_folder(tmp_path / "out")
    assert content.problems == ()
    exported = next(e for e in content.entries if e.id == draft.entry_id)
    assert exported.sources[0].publisher == "Helpdesk KPU Kabupaten Bantul"
    assert len(exported.related) >= 2 and len(exported.phrasings["id"]) == 5


DRAFT_SAMPLE = KbDraft(
    id=3,
    ticket_id=1,
    ticket_number="BTL-0001",
    office_code="34.02",
    lang="id",
    copied_lang="en",
    question_id="Boleh <x> memotret?",
    question_en="Boleh <x> memotret?",
    answer_id="Boleh & silakan.",
    answer_en="Boleh & silakan.",
    category="partai/jadwal",
    phrasings='{"id": ["foto <x>"], "en": []}',
    answered_on=date(2026, 12, 7),
    created_at=datetime(2026, 12, 7, tzinfo=UTC),
)
CLUSTER_SAMPLE = GapCluster(
    count=3,
    example="lupa <x> sipol",
    last_at=datetime(2026, 12, 7, tzinfo=UTC),
    offices=("34.02",),
    closest="sipol-akun",
    forms=2,
)
SAMPLES: dict[str, dict[str, object]] = {
    "curate/draft": {
        "draft": DRAFT_SAMPLE,
        "office": "KPU <x>",
        "phrasings": {"id": ["foto <x>"], "en": []},
        "problems": ["entry petugas-3: needs at least 5 id phrasings, has 1"],
        "note": "Draf diperbarui.",
    },
    "curate/queue": {"drafts": [DRAFT_SAMPLE], "office": "KPU <x>"},
    "curate/gaps": {
        "clusters": [CLUSTER_SAMPLE],
        "titles": {"sipol-akun": "Lupa <x>?"},
        "office": "KPU <x>",
        "days": 30,
    },
    "desk/refused/draft_not_reviewer": {"number": "BTL-0001"},
    "desk/refused/draft_not_pending": {"draft": 3, "status": "approved"},
    "desk/refused/draft_not_resolved": {"number": "BTL-0001"},
    "desk/refused/draft_no_answer": {"number": "BTL-0001"},
    "desk/refused/draft_empty": {"field": "answer"},
    "desk/refused/draft_category": {"category": "x/<x>"},
    "desk/refused/draft_incomplete": {"draft": 3, "problems": ["needs <x>"]},
}


def test_with_an_office_entry_served_a_question_next_to_the_scope_is_still_refused(
    sessions: Callable[[], Session], clock: ManualClock, kb: KnowledgeBase
) -> None:
    """Serving an entry to one office's subtree must not bypass the facet gate for the
    askers of other offices: the first entry left must answer THIS question."""
    asked = "kapan batas akhir penyerahan LADK partai?"
    before = kb.search(asked, offices={"73.71", "73", "RI"})
    with world_in(sessions, clock) as world:
        draft, _ = draft_from_ticket(world.session, kb, _resolved(world), None, world.now)
        _complete(world, kb, draft, "34")
    after = kb.search(asked, offices={"73.71", "73", "RI"})
    assert not before.answered and not after.answered
    assert after.refusal and after.facets == before.facets
