"""From ticket to FAQ entry end to end, through the real aiogram transport and the fake
Bot API, with no restart: a question the knowledge base does not cover becomes a ticket,
an officer answers and resolves it, presses "Jadikan FAQ", a supervisor completes and
approves the draft, and a second liaison asking in other words is answered by the bot."""

from __future__ import annotations

from typing import Any

import pytest

from bot.composition import Container
from models import ChatKind, Language, UnitOfWork
from models.chats import seen_chat
from models.invites import create_invite
from models.offices import find_office, link_staff_chat
from models.people import seen_person
from models.staff import Role, Tier, add_officer
from tests.e2e.harness import LIAISON, running_bot, say
from tests.e2e.test_desk_telegram import data_of, officer_says, to
from tests.fake_botapi import FakeBotAPI
from tests.fake_botapi.models import Call

pytestmark = pytest.mark.e2e

BANTUL = -1001000003402
AGENT, SUPERVISOR, SECOND = 7001, 7002, 5002
WAIT = 8.0
QUESTION = "Apakah saksi partai boleh memotret formulir hasil penghitungan suara di TPS?"
ANSWER = "Boleh. Saksi boleh memotret formulir hasil penghitungan suara di TPS sebagai dokumentasi."
PHRASINGS = (
    "saksi foto formulir hasil hitung | boleh memotret hasil penghitungan suara | saksi ambil "
    "gambar formulir c hasil | dokumentasi hasil hitung oleh saksi di tps | memotret salinan "
    "hasil di tps"
)
OTHER_WORDS = "bolehkah saksi mengambil foto formulir hasil hitung suara di tps"


def prepare(tokens: list[str]) -> Any:
    """Bantul's forum staff chat, an agent and a supervisor there, and an invite link
    for two PKB liaisons of Bantul."""

    def run(container: Container) -> None:
        now = container.clock.now()
        with UnitOfWork(container.helpdesk.sessions) as uow:
            session = uow.session
            chat = seen_chat(
                session,
                channel="telegram",
                external_id=str(BANTUL),
                kind=ChatKind.GROUP,
                title="Staf Bantul",
                forum=True,
                now=now,
            )
            office = find_office(session, "34.02")
            assert office is not None and chat.id is not None
            link_staff_chat(session, office, chat.id, actor="cli", now=now)
            for person_id, role, name in (
                (AGENT, Role.AGENT, "Andi Wijaya"),
                (SUPERVISOR, Role.SUPERVISOR, "Sari Supervisor"),
            ):
                person = seen_person(
                    session,
                    channel="telegram",
                    external_id=str(person_id),
                    display_name=name,
                    username=None,
                    language_hint=Language.ID,
                    now=now,
                    in_private=False,
                )
                add_officer(
                    session,
                    person=person,
                    office_code="34.02",
                    role=role,
                    name=name,
                    actor="cli",
                    now=now,
                )
            _invite, token = create_invite(
                session,
                office_code="34.02",
                party="pkb",
                tier=Tier.DPC,
                uses=2,
                created_by=None,
                now=now,
            )
            uow.commit()
        tokens.append(token)

    return run


def toast(part: str) -> Any:
    return lambda c: part in c.params.get("text", "")


def press(fake: FakeBotAPI, chat_id: int, who: int, message: Call, shown: Call, label: str) -> None:
    """``who`` presses the button labelled ``label`` that ``shown`` (a send or an edit)
    put on ``message``."""
    fake.push_update(
        fake.callback_update(
            chat_id=chat_id,
            from_id=who,
            message_id=message.result["message_id"]
            if isinstance(message.result, dict)
            else message.params["message_id"],
            data=data_of(shown, label),
            first_name="Petugas",
        )
    )


async def test_a_resolved_ticket_becomes_an_entry_the_bot_answers_with_at_once(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=prepare(tokens)):
        say(fake, f"/start {tokens[0]}")
        await fake.wait_for_call("sendMessage", to(LIAISON))
        say(fake, QUESTION)
        not_sure = await fake.wait_for_call("sendMessage", to(LIAISON))
        fake.push_update(
            fake.callback_update(
                chat_id=LIAISON,
                from_id=LIAISON,
                message_id=not_sure.result["message_id"],
                data=data_of(not_sure, "Tanya petugas"),
            )
        )
        topic = await fake.wait_for_call("createForumTopic", to(BANTUL), timeout=WAIT)
        card = await fake.wait_for_call("sendMessage", to(BANTUL), timeout=WAIT)
        assert "saksi partai boleh memotret" in card.params["text"]
        thread = topic.result["message_thread_id"]

        officer_says(fake, BANTUL, AGENT, thread, text=ANSWER)
        await fake.wait_for_call(
            "sendMessage", lambda c: to(LIAISON)(c) and "dokumentasi" in c.params["text"], WAIT
        )
        press(fake, BANTUL, AGENT, card, card, "Selesai")
        resolved = await fake.wait_for_call("editMessageText", to(BANTUL), timeout=WAIT)
        assert "selesai" in resolved.params["text"]

        press(fake, BANTUL, AGENT, card, resolved, "Jadikan FAQ")
        made = await fake.wait_for_call("answerCallbackQuery", toast("Draf FAQ #1"), WAIT)
        assert "dibuat" in made.params["text"]
        view = await fake.wait_for_call(
            "sendMessage", lambda c: to(BANTUL)(c) and "Draf FAQ #1" in c.params["text"], WAIT
        )
        assert "message_thread_id" not in view.params  # the topic is closed: the main thread
        assert "Sebelum disetujui" in view.params["text"]

        press(fake, BANTUL, AGENT, view, view, "Setujui")  # an agent does not review
        await fake.wait_for_call("answerCallbackQuery", toast("hanya supervisor atau admin"), WAIT)

        say(fake, f"/draf_ubah 1 frasa {PHRASINGS}", chat_id=BANTUL, from_id=SUPERVISOR)
        edited = await fake.wait_for_call(
            "sendMessage", lambda c: to(BANTUL)(c) and "Draf diperbarui" in c.params["text"], WAIT
        )
        assert "Sebelum disetujui" not in edited.params["text"]
        press(fake, BANTUL, SUPERVISOR, edited, edited, "Setujui")
        await fake.wait_for_call("answerCallbackQuery", toast("disetujui"), WAIT)

        say(fake, f"/start {tokens[0]}", chat_id=SECOND, from_id=SECOND)
        await fake.wait_for_call("sendMessage", to(SECOND), timeout=WAIT)
        say(fake, OTHER_WORDS, chat_id=SECOND, from_id=SECOND)
        answer = await fake.wait_for_call("sendMessage", to(SECOND), timeout=WAIT)
        assert "Saksi boleh memotret formulir hasil penghitungan" in answer.params["text"]
        assert "Jawaban petugas Helpdesk KPU Kabupaten Bantul" in answer.params["text"]
