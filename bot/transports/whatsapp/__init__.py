"""WhatsApp through the official Business Cloud API: the webhook in, the courier out."""

from bot.transports.whatsapp.convert import CHANNEL
from bot.transports.whatsapp.transport import WhatsAppTransport

__all__ = ["CHANNEL", "WhatsAppTransport"]
