"""The Telegram transport: the inbox, the conversion into events, sending and Telegram's
refusals, written once against ``api.BotApi``; the library that carries the calls is a
runtime (``aiogram``, ``ptb``), chosen by TELEGRAM_RUNTIME (``runtimes``).

Nothing here imports either library at import time.
"""

from bot.transports.telegram.runner import TelegramTransport

__all__ = ["TelegramTransport"]
