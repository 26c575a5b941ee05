"""The FAQ through the real Telegram transport: a menu walk to an answer by pressing
buttons, and a typed question answered, against the fake Bot API over HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from knowledge.search import KnowledgeBase
from tests.e2e.harness import LIAISON, helpdesk_run, press, running_bot, say, stop
from tests.fake_botapi import FakeBotAPI

pytestmark = pytest.mark.e2e

QUESTION = "kapan batas akhir pendaftaran partai politik?"


def buttons_of(call: Any) -> list[dict[str, Any]]:
    markup = call.params.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def button(call: Any, label_part: str) -> str:
    for b in buttons_of(call):
        if label_part in b["text"]:
            return str(b["callback_data"])
    raise AssertionError(f"no {label_part!r} in {[b['text'] for b in buttons_of(call)]}")


def first_button(call: Any) -> str:
    return str(buttons_of(call)[0]["callback_data"])


async def test_the_faq_menu_is_walked_to_an_answer_by_pressing_buttons(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    kb = KnowledgeBase.load(strict=False)
    category = kb.categories[0]
    topic = category.subcategories[0]
    entry = kb.entries_in(f"{category.id}/{topic.id}")[0]
    async with running_bot(fake_botapi, database_url):
        say(fake_botapi, "/menu")
        menu = await fake_botapi.wait_for_call("sendMessage")
        message_id = menu.result["message_id"]

        press(fake_botapi, message_id, button(menu, "Tanya jawab"))
        categories = await fake_botapi.wait_for_call("editMessageText")
        assert int(categories.params["message_id"]) == message_id, "the menu is edited in place"
        assert category.title["id"] in buttons_of(categories)[0]["text"]

        press(fake_botapi, message_id, first_button(categories))
        topics = await fake_botapi.wait_for_call("editMessageText")
        press(fake_botapi, message_id, first_button(topics))
        questions = await fake_botapi.wait_for_call("editMessageText")
        assert entry.question["id"] in questions.params["text"]

        press(fake_botapi, message_id, first_button(questions))
        answer = await fake_botapi.wait_for_call("editMessageText")
        assert f"<b>{entry.question['id']}</b>" in answer.params["text"].replace("&quot;", '"')
        assert "Sumber:" in answer.params["text"]
        assert answer.params["parse_mode"] == "HTML"

        press(fake_botapi, message_id, button(answer, "Ini menjawab"))
        thanked = await fake_botapi.wait_for_call(
            "answerCallbackQuery", lambda c: bool(c.params.get("text"))
        )
        assert thanked.params["text"] == "Terima kasih atas masukannya!"


async def test_helpdesk_run_answers_a_typed_question(
    fake_botapi: FakeBotAPI, tmp_path: Path
) -> None:
    """The ``helpdesk run`` process, as deployed: it loads the knowledge base at start and
    answers a question typed in a private chat."""
    expected = KnowledgeBase.load(strict=False).search(QUESTION)
    assert expected.answered, "the shipped knowledge base answers this question"
    title = expected.hits[0].entry.question["id"]
    async with helpdesk_run(fake_botapi, tmp_path) as process:
        await fake_botapi.wait_for_call("getUpdates", timeout=20)
        say(fake_botapi, QUESTION)
        answer = await fake_botapi.wait_for_call(
            "sendMessage", lambda c: str(c.params["chat_id"]) == str(LIAISON), timeout=10
        )
        text = answer.params["text"]
        assert title.split("?")[0] in text.replace("&quot;", '"')
        assert "14 Agustus" in text
        labels = [b["text"] for b in buttons_of(answer)]
        assert labels[:2] == ["✅ Ini menjawab", "🙋 Masih perlu bantuan"]
        log = await stop(process)
    assert process.returncode == 0, log[-2000:]
