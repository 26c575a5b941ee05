"""Button payloads that cannot be forged, and personal numbers that are never stored."""

from __future__ import annotations

import pytest

from handlers.signing import MAX_PAYLOAD_BYTES, PayloadTooLong, Signer
from models import mask_personal_numbers

KEY = bytes(range(32))


def test_a_signed_payload_verifies_only_in_its_own_chat() -> None:
    signer = Signer(KEY)
    payload = signer.sign("5001", "lang:en:menu")
    assert len(payload.encode()) <= MAX_PAYLOAD_BYTES
    assert signer.verify("5001", payload) == "lang:en:menu"
    assert signer.verify("5002", payload) is None
    assert Signer(bytes(32)).verify("5001", payload) is None, "another key knows nothing"


@pytest.mark.parametrize(
    "payload", ["", "~", "lang:en", "lang:en~", "~abc", "x" * 300, "lang:en:menu~AAAAAAAAAAA"]
)
def test_payloads_not_signed_by_us_are_refused(payload: str) -> None:
    assert Signer(KEY).verify("5001", payload) is None


def test_an_action_too_long_for_telegram_is_caught_when_it_is_made() -> None:
    with pytest.raises(PayloadTooLong):
        Signer(KEY).sign("5001", "menu:" + "x" * 60)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("3402123456780001", "************0001"),
        ("NIK: 3402 1234 5678 0001.", "NIK: ************0001."),
        ("nik 3402-1234-5678-0001 ok", "nik ************0001 ok"),
        ("hp 081234567890", "hp ********7890"),
        ("WA +62 812 3456 7890", "WA *********7890"),
        ("WA +6281234567890", "WA *********7890"),
        ("tahun 2024, nomor urut 12", "tahun 2024, nomor urut 12"),
        ("34021234567800012", "34021234567800012"),  # 17 digits is not a NIK
    ],
)
def test_identity_and_phone_numbers_are_masked(text: str, masked: str) -> None:
    assert mask_personal_numbers(text) == masked
