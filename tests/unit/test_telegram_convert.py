"""Telegram updates as neutral events, and replies cut to Telegram's sizes. The updates
are decoded by each runtime's library (aiogram, python-telegram-bot): the conversion
reads both the same way."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from bot.settings import load_settings
from bot.transports.telegram.convert import (
    addressed_text,
    decoded,
    membership_event,
    message_event,
)
from bot.transports.telegram.raw import raw_update
from bot.transports.telegram.runtimes import RUNTIMES, make_api
from bot.transports.telegram.sender import TEXT_LIMIT, split_plain, utf16_len
from handlers.port import Membership
from models import ChatKind
from tests.fake_botapi.builders import chat_member

BOT_ID, BOT = 999, "kpu_helpdesk_bot"

Decode = Callable[[str, dict[str, Any]], Any]
Make = Callable[..., Any]


@pytest.fixture(params=[*RUNTIMES, "raw"])
def decode(request: pytest.FixtureRequest) -> Decode:
    """One field of an update, decoded by a runtime's library, or read from its JSON as
    the inbox reads it (``raw``): the conversion reads all of them the same way."""
    if request.param == "raw":
        return lambda name, data: getattr(
            raw_update(json.dumps({"update_id": 1, name: data})), name
        )
    api = _api(request.param)

    def field(name: str, data: dict[str, Any]) -> Any:
        return getattr(api.decode(json.dumps({"update_id": 1, name: data})), name)

    return field


def _api(runtime: str) -> Any:
    settings = load_settings(env_file=None, telegram_bot_token="1:test", telegram_runtime=runtime)
    return make_api(settings)


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


def _updates() -> list[dict[str, Any]]:
    """Updates of every kind the inbox handles, with the fields the conversion reads."""
    siti = {"id": 5001, "is_bot": False, "first_name": "Siti", "last_name": "A", "username": "siti"}
    private = {"id": 5001, "type": "private", "first_name": "Siti", "last_name": "A"}
    forum = {"id": -100, "type": "supergroup", "title": "LO DIY", "is_forum": True}
    base = {"message_id": 7, "date": 1_700_000_000, "from": siti | {"language_code": "id"}}
    opener = {"message_id": 42, "date": 1_700_000_000, "chat": forum}
    opener["from"] = {"id": BOT_ID, "is_bot": True, "first_name": "Helpdesk"}
    keyboard = {"inline_keyboard": [[{"text": "Menu", "callback_data": "x" * 40}]]}
    photo = [
        {"file_id": f"p{n}", "file_unique_id": f"u{n}", "width": n, "height": n} for n in (1, 2)
    ]
    document = {"file_id": "d", "file_unique_id": "du", "file_name": "a.pdf", "file_size": 9}
    messages = [
        base | {"chat": private, "text": "halo"},
        base | {"chat": private, "caption": "ini", "photo": photo},
        base | {"chat": private, "document": document},
        base | {"chat": private, "sticker": _sticker()},
        base | {"chat": private, "location": {"latitude": 1.0, "longitude": 2.0}},
        base
        | {"chat": forum, "text": "ini catatan", "message_thread_id": 42}
        | {"is_topic_message": True, "reply_to_message": opener},
        base
        | {"chat": forum, "text": "terima kasih", "reply_to_message": opener | {"message_id": 9}},
        base
        | {"chat": forum, "text": "/start@kpu_helpdesk_bot x"}
        | {"entities": [{"type": "bot_command", "offset": 0, "length": 23}]},
        base | {"chat": forum, "text": "halo semua"},
        base | {"chat": {"id": -5, "type": "group", "title": "G"}, "migrate_to_chat_id": -1005},
        base | {"chat": private, "new_chat_title": "x"},
    ]
    shown = {"message_id": 8, "date": 1_700_000_000, "chat": private, "text": "Jawab"}
    shown |= {"from": opener["from"], "reply_markup": keyboard}
    queries = [
        {"id": "q1", "chat_instance": "c", "from": siti, "data": "x" * 40, "message": shown},
        {"id": "q2", "chat_instance": "c", "from": siti, "data": "y", "message": shown | opener}
        | {"message": {"message_id": 3, "date": 0, "chat": private}},
        {"id": "q3", "chat_instance": "c", "from": siti, "inline_message_id": "i", "data": "z"},
    ]
    member = {"id": BOT_ID, "is_bot": True, "first_name": "Helpdesk"}
    changes = [
        _membership_data("member", "kicked", "private"),
        _membership_data("left", "member", "supergroup"),
        {"chat": forum, "from": siti, "date": 1_700_000_000}
        | {"old_chat_member": chat_member("administrator", member)}
        | {"new_chat_member": chat_member("member", member)},
    ]
    return (
        [{"message": m} for m in messages]
        + [{"edited_message": m | {"edit_date": 1_700_000_001}} for m in messages[:2]]
        + [{"callback_query": q} for q in queries]
        + [{"my_chat_member": c} for c in changes]
    )


def _sticker() -> dict[str, Any]:
    size = {"width": 1, "height": 1, "is_animated": False, "is_video": False}
    return {"file_id": "s", "file_unique_id": "su", "type": "regular"} | size


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_an_update_read_from_its_json_is_the_event_its_library_decodes(runtime: str) -> None:
    api = _api(runtime)
    for number, update in enumerate(_updates(), start=1):
        payload = json.dumps({"update_id": number} | update)
        library = decoded(api.decode(payload), BOT, BOT_ID)
        assert decoded(raw_update(payload), BOT, BOT_ID) == library, update
    # the samples are events of every kind; only three are for the conversion to ignore
    # (group chatter, a service message, a button under an inline-mode message)
    read = [decoded(raw_update(json.dumps(u | {"update_id": 1})), BOT, BOT_ID) for u in _updates()]
    assert sum(d.event is None for d in read) == 3
