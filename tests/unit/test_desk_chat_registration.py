"""Liaisons join the desk in chat: by an invite link, or by registering themselves with
buttons, then verified by an officer; and every desk text exists in both languages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.texts import Texts
from models import Language, ManualClock
from models.refusals import DESK_REFUSAL_KEYS as DESK_ERROR_KEYS
from models.staff import Liaison
from tests.desk import ADMIN, BANTUL_STAFF, Desk, desk
from tests.unit.test_curate_drafts import SAMPLES as CURATE_SAMPLES

__all__ = ["desk"]


def liaisons(desk: Desk) -> list[Liaison]:
    with desk.sessions() as session:
        from sqlmodel import select

        return list(session.exec(select(Liaison)).all())


def test_an_invite_link_registers_a_verified_liaison(desk: Desk) -> None:
    siti = desk.private(5001, "Siti Rahma")
    siti.send(f"/start {desk.invite('34.02', 'gerindra', 'dpc')}")
    assert "Selamat datang, Siti Rahma" in siti.text()
    assert "Gerindra" in siti.text() and "KPU Kabupaten Bantul" in siti.text()
    [liaison] = liaisons(desk)
    assert (liaison.verified, liaison.party, liaison.office_code) == (True, "gerindra", "34.02")


def test_an_unknown_or_expired_invite_is_refused_politely_and_logged(
    desk: Desk, clock: ManualClock
) -> None:
    siti = desk.private(5001)
    siti.send("/start AAAAAAAAAAAAAAAAAAAAAAAA")
    assert "tidak dikenal" in siti.text()
    token = desk.invite()
    clock.advance(timedelta(days=15))
    siti.send(f"/start {token}")
    assert "kedaluwarsa" in siti.text()
    assert liaisons(desk) == [] and len(desk.audit("refused")) == 2


def test_self_registration_by_buttons_ends_unverified_and_the_staff_chat_is_told(
    desk: Desk,
) -> None:
    budi = desk.private(5002, "Budi")
    budi.send("/daftar")
    assert "nama lengkap" in budi.text()
    budi.send("B")
    assert "belum bisa dipakai" in budi.text()
    budi.send("Budi Santoso")
    assert "Pilih <b>partai</b>" in budi.text()
    budi.press("Berikutnya")
    budi.press("Berikutnya")
    budi.press("Partai Ummat")
    budi.press("DPC")
    budi.press("Berikutnya")
    budi.press("Yogyakarta")
    assert "kabupaten/kota" in budi.text()
    budi.press("Bantul")
    assert "menunggu verifikasi" in budi.text()
    [liaison] = liaisons(desk)
    assert (liaison.name, liaison.party, liaison.tier, liaison.office_code, liaison.verified) == (
        "Budi Santoso",
        "ummat",
        "dpc",
        "34.02",
        False,
    )
    [notice] = desk.outbox("liaison:")
    assert notice.chat_id == str(BANTUL_STAFF) and "Budi Santoso" in notice.text

    rina = desk.group(BANTUL_STAFF, ADMIN, "Rina Lestari")
    rina.send("/verifikasi")
    assert "Budi Santoso" in rina.text()
    rina.press("Verifikasi Budi")
    assert "terverifikasi" in rina.toast_text()
    assert liaisons(desk)[0].verified
    assert any("diverifikasi" in m.text for m in desk.outbox(f"liaison:{liaison.id}:verified"))


def test_a_central_board_liaison_belongs_to_kpu_ri_without_picking_a_region(desk: Desk) -> None:
    ani = desk.private(5003, "Ani Wulandari")
    ani.send("/daftar")
    ani.press("Pakai nama akun saya")
    ani.press("PKB")
    ani.press("DPP")
    assert "KPU RI" in ani.text()
    assert liaisons(desk)[0].office_code == "RI"


def test_registration_buttons_are_refused_outside_the_private_chat(desk: Desk) -> None:
    group = desk.group(BANTUL_STAFF, 5004, "Orang")
    group.press_payload(desk.helpdesk.signer.sign(str(BANTUL_STAFF), "rg:t:pkb"))
    assert "tidak berlaku" in group.toast_text()
    assert liaisons(desk) == []


TICKET = {"number": "BTL-0042", "office": "KPU <Kab>"}
SAMPLES: dict[str, dict[str, object]] = {
    "desk/register/name": {"display_name": "A <x>"},
    "desk/register/name_invalid": {"low": 3, "high": 120},
    "desk/register/party": {"name": "A <x>", "page": 1, "pages": 3},
    "desk/register/tier": {"party": "PKB"},
    "desk/register/province": {"party": "PKB", "tier": "DPC", "page": 1, "pages": 4},
    "desk/register/regency": {"province": "DIY", "page": 1, "pages": 1},
    "desk/liaison/registered": {
        "name": "A <x>",
        "party": "PKB",
        "tier": "DPC",
        "office": "KPU",
        "verified": False,
        "invited": False,
    },
    "desk/liaison/tickets": {
        "tickets": [
            {
                "number": "BTL-1",
                "status": "baru",
                "subject": "<x>",
                "opened": "t",
                "office": "o",
                "rating": 4,
            }
        ]
    },
    "desk/liaison/ticket": {
        "ticket": {
            "number": "BTL-1",
            "status": "baru",
            "opened": "t",
            "office": "o",
            "rating": None,
        },
        "question": "<x>",
        "open": True,
        "messages": [{"mine": True, "text": "<y>", "attachment": "photo"}],
    },
    "desk/liaison/rated": {"number": "BTL-1", "rating": 5},
    "desk/liaison/reopened": {"number": "BTL-1"},
    "desk/liaison/opened": {
        "number": "BTL-1",
        "office": "o",
        "posted": False,
        "open_now": False,
        "opens": "t",
        "due": "t",
        "hours": "08.00–16.00 WIB",
    },
    "desk/liaison/added": {"number": "BTL-1"},
    "desk/liaison/officer_reply": TICKET | {"text": "<x> & <y>"},
    "desk/liaison/resolved": TICKET,
    "desk/liaison/claimed": TICKET,
    "desk/liaison/escalated": TICKET,
    "desk/liaison/idle_closed": TICKET,
    "desk/liaison/verified": {"office": "o"},
    "desk/staff/answer_held": {"number": "BTL-1"},
    "desk/staff/answer_failed": {"number": "BTL-1", "reason": "whatsapp 131026: <x>"},
    "desk/staff/card": {
        "channel": "whatsapp",
        "number": "BTL-1",
        "status": "baru",
        "liaison": "<x>",
        "verified": False,
        "party": "PKB",
        "tier": "DPC",
        "origin": "o",
        "office": "o",
        "question": "<y>",
        "suggested": ["<x>"],
        "claim_due": "t",
        "answer_due": "t",
        "opened": "t",
        "routed_from": "r",
        "escalated_from": "e",
        "reason": "sla",
        "history": [{"author": "liaison", "internal": False, "text": "<x>", "attachment": None}],
    },
    "desk/staff/from_liaison": {
        "number": "1",
        "name": "<x>",
        "party": "p",
        "text": "<y>",
        "kind": "photo",
    },
    "desk/staff/moved": {"number": "1", "office": "o", "reason": "sla"},
    "desk/staff/not_relayed": {"kind": "sticker"},
    "desk/staff/liaison_unreachable": {"number": "1"},
    "desk/liaison/not_relayed": {"number": "1", "kind": "location"},
    "desk/staff/closed_by_liaison": {"number": "1"},
    "desk/staff/reopened": {"number": "1"},
    "desk/staff/unclaimed": {"number": "1", "minutes": 60, "escalates": "t"},
    "desk/staff/registration": {"name": "<x>", "party": "p", "tier": "t", "office": "o"},
    "desk/staff/officers": {"office": "o", "officers": [{"name": "<x>", "role": "admin"}]},
    "desk/staff/officer_added": {"name": "<x>", "role": "agent", "office": "o"},
    "desk/staff/officer_removed": {"name": "<x>"},
    "desk/staff/linked": {"office": "o", "forum": True},
    "desk/staff/invite": {
        "wa_link": "https://wa.me/6281100000000?text=DAFTAR%20t",
        "link": None,
        "token": "abc",
        "party": "p",
        "tier": "t",
        "office": "o",
        "uses": 1,
    },
    "desk/staff/unverified": {
        "office": "o",
        "liaisons": [{"name": "<x>", "party": "p", "tier": "t", "office": "o"}],
    },
    "desk/refused/illegal_transition": {"status": "resolved", "action": "claim"},
    "desk/refused/reopen_too_late": {"days": 7},
    "desk/refused/too_many_open": {"limit": 5},
    "desk/refused/unverified_open": {"limit": 1},
    "desk/refused/unverified_cooldown": {"minutes": 42},
    **{
        f"desk/refused/link_{why}": {"chat": "-100123"}
        for why in ("unreadable", "not_group", "bot_absent", "no_topic_rights")
    },
    "desk/staff/chat_lost": {
        "office": "o",
        "chat": "c",
        "reason": "r",
        "above": "a",
        "above_chat": True,
    },
    "desk/liaison/held": {"number": "1", "office": "o"},
    "desk/staff/edited": {"number": "1", "name": "<x>", "text": "<y>"},
    "desk/staff/relinked": {"number": "1", "office": "o"},
    "desk/refused/ticket_closed": {"number": "1"},
    "desk/refused/unknown_office": {"code": "<x>"},
    "desk/refused/unknown_party": {"code": "<x>"},
    "desk/refused/unknown_tier": {"code": "<x>"},
    "desk/refused/unknown_role": {"code": "<x>"},
    "desk/refused/ticket_moved": {"number": "1", "office": "<x>"},
} | {name: sample for name, sample in CURATE_SAMPLES.items() if name.startswith("desk/")}


@pytest.mark.parametrize("lang", list(Language))
def test_every_desk_message_renders_escaped_in_both_languages(texts: Texts, lang: Language) -> None:
    names = sorted(n for n in texts.names(lang) if n.startswith("desk/"))
    assert set(DESK_ERROR_KEYS) <= set(names), "every desk refusal has a template"
    for name in names:
        rendered = texts.render(lang, name, **SAMPLES.get(name, {}))
        assert 0 < len(rendered) <= 4096 and "<x>" not in rendered and "<y>" not in rendered
