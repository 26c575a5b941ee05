"""The FAQ in a chat: the guided menu, answers with feedback, and typed questions.

Most tests use the small knowledge base in ``tests/data/faq`` so that counts and pages are
fixed; a few walk the shipped knowledge base to check every button and answer it makes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from handlers.faq import render as faq_render
from handlers.faq.render import AnswerShown, answer_text
from handlers.helpdesk import HelpDesk
from handlers.port import Attachment
from handlers.services import Services
from handlers.signing import MAX_PAYLOAD_BYTES, Signer
from handlers.texts import Texts
from knowledge.content.sources import Source, SourceKind
from knowledge.search import Entry, KnowledgeBase
from models import ChatKind, Interaction, Language, ManualClock, Person
from models.gaps import GapReason, KbGap
from models.stages import Stage
from tests.chat import Chat
from tests.html_check import TagCheck

SMALL = Path(__file__).parents[1] / "data" / "faq"
NIK = "3201234567890001"


@pytest.fixture(scope="module")
def small_kb() -> KnowledgeBase:
    return KnowledgeBase.load(SMALL)


@pytest.fixture(scope="module")
def shipped_kb() -> KnowledgeBase:
    return KnowledgeBase.load(strict=False)


@pytest.fixture
def desk(
    sessions: Callable[[], Session], clock: ManualClock, texts: Texts, small_kb: KnowledgeBase
) -> HelpDesk:
    return HelpDesk(sessions, clock, texts, Services(kb=small_kb))


@pytest.fixture
def chat(desk: HelpDesk) -> Chat:
    return Chat(desk)


@pytest.fixture
def unsure_chat(sessions: Callable[[], Session], clock: ManualClock, texts: Texts) -> Chat:
    """A chat with a knowledge base that is never confident: every question is unsure."""
    never_sure = KnowledgeBase.load(SMALL)
    never_sure.searcher.threshold = 1.01  # above any confidence
    return Chat(HelpDesk(sessions, clock, texts, Services(kb=never_sure)))


def gaps(sessions: Callable[[], Session]) -> list[KbGap]:
    with sessions() as session:
        return list(session.exec(select(KbGap).order_by(KbGap.id)).all())  # type: ignore[arg-type]


def outcomes(sessions: Callable[[], Session]) -> list[str]:
    with sessions() as session:
        rows = session.exec(select(Interaction).order_by(Interaction.id)).all()  # type: ignore[arg-type]
        return [row.outcome for row in rows]


def labels(chat: Chat) -> list[str]:
    return [b.label for b in chat.buttons()]


def open_topic(chat: Chat) -> None:
    chat.send("/faq")
    chat.press("Jadwal tahapan")
    chat.press("Pendaftaran & verifikasi")


# --- the guided menu -------------------------------------------------------------------


def test_the_menu_leads_from_a_topic_to_an_answer(chat: Chat) -> None:
    chat.send("/start")
    chat.press("Indonesia")
    chat.press("Tanya jawab")
    (menu,) = chat.replies()
    assert menu.edit == "77", "navigating edits the message instead of sending new ones"
    assert "<b>Tanya jawab (FAQ)</b>" in menu.text
    assert labels(chat) == ["📂 Jadwal tahapan", "📂 Helpdesk & data pribadi", "🏠 Menu utama"]

    chat.press("Jadwal tahapan")
    assert "<b>Jadwal tahapan</b>" in chat.text()
    assert labels(chat)[:2] == ["📂 Pendaftaran & verifikasi partai", "📂 Dokumen"]

    chat.press("Pendaftaran & verifikasi")
    chat.press("Kapan pendaftaran partai")
    (answer,) = chat.replies()
    assert answer.edit == "77"
    assert "<b>Kapan pendaftaran partai politik dibuka dan ditutup?</b>" in answer.text
    assert "• Hari terakhir ditutup pukul 23.59 WIB." in answer.text
    assert (
        "<i>Sumber: \n• PKPU Nomor 3 Tahun 2022\n• Kompas.com, «Batas pendaftaran», 6 Agustus 2022"
        " — https://nasional.kompas.com/read/2022/08/06/x</i>"
    ) in answer.text
    assert "berlaku sampai 14 Agustus 2022" in answer.text, "a period that has ended says so"
    assert "Perlu dikonfirmasi" not in answer.text
    assert labels(chat) == [
        "✅ Ini menjawab",
        "🙋 Masih perlu bantuan",
        "🔗 Sejak kapan akun SIPOL bisa dipakai untuk mengunggah data?",
        "🔗 Kapan masa perbaikan dokumen persyaratan partai?",
        "⬅️ Kembali",
        "🏠 Menu utama",
    ]
    chat.press("Sejak kapan akun SIPOL")
    assert "24 Juni 2022" in chat.text(), "a related entry opens in place"


def test_a_long_topic_is_paged_six_questions_at_a_time(chat: Chat) -> None:
    open_topic(chat)
    first = chat.text()
    assert "Halaman 1 dari 2" in first
    assert "6. Kapan partai politik peserta pemilu ditetapkan?" in first
    assert "7." not in first
    assert [b.label[:2] for b in chat.buttons()][:6] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert "Sebelumnya" not in " ".join(labels(chat))

    chat.press("Berikutnya")
    second = chat.text()
    assert "Halaman 2 dari 2" in second
    assert "7. Kapan pengundian nomor urut partai?" in second
    assert "Berikutnya" not in " ".join(labels(chat))
    chat.press("Sebelumnya")
    assert "Halaman 1 dari 2" in chat.text()


def test_back_goes_up_one_level_and_home_opens_the_main_menu(chat: Chat) -> None:
    open_topic(chat)
    chat.press("Berikutnya")
    chat.press("7. Kapan pengundian")
    chat.press("Kembali")
    assert "Halaman 2 dari 2" in chat.text(), "back from an answer returns to its page"
    chat.press("Kembali")
    assert "Pilih subtopik" in chat.text()
    chat.press("Kembali")
    assert "Pilih topik" in chat.text()
    chat.press("Menu utama")
    assert "Menu utama" in chat.text() and "📚 Tanya jawab (FAQ)" in labels(chat)


def test_a_forged_or_copied_button_is_refused(chat: Chat, desk: HelpDesk) -> None:
    open_topic(chat)
    payload = chat.button("1. Kapan pendaftaran").payload
    assert payload is not None
    stranger = Chat(desk, chat_id="6001", person_id="6001")
    stranger.press_payload(payload)
    assert [t.text for t in stranger.toasts()] == [
        "Tombol ini sudah tidak berlaku. Ketik /menu untuk membuka menu."
    ]
    assert stranger.replies() == []

    action, _, _ = payload.partition("~")
    chat.press_payload(action.replace("daftar-batas-waktu", "nomor-urut") + "~forgedforged")
    assert chat.replies() == [] and "tidak berlaku" in chat.toasts()[0].text


@pytest.mark.parametrize(
    "action", ["faq:e:no-such-entry", "faq:c:99", "faq:s:0:9:0", "faq:s:x", "faq:z", "faq:n:"]
)
def test_a_signed_button_for_something_gone_is_answered_politely(
    chat: Chat, desk: HelpDesk, action: str
) -> None:
    chat.press_payload(desk.signer.sign(chat.chat_id, action))
    assert chat.replies() == []
    assert "sudah tidak tersedia" in chat.toasts()[0].text


def test_a_page_past_the_end_shows_the_last_page(chat: Chat, desk: HelpDesk) -> None:
    chat.press_payload(desk.signer.sign(chat.chat_id, "faq:s:0:0:999"))
    assert "Halaman 2 dari 2" in chat.text()


def test_an_uncertain_entry_says_to_confirm_with_an_officer(chat: Chat, desk: HelpDesk) -> None:
    chat.press_payload(desk.signer.sign(chat.chat_id, "faq:e:nomor-urut"))
    assert "Perlu dikonfirmasi" in chat.text()
    assert "konfirmasi ke petugas KPU" in chat.text()


def test_an_answer_shows_the_dates_of_its_stage(
    chat: Chat, desk: HelpDesk, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    with sessions() as session:
        session.add(
            Stage(
                key="parpol-pendaftaran",
                calendar="pemilu-2024",
                name_id="Pendaftaran partai politik",
                name_en="Party registration",
                starts_at=datetime(2022, 7, 31, 17, 0, tzinfo=UTC),
                ends_at=datetime(2022, 8, 14, 16, 59, tzinfo=UTC),
                faq_ids="daftar-batas-waktu,sipol-akses",
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        )
        session.commit()
    chat.press_payload(desk.signer.sign(chat.chat_id, "faq:e:daftar-batas-waktu"))
    assert (
        "📅 <b>Pendaftaran partai politik</b>: 1 Agustus 2022 – 14 Agustus 2022, "
        "sampai pukul 23.59 WIB"
    ) in chat.text()
    chat.press_payload(desk.signer.sign(chat.chat_id, "faq:e:vermin-jadwal"))
    assert "📅" not in chat.text()


def test_without_a_knowledge_base_the_faq_says_it_is_not_ready(helpdesk: HelpDesk) -> None:
    chat = Chat(helpdesk)
    chat.send("/faq")
    assert "sedang disiapkan" in chat.text()
    chat.send("kapan pendaftaran ditutup?")
    assert "sudah tercatat" in chat.text()


# --- feedback --------------------------------------------------------------------------


def test_this_answered_it_is_thanked_and_recorded(
    chat: Chat, sessions: Callable[[], Session]
) -> None:
    open_topic(chat)
    chat.press("1. Kapan pendaftaran")
    chat.press("Ini menjawab")
    assert [t.text for t in chat.toasts()] == ["Terima kasih atas masukannya!"]
    assert outcomes(sessions)[-1] == "faq helpful: daftar-batas-waktu"
    assert gaps(sessions) == []


def test_still_need_help_records_a_gap_and_says_how_to_reach_an_officer(
    chat: Chat, sessions: Callable[[], Session]
) -> None:
    open_topic(chat)
    chat.press("1. Kapan pendaftaran")
    chat.press("Masih perlu bantuan")
    (reply,) = chat.replies()
    assert reply.edit is None, "the answer stays in the chat"
    assert "Hubungi petugas KPU" in reply.text and "catatan Anda sudah kami simpan" in reply.text
    (gap,) = gaps(sessions)
    assert gap.reason is GapReason.STILL_NEED_HELP
    assert gap.entry_id == "daftar-batas-waktu"
    assert gap.question == "Kapan pendaftaran partai politik dibuka dan ditutup?"
    assert gap.lang == "id" and gap.channel == "test" and gap.person_id is not None


def test_still_need_help_after_a_typed_question_records_that_question(
    chat: Chat, sessions: Callable[[], Session]
) -> None:
    chat.send("pendaftaran parpol tutup jam brp ya")
    assert "<b>Kapan pendaftaran partai politik" in chat.text()
    chat.press("Masih perlu bantuan")
    (gap,) = gaps(sessions)
    assert gap.reason is GapReason.STILL_NEED_HELP
    assert gap.entry_id == "daftar-batas-waktu"
    assert gap.question == "pendaftaran parpol tutup jam brp ya"


# --- typed questions -------------------------------------------------------------------


def test_a_typed_question_is_answered_with_feedback_buttons(
    chat: Chat, sessions: Callable[[], Session]
) -> None:
    chat.send("kpn pendaftaran parpol ditutup??")
    (answer,) = chat.replies()
    assert answer.edit is None
    assert "<b>Kapan pendaftaran partai politik dibuka dan ditutup?</b>" in answer.text
    assert labels(chat)[:2] == ["✅ Ini menjawab", "🙋 Masih perlu bantuan"]
    assert outcomes(sessions)[-1] == "faq answered: daftar-batas-waktu"
    assert gaps(sessions) == []


def test_an_english_question_is_answered_in_english_without_changing_the_setting(
    chat: Chat, sessions: Callable[[], Session]
) -> None:
    chat.send("when does party registration close?")
    text = chat.text()
    assert "<b>When did party registration open and close?</b>" in text
    assert "• On the last day it closed at 23.59 WIB." in text
    assert "Kompas.com, «Batas pendaftaran», 6 August 2022" in text
    assert labels(chat)[:2] == ["✅ This answered it", "🙋 I still need help"]
    chat.press("Since when can SIPOL")
    assert "24 June 2022" in chat.text(), "a related entry keeps the answer's language"
    with sessions() as session:
        (person,) = session.exec(select(Person)).all()
        assert person.language is None and person.speaks is Language.ID
    chat.send("/menu")
    assert "Menu utama" in chat.text()


def test_an_unanswered_question_offers_the_closest_entries_and_records_a_masked_gap(
    unsure_chat: Chat, sessions: Callable[[], Session]
) -> None:
    chat = unsure_chat
    chat.send(f"kapan pendaftaran parpol ditutup? NIK saya {NIK}")
    text = chat.text()
    assert "belum yakin" in text
    assert NIK not in text
    assert "🙋 Tanya petugas" in labels(chat)
    assert labels(chat)[-2:] == ["📚 Menu FAQ", "🏠 Menu utama"]
    (gap,) = gaps(sessions)
    assert gap.reason is GapReason.UNANSWERED
    assert NIK not in gap.question and "************0001" in gap.question
    assert gap.entry_id is None and "daftar-batas-waktu" in gap.top_ids.split(",")
    assert gap.normalised and NIK not in gap.normalised
    assert outcomes(sessions)[-1] == "faq not sure"

    chat.press("Tanya petugas")
    assert "Hubungi petugas KPU" in chat.text()
    assert "catatan Anda sudah kami simpan" not in chat.text()
    assert len(gaps(sessions)) == 1, "the unanswered question is on record once"


def test_the_closest_entries_of_an_unsure_answer_open_their_answers(unsure_chat: Chat) -> None:
    chat = unsure_chat
    chat.send("when does party registration close?")
    assert "I am not sure" in chat.text()
    assert "• When did party registration open and close?" in chat.text()
    suggestions = [b for b in chat.buttons() if b.label.startswith("❓")]
    assert 1 <= len(suggestions) <= 3
    assert suggestions[0].label == "❓ When did party registration open and close?"
    assert suggestions[0].payload is not None
    chat.press_payload(suggestions[0].payload)
    assert "«Batas pendaftaran», 6 August 2022" in chat.text(), "in the question's language"
    assert chat.replies()[0].edit == "77"


def test_menu_ask_invites_a_typed_question(chat: Chat) -> None:
    chat.send("/menu")
    chat.press("Ajukan pertanyaan")
    assert "Silakan ketik pertanyaan Anda" in chat.text()
    assert chat.replies()[0].edit == "77"


@pytest.mark.parametrize("text", ["🙏🙏🙏", "???!!", "👍 🎉"])
def test_a_message_without_words_gets_a_clear_answer_and_no_gap(
    chat: Chat, sessions: Callable[[], Session], text: str
) -> None:
    chat.send(text)
    assert "belum menangkap pertanyaan" in chat.text()
    assert labels(chat) == ["📚 Menu FAQ"]
    assert gaps(sessions) == []


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Assalamualaikum, selamat pagi min", "Silakan tulis pertanyaan Anda"),
        ("mau tanya kak", "Silakan tulis pertanyaan Anda"),
        ("makasih banyak min 🙏", "Sama-sama"),
        ("ok siap", "Baik 👍"),
    ],
)
def test_a_greeting_or_thanks_is_answered_in_kind_with_the_menu_and_no_gap(
    chat: Chat, sessions: Callable[[], Session], text: str, said: str
) -> None:
    chat.send(text)
    assert said in chat.text()
    assert "belum yakin" not in chat.text()
    assert "📚 Tanya jawab (FAQ)" in labels(chat), "the main menu"
    assert gaps(sessions) == [], "small talk is no question the knowledge base failed"


def test_a_question_after_a_greeting_is_still_searched(chat: Chat) -> None:
    chat.send("halo min, kapan pendaftaran parpol ditutup?")
    assert "Silakan tulis pertanyaan Anda" not in chat.text()
    assert "23.59" in chat.text()


def test_a_very_long_message_is_read_up_to_its_first_1000_characters(
    chat: Chat, sessions: Callable[[], Session]
) -> None:
    text = "kpn pendaftaran parpol ditutup? " + "mohon dijelaskan ya " * 200
    chat.send(text)
    assert "saya hanya membaca 1.000 karakter pertama" in chat.text()
    assert f"({len(text.strip()):,} karakter)".replace(",", ".") in chat.text()
    for gap in gaps(sessions):
        assert len(gap.question) <= 1000


def test_stickers_and_files_still_get_a_clear_answer(chat: Chat) -> None:
    chat.send(attachments=(Attachment("sticker", "x"),))
    assert "stiker" in chat.text()
    chat.send("", attachments=(Attachment("photo", "y"),))
    assert "foto" in chat.text()


def test_a_question_in_a_group_is_answered_in_the_group(desk: HelpDesk) -> None:
    group = Chat(desk, chat_id="-100777", kind=ChatKind.GROUP)
    group.send("jam brp helpdesk buka?")
    (reply,) = group.replies()
    assert reply.chat.id == "-100777"
    assert "<b>Jam berapa helpdesk KPU melayani?</b>" in reply.text


# --- limits ----------------------------------------------------------------------------


def test_an_overlong_answer_is_cut_to_fit_a_telegram_message(texts: Texts) -> None:
    entry = Entry(
        id="x",
        category="jadwal/partai",
        question={"id": "Judul & <pertanyaan>", "en": "Title"},
        answer={"id": "- " + "kata & kata " * 600, "en": "short"},
        phrasings={},
        keywords=(),
        related=(),
        uncertain=True,
        valid_from=None,
        valid_until=None,
        sources=(Source(SourceKind.REGULATION, title="PKPU Nomor 4 Tahun 2022"),),
    )
    text = answer_text(texts, AnswerShown(entry, Language.ID), date(2026, 11, 23))
    assert len(text) <= faq_render.MAX_TEXT
    assert "Judul &amp; &lt;pertanyaan&gt;" in text
    assert "<i>Sumber: PKPU Nomor 4 Tahun 2022</i>" in text and "Perlu dikonfirmasi" in text


ANSWER_TAGS = frozenset({"b", "i", "a", "code"})


def check_html(text: str) -> None:
    check = TagCheck(ANSWER_TAGS)
    check.feed(text)
    assert not check.problems and not check.open, (check.problems, text[:200])
    assert 0 < len(text) <= faq_render.MAX_TEXT


def test_every_entry_of_the_shipped_knowledge_base_is_reachable_and_fits(
    shipped_kb: KnowledgeBase, sessions: Callable[[], Session], clock: ManualClock, texts: Texts
) -> None:
    """Walks the whole shipped menu: every button fits 64 bytes once signed (signing refuses
    longer ones), every message is Telegram HTML within 4096 characters."""
    desk = HelpDesk(sessions, clock, texts, Services(kb=shipped_kb))
    chat = Chat(desk)
    seen: set[str] = set()
    chat.send("/faq")
    for ci, category in enumerate(shipped_kb.categories):
        for si, _topic in enumerate(category.subcategories):
            chat.press_payload(desk.signer.sign(chat.chat_id, f"faq:s:{ci}:{si}:0"))
            while True:
                check_html(chat.text())
                for b in chat.buttons():
                    assert b.payload is not None and len(b.payload.encode()) <= 64
                entries = [b for b in chat.buttons() if b.label[:1].isdigit()]
                for b in entries:
                    assert b.payload is not None
                    seen.add(b.payload.split(":")[2].split("~")[0])
                if not any("Berikutnya" in label for label in labels(chat)):
                    break
                chat.press("Berikutnya")
    assert seen == {e.id for e in shipped_kb.entries}
    for lang in Language:
        for entry in shipped_kb.entries:
            check_html(answer_text(texts, AnswerShown(entry, lang), date(2026, 11, 23)))


def test_the_longest_faq_action_fits_telegram_callback_data() -> None:
    signer = Signer(b"k" * 32)
    longest = "faq:n:" + "x" * 32 + ":en:t"
    assert len(signer.sign("-1001234567890", longest).encode()) <= MAX_PAYLOAD_BYTES


SAMPLES: dict[str, dict[str, object]] = {
    "faq/categories": {},
    "faq/topics": {"category": "A <x> & B"},
    "faq/questions": {
        "category": "A <x>",
        "topic": "B & C",
        "questions": ["Q <y>?", "R?"],
        "first": 7,
        "page": 2,
        "pages": 3,
    },
    "faq/answer": {
        "title": "T <x>",
        "lines": [(True, "a <y>"), (False, ""), (False, "b")],
        "source": "S & <z>",
        "uncertain": True,
        "stages": [],
        "ended_on": date(2024, 12, 31),
        "starts_on": None,
        "cut": 4000,
    },
    "faq/not_sure": {"suggestions": ["Q <x>"], "cut": 1200},
    "faq/no_words": {},
    "faq/ask_prompt": {},
    "faq/reach_officer": {"recorded": True},
}


@pytest.mark.parametrize("lang", list(Language))
def test_every_faq_message_renders_as_telegram_html(texts: Texts, lang: Language) -> None:
    names = {n for n in texts.names(lang) if n.startswith("faq/")}
    assert names == set(SAMPLES)
    for name, context in SAMPLES.items():
        rendered = texts.render(lang, name, **context)
        check_html(rendered)
        assert "<x>" not in rendered and "<y>" not in rendered and "<z>" not in rendered
