"""The cyclic garbage collector during start-up.

Start-up creates a few hundred thousand objects that live as long as the process (modules,
classes, pydantic and SQLAlchemy schemas, the knowledge base's index), and almost none of
them is garbage: every pass of the collector over them while they are made is wasted, some
0.15 s of CPU on importing alone. ``paused`` holds the collector off while they are made;
``settled`` then moves them out of its sight (``gc.freeze``), so that the full passes of
a process serving for weeks no longer walk them either.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No collection inside; as it was afterwards (enabled, unless it was not)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def settled() -> None:
    """Start-up is over: what exists now is kept out of every later collection."""
    gc.freeze()
