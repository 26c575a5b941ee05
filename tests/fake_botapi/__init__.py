"""A fake Telegram Bot API server for end-to-end tests of the real aiogram transport.

Usage (the ``fake_botapi`` fixture from ``tests.fake_botapi.plugin`` does the same and
fails the test if the bot made calls that violate the Bot API spec)::

    async with FakeBotAPI() as fake:
        session = AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url))
        bot = Bot(fake.token, session=session)
        ...
        fake.push_update(fake.message_update(chat_id=42, from_id=42, text="/start"))
        call = await fake.wait_for_call("sendMessage", lambda c: c.params["chat_id"] == 42)
"""

from . import errors
from .builders import text_entities
from .html_check import HtmlParseError, parse_html
from .limits import Stats, TelegramLimits
from .models import Call, UploadedFile, WebhookDelivery
from .server import FakeBotAPI
from .spec import BotApiSpec, Violation, check_call, load_spec

__all__ = [
    "BotApiSpec",
    "Call",
    "FakeBotAPI",
    "HtmlParseError",
    "Stats",
    "TelegramLimits",
    "UploadedFile",
    "Violation",
    "WebhookDelivery",
    "check_call",
    "errors",
    "load_spec",
    "parse_html",
    "text_entities",
]
