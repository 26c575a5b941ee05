"""Questions the bot answers with no officer are counted per local day, entry and office:
the asker's office for a liaison, KPU RI for anyone else; nobody's question is kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from knowledge.search import KnowledgeBase
from models.consultations import SelfServiceCount
from tests.desk import Desk, desk

__all__ = ["desk"]

SMALL = Path(__file__).parents[1] / "data" / "faq"


@pytest.fixture
def faq_desk(desk: Desk) -> Desk:
    desk.helpdesk.services.kb = KnowledgeBase.load(SMALL)
    return desk


def _counts(desk: Desk) -> list[tuple[date, str, str, int]]:
    with desk.sessions() as session:
        rows = session.exec(select(SelfServiceCount)).all()
        return sorted((r.day, r.office_code, r.entry_id, r.count) for r in rows)


def test_a_typed_question_answered_by_the_bot_counts_for_the_liaisons_office(
    faq_desk: Desk,
) -> None:
    siti = faq_desk.liaison()
    siti.send("kpn pendaftaran parpol ditutup??")
    siti.send("kapan pendaftaran partai politik ditutup")
    day = faq_desk.clock.now().date()
    assert _counts(faq_desk) == [(day, "34.02", "daftar-batas-waktu", 2)]


def test_an_answer_to_someone_unregistered_counts_for_kpu_ri(faq_desk: Desk) -> None:
    guest = faq_desk.private(6001, "Tamu")
    guest.send("kpn pendaftaran parpol ditutup??")
    assert [(o, e, n) for _d, o, e, n in _counts(faq_desk)] == [("RI", "daftar-batas-waktu", 1)]


def test_a_question_the_bot_was_unsure_of_is_not_counted(faq_desk: Desk) -> None:
    guest = faq_desk.private(6001, "Tamu")
    guest.send("berapa harga bensin di bulan")
    assert _counts(faq_desk) == []
