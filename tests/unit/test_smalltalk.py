"""Small talk: a message of greetings, thanks or acknowledgements only asks nothing."""

from __future__ import annotations

import pytest

from knowledge.search.smalltalk import SmallTalk, small_talk


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("halo", SmallTalk.GREETING),
        ("Assalamualaikum wr wb, selamat siang kak 🙏", SmallTalk.GREETING),
        ("good morning", SmallTalk.GREETING),
        ("izin bertanya min", SmallTalk.GREETING),
        ("terima kasih atas infonya", SmallTalk.THANKS),
        ("ok makasih", SmallTalk.THANKS),
        ("siap, jelas pak", SmallTalk.ACK),
    ],
)
def test_small_talk_is_told_by_its_words(text: str, kind: SmallTalk) -> None:
    assert small_talk(text) is kind


@pytest.mark.parametrize(
    "text",
    [
        "kapan batas akhir pendaftaran",
        "admin sipol lupa sandi",
        "halo min, kapan pendaftaran?",
        "terima kasih, tapi KTA saya tetap gagal diunggah",
        "🙏🙏",
        "",
        "halo " * 13,
    ],
)
def test_anything_with_a_question_in_it_is_not_small_talk(text: str) -> None:
    assert small_talk(text) is None
