"""When a messaging app last answered this process: a neutral record a transport keeps
(the app's SDK stays in ``bot/transports``) and readiness reads.

An app "answered" when any call got an answer from it, an error included (a 400, a 403,
a 429: the app is there and speaking); a network failure or a 5xx is no answer. An update
the app delivered to our webhook counts too.
"""

from __future__ import annotations

import threading
import time


class Contact:
    """The last answer of one app, in this process's monotonic time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ok: float | None = None
        self._last_error = ""

    def answered(self) -> None:
        with self._lock:
            self._last_ok = time.monotonic()
            self._last_error = ""

    def failed(self, error: str) -> None:
        with self._lock:
            self._last_error = error[:200]

    def silent_for(self) -> float | None:
        """Seconds since the app last answered; None when it never has."""
        with self._lock:
            return None if self._last_ok is None else time.monotonic() - self._last_ok

    @property
    def last_error(self) -> str:
        with self._lock:
            return self._last_error
