"""The WhatsApp transport's rules, one by one: markup, menus, refusals, templates,
settings and invites."""

from __future__ import annotations

import pytest

from bot.delivery.courier import Verdict
from bot.settings import SettingsError, load_settings
from bot.transports.whatsapp.convert import decode, read_webhook
from bot.transports.whatsapp.graph import GraphError
from bot.transports.whatsapp.markup import split_text, to_whatsapp
from bot.transports.whatsapp.menus import Choice, Words, interactive
from bot.transports.whatsapp.refusals import delivery_of
from bot.transports.whatsapp.templates import compare_templates, load_templates, use_for
from models.invites import whatsapp_link
from tests.fake_cloudapi.checks import check_message
from tests.fake_cloudapi.server import FakeCloudAPI

WORDS = Words("Pilih", lambda page, pages: f"Pilihan lainnya ({page}/{pages})")


def test_the_templates_html_becomes_whatsapp_markup() -> None:
    html = '<b>Tahapan</b> <i> pendaftaran </i> &amp; <code>SIPOL</code> <a href="https://kpu.go.id">KPU</a>'
    assert to_whatsapp(html) == "*Tahapan*  _pendaftaran_  & ```SIPOL``` KPU (https://kpu.go.id)"
    assert to_whatsapp("<b></b>x<br>y") == "x\ny"


def test_a_long_text_is_cut_at_line_ends_within_the_limit() -> None:
    lines = [f"baris {i} " + "x" * 90 for i in range(100)]
    pieces = split_text("\n".join(lines), 4096)
    assert len(pieces) == 3 and all(len(p) <= 4096 for p in pieces)
    assert "\n".join(pieces).split("\n") == lines, "cut only between lines, nothing lost"
    assert [len(p) for p in split_text("y" * 5000, 4096)] == [4096, 904]


def test_three_short_choices_are_reply_buttons_and_more_are_lists_in_pages() -> None:
    three = [Choice(f"Pilihan {i}", f"p{i}") for i in range(3)]
    (buttons,) = interactive("Menu", three, WORDS)
    assert buttons["type"] == "button" and len(buttons["action"]["buttons"]) == 3
    many = [Choice(f"{i}. Bagaimana cara mengunggah dokumen nomor {i}", f"p{i}") for i in range(23)]
    pages = interactive("Menu", many, WORDS)
    assert [p["type"] for p in pages] == ["list"] * 3
    assert [len(p["action"]["sections"][0]["rows"]) for p in pages] == [10, 10, 3]
    assert pages[1]["body"]["text"] == "Pilihan lainnya (2/3)"
    row = pages[0]["action"]["sections"][0]["rows"][0]
    assert len(row["title"]) <= 24 and row["description"].startswith("0. Bagaimana")
    for page in pages:
        message = {
            "messaging_product": "whatsapp",
            "to": "62",
            "type": "interactive",
            "interactive": page,
        }
        assert check_message(message, {}) == []
    (long,) = interactive("Menu", [Choice("Satu pilihan yang panjang sekali", "p")], WORDS)
    assert long["type"] == "list", "a title over 20 characters cannot be a button"


@pytest.mark.parametrize(
    ("code", "verdict"),
    [
        (131056, Verdict.RETRY),
        (130429, Verdict.RETRY),
        (131047, Verdict.HELD),
        (131026, Verdict.UNREACHABLE),
        (131049, Verdict.HELD),
        (131048, Verdict.RETRY),
        (100, Verdict.FAILED),
    ],
)
def test_each_refusal_means_one_thing_for_the_outbox(code: int, verdict: Verdict) -> None:
    delivery = delivery_of(GraphError(400, code, "x"))
    assert delivery is not None and delivery.verdict is verdict
    if code == 131056:
        assert delivery.wait >= 6 and not delivery.pause_all, "only that person waits"
    if code == 130429:
        assert delivery.pause_all, "the whole number waits"


