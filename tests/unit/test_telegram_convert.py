"""Telegram updates as neutral events, and replies cut to Telegram's sizes."""

from __future__ import annotations

from typing import Any

from aiogram.types import ChatMemberUpdated, Message

from bot.transports.telegram.convert import addressed_text, membership_event, message_event
from bot.transports.telegram.sender import TEXT_LIMIT, split_plain, utf16_len
from handlers.port import Membership
from models import ChatKind
from tests.fake_botapi.builders import chat_member

BOT_ID, BOT = 999, "kpu_helpdesk_bot"


def message(
    text: str,
    *,
    chat_type: str = "supergroup",
    entities: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> Message:
    data: dict[str, Any] = {
        "message_id": 7,
        "date": 1_700_000_000,
        "text": text,
        "chat": {"id": -100, "type": chat_type, "title": "LO DIY"},
        "from": {"id": 5001, "is_bot": False, "first_name": "Siti", "language_code": "id"},
        "entities": entities or [],
    } | extra
    return Message.model_validate(data)


def test_a_mention_after_an_emoji_is_found_and_taken_out() -> None:
    text = "🙏🏻 @kpu_helpdesk_bot kapan verfak?"
    offset = utf16_len("🙏🏻 ")
    entities = [{"type": "mention", "offset": offset, "length": len("@kpu_helpdesk_bot")}]
    assert addressed_text(message(text, entities=entities), BOT, BOT_ID) == "🙏🏻  kapan verfak?"


def test_group_chatter_and_other_bots_commands_are_ignored() -> None:
    assert addressed_text(message("halo semua"), BOT, BOT_ID) is None
    command = [{"type": "bot_command", "offset": 0, "length": len("/start@other_bot")}]
    assert addressed_text(message("/start@other_bot", entities=command), BOT, BOT_ID) is None
    mine = [{"type": "bot_command", "offset": 0, "length": len("/start@KPU_Helpdesk_Bot")}]
    assert addressed_text(message("/start@KPU_Helpdesk_Bot", entities=mine), BOT, BOT_ID)


def test_a_topic_message_is_not_mistaken_for_a_reply_to_the_bot() -> None:
    opener = {
        "message_id": 42,
        "date": 1_700_000_000,
        "chat": {"id": -100, "type": "supergroup"},
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Helpdesk"},
    }
    in_topic = message(
        "ini catatan", message_thread_id=42, is_topic_message=True, reply_to_message=opener
    )
    assert addressed_text(in_topic, BOT, BOT_ID) is None
    real_reply = message("terima kasih", reply_to_message=opener | {"message_id": 50})
    assert addressed_text(real_reply, BOT, BOT_ID) == "terima kasih"


def test_a_private_message_becomes_an_event_with_its_sender() -> None:
    event = message_event(message("halo", chat_type="private"), 11, BOT, BOT_ID)
    assert event is not None
    assert event.chat.kind is ChatKind.PRIVATE and event.sender.id == "5001"
    assert (event.text, event.update_id, event.ref) == ("halo", "11", "7")


def test_service_messages_are_not_events() -> None:
    joined = message("", chat_type="private")
    assert message_event(joined, 1, BOT, BOT_ID) is None


def membership(old: str, new: str, chat_type: str) -> ChatMemberUpdated:
    bot_user = {"id": BOT_ID, "is_bot": True, "first_name": "Helpdesk"}
    return ChatMemberUpdated.model_validate(
        {
            "chat": {"id": 5001 if chat_type == "private" else -100, "type": chat_type},
            "from": {"id": 5001, "is_bot": False, "first_name": "Siti"},
            "date": 1_700_000_000,
            "old_chat_member": {"status": old, "user": bot_user}
            | ({"until_date": 0} if old == "kicked" else {}),
            "new_chat_member": {"status": new, "user": bot_user}
            | ({"until_date": 0} if new == "kicked" else {}),
        }
    )


def test_membership_changes_are_named() -> None:
    cases = [
        ("member", "kicked", "private", Membership.BLOCKED),
        ("kicked", "member", "private", Membership.UNBLOCKED),
        ("left", "member", "supergroup", Membership.JOINED),
        ("member", "left", "group", Membership.LEFT),
    ]
    for old, new, chat_type, expected in cases:
        event = membership_event(membership(old, new, chat_type), 1)
        assert event is not None and event.membership is expected
    assert membership_event(membership("kicked", "left", "supergroup"), 1) is None


def test_the_bot_losing_or_regaining_its_rights_in_a_forum_is_named() -> None:
    bot_user = {"id": BOT_ID, "is_bot": True, "first_name": "Helpdesk"}

    def change(old: str, new: str) -> Membership | None:
        update = ChatMemberUpdated.model_validate(
            {
                "chat": {"id": -100, "type": "supergroup", "is_forum": True},
                "from": {"id": 5001, "is_bot": False, "first_name": "Siti"},
                "date": 1_700_000_000,
                "old_chat_member": chat_member(old, bot_user),
                "new_chat_member": chat_member(new, bot_user),
            }
        )
        event = membership_event(update, 1)
        return event.membership if event is not None else None

    assert change("administrator", "member") is Membership.RIGHTS_LOST
    assert change("administrator", "restricted") is Membership.RIGHTS_LOST
    assert change("member", "administrator") is Membership.RIGHTS_BACK
    assert change("member", "restricted") is None


def test_long_text_is_cut_at_line_ends_within_telegrams_limit() -> None:
    text = "\n".join(f"baris {i} " + "📅" * 30 for i in range(400))
    parts = split_plain(text)
    assert len(parts) > 1
    assert all(utf16_len(p) <= TEXT_LIMIT for p in parts)
    assert "\n".join(parts) == text


def test_a_single_overlong_line_is_cut_too() -> None:
    parts = split_plain("x" * 10_000)
    assert [len(p) for p in parts] == [4096, 4096, 1808]
