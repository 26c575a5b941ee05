"""Other silent failures, end to end: a staff group upgraded to a supergroup (its row,
its link and what waits for it follow the new id), and a liaison editing a message that
went into a ticket (the officers see the edit, marked as one)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.composition import Container
from models import Chat, ChatKind, Lane, UnitOfWork
from models.chats import seen_chat
from models.offices import find_office, link_staff_chat
from models.outbox import OutboxMessage, enqueue
from tests.e2e.harness import LIAISON, eventually, running_bot, say
from tests.e2e.test_desk_lost_chat import ADMIN, prepare_with_admin
from tests.e2e.test_desk_telegram import BANTUL, WAIT, open_ticket, prepare_desk, to
from tests.fake_botapi import FakeBotAPI

pytestmark = pytest.mark.e2e

OLD_GROUP, SUPERGROUP = -4000003402, -1002000003402


def with_plain_staff_group(tokens: list[str]) -> Any:
    """The desk of ``prepare_desk``, but Bantul's staff chat is a plain group."""
    desk = prepare_desk(tokens)

    def prepare(container: Container) -> None:
        desk(container)
        now = container.clock.now()
        with UnitOfWork(container.helpdesk.sessions) as uow:
            chat = seen_chat(
                uow.session,
                channel="telegram",
                external_id=str(OLD_GROUP),
                kind=ChatKind.GROUP,
                title="Staf Bantul",
                forum=False,
                now=now,
            )
            office = find_office(uow.session, "34.02")
            assert office is not None and chat.id is not None
            link_staff_chat(uow.session, office, chat.id, actor="cli", now=now)
            enqueue(  # a message still waiting for the group (due later)
                uow.session,
                campaign="later:1",
                recipient="staff",
                channel="telegram",
                chat_id=str(OLD_GROUP),
                text="nanti",
                lane=Lane.BULK,
                now=now,
                not_before=now + timedelta(days=1),
            )
            uow.commit()

    return prepare


async def test_a_staff_group_upgraded_to_a_supergroup_is_followed(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=with_plain_staff_group(tokens)) as bot:
        say(fake, f"/start {tokens[0]}")
        await fake.wait_for_call("sendMessage", to(LIAISON))
        say(fake, "/tanya Bagaimana cara unggah KTA?")
        await fake.wait_for_call("sendMessage", to(LIAISON))
        card = await fake.wait_for_call("sendMessage", to(OLD_GROUP), timeout=WAIT)
        assert "#BTL-0001" in card.params["text"]

        update = fake.message_update(chat_id=OLD_GROUP, from_id=7001, text="x")
        message = update["message"]
        message.pop("text", None)
        message.pop("entities", None)
        message["migrate_to_chat_id"] = SUPERGROUP
        fake.block(OLD_GROUP, description="Bad Request: group chat was upgraded to a supergroup")
        fake.push_update(update)

        def moved() -> bool:
            with bot.session() as session:
                office = find_office(session, "34.02")
                chat = session.get(Chat, office.staff_chat_id) if office else None
                return chat is not None and chat.external_id == str(SUPERGROUP)

        assert await eventually(moved, within=WAIT)
        say(fake, "Tambahan: sudah saya coba ulang")
        relay = await fake.wait_for_call(
            "sendMessage", lambda c: "coba ulang" in c.params.get("text", ""), timeout=WAIT
        )
        assert to(SUPERGROUP)(relay), "the relay goes to the supergroup"
        with bot.session() as session:
            office = find_office(session, "34.02")
            assert office is not None
            assert bot.chat(SUPERGROUP).id == office.staff_chat_id
            waiting = session.exec(
                select(OutboxMessage).where(OutboxMessage.campaign == "later:1")
            ).one()
            assert waiting.chat_id == str(SUPERGROUP)


async def test_a_liaison_edits_a_message_and_the_officers_see_the_edit(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=prepare_desk(tokens)):
        topic, _card = await open_ticket(fake, tokens[0])
        thread = topic.result["message_thread_id"]
        update = fake.message_update(chat_id=LIAISON, from_id=LIAISON, text="Nomor KTA 1234")
        fake.push_update(update)
        await fake.wait_for_call(
            "sendMessage", lambda c: "Nomor KTA 1234" in c.params.get("text", ""), timeout=WAIT
        )
        edited = dict(update["message"], text="Nomor KTA 5678", edit_date=1)
        fake.push_update({"edited_message": edited})
        shown = await fake.wait_for_call(
            "sendMessage", lambda c: "5678" in c.params.get("text", ""), timeout=WAIT
        )
        assert to(BANTUL)(shown) and shown.params["message_thread_id"] == thread
        assert "mengubah pesannya" in shown.params["text"]


NEW_STAFF = -1003000003402


async def test_an_office_links_a_new_staff_group_and_its_open_tickets_follow(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=prepare_with_admin(tokens)):
        topic, _card = await open_ticket(fake, tokens[0])
        old_thread = topic.result["message_thread_id"]
        fake.make_forum(NEW_STAFF, "Staf Bantul baru")
        fake.push_update(
            fake.message_update(chat_id=NEW_STAFF, from_id=ADMIN, text="/tautkan 34.02")
        )
        told = await fake.wait_for_call(
            "sendMessage", lambda c: "grup petugas baru" in c.params.get("text", ""), WAIT
        )
        assert to(BANTUL)(told) and told.params["message_thread_id"] == old_thread
        await fake.wait_for_call("closeForumTopic", to(BANTUL), timeout=WAIT)
        new_topic = await fake.wait_for_call("createForumTopic", to(NEW_STAFF), timeout=WAIT)
        assert new_topic.params["name"].startswith("#BTL-0001")
        new_thread = new_topic.result["message_thread_id"]
        card = await fake.wait_for_call(
            "sendMessage", lambda c: to(NEW_STAFF)(c) and "#BTL-0001" in c.params["text"], WAIT
        )
        assert card.params["message_thread_id"] == new_thread, "the card, not an empty topic"

        say(fake, "Tambahan setelah pindah grup")
        relay = await fake.wait_for_call(
            "sendMessage", lambda c: "setelah pindah" in c.params.get("text", ""), WAIT
        )
        assert to(NEW_STAFF)(relay) and relay.params["message_thread_id"] == new_thread
