"""Group commit: requests made while a write is under way are written together in the
next one. The outbox worker's senders each claim their message just before the call
and record the answer just after; under a burst that was two commits per message,
each waiting its turn for SQLite's single writer and taking time from the handlers.
Gathered, a burst of answers costs a few commits. Each request still gets its own
result, and nothing waits for a pause: the first request is written at once, and those
arriving meanwhile go in the next write.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Request = TypeVar("Request")
Result = TypeVar("Result")

Write = Callable[[Sequence[Request]], Sequence[Result]]  # one transaction, a result each


class GroupCommit(Generic[Request, Result]):
    def __init__(self, write: Write[Request, Result]) -> None:
        self._write = write
        self._waiting: list[tuple[Request, asyncio.Future[Result]]] = []
        self._flushing: asyncio.Task[None] | None = None

    async def __call__(self, request: Request) -> Result:
        """The request's result once the write that holds it has committed."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((request, future))
        if self._flushing is None:
            self._flushing = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                requests = [r for r, _ in batch]
                write = asyncio.ensure_future(asyncio.to_thread(self._write, requests))
                await asyncio.wait({write})
                failure = write.exception()
                if failure is not None:  # each waiting sender sees the failure
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(failure)
                    continue
                results = write.result()
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)
        finally:
            self._flushing = None
