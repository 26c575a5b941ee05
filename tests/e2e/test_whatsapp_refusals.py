"""Each Cloud API refusal, answered by the fake over HTTP, becomes the outbox outcome its
code means (``bot.transports.whatsapp.refusals``): who waits, for how long, what is held,
and what is refused for good."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.delivery.courier import Delivery, Parcel, Verdict
from bot.transports.whatsapp.courier import WhatsAppCourier
from bot.transports.whatsapp.graph import Graph
from bot.transports.whatsapp.menus import Words
from bot.transports.whatsapp.refusals import ACCOUNT_WAIT
from bot.transports.whatsapp.templates import load_templates
from tests.fake_cloudapi import FakeCloudAPI

pytestmark = pytest.mark.e2e

PERSON = "6281234567890"


class OpenWindow:
    """The help desk's records, as the courier asks them: the person wrote an hour ago."""

    def __init__(self) -> None:
        self.held_campaigns: list[str] = []

    async def window(self, chat_id: str) -> tuple[bool, bool]:
        return True, False

    async def begin(self, chat_id: str) -> float:
        return 0.0

    async def held(self, campaign: str) -> None:
        self.held_campaigns.append(campaign)


@pytest_asyncio.fixture
async def courier(fake_cloudapi: FakeCloudAPI) -> AsyncIterator[WhatsAppCourier]:
    cloud = fake_cloudapi
    graph = Graph(cloud.base_url, cloud.version, cloud.phone_number_id, cloud.token)
    words = Words("Pilih", lambda page, pages: f"({page}/{pages})")
    yield WhatsAppCourier(graph, words, load_templates(), OpenWindow(), lambda chat, a: a)
    await graph.close()


async def refused_with(cloud: FakeCloudAPI, courier: WhatsAppCourier, code: int) -> Delivery:
    cloud.fail_next(code, to=PERSON)
    delivery = await courier.send(Parcel(chat_id=PERSON, text="Jawaban petugas", outbox_id=7))
    assert cloud.refused == [(PERSON, code)] and cloud.sent == []
    assert delivery.error.startswith(f"whatsapp {code}:"), "the row says which refusal"
    return delivery


async def test_the_per_person_marketing_limit_holds_the_message_for_that_person_only(
    fake_cloudapi: FakeCloudAPI, courier: WhatsAppCourier
) -> None:
    """131049: Meta asks for 24 hours before that person gets another template; the
    message waits for the person to write (then it goes free-form), and they are not
    taken for unreachable."""
    delivery = await refused_with(fake_cloudapi, courier, 131049)
    assert delivery.verdict is Verdict.HELD and not delivery.pause_all


@pytest.mark.parametrize("code", [368, 131031, 131042, 131064])
async def test_an_account_that_must_be_fixed_in_meta_tools_pauses_every_message(
    fake_cloudapi: FakeCloudAPI,
    courier: WhatsAppCourier,
    code: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Restricted, locked, unpaid, or past its messaging limit: nothing can go until a
    person acts, so everything waits (nothing is given up) and the log says what to do."""
    delivery = await refused_with(fake_cloudapi, courier, code)
    assert delivery.verdict is Verdict.RETRY and delivery.pause_all
    assert delivery.wait == ACCOUNT_WAIT
    assert "WhatsApp Manager" in caplog.text


@pytest.mark.parametrize("code", [131000, 131016])
async def test_trouble_at_whatsapp_is_waited_out(
    fake_cloudapi: FakeCloudAPI, courier: WhatsAppCourier, code: int
) -> None:
    delivery = await refused_with(fake_cloudapi, courier, code)
    assert delivery.verdict is Verdict.RETRY and delivery.pause_all


@pytest.mark.parametrize("code", [132001, 132015])
async def test_a_template_refusal_is_final_and_names_the_check(
    fake_cloudapi: FakeCloudAPI,
    courier: WhatsAppCourier,
    code: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    delivery = await refused_with(fake_cloudapi, courier, code)
    assert delivery.verdict is Verdict.FAILED
    assert "helpdesk whatsapp templates check" in caplog.text


@pytest.mark.parametrize("code", [131051, 131053])
async def test_a_message_whatsapp_cannot_carry_is_refused_for_good(
    fake_cloudapi: FakeCloudAPI, courier: WhatsAppCourier, code: int
) -> None:
    delivery = await refused_with(fake_cloudapi, courier, code)
    assert delivery.verdict is Verdict.FAILED
