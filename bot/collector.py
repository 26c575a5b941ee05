"""The cyclic garbage collector during start-up.

Start-up creates a few hundred thousand objects that live as long as the process (modules,
classes, pydantic and SQLAlchemy schemas, the knowledge base's index), and almost none of
them is garbage: every pass of the collector over them while they are made is wasted, some
0.15 s of CPU on importing alone, and so is the pass that would follow at once when the
collector is turned back on. ``paused`` holds the collector off while they are made and
then moves them out of its sight (``gc.freeze``): neither that pass nor the full passes
of a process serving for weeks walk them again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No collection inside; what was made inside is kept out of every later collection,
    and the collector is as it was (enabled, unless it was not)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
