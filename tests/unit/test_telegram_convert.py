"""Telegram updates as neutral events, and replies cut to Telegram's sizes. The updates
are decoded by each runtime's library (aiogram, python-telegram-bot): the conversion
reads both the same way."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from bot.settings import load_settings
from bot.transports.telegram.convert import addressed_text, membership_event, message_event
from bot.transports.telegram.runtimes import RUNTIMES, make_api
from bot.transports.telegram.sender import TEXT_LIMIT, split_plain, utf16_len
from handlers.port import Membership
from models import ChatKind
from tests.fake_botapi.builders import chat_member

BOT_ID, BOT = 999, "kpu_helpdesk_bot"

Decode = Callable[[str, dict[str, Any]], Any]
Make = Callable[..., Any]


@pytest.fixture(params=RUNTIMES)
def decode(request: pytest.FixtureRequest) -> Decode:
    """One field of an update, decoded by the runtime's library as the inbox decodes it."""
    settings = load_settings(
        env_file=None, telegram_bot_token="1:test", telegram_runtime=request.param
    )
    api = make_api(settings)

    def field(name: str, data: dict[str, Any]) -> Any:
        return getattr(api.decode(json.dumps({"update_id": 1, name: data})), name)

    return field


@pytest.fixture
def message(decode: Decode) -> Make:
    """A message in a group (or ``chat_type``), as the runtime's library reads it."""

    def make(
        text: str,
        *,
        chat_type: str = "supergroup",
        entities: list[dict[str, Any]] | None = None,
        **extra: Any,
    ) -> Any:
        return decode("message", _message_data(text, chat_type, entities or [], extra))

    return make


def _message_data(
    text: str, chat_type: str, entities: list[dict[str, Any]], extra: dict[str, Any]
) -> dict[str, Any]:
    return {
        "message_id": 7,
        "date": 1_700_000_000,
        "text": text,
        "chat": {"id": -100, "type": chat_type, "title": "LO DIY"},
        "from": {"id": 5001, "is_bot": False, "first_name": "Siti", "language_code": "id"},
        "entities": entities,
    } | extra


def test_a_mention_after_an_emoji_is_found_and_taken_out(message: Make) -> None:
    text = "🙏🏻 @kpu_helpdesk_bot kapan verfak?"
    offset = utf16_len("🙏🏻 ")
    entities = [{"type": "mention", "offset": offset, "length": len("@kpu_helpdesk_bot")}]
    assert addressed_text(message(text, entities=entities), BOT, BOT_ID) == "🙏🏻  kapan verfak?"


def test_group_chatter_and_other_bots_commands_are_ignored(message: Make) -> None:
    assert addressed_text(message("halo semua"), BOT, BOT_ID) is None
    command = [{"type": "bot_command", "offset": 0, "length": len("/start@other_bot")}]
    assert addressed_text(message("/start@other_bot", entities=command), BOT, BOT_ID) is None
    mine = [{"type": "bot_command", "offset": 0, "length": len("/start@KPU_Helpdesk_Bot")}]
    assert addressed_text(message("/start@KPU_Helpdesk_Bot", entities=mine), BOT, BOT_ID)


def test_a_topic_message_is_not_mistaken_for_a_reply_to_the_bot(message: Make) -> None:
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


def test_a_private_message_becomes_an_event_with_its_sender(message: Make) -> None:
    event = message_event(message("halo", chat_type="private"), 11, BOT, BOT_ID)
    assert event is not None
    assert event.chat.kind is ChatKind.PRIVATE and event.sender.id == "5001"
    assert (event.text, event.update_id, event.ref) == ("halo", "11", "7")


def test_service_messages_are_not_events(message: Make) -> None:
    joined = message("", chat_type="private")
    assert message_event(joined, 1, BOT, BOT_ID) is None


@pytest.fixture
def membership(decode: Decode) -> Make:
    """The bot's own membership changing from ``old`` to ``new`` in a chat."""

    def make(old: str, new: str, chat_type: str) -> Any:
        return decode("my_chat_member", _membership_data(old, new, chat_type))

    return make


def _membership_data(old: str, new: str, chat_type: str) -> dict[str, Any]:
    bot_user = {"id": BOT_ID, "is_bot": True, "first_name": "Helpdesk"}
    return {
        "chat": {"id": 5001 if chat_type == "private" else -100, "type": chat_type},
        "from": {"id": 5001, "is_bot": False, "first_name": "Siti"},
        "date": 1_700_000_000,
        "old_chat_member": {"status": old, "user": bot_user}
        | ({"until_date": 0} if old == "kicked" else {}),
        "new_chat_member": {"status": new, "user": bot_user}
        | ({"until_date": 0} if new == "kicked" else {}),
    }


def test_membership_changes_are_named(membership: Make) -> None:
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


def test_the_bot_losing_or_regaining_its_rights_in_a_forum_is_named(decode: Decode) -> None:
    bot_user = {"id": BOT_ID, "is_bot": True, "first_name": "Helpdesk"}

    def change(old: str, new: str) -> Membership | None:
        update = decode(
            "my_chat_member",
            {
                "chat": {"id": -100, "type": "supergroup", "is_forum": True},
                "from": {"id": 5001, "is_bot": False, "first_name": "Siti"},
                "date": 1_700_000_000,
                "old_chat_member": chat_member(old, bot_user),
                "new_chat_member": chat_member(new, bot_user),
            },
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
