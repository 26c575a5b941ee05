"""The Telegram transport, built on aiogram 3."""

from bot.transports.telegram.runner import TelegramTransport

__all__ = ["TelegramTransport"]