def test_the_shipped_templates_match_an_account_that_has_them() -> None:
    configured = load_templates()
    assert use_for("rem:3:7d") == "reminder" and use_for("ann:1:m") == "announcement"
    assert use_for("ticket:4:msg:9") == "answered"
    fake = FakeCloudAPI()
    fake.template("kpu_helpdesk_answered", "id", 0, buttons=1)
    fake.template("kpu_helpdesk_reminder", "id", 1, buttons=2)
    account = [
        {
            "name": "kpu_helpdesk_answered",
            "language": "id",
            "status": "APPROVED",
            "category": "UTILITY",
            "components": [
                {"type": "BODY", "text": "Ada jawaban."},
                {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Baca"}]},
            ],
        },
        {
            "name": "kpu_helpdesk_reminder",
            "language": "en",
            "status": "APPROVED",
            "category": "UTILITY",
            "components": [{"type": "BODY", "text": "{{1}}"}],
        },
        {
            "name": "kpu_helpdesk_announcement",
            "language": "id",
            "status": "PENDING",
            "category": "MARKETING",
            "components": [{"type": "BODY", "text": "{{1}} {{2}}"}],
        },
    ]
    problems = compare_templates(configured, account)
    assert problems[0].startswith("reminder: kpu_helpdesk_reminder (id) is not in the account")
    assert any("PENDING" in p for p in problems) and any("MARKETING" in p for p in problems)
    assert any("takes 2 parameter(s)" in p for p in problems)
    assert any("has 0 quick-reply button(s); the file gives 1" in p for p in problems), (
        "an announcement template without its button is named"
    )
    assert not any(p.startswith("answered") for p in problems)


def test_whatsapp_settings_go_together() -> None:
    with pytest.raises(SettingsError, match="go together"):
        load_settings(env_file=None, whatsapp_access_token="t")
    settings = load_settings(
        env_file=None,
        whatsapp_access_token="t",
        whatsapp_phone_number_id="123",
        whatsapp_app_secret="s",
        whatsapp_display_number="+62 811-0000-0000",
    )
    assert settings.whatsapp_enabled and settings.whatsapp_display_number == "6281100000000"
    with pytest.raises(SettingsError, match="WHATSAPP_PHONE_NUMBER_ID"):
        load_settings(env_file=None, whatsapp_phone_number_id="+62 811")


def test_a_wa_me_invite_is_read_as_start_with_its_token() -> None:
    link = whatsapp_link("6281100000000", "AbC123_token")
    assert link == "https://wa.me/6281100000000?text=DAFTAR%20AbC123_token"
    fake = FakeCloudAPI()
    body = fake.message_webhook(
        "6281234567890",
        {"type": "text", "text": {"body": "daftar AbC123_token"}},
        user_id="ID.1234567890",
    )
    webhook = read_webhook(body, fake.phone_number_id)
    (received,) = webhook.messages
    assert received.chat_key == "ID.1234567890", "keyed on the business-scoped user id"
    event = decode(received.payload).event
    assert event is not None and event.text == "/start AbC123_token"
    assert event.sender.id == "ID.1234567890" and event.chat.id == "ID.1234567890"
    other = read_webhook(body, "999")
    assert other.messages == [], "a webhook for another number is not ours"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ({"type": "text", "text": {"body": "halo"}}, ("halo", None, None)),
        (
            {
                "type": "interactive",
                "interactive": {"type": "list_reply", "list_reply": {"id": "faq~x", "title": "t"}},
            },
            (None, "faq~x", None),
        ),
        (
            {
                "type": "interactive",
                "interactive": {
                    "type": "button_reply",
                    "button_reply": {"id": "b~y", "title": "t"},
                },
            },
            (None, "b~y", None),
        ),
        ({"type": "button", "button": {"payload": "tpl", "text": "t"}}, (None, "tpl", None)),
        (
            {"type": "image", "image": {"id": "77", "mime_type": "image/jpeg", "caption": "KTA"}},
            ("KTA", None, ("photo", "wa:77")),
        ),
        (
            {
                "type": "document",
                "document": {"id": "78", "filename": "sk.pdf", "mime_type": "application/pdf"},
            },
            (None, None, ("document", "wa:78")),
        ),
        ({"type": "audio", "audio": {"id": "79", "voice": True}}, (None, None, ("voice", "wa:79"))),
        ({"type": "location", "location": {"latitude": -7.9}}, (None, None, ("location", ""))),
        ({"type": "contacts", "contacts": [{"name": {}}]}, (None, None, ("contact", ""))),
        (
            {"type": "reaction", "reaction": {"message_id": "wamid.1", "emoji": "👍"}},
            (None, None, ("reaction", "")),
        ),
    ],
)
def test_each_kind_of_whatsapp_message_becomes_one_event(
    message: dict[str, object], expected: tuple[object, ...]
) -> None:
    fake = FakeCloudAPI()
    body = fake.message_webhook("6281234567890", message)
    (received,) = read_webhook(body, fake.phone_number_id).messages
    event = decode(received.payload).event
    assert event is not None and event.channel == "whatsapp"
    text, button, attachment = expected
    assert (event.text, event.button) == (text, button)
    kinds = [(a.kind, a.file_id) for a in event.attachments]
    assert kinds == ([attachment] if attachment else [])


def test_a_status_names_its_row_and_an_unknown_kind_is_nothing_for_the_help_desk() -> None:
    fake = FakeCloudAPI()
    sent_body = {"biz_opaque_callback_data": "outbox:42"}
    status = fake._envelope(
        {"statuses": [{"id": "wamid.9", "status": "read", "timestamp": "1764000000",
                       "recipient_id": "62811", **sent_body}]}
    )  # fmt: skip
    (read,) = read_webhook(status, fake.phone_number_id).statuses
    assert (read.message_id, read.receipt.value, read.outbox_id) == ("wamid.9", "read", 42)
    body = fake.message_webhook("62811", {"type": "unsupported", "errors": [{"code": 131051}]})
    (received,) = read_webhook(body, fake.phone_number_id).messages
    assert decode(received.payload).event is None
