"""Signed button payloads.

Telegram gives callback data back exactly as any client sends it, so a payload is a
claim, not a fact. Each payload carries a short HMAC bound to the chat it was sent to;
a forged, altered or copied-to-another-chat payload fails the check. The whole thing
must fit Telegram's 64 bytes of callback data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from models.message_limits import PAYLOAD_LIMIT as MAX_PAYLOAD_BYTES

_SIG_CHARS = 11  # 66 bits of base64url: forging one by trial is out of reach
_SEP = "~"


class PayloadTooLong(ValueError):
    pass


class Signer:
    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the signing key must be at least 16 bytes")
        self._key = key

    def _mac(self, chat_id: str, action: str) -> str:
        digest = hmac.new(self._key, f"{chat_id}\x00{action}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode()[:_SIG_CHARS]

    def sign(self, chat_id: str, action: str) -> str:
        payload = f"{action}{_SEP}{self._mac(chat_id, action)}"
        if len(payload.encode()) > MAX_PAYLOAD_BYTES:
            raise PayloadTooLong(f"button action {action!r} does not fit in 64 bytes signed")
        return payload

    def verify(self, chat_id: str, payload: str) -> str | None:
        """The action inside a payload, or None when the payload is not one of ours."""
        action, sep, mac = payload.rpartition(_SEP)
        if not sep or not action:
            return None
        if not hmac.compare_digest(mac, self._mac(chat_id, action)):
            return None
        return action
