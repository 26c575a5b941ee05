"""Linking a staff chat from the command line reads it from Telegram: a forum the bot
has never seen is known as a forum (each ticket gets a topic, not a card in General),
and a forum where the bot may not manage topics is refused with the reason."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from bot.cli import app
from bot.composition import Container
from models import Language, UnitOfWork
from models.invites import create_invite
from models.offices import find_office
from models.people import seen_person
from models.staff import Role, Tier, add_officer
from tests.e2e.harness import running_bot
from tests.e2e.test_desk_lost_chat import ADMIN, prepare_with_admin
from tests.e2e.test_desk_telegram import AGENT, BANTUL, WAIT, open_ticket, to
from tests.fake_botapi import FakeBotAPI

pytestmark = pytest.mark.e2e


async def link(fake: FakeBotAPI, database_url: str) -> Result:
    env = {
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.base_url,
    }
    args = ["office", "link", "34.02", "--chat-id", str(BANTUL)]
    return await asyncio.to_thread(CliRunner().invoke, app, args, env=env)


def officer_and_invite(tokens: list[str]) -> Any:
    """An agent of Bantul and an invite for a liaison; no staff chat linked here."""

    def prepare(container: Container) -> None:
        now = container.clock.now()
        with UnitOfWork(container.helpdesk.sessions) as uow:
            person = seen_person(
                uow.session,
                channel="telegram",
                external_id=str(AGENT),
                display_name="Andi",
                username=None,
                language_hint=Language.ID,
                now=now,
                in_private=False,
            )
            add_officer(
                uow.session,
                person=person,
                office_code="34.02",
                role=Role.AGENT,
                name="Andi",
                actor="cli",
                now=now,
            )
            _invite, token = create_invite(
                uow.session,
                office_code="34.02",
                party="pkb",
                tier=Tier.DPC,
                uses=1,
                created_by=None,
                now=now,
            )
            uow.commit()
        tokens.append(token)

    return prepare


async def test_a_forum_linked_from_the_cli_before_the_bot_saw_it_gets_topics(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    fake.make_forum(BANTUL, "Staf Bantul")
    fake.set_member_status(BANTUL, fake.bot_user["id"], "member")
    refused = await link(fake, database_url)
    assert refused.exit_code == 2, refused.output
    assert "not an admin allowed to manage topics" in refused.output

    fake.set_member_status(BANTUL, fake.bot_user["id"], "administrator")
    linked = await link(fake, database_url)
    assert linked.exit_code == 0, linked.output
    assert "forum: a topic per ticket" in linked.stdout

    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=officer_and_invite(tokens)):
        topic, card = await open_ticket(fake, tokens[0])  # a topic, and the card in it
        assert card.params["message_thread_id"] == topic.result["message_thread_id"]
        assert to(BANTUL)(card)


async def test_linking_a_chat_telegram_does_not_show_is_refused(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    fake.block(BANTUL)
    fake.fail_next("getChat", status=400, description="Bad Request: chat not found")
    refused = await link(fake, database_url)
    assert refused.exit_code == 2 and "Telegram would not show chat" in refused.output


async def test_tautkan_in_a_forum_where_the_bot_may_not_manage_topics_is_refused(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    forum = -1004000003402
    fake.make_forum(forum, "Staf Bantul")
    fake.set_member_status(forum, fake.bot_user["id"], "member")
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=prepare_with_admin(tokens)) as bot:
        fake.push_update(fake.message_update(chat_id=forum, from_id=ADMIN, text="/tautkan"))
        refused = await fake.wait_for_call("sendMessage", to(forum), timeout=WAIT)
        assert "belum menjadi admin yang boleh mengelola topik" in refused.params["text"]
        with bot.session() as session:
            office = find_office(session, "34.02")
            assert office is not None and office.staff_chat_id != bot.chat(forum).id

        fake.set_member_status(forum, fake.bot_user["id"], "administrator")
        fake.push_update(fake.message_update(chat_id=forum, from_id=ADMIN, text="/tautkan"))
        linked = await fake.wait_for_call("sendMessage", to(forum), timeout=WAIT)
        assert "belum menjadi admin" not in linked.params["text"]
        with bot.session() as session:
            office = find_office(session, "34.02")
            assert office is not None and office.staff_chat_id == bot.chat(forum).id
