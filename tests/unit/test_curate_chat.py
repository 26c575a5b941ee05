"""FAQ drafts and gaps in the staff chat: "Jadikan FAQ" only where the ticket's office
answers, the review queue of a subtree, editing by command, and /celah."""

from __future__ import annotations

from pathlib import Path

from knowledge.search import KnowledgeBase
from tests.desk import (
    ADMIN,
    AGENT,
    BANTUL_STAFF,
    CITY_AGENT,
    DIY_STAFF,
    PROVINCE_AGENT,
    Desk,
    desk,
)
from tests.unit.kb_sample import write_sample

__all__ = ["desk"]


def _resolved_and_drafted(desk: Desk, tmp_path: Path) -> int:
    desk.helpdesk.services.kb = KnowledgeBase.load(write_sample(tmp_path / "kb"))
    desk.liaison().send("/tanya Bolehkah saksi memotret formulir hasil di TPS?")
    desk.deliver()
    ticket_id = desk.tickets()[-1].id or 0
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya")
    thread = desk.thread_of(f"ticket:{ticket_id}:34.02")
    andi.send("Boleh, sebagai dokumentasi saksi.", thread=thread)
    sign = desk.helpdesk.signer.sign
    andi.press_payload(sign(str(BANTUL_STAFF), f"dk:r:{ticket_id}"))
    assert "Jadikan FAQ" in [b.label.split(" ", 1)[1] for b in andi.buttons()]
    andi.press("Jadikan FAQ")
    assert andi.toast_text() == "Draf FAQ #1 dibuat; menunggu tinjauan (/draf)."
    [view] = andi.replies()
    assert view.chat.thread is None and "Sebelum disetujui" in view.text
    return ticket_id


def test_drafts_wait_in_the_queue_of_the_office_and_those_above(desk: Desk, tmp_path: Path) -> None:
    _resolved_and_drafted(desk, tmp_path)
    province = desk.group(DIY_STAFF, PROVINCE_AGENT, "Dewi Prov")
    province.send("/draf")
    assert "#1 (tiket #BTL-0001)" in province.text()
    province.press("Draf #1")
    assert "Draf FAQ #1" in province.text()
    city = desk.group(BANTUL_STAFF, CITY_AGENT, "Bayu Kota")
    city.send("/draf")  # an officer of Kota Yogyakarta in Bantul's chat: not Bantul's
    assert "untuk petugas kantor ini" in city.text() and "#1" not in city.text()
    private = desk.private(CITY_AGENT, "Bayu Kota")
    private.send("/draf")
    assert "grup petugas" in private.text()


def test_a_reviewer_edits_by_command_then_approves_with_the_button(
    desk: Desk, tmp_path: Path
) -> None:
    _resolved_and_drafted(desk, tmp_path)
    rina = desk.group(BANTUL_STAFF, ADMIN, "Rina Lestari")
    rina.send("/draf_ubah 1 warna merah")
    assert "Cara mengubah draf" in rina.text()
    rina.send("/draf_ubah 1 kategori partai/tidak-ada")
    assert "tidak ada" in rina.text()
    rina.send("/draf_ubah 1 kategori partai/jadwal")
    rina.send("/draf_ubah 1 jawaban en Yes, as the witness record.")
    assert "salinan, belum diterjemahkan" in rina.text()  # the question is still a copy
    rina.send("/draf_ubah 1 pertanyaan en May a witness photograph the result form?")
    assert "salinan" not in rina.text() and "witness record" in rina.text()
    rina.press("Setujui")
    assert "belum bisa disetujui" in rina.toast_text()  # too few phrasings
    rina.send("/draf_ubah 1 frasa a foto | b foto | c foto | d foto | e foto")
    rina.press("Setujui")
    assert rina.toast_text() == "Draf #1 disetujui: sudah dipakai bot."
    assert "kantor ini dan jajaran di bawahnya" in rina.text()
    rina.press_payload(desk.helpdesk.signer.sign(str(BANTUL_STAFF), "kbd:x:1"))
    assert "sudah disetujui" in rina.toast_text()


def test_gaps_are_shown_grouped_to_the_offices_subtree(desk: Desk, tmp_path: Path) -> None:
    desk.helpdesk.services.kb = KnowledgeBase.load(write_sample(tmp_path / "kb"))
    siti = desk.liaison()
    for question in ("cuaca besok bagaimana", "Cuaca besok bagaimana?", "harga cabai hari ini"):
        siti.send(question)
    andi = desk.group(BANTUL_STAFF, AGENT, "Andi Wijaya")
    andi.send("/celah")
    assert "2×" in andi.text() and "1×" in andi.text() and "34.02" in andi.text()
    kota = desk.group(DIY_STAFF, PROVINCE_AGENT, "Dewi Prov")
    kota.send("/celah 7")
    assert "7 hari terakhir" in kota.text() and "2×" in kota.text()
