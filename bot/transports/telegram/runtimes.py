"""The Telegram runtimes: which library carries the Bot API calls (TELEGRAM_RUNTIME).

Each is an install extra (``pip install kpu-helpdesk[ptb]`` or ``[aiogram]``), so only
the chosen library is imported, and only when the bot talks to Telegram.
"""

from __future__ import annotations

from bot.settings import Settings
from bot.transports.telegram.api import BotApi

RUNTIMES = ("ptb", "aiogram")
LIBRARIES = {"ptb": "python-telegram-bot", "aiogram": "aiogram"}


class RuntimeMissing(Exception):
    """TELEGRAM_RUNTIME names a library that is not installed (one line for a person)."""


def make_api(settings: Settings) -> BotApi:
    """A client of the Bot API at TELEGRAM_API_URL, on the runtime the settings name."""
    assert settings.telegram_bot_token is not None
    token = settings.telegram_bot_token.get_secret_value()
    runtime = settings.telegram_runtime
    try:
        if runtime == "aiogram":
            from bot.transports.telegram.aiogram import AiogramApi

            return AiogramApi(token, settings.telegram_api_url)
        from bot.transports.telegram.ptb import PtbApi

        return PtbApi(token, settings.telegram_api_url)
    except ModuleNotFoundError as exc:
        raise RuntimeMissing(
            f"TELEGRAM_RUNTIME={runtime} needs {LIBRARIES[runtime]}, which is not installed "
            f"(no module {exc.name}): pip install -e '.[{runtime}]'"
        ) from None
