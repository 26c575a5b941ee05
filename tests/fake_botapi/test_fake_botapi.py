"""Tests of the fake Bot API server itself, mostly through the real aiogram transport."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BufferedInputFile,
    InaccessibleMessage,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageId,
    Update,
)
from aiohttp import web

from . import errors
from .html_check import HtmlParseError, parse_html
from .limits import RateLimiter, TelegramLimits
from .plugin import fake_botapi, format_violations
from .server import FakeBotAPI
from .spec import check_call, load_spec
from .updates import SECRET_HEADER

pytest_plugins = ["pytester"]

__all__ = ["fake_botapi"]  # the plugin's fixture, used here as the project will use it

USER = 424242
GROUP = -1001234567890
KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="Buka tiket", callback_data="ticket:open:1")]]
)
#: Required by aiogram 3.31 but not part of Bot API 10.1 (see builders.chat_member).
AIOGRAM_EXTRA_FIELDS = {"can_send_welcome_messages"}


class PlainHttpSession(AiohttpSession):
    """aiogram's session without the 250 ms pause ``close`` makes for TLS shutdown.

    The fake speaks plain HTTP, so there is nothing to wait for; this keeps the tests fast.
    """

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def make_bot(fake: FakeBotAPI) -> Bot:
    session = PlainHttpSession(api=TelegramAPIServer.from_base(fake.base_url))
    return Bot(fake.token, session=session)


@pytest_asyncio.fixture
async def bot(fake_botapi: FakeBotAPI) -> AsyncIterator[Bot]:
    client = make_bot(fake_botapi)
    yield client
    await client.session.close()


@pytest_asyncio.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def raw_call(
    http: aiohttp.ClientSession,
    fake: FakeBotAPI,
    method: str,
    *,
    token: str | None = None,
    http_method: str = "POST",
    **kwargs: Any,
) -> tuple[int, dict[str, Any]]:
    url = f"{fake.base_url}/bot{token or fake.token}/{method}"
    async with http.request(http_method, url, **kwargs) as response:
        return response.status, await response.json()


def spec_problems(type_expr: str, value: Any) -> list[str]:
    return [
        str(v)
        for v in load_spec().check_object(type_expr, value)
        if not (v.kind == "unknown_field" and v.detail.split("'")[1] in AIOGRAM_EXTRA_FIELDS)
    ]


# -- the vendored spec and the checker --------------------------------------------------------


def test_vendored_spec_is_identical_to_shared_copy() -> None:
    vendored = Path(__file__).with_name("botapi.json")
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "telegram" / "botapi.json"
    if not shared.exists():
        pytest.skip(f"no shared spec at {shared} to compare the vendored copy with")
    assert vendored.read_bytes() == shared.read_bytes(), (
        f"{vendored} differs from {shared}; copy the shared file over the vendored one"
    )


def test_check_call_reports_each_kind_of_violation() -> None:
    keyboard = '{"inline_keyboard": [[{"text": "a", "callback": "x"}], [{"text": 5, "url": "u"}]]}'
    assert check_call("sendMessage", {"chat_id": "42", "text": "hi", "reply_markup": keyboard}) == [
        "sendMessage: reply_markup.inline_keyboard[0][0]: unknown field 'callback'",
        "sendMessage: reply_markup.inline_keyboard[1][0].text: expected String, got int 5",
    ]
    assert check_call("SENDMESSAGE", {"text": "hi", "colour": 1}) == [
        "sendMessage: missing required field 'chat_id'",
        "sendMessage: unknown field 'colour'",
    ]
    assert check_call("sendMesage", {}) == ["sendMesage: unknown method (Bot API 10.1)"]
    assert check_call("getUpdates", {"offset": "5", "timeout": "soon"}) == [
        "getUpdates: timeout: expected Integer, got String 'soon'"
    ]


def test_check_call_handles_unions_files_and_arrays() -> None:
    scope = {"type": "chat", "chat_id": GROUP}
    commands = [{"command": "start", "description": "Mulai"}]
    assert check_call("setMyCommands", {"commands": commands, "scope": scope}) == []
    assert check_call("setMyCommands", {"commands": commands, "scope": {"type": "chat"}}) == [
        "setMyCommands: scope: missing required field 'chat_id'"
    ]
    [wrong_scope] = check_call("setMyCommands", {"commands": commands, "scope": {"type": "room"}})
    assert wrong_scope.startswith("setMyCommands: scope.type: 'room' is not one of 'default'")
    assert check_call("sendPhoto", {"chat_id": 1, "photo": "attach://file0"}) == []
    assert check_call("sendPhoto", {"chat_id": 1, "photo": "AgACAgIAAxkBAAI"}) == []
    assert check_call("setWebhook", {"url": "https://x.test", "certificate": "not-a-file"}) == [
        "setWebhook: certificate: expected InputFile, got String 'not-a-file'"
    ]
    assert check_call("deleteMessages", {"chat_id": 1, "message_ids": [1, "two"]}) == [
        "deleteMessages: message_ids[1]: expected Integer, got String 'two'"
    ]


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("<b>bold</i>", 'Unmatched end tag at byte offset 7, expected "</b>", found "</i>"'),
        ("line<br>break", 'Unsupported start tag "br" at byte offset 4'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("close</b>", "Unexpected end tag at byte offset 5"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("Q&A", 'Unescaped "&" at byte offset 1'),
    ],
)
def test_html_parser_refuses_what_telegram_refuses(source: str, reason: str) -> None:
    with pytest.raises(HtmlParseError) as refused:
        parse_html(source)
    assert str(refused.value).startswith(reason)


def test_html_parser_yields_text_and_utf16_entities() -> None:
    parsed = parse_html(
        '😀 <b>Tiket</b> &amp; <a href="https://kpu.go.id/?a=1&amp;b=2">tautan</a>'
        '<pre><code class="language-python">x</code></pre><blockquote expandable>q</blockquote>'
    )
    assert parsed.text == "😀 Tiket & tautanxq"
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 5},
        {"type": "text_link", "offset": 11, "length": 6, "url": "https://kpu.go.id/?a=1&b=2"},
        {"type": "pre", "offset": 17, "length": 1, "language": "python"},
        {"type": "expandable_blockquote", "offset": 18, "length": 1},
    ]


def test_rate_limiter_uses_buckets_and_a_minute_window() -> None:
    now = [0.0]
    limiter = RateLimiter(TelegramLimits(), clock=lambda: now[0])
    assert [limiter.acquire(USER, private=True) for _ in range(3)] == [None, None, None]
    assert limiter.acquire(USER, private=True) == 1
    now[0] = 1.0
    assert limiter.acquire(USER, private=True) is None
    assert [limiter.acquire(GROUP, private=False) for _ in range(20)] == [None] * 20
    now[0] = 31.0
    assert limiter.acquire(GROUP, private=False) == 30
    now[0] = 61.0
    assert limiter.acquire(GROUP, private=False) is None


def test_strict_limiter_refuses_the_thirty_first_message_of_any_second() -> None:
    now = [0.0]
    limiter = RateLimiter(TelegramLimits(strict=True), clock=lambda: now[0])
    chats = iter(range(1, 1000))
    for n in range(30):
        now[0] = 0.5 + n * 0.01  # thirty within 0.3 s
        assert limiter.acquire(next(chats), private=True) is None
    now[0] = 1.4  # the first of them left 0.9 s ago: still in this second
    assert limiter.acquire(next(chats), private=True) == 1
    now[0] = 1.5  # the first is exactly one second old: out of the window
    assert limiter.acquire(next(chats), private=True) is None
    assert limiter.acquire(next(chats), private=True) == 1


# -- calls through aiogram ---------------------------------------------------------------------


async def test_send_message_with_inline_keyboard(fake_botapi: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(
        USER, "<b>Halo</b> &amp; selamat datang", parse_mode="HTML", reply_markup=KEYBOARD
    )
    assert isinstance(sent, Message)
    assert sent.text == "Halo & selamat datang"
    assert sent.entities is not None and sent.entities[0].type == "bold"
    assert sent.from_user is not None and sent.from_user.username == "kpu_helpdesk_test_bot"
    assert sent.chat.id == USER and sent.chat.type == "private"
    assert sent.reply_markup is not None
    assert sent.reply_markup.model_dump() == KEYBOARD.model_dump()
    call = await fake_botapi.wait_for_call("sendMessage")
    assert call.params["chat_id"] == USER
    assert call.params["reply_markup"] == KEYBOARD.model_dump(exclude_none=True)
    assert fake_botapi.messages(USER)[0]["text"] == "Halo & selamat datang"
    assert (await bot.send_message(USER, "lagi")).message_id == sent.message_id + 1
    assert fake_botapi.violations == []


async def test_every_result_matches_the_spec(fake_botapi: FakeBotAPI, bot: Bot) -> None:
    await bot.get_me()
    topic = await bot.create_forum_topic(GROUP, "Tiket #1")
    sent = await bot.send_message(GROUP, "x", message_thread_id=topic.message_thread_id)
    await bot.edit_message_text("y", chat_id=GROUP, message_id=sent.message_id)
    photo = await bot.send_photo(USER, BufferedInputFile(b"\x89PNG", "a.png"), caption="foto")
    await bot.send_document(USER, BufferedInputFile(b"%PDF", "surat.pdf"))
    await bot.copy_message(GROUP, USER, photo.message_id)
    await bot.forward_message(GROUP, USER, photo.message_id)
    await bot.get_chat(GROUP)
    await bot.get_chat_member(GROUP, fake_botapi.bot_user["id"])
    await bot.get_webhook_info()
    await bot.get_updates()
    problems = [
        str(v)
        for call in fake_botapi.calls
        for v in fake_botapi.spec.check_result(call.method, call.result)
        if v.kind != "unknown_field" or v.detail.split("'")[1] not in AIOGRAM_EXTRA_FIELDS
    ]
    assert problems == []
    assert all(call.ok for call in fake_botapi.calls)


async def test_raw_calls_record_violations(http: aiohttp.ClientSession) -> None:
    async with FakeBotAPI() as fake:
        status, body = await raw_call(
            http, fake, "sendMessage", json={"chat_id": USER, "text": "x", "colour": "red"}
        )
        assert (status, body["ok"]) == (200, True)
        assert fake.violations == ["sendMessage: unknown field 'colour'"]

        fake.violations.clear()
        status, body = await raw_call(http, fake, "sendMessage", data={"text": "x"})
        assert (status, body["description"]) == (400, "Bad Request: chat_id is empty")
        assert fake.violations == ["sendMessage: missing required field 'chat_id'"]

        fake.violations.clear()
        status, body = await raw_call(http, fake, "sendMesage", json={})
        assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
        assert fake.violations == ["sendMesage: unknown method (Bot API 10.1)"]

        fake.violations.clear()
        markup = '{"inline_keyboard": [[{"text": "a"}, {"callback_data": "b"}]]}'
        status, body = await raw_call(
            http, fake, "sendMessage", data={"chat_id": "1", "text": "x", "reply_markup": markup}
        )
        assert status == 400
        assert fake.violations == [
            "sendMessage: reply_markup.inline_keyboard[0][1]: missing required field 'text'"
        ]

        fake.violations.clear()
        status, body = await raw_call(http, fake, "getMe", token="999:WRONG")
        assert (status, body["description"]) == (401, "Unauthorized")

        status, body = await raw_call(
            http, fake, "SENDMESSAGE", http_method="GET", params={"chat_id": "7", "text": "q"}
        )
        assert status == 200 and body["result"]["chat"]["id"] == 7
        assert fake.calls[-1].method == "sendMessage"
        assert fake.calls[-1].params == {"chat_id": 7, "text": "q"}
        assert fake.violations == []


async def test_fail_next_answers_flood_control(fake_botapi: FakeBotAPI, bot: Bot) -> None:
    fake_botapi.fail_next("sendMessage", retry_after=7)
    with pytest.raises(TelegramRetryAfter) as flood:
        await bot.send_message(USER, "satu")
    assert flood.value.retry_after == 7
    assert "Too Many Requests: retry after 7" in str(flood.value)
    assert (await bot.send_message(USER, "satu")).message_id == 1
    assert fake_botapi.stats.too_many_requests == 1

    fake_botapi.fail_next("sendmessage", status=502, chat_id=GROUP, times=2)
    await bot.send_message(USER, "not this chat")
    for _ in range(2):
        with pytest.raises(TelegramServerError, match="Bad Gateway"):
            await bot.send_message(GROUP, "x")
    await bot.send_message(GROUP, "x")


async def test_blocked_chats_refuse_messages(fake_botapi: FakeBotAPI, bot: Bot) -> None:
    fake_botapi.block(USER)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(USER, "halo")
    await bot.send_message(USER + 1, "other users still get messages")
    fake_botapi.unblock(USER)
    await bot.send_message(USER, "halo")

    fake_botapi.push_update(
        fake_botapi.my_chat_member_update(
            chat_id=USER, from_id=USER, old_status="member", new_status="kicked"
        )
    )
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_chat_action(USER, "typing")


async def test_content_refusals(fake_botapi: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="can't parse entities: Unmatched end tag"):
        await bot.send_message(USER, "<b>tebal</i>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="can't parse entities: Unescaped"):
        await bot.send_message(USER, "Q&A", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match=errors.MESSAGE_TOO_LONG):
        await bot.send_message(USER, "x" * 4097)
    await bot.send_message(USER, "x" * 4096)
    with pytest.raises(TelegramBadRequest, match=errors.MESSAGE_TEXT_EMPTY):
        await bot.send_message(USER, "  \n ")
    with pytest.raises(TelegramBadRequest, match=errors.CAPTION_TOO_LONG):
        await bot.send_photo(USER, "AgACphoto", caption="c" * 1025)
    too_much_data = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="é" * 33)]]
    )
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "pilih", reply_markup=too_much_data)
    assert fake_botapi.violations == []


async def test_edits(fake_botapi: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Status: baru", reply_markup=KEYBOARD)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "Status: baru", chat_id=USER, message_id=sent.message_id, reply_markup=KEYBOARD
        )
    edited = await bot.edit_message_text(
        "Status: ditutup", chat_id=USER, message_id=sent.message_id
    )
    assert isinstance(edited, Message) and edited.reply_markup is None
    [current] = fake_botapi.messages(USER)
    assert current["text"] == "Status: ditutup" and "reply_markup" not in current
    assert "edit_date" in current
    await bot.edit_message_reply_markup(
        chat_id=USER, message_id=sent.message_id, reply_markup=KEYBOARD
    )
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=USER, message_id=sent.message_id, reply_markup=KEYBOARD
        )
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER, message_id=999)
    assert await bot.delete_message(USER, sent.message_id)
    assert fake_botapi.messages(USER) == []


async def test_forum_topics(fake_botapi: FakeBotAPI, bot: Bot) -> None:
    topic = await bot.create_forum_topic(GROUP, "Tiket #1 - Budi")
    assert topic.name == "Tiket #1 - Budi" and topic.icon_color == 7322096
    in_topic = await bot.send_message(
        GROUP, "Tiket baru", message_thread_id=topic.message_thread_id
    )
    assert in_topic.message_thread_id == topic.message_thread_id and in_topic.is_topic_message
    second = await bot.create_forum_topic(GROUP, "Tiket #2")
    assert second.message_thread_id > topic.message_thread_id

    assert await bot.close_forum_topic(GROUP, topic.message_thread_id)
    with pytest.raises(TelegramBadRequest, match="TOPIC_CLOSED"):
        await bot.send_message(GROUP, "x", message_thread_id=topic.message_thread_id)
    with pytest.raises(TelegramBadRequest, match="TOPIC_NOT_MODIFIED"):
        await bot.close_forum_topic(GROUP, topic.message_thread_id)
    assert await bot.reopen_forum_topic(GROUP, topic.message_thread_id)
    assert await bot.edit_forum_topic(GROUP, topic.message_thread_id, name="Tiket #1 (selesai)")
    await bot.send_message(GROUP, "dibuka lagi", message_thread_id=topic.message_thread_id)

    assert await bot.delete_forum_topic(GROUP, topic.message_thread_id)
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(GROUP, "x", message_thread_id=topic.message_thread_id)
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(GROUP, "x", message_thread_id=9999)
    assert fake_botapi.messages(GROUP) == []


async def test_topic_messages_reply_to_the_topic_root_and_a_topic_can_be_deleted_by_hand(
    fake_botapi: FakeBotAPI, bot: Bot
) -> None:
    topic = await bot.create_forum_topic(GROUP, "Tiket #3")
    thread = topic.message_thread_id
    update = fake_botapi.message_update(
        chat_id=GROUP, from_id=7, text="jawaban", thread_id=thread, is_topic_message=True
    )
    root = update["message"]["reply_to_message"]
    assert root["message_id"] == thread and root["from"]["id"] == fake_botapi.bot_id
    assert root["forum_topic_created"]["name"] == "Tiket #3"
    assert spec_problems("Update", {"update_id": 1, **update}) == []
    assert fake_botapi.messages(GROUP) == []  # the service message is not one the bot sent

    fake_botapi.delete_topic(GROUP, thread)
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(GROUP, "x", message_thread_id=thread)
    update = fake_botapi.message_update(
        chat_id=USER, from_id=USER, text="surat", document=True, document_name="e-ktp.pdf"
    )
    assert update["message"]["document"]["file_name"] == "e-ktp.pdf"


async def test_copy_forward_and_files(fake_botapi: FakeBotAPI, bot: Bot) -> None:
    fake_botapi.push_update(fake_botapi.message_update(chat_id=USER, from_id=USER, text="Tolong"))
    fake_botapi.push_update(
        fake_botapi.message_update(chat_id=USER, from_id=USER, text="KTP", document=True)
    )
    text_id, document_id = (u["message"]["message_id"] for u in fake_botapi.pending_updates)
    topic = await bot.create_forum_topic(GROUP, "Tiket")
    copied = await bot.copy_message(GROUP, USER, text_id, message_thread_id=topic.message_thread_id)
    assert isinstance(copied, MessageId)
    assert fake_botapi.messages(GROUP)[-1]["text"] == "Tolong"
    forwarded = await bot.forward_message(GROUP, USER, document_id)
    assert forwarded.document is not None and forwarded.caption == "KTP"
    assert forwarded.forward_origin is not None
    with pytest.raises(TelegramBadRequest, match="message to copy not found"):
        await bot.copy_message(GROUP, USER, 999)

    sent = await bot.send_document(USER, BufferedInputFile(b"%PDF-1.7", "surat.pdf"))
    assert sent.document is not None and sent.document.file_name == "surat.pdf"
    downloaded = await bot.download(sent.document.file_id)
    assert downloaded is not None and downloaded.read() == b"%PDF-1.7"


async def test_callback_queries(fake_botapi: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Pilih", reply_markup=KEYBOARD)
    update = fake_botapi.callback_update(
        chat_id=USER, from_id=USER, message_id=sent.message_id, data="ticket:open:1"
    )
    query = update["callback_query"]
    assert query["message"]["reply_markup"] == KEYBOARD.model_dump(exclude_none=True)
    fake_botapi.push_update(update)
    assert await bot.answer_callback_query(query["id"], text="Tiket dibuka")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query("123")


async def test_builders_are_spec_valid_and_parse(fake_botapi: FakeBotAPI) -> None:
    fake = fake_botapi
    updates = [
        fake.message_update(
            chat_id=USER, from_id=USER, text="/start@kpu_helpdesk_test_bot hi @budi_s"
        ),
        fake.message_update(chat_id=USER, from_id=USER, text="foto", photo=True),
        fake.message_update(
            chat_id=GROUP,
            from_id=7,
            text="jawaban",
            thread_id=5,
            is_topic_message=True,
            reply_to_message_id=1,
            chat_title="Operator KPU",
        ),
        fake.callback_update(chat_id=USER, from_id=USER, message_id=77, data="x"),
        fake.my_chat_member_update(
            chat_id=USER, from_id=USER, old_status="member", new_status="kicked"
        ),
        fake.my_chat_member_update(
            chat_id=GROUP, from_id=7, old_status="left", new_status="administrator"
        ),
    ]
    for update in updates:
        fake.push_update(update)
    for update in fake.pending_updates:
        assert spec_problems("Update", update) == []
        Update.model_validate(update)
    first = fake.pending_updates[0]["message"]
    assert first["entities"] == [
        {"type": "bot_command", "offset": 0, "length": 28},
        {"type": "mention", "offset": 32, "length": 7},
    ]
    callback = Update.model_validate(fake.pending_updates[3]).callback_query
    assert callback is not None and isinstance(callback.message, InaccessibleMessage)


# -- updates: long polling and webhooks ---------------------------------------------------------


async def test_long_polling(fake_botapi: FakeBotAPI, bot: Bot) -> None:
    first = fake_botapi.push_update(
        fake_botapi.message_update(chat_id=USER, from_id=USER, text="a")
    )
    assert [u.update_id for u in await bot.get_updates(timeout=1)] == [first]

    poll = asyncio.create_task(bot.get_updates(offset=first + 1, timeout=2))
    await asyncio.sleep(0.05)
    pushed_at = time.monotonic()
    second = fake_botapi.push_update(
        fake_botapi.message_update(chat_id=USER, from_id=USER, text="b")
    )
    assert [u.update_id for u in await poll] == [second]
    assert time.monotonic() - pushed_at < 0.5

    fake_botapi.push_update(
        fake_botapi.callback_update(chat_id=USER, from_id=USER, message_id=1, data="d")
    )
    third = fake_botapi.push_update(
        fake_botapi.message_update(chat_id=USER, from_id=USER, text="c")
    )
    updates = await bot.get_updates(offset=second + 1, allowed_updates=["message"])
    assert [u.update_id for u in updates] == [third]
    assert await bot.get_updates(offset=third + 1) == []
    assert fake_botapi.pending_updates == []


async def test_long_poll_is_capped_and_ended_by_stop(http: aiohttp.ClientSession) -> None:
    async with FakeBotAPI(long_poll_cap=0.1) as fake:
        started = time.monotonic()
        status, body = await raw_call(http, fake, "getUpdates", json={"timeout": 30})
        assert (status, body["result"]) == (200, [])
        assert time.monotonic() - started < 1

    fake = FakeBotAPI(long_poll_cap=30)
    await fake.start()
    poll = asyncio.create_task(raw_call(http, fake, "getUpdates", json={"timeout": 30}))
    await asyncio.sleep(0.05)
    stopping = time.monotonic()
    await fake.stop()
    assert (await poll)[1] == {"ok": True, "result": []}
    assert time.monotonic() - stopping < 1.5


async def test_second_poller_terminates_the_first(http: aiohttp.ClientSession) -> None:
    async with FakeBotAPI() as fake:
        first = asyncio.create_task(raw_call(http, fake, "getUpdates", json={"timeout": 2}))
        await asyncio.sleep(0.05)
        second = asyncio.create_task(raw_call(http, fake, "getUpdates", json={"timeout": 0}))
        status, body = await first
        assert (status, body["description"]) == (409, errors.TERMINATED_BY_OTHER_GET_UPDATES)
        assert (await second)[0] == 200


async def test_get_updates_refused_while_webhook_is_set(bot: Bot) -> None:
    assert await bot.set_webhook("http://127.0.0.1:9/telegram")
    with pytest.raises(TelegramConflictError, match="can't use getUpdates method while webhook"):
        await bot.get_updates()
    with pytest.raises(TelegramBadRequest, match="HTTPS URL must be provided"):
        await bot.set_webhook("http://bot.example.org/telegram")
    assert await bot.delete_webhook()
    assert await bot.get_updates() == []


async def test_webhook_delivery_and_secret(fake_botapi: FakeBotAPI, bot: Bot) -> None:
    received: list[dict[str, Any]] = []

    async def webhook(request: web.Request) -> web.Response:
        if request.headers.get(SECRET_HEADER) != "s3cret":
            return web.Response(status=401)
        received.append(await request.json())
        return web.Response()

    app = web.Application()
    app.router.add_post("/telegram", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/telegram"
        assert await bot.set_webhook(url, secret_token="s3cret")
        update_id = fake_botapi.push_update(
            fake_botapi.message_update(chat_id=USER, from_id=USER, text="halo")
        )
        [delivery] = await fake_botapi.wait_webhook_deliveries(timeout=2)
        assert (delivery.update_id, delivery.status) == (update_id, 200)
        assert received[0]["message"]["text"] == "halo"
        assert (await bot.get_webhook_info()).pending_update_count == 0

        update = fake_botapi.message_update(chat_id=USER, from_id=USER, text="x")
        assert await fake_botapi.post_webhook(update, secret="wrong") == 401
        assert await fake_botapi.post_webhook(update, secret=None) == 401
        assert await fake_botapi.post_webhook(update) == 200

        assert await bot.set_webhook(url, secret_token="rotated")
        fake_botapi.push_update(fake_botapi.message_update(chat_id=USER, from_id=USER, text="y"))
        await fake_botapi.wait_webhook_deliveries(timeout=2)
        info = await bot.get_webhook_info()
        assert info.pending_update_count == 1
        assert info.last_error_message == "Wrong response from the webhook: 401 Unauthorized"
    finally:
        await runner.cleanup()


# -- limits and waiting helpers -----------------------------------------------------------------


async def test_flood_limits() -> None:
    async with FakeBotAPI(limits=TelegramLimits()) as fake:
        bot = make_bot(fake)
        try:
            for _ in range(3):
                await bot.send_message(USER, "burst")
            with pytest.raises(TelegramRetryAfter) as private_flood:
                await bot.send_message(USER, "one too many")
            assert private_flood.value.retry_after == 1
            await bot.send_message(USER + 1, "another chat is fine")
            for _ in range(20):
                await bot.send_message(GROUP, "group")
            with pytest.raises(TelegramRetryAfter) as group_flood:
                await bot.send_message(GROUP, "one too many")
            assert 59 <= group_flood.value.retry_after <= 60
        finally:
            await bot.session.close()
        assert (fake.stats.sent, fake.stats.too_many_requests) == (24, 2)
        assert fake.stats.delivered == {USER: 3, USER + 1: 1, GROUP: 20}
        assert fake.violations == []


async def test_wait_for_call(fake_botapi: FakeBotAPI, bot: Bot) -> None:
    await bot.send_message(USER, "pertama")
    assert (await fake_botapi.wait_for_call("sendMessage")).params["text"] == "pertama"
    later = asyncio.create_task(
        fake_botapi.wait_for_call("sendMessage", lambda c: c.params["chat_id"] == GROUP)
    )
    await bot.send_message(GROUP, "kedua")
    assert (await later).params["text"] == "kedua"
    with pytest.raises(AssertionError, match=r"no new sendMessage call within 0\.05s") as missing:
        await fake_botapi.wait_for_call("sendMessage", timeout=0.05)
    assert "'text': 'pertama'" in str(missing.value)
    assert len(fake_botapi.calls_to("SendMessage")) == 2


# -- the pytest plugin ---------------------------------------------------------------------------


def test_plugin_fixture_fails_tests_with_violations(pytester: pytest.Pytester) -> None:
    pytester.syspathinsert(Path(__file__).resolve().parents[2])
    pytester.makepyfile(
        """
        import aiohttp

        pytest_plugins = ["tests.fake_botapi.plugin"]

        async def call(fake, payload):
            async with aiohttp.ClientSession() as http:
                url = f"{fake.base_url}/bot{fake.token}/sendMessage"
                async with http.post(url, json=payload) as response:
                    return response.status

        async def test_clean(fake_botapi):
            assert await call(fake_botapi, {"chat_id": 1, "text": "ok"}) == 200

        async def test_violating(fake_botapi):
            await call(fake_botapi, {"chat_id": 1, "text": "ok", "colour": "red"})
        """
    )
    result = pytester.runpytest_inprocess(
        "-p",
        "no:cacheprovider",
        "-o",
        "asyncio_mode=auto",
        "-o",
        "asyncio_default_fixture_loop_scope=function",
    )
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*1 Bot API spec violation(s):*", "*unknown field 'colour'*"])
    assert format_violations(["a", "b"]).splitlines()[1:] == ["  - a", "  - b"]
