"""What one message may hold in the messaging app (Telegram's Bot API). This module is
the one home of these limits; handlers, knowledge and the delivery code read them here:

- ``TEXT_LIMIT``: characters in one text message (4096, counted after entity parsing);
  a longer text is sent in parts or, for an FAQ answer, shortened.
- ``CAPTION_LIMIT``: characters in a file's caption (1024).
- ``TOAST_LIMIT``: characters shown in a button's notice (200).
- ``PAYLOAD_LIMIT``: bytes of a button's payload (64).
- ``TOPIC_NAME_LIMIT``: characters in a forum topic's name (128).
"""

from __future__ import annotations

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
TOAST_LIMIT = 200
PAYLOAD_LIMIT = 64
TOPIC_NAME_LIMIT = 128
