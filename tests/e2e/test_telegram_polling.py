"""The real aiogram transport, long polling a fake Bot API server over HTTP."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from handlers import routes
from handlers.context import Context
from handlers.port import Outcome
from tests.e2e.harness import LIAISON, eventually, press, running_bot, say
from tests.fake_botapi import FakeBotAPI

pytestmark = pytest.mark.e2e


def buttons_of(call) -> list[dict]:  # type: ignore[no-untyped-def]
    markup = call.params.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def button(call, label_part: str) -> str:  # type: ignore[no-untyped-def]
    for b in buttons_of(call):
        if label_part in b["text"]:
            return str(b["callback_data"])
    raise AssertionError(f"no {label_part!r} in {[b['text'] for b in buttons_of(call)]}")


async def test_start_in_a_private_chat_answers_with_the_menu(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    async with running_bot(fake_botapi, database_url):
        say(fake_botapi, "/start")
        asked = await fake_botapi.wait_for_call(
            "sendMessage", lambda c: str(c.params["chat_id"]) == str(LIAISON)
        )
        assert "Silakan pilih bahasa" in asked.params["text"]
        assert asked.params["parse_mode"] == "HTML"

        message_id = asked.result["message_id"]
        press(fake_botapi, message_id, button(asked, "Indonesia"))
        answered = await fake_botapi.wait_for_call("answerCallbackQuery")
        assert answered.params.get("text") == "Bahasa disimpan."
        edited = await fake_botapi.wait_for_call("editMessageText")
        assert int(edited.params["message_id"]) == message_id
        assert "Pilih menu di bawah ini" in edited.params["text"]
        assert [b["text"] for b in buttons_of(edited)] == [
            "📚 Tanya jawab (FAQ)",
            "✍️ Ajukan pertanyaan",
            "🎫 Tiket saya",
            "📅 Jadwal tahapan",
            "⚙️ Pengaturan",
        ]

    methods = [c.method for c in fake_botapi.calls]
    assert methods.index("deleteWebhook") < methods.index("getUpdates")
    commands = fake_botapi.calls_to("setMyCommands")
    assert sorted(str(c.params.get("language_code")) for c in commands) == ["None", "en", "id"]


async def test_the_schedule_entry_of_the_menu_sends_a_calendar_file_on_request(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    async with running_bot(fake_botapi, database_url):
        say(fake_botapi, "/menu")
        menu = await fake_botapi.wait_for_call("sendMessage")
        press(fake_botapi, menu.result["message_id"], button(menu, "Jadwal"))
        await fake_botapi.wait_for_call("answerCallbackQuery")
        schedule = await fake_botapi.wait_for_call("editMessageText")
        assert "Jadwal tahapan" in schedule.params["text"]
        press(fake_botapi, schedule.params["message_id"], button(schedule, ".ics"))
        sent = await fake_botapi.wait_for_call("sendDocument")
        upload = sent.upload("document")  # the .ics travels as an uploaded file
        assert sent.status == 200 and upload is not None
        assert upload.filename.endswith(".ics")
        assert upload.data.startswith(b"BEGIN:VCALENDAR")


async def test_a_forged_button_is_refused_with_a_notice(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    async with running_bot(fake_botapi, database_url) as bot:
        say(fake_botapi, "/start")
        asked = await fake_botapi.wait_for_call("sendMessage")
        press(fake_botapi, asked.result["message_id"], "lang:en:menu~forgedforged")
        answered = await fake_botapi.wait_for_call("answerCallbackQuery")
        assert "tidak berlaku" in answered.params.get("text", "")
        await asyncio.sleep(0.2)
        assert fake_botapi.calls_to("editMessageText") == []
        assert bot.person(LIAISON).language is None


async def test_a_429_is_waited_out_and_the_reply_still_arrives(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake_botapi.fail_next("sendMessage", status=429, retry_after=1)
    async with running_bot(fake_botapi, database_url):
        say(fake_botapi, "/help")
        first = await fake_botapi.wait_for_call("sendMessage")
        assert first.status == 429
        second = await fake_botapi.wait_for_call("sendMessage")
        assert second.status == 200 and "Bantuan" in second.params["text"]
        assert second.at - first.at >= 0.95, "retry_after is honoured"


async def test_a_user_who_blocked_the_bot_is_marked_unreachable(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    blocked, other = 5001, 5002
    fake_botapi.block(blocked)
    async with running_bot(fake_botapi, database_url) as bot:
        say(fake_botapi, "/start", chat_id=blocked, from_id=blocked)
        refused = await fake_botapi.wait_for_call("sendMessage")
        assert refused.status == 403
        assert await eventually(lambda: bot.person(blocked).reachable is False)
        assert bot.chat(blocked).unreachable_reason == "Forbidden: bot was blocked by the user"
        say(fake_botapi, "/start", chat_id=other, from_id=other)
        delivered = await fake_botapi.wait_for_call("sendMessage")
        assert delivered.status == 200 and str(delivered.params["chat_id"]) == str(other)


async def test_blocking_and_group_membership_updates_are_understood(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    group = -1001234
    async with running_bot(fake_botapi, database_url) as bot:
        say(fake_botapi, "/start")
        await fake_botapi.wait_for_call("sendMessage")
        fake_botapi.push_update(
            fake_botapi.my_chat_member_update(
                chat_id=LIAISON,
                from_id=LIAISON,
                old_status="member",
                new_status="kicked",
                chat_type="private",
            )
        )
        fake_botapi.push_update(
            fake_botapi.my_chat_member_update(
                chat_id=group,
                from_id=LIAISON,
                old_status="left",
                new_status="member",
                chat_type="supergroup",
                chat_title="LO Partai Contoh DIY",
            )
        )
        greeting = await fake_botapi.wait_for_call("sendMessage")
        assert str(greeting.params["chat_id"]) == str(group)
        assert "hanya menanggapi perintah" in greeting.params["text"]
        # the two updates are handled concurrently, as aiogram does by default
        assert await eventually(lambda: bot.person(LIAISON).reachable is False)
        assert bot.chat(group).member is True
    assert "my_chat_member" in fake_botapi.calls_to("getUpdates")[0].params["allowed_updates"]


async def test_html_telegram_cannot_parse_is_logged_and_resent_as_plain_text(
    fake_botapi: FakeBotAPI, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake_botapi.fail_next(
        "sendMessage",
        status=400,
        description="Bad Request: can't parse entities: unsupported start tag",
    )
    async with running_bot(fake_botapi, database_url):
        say(fake_botapi, "/help")
        first = await fake_botapi.wait_for_call("sendMessage")
        assert first.status == 400
        plain = await fake_botapi.wait_for_call("sendMessage")
        assert plain.status == 200
        assert "parse_mode" not in plain.params
        assert plain.params["text"].startswith("Bantuan") and "<b>" not in plain.params["text"]
    assert any(
        "can't parse entities" in r.getMessage() and "<b>Bantuan</b>" in r.getMessage()
        for r in caplog.records
    )


async def test_a_failing_handler_is_logged_with_the_update_and_the_person_gets_an_apology(
    fake_botapi: FakeBotAPI,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def breaks(ctx: Context, arg: str) -> Outcome:
        raise RuntimeError("the database fell over")

    monkeypatch.setitem(routes.COMMANDS, "menu", breaks)
    async with running_bot(fake_botapi, database_url):
        update_id = say(fake_botapi, "/menu")
        apology = await fake_botapi.wait_for_call("sendMessage")
        assert apology.params["text"].startswith("Mohon maaf, terjadi gangguan")
        say(fake_botapi, "/help")
        still_alive = await fake_botapi.wait_for_call("sendMessage")
        assert "Bantuan" in still_alive.params["text"]
    failures = [r for r in caplog.records if r.getMessage().startswith("handling failed")]
    assert failures and f"update={update_id}" in failures[0].getMessage()
    assert failures[0].exc_info is not None


async def test_in_a_group_only_commands_and_mentions_are_answered(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    group = -1005555
    username = fake_botapi.bot_username
    async with running_bot(fake_botapi, database_url):
        for text in ("selamat pagi semua", "/start@another_bot", "kata @someone_else"):
            say(fake_botapi, text, chat_id=group, chat_type="supergroup", chat_title="LO DIY")
        say(
            fake_botapi,
            f"/help@{username}",
            chat_id=group,
            chat_type="supergroup",
            chat_title="LO DIY",
        )
        helped = await fake_botapi.wait_for_call("sendMessage")
        assert "Bantuan" in helped.params["text"]
        say(
            fake_botapi,
            f"@{username} kapan batas akhir pendaftaran partai politik?",
            chat_id=group,
            chat_type="supergroup",
            chat_title="LO DIY",
        )
        answered = await fake_botapi.wait_for_call("sendMessage")
        assert answered.params["chat_id"] == group
        assert "14 Agustus 2022" in answered.params["text"]
        await asyncio.sleep(0.2)
        assert len(fake_botapi.calls_to("sendMessage")) == 2


async def test_a_message_in_a_forum_topic_is_answered_in_that_topic(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    staff = -1009999
    async with running_bot(fake_botapi, database_url):
        say(
            fake_botapi,
            "/help",
            chat_id=staff,
            chat_type="supergroup",
            chat_title="Staf KPU DIY",
            thread_id=42,
            is_topic_message=True,
        )
        answered = await fake_botapi.wait_for_call("sendMessage")
        assert int(answered.params["message_thread_id"]) == 42


async def test_a_leftover_webhook_is_deleted_before_polling(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    async with aiohttp.ClientSession() as client:
        url = f"{fake_botapi.base_url}/bot{fake_botapi.token}/setWebhook"
        async with client.post(url, json={"url": "https://old.example/hook"}) as response:
            assert response.status == 200
    async with running_bot(fake_botapi, database_url):
        say(fake_botapi, "/help")
        await fake_botapi.wait_for_call("sendMessage")
    assert all(c.status != 409 for c in fake_botapi.calls_to("getUpdates"))


async def test_telegram_away_at_start_up_is_waited_for(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake_botapi.fail_next("getMe", status=502, description="Bad Gateway")
    async with running_bot(fake_botapi, database_url):
        say(fake_botapi, "/help")
        await fake_botapi.wait_for_call("sendMessage")
    assert [c.status for c in fake_botapi.calls_to("getMe")][:2] == [502, 200]


async def test_a_sticker_and_a_long_message_get_clear_answers(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    sticker = fake_botapi.message_update(chat_id=LIAISON, from_id=LIAISON, text="")
    message = sticker["message"]
    message.pop("text", None)
    message.pop("entities", None)
    message["sticker"] = {
        "file_id": "CAACAgIAAxk",
        "file_unique_id": "AgAD",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    async with running_bot(fake_botapi, database_url):
        fake_botapi.push_update(sticker)
        answered = await fake_botapi.wait_for_call("sendMessage")
        assert "stiker" in answered.params["text"]
        say(fake_botapi, "tolong " * 1500)
        long_answer = await fake_botapi.wait_for_call("sendMessage")
        assert "cukup panjang" in long_answer.params["text"]


async def test_telegram_away_for_a_while_delays_the_reply_but_does_not_lose_it(
    fake_botapi: FakeBotAPI, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.transports.telegram.sender.NETWORK_PAUSES", (0.05, 0.1, 0.2))
    fake_botapi.fail_next("sendMessage", status=502, description="Bad Gateway", times=3)
    async with running_bot(fake_botapi, database_url):
        say(fake_botapi, "/help")
        for _ in range(3):
            assert (await fake_botapi.wait_for_call("sendMessage")).status == 502
        delivered = await fake_botapi.wait_for_call("sendMessage")
        assert delivered.status == 200 and "Bantuan" in delivered.params["text"]
