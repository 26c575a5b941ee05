"""Privacy at rest: a NIK and a phone number, written everywhere a person can put them
(a Telegram display name, a name typed during registration, a question, a file's
caption, an officer's answer), are found nowhere in the database once the ticket is
resolved and everything has been delivered: every text column of every table is read."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, col, select

from models.outbox import OutboxMessage, OutboxStatus
from tests.e2e.harness import LIAISON, Running, eventually, running_bot, say
from tests.e2e.test_desk_telegram import (
    AGENT,
    BANTUL,
    WAIT,
    officer_press,
    officer_says,
    prepare_desk,
    to,
)
from tests.fake_botapi import FakeBotAPI

pytestmark = pytest.mark.e2e

NIK, PHONE = "3402011234567890", "081234567890"
OFFICER_PHONE, DRAFT_NIK = "081398765432", "3402019876543210"
STRANGER = 5002
SECRETS = (NIK, PHONE, OFFICER_PHONE, DRAFT_NIK)
_SEPARATORS = re.compile(r"(?<=\d)[ .\-](?=\d)")


def text_columns() -> list[tuple[sa.Table, sa.Column[str]]]:
    """Every column of every table that can hold text (strings, texts, JSON)."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, sa.String | sa.Text | sa.JSON | sa.Enum):
                found.append((table, column))
    return found


def where_found(running: Running) -> list[str]:
    """Each table.column holding one of the secrets (also written with separators)."""
    hits = []
    with running.session() as session:
        for table, column in text_columns():
            for (value,) in session.execute(sa.select(column).select_from(table)):
                plain = _SEPARATORS.sub("", str(value or ""))
                if any(secret in plain for secret in SECRETS):
                    hits.append(f"{table.name}.{column.name}: {str(value)[:80]!r}")
    return hits


def all_delivered(running: Running) -> bool:
    with running.session() as session:
        waiting = session.exec(
            select(OutboxMessage.id).where(
                col(OutboxMessage.status).in_((OutboxStatus.PENDING, OutboxStatus.SENDING))
            )
        ).first()
        return waiting is None


async def test_a_nik_and_a_phone_number_are_nowhere_at_rest_after_the_ticket(
    fake_botapi: FakeBotAPI, database_url: str
) -> None:
    fake = fake_botapi
    tokens: list[str] = []
    async with running_bot(fake, database_url, prepare=prepare_desk(tokens)) as running:
        # someone starts registering and types a NIK as their name, then leaves it there
        say(fake, "/daftar", chat_id=STRANGER, from_id=STRANGER, first_name="Rina")
        await fake.wait_for_call("sendMessage", to(STRANGER))
        say(fake, f"Rina {DRAFT_NIK}", chat_id=STRANGER, from_id=STRANGER, first_name="Rina")
        await fake.wait_for_call("sendMessage", to(STRANGER))

        name = f"Budi {PHONE}"  # a phone number in the Telegram display name
        say(fake, f"/start {tokens[0]}", first_name=name)
        await fake.wait_for_call("sendMessage", to(LIAISON))
        say(fake, f"/tanya NIK saya {NIK}, HP {PHONE}. Kenapa TMS?", first_name=name)
        told = await fake.wait_for_call("sendMessage", to(LIAISON))
        assert "#BTL-0001" in told.params["text"]
        topic = await fake.wait_for_call("createForumTopic", to(BANTUL), timeout=WAIT)
        thread = topic.result["message_thread_id"]
        card = await fake.wait_for_call("sendMessage", to(BANTUL), timeout=WAIT)
        assert NIK in card.params["text"], "the officers see what the liaison wrote"

        say(fake, f"KTP saya, NIK {NIK}", photo=True, first_name=name)
        photo = await fake.wait_for_call("sendPhoto", to(BANTUL), timeout=WAIT)
        assert NIK in photo.params["caption"]

        officer_says(fake, BANTUL, AGENT, thread, text=f"Silakan hubungi {OFFICER_PHONE}")
        answer = await fake.wait_for_call(
            "sendMessage", lambda c: to(LIAISON)(c) and "Petugas" in c.params["text"], WAIT
        )
        assert OFFICER_PHONE in answer.params["text"], "the liaison gets the answer whole"
        officer_press(fake, BANTUL, AGENT, card, "Selesai")
        await fake.wait_for_call("answerCallbackQuery")
        await fake.wait_for_call(
            "sendMessage", lambda c: to(LIAISON)(c) and "Beri nilai" in str(c.params), WAIT
        )
        assert await eventually(lambda: all_delivered(running), within=WAIT)

        assert text_columns(), "the search reads the schema"
        assert where_found(running) == []
