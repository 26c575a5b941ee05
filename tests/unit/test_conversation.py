"""The core's conversation with a liaison, through the neutral port, on a real database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from handlers import routes
from handlers.context import Context
from handlers.helpdesk import HelpDesk
from handlers.port import Attachment, Membership, Outcome, Reply
from handlers.texts import Texts
from models import Chat as ChatRow
from models import ChatKind, Interaction, InteractionKind, Language, ManualClock, Person
from models.refusals import Refusal as DomainError
from tests.chat import Chat


def people(sessions: Callable[[], Session]) -> list[Person]:
    with sessions() as session:
        return list(session.exec(select(Person)).all())


def records(sessions: Callable[[], Session]) -> list[Interaction]:
    with sessions() as session:
        return list(session.exec(select(Interaction).order_by(Interaction.id)).all())


def test_a_newcomer_is_asked_for_a_language_then_gets_the_menu(helpdesk: HelpDesk) -> None:
    chat = Chat(helpdesk)
    chat.send("/start")
    assert "pilih bahasa" in chat.text().lower()
    chat.press("English")
    assert [t.text for t in chat.toasts()] == ["Language saved."]
    (reply,) = chat.replies()
    assert reply.edit == "77", "the language question is replaced by the menu"
    assert "Choose from the menu" in reply.text
    labels = [b.label for b in chat.buttons()]
    assert labels == [
        "📚 FAQ",
        "✍️ Ask a question",
        "🎫 My tickets",
        "📅 Stage calendar",
        "⚙️ Settings",
    ]


def test_the_chosen_language_is_remembered_after_a_restart(
    helpdesk: HelpDesk, sessions: Callable[[], Session], clock: ManualClock
) -> None:
    chat = Chat(helpdesk, language="id")
    chat.send("/start")
    chat.press("English")
    restarted = HelpDesk(sessions, clock, Texts())
    again = Chat(restarted, language="id")
    again.send("/start")
    assert "Choose from the menu" in again.text(), "no second language question"
    assert [p.language for p in people(sessions)] == [Language.EN]


def test_the_app_language_is_used_until_one_is_chosen(helpdesk: HelpDesk) -> None:
    chat = Chat(helpdesk, language="en-GB")
    chat.send("/help")
    assert "<b>Help</b>" in chat.text()
    chat = Chat(helpdesk, person_id="5002", chat_id="5002", language=None)
    chat.send("/help")
    assert "<b>Bantuan</b>" in chat.text()


@pytest.mark.parametrize("entry", ["Tanya jawab", "Ajukan"])
def test_without_a_knowledge_base_the_faq_entries_say_so_politely(
    helpdesk: HelpDesk, entry: str
) -> None:
    chat = Chat(helpdesk)
    chat.send("/start")
    chat.press("Indonesia")
    chat.press(entry)
    assert chat.toasts(), "the pressed button gets a short notice"
    assert "sedang disiapkan" in chat.text()
    assert chat.button("Menu utama")
    chat.press("Menu utama")
    assert "Menu utama" in chat.text()


def test_settings_changes_the_language(helpdesk: HelpDesk, sessions: Callable[[], Session]) -> None:
    chat = Chat(helpdesk)
    chat.send("/start")
    chat.press("Indonesia")
    chat.press("Pengaturan")
    assert "Bahasa saat ini: <b>Bahasa Indonesia</b>" in chat.text()
    chat.press("English")
    assert "Choose from the menu" in chat.text()
    assert people(sessions)[0].language is Language.EN


def test_a_forged_button_is_refused_and_changes_nothing(
    helpdesk: HelpDesk, sessions: Callable[[], Session]
) -> None:
    chat = Chat(helpdesk)
    chat.send("/start")
    genuine = chat.button("English").payload
    assert genuine is not None
    forged = genuine.replace("lang:en", "lang:id")
    chat.press_payload(forged)
    assert [t.text for t in chat.toasts()] == [
        "Tombol ini sudah tidak berlaku. Ketik /menu untuk membuka menu."
    ]
    assert chat.replies() == []
    chat.press_payload("lang:en:menu")
    assert chat.replies() == []
    assert people(sessions)[0].language is None
    assert records(sessions)[-1].outcome == "button refused"


def test_a_button_copied_to_another_chat_is_refused(helpdesk: HelpDesk) -> None:
    mine = Chat(helpdesk)
    mine.send("/start")
    payload = mine.button("English").payload
    assert payload is not None
    other = Chat(helpdesk, chat_id="6001", person_id="6001")
    other.press_payload(payload)
    assert other.replies() == [] and other.toasts()


def test_an_unknown_command_points_to_help(helpdesk: HelpDesk) -> None:
    chat = Chat(helpdesk)
    chat.send("/daftar_ulang@kpu_helpdesk_bot sekarang")
    assert "<code>/daftar_ulang</code> tidak dikenal" in chat.text()


def test_a_sticker_gets_a_clear_answer(helpdesk: HelpDesk, sessions: Callable[[], Session]) -> None:
    chat = Chat(helpdesk)
    chat.send(None, attachments=(Attachment("sticker", "CAAC"),))
    assert "stiker" in chat.text() and "hanya bisa membaca teks" in chat.text()
    assert records(sessions)[-1].kind is InteractionKind.ATTACHMENT


def test_a_very_long_message_is_answered_and_kept_whole(
    helpdesk: HelpDesk, sessions: Callable[[], Session]
) -> None:
    text = ("Mohon info tahapan verifikasi faktual untuk DPC kami. " * 200)[:10_000]
    chat = Chat(helpdesk)
    chat.send(text)
    assert "10.000 karakter" in chat.text()
    assert all(len(r.text) <= 4096 for r in chat.replies())
    assert records(sessions)[-1].content == text.strip()


def test_user_text_is_escaped_in_replies(helpdesk: HelpDesk) -> None:
    chat = Chat(helpdesk, name="<b>Budi</b> & co")
    chat.send("/start")
    assert "&lt;b&gt;Budi&lt;/b&gt; &amp; co" in chat.text()


def test_every_event_is_recorded_with_personal_numbers_masked(
    helpdesk: HelpDesk, sessions: Callable[[], Session]
) -> None:
    chat = Chat(helpdesk)
    chat.send("/start")
    chat.press("English")
    chat.send("NIK saya 3402 1234 5678 0001, hp 0812-3456-7890")
    rows = records(sessions)
    assert [r.kind for r in rows] == [
        InteractionKind.COMMAND,
        InteractionKind.BUTTON,
        InteractionKind.TEXT,
    ]
    assert rows[1].outcome == "language en"
    assert rows[2].content == "NIK saya ************0001, hp ********7890"
    assert all(r.person_id == rows[0].person_id and r.chat_id for r in rows)


def test_blocking_the_bot_marks_the_person_unreachable_until_they_return(
    helpdesk: HelpDesk, sessions: Callable[[], Session]
) -> None:
    chat = Chat(helpdesk)
    chat.send("/start")
    assert chat.membership(Membership.BLOCKED) == []
    assert people(sessions)[0].reachable is False
    chat.send("/start")
    assert people(sessions)[0].reachable is True


def test_being_added_to_a_group_greets_it_and_removal_is_remembered(
    helpdesk: HelpDesk, sessions: Callable[[], Session]
) -> None:
    group = Chat(helpdesk, chat_id="-100777", kind=ChatKind.GROUP)
    group.membership(Membership.JOINED)
    assert "hanya menanggapi perintah" in group.text()
    group.membership(Membership.LEFT)
    with sessions() as session:
        row = session.exec(select(ChatRow)).one()
    assert (row.member, row.reachable, row.kind) == (False, False, ChatKind.GROUP)


def test_a_refusal_by_a_rule_is_a_polite_reply_and_undoes_its_writes(
    helpdesk: HelpDesk, sessions: Callable[[], Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuses(ctx: Context, arg: str) -> Outcome:
        ctx.person.display_name = "changed"
        raise DomainError("unknown_command", command="x")

    monkeypatch.setitem(routes.COMMANDS, "menu", refuses)
    chat = Chat(helpdesk)
    chat.send("/menu")
    assert "tidak dikenal" in chat.text()
    assert people(sessions)[0].display_name == "Siti Rahma"
    assert records(sessions)[-1].outcome == "refused: unknown_command"


def test_an_unexpected_failure_writes_nothing_and_the_apology_is_in_the_persons_language(
    helpdesk: HelpDesk, sessions: Callable[[], Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = Chat(helpdesk, language="id")
    chat.send("/start")
    chat.press("English")
    before = len(records(sessions))

    def breaks(ctx: Context, arg: str) -> Outcome:
        raise RuntimeError("boom")

    monkeypatch.setitem(routes.COMMANDS, "menu", breaks)
    with pytest.raises(RuntimeError):
        chat.send("/menu")
    assert len(records(sessions)) == before
    (apology,) = helpdesk.apology(chat_event(chat))
    assert isinstance(apology, Reply) and apology.text.startswith("Sorry")


def chat_event(chat: Chat):  # type: ignore[no-untyped-def]
    from handlers.port import Event

    return Event(channel="test", chat=chat.ref, sender=chat.sender, text="/menu")


def test_commands_are_offered_in_both_languages(helpdesk: HelpDesk) -> None:
    indonesian = helpdesk.commands(Language.ID)
    english = helpdesk.commands(Language.EN)
    assert (
        [c.name for c in indonesian]
        == [c.name for c in english]
        == ["start", "menu", "faq", "tanya", "tiket", "jadwal", "help", "language"]
    )
    assert indonesian[0].description != english[0].description


def test_an_undeliverable_chat_is_marked_unreachable(
    helpdesk: HelpDesk, sessions: Callable[[], Session]
) -> None:
    chat = Chat(helpdesk)
    chat.send("/start")
    helpdesk.chat_unreachable("test", chat.chat_id, "Forbidden: bot was blocked by the user")
    with sessions() as session:
        row = session.exec(select(ChatRow)).one()
    assert row.reachable is False and row.unreachable_reason == (
        "Forbidden: bot was blocked by the user"
    )
    assert people(sessions)[0].reachable is False


def test_speaking_in_a_group_does_not_undo_a_private_block(
    helpdesk: HelpDesk, sessions: Callable[[], Session]
) -> None:
    private = Chat(helpdesk)
    private.send("/start")
    private.membership(Membership.BLOCKED)
    Chat(helpdesk, chat_id="-100777", kind=ChatKind.GROUP).send("/help")
    assert people(sessions)[0].reachable is False
