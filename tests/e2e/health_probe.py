"""Asking the help desk's HTTP server about its health, as a monitoring system would."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.harness import Running

T = TypeVar("T")
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def scrape(running: Running) -> Samples:
    """Every sample of ``GET /metrics``, by name and labels."""
    async with aiohttp.ClientSession() as client:
        url = f"http://127.0.0.1:{running.transport.http.port}/metrics"
        async with client.get(url, timeout=aiohttp.ClientTimeout(total=10)) as answer:
            assert answer.status == 200
            assert answer.headers["content-type"].startswith("text/plain")
            text = await answer.text()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def readiness(running: Running) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as client:
        url = f"http://127.0.0.1:{running.transport.http.port}/readyz"
        async with client.get(url, timeout=aiohttp.ClientTimeout(total=10)) as answer:
            return answer.status, json.loads(await answer.text())


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def until(probe: Callable[[], Awaitable[T]], check: Callable[[T], bool], within: float) -> T:
    """Asks ``probe`` every 0.1 s until ``check`` holds or ``within`` seconds passed; the
    last answer."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    answer = await probe()
    while not check(answer) and loop.time() < deadline:
        await asyncio.sleep(0.1)
        answer = await probe()
    return answer


def answers(status: int) -> Callable[[tuple[int, dict[str, Any]]], bool]:
    return lambda answer: answer[0] == status


class TcpProxy:
    """A loopback TCP relay to ``target`` (host, port), served on a thread of its own (the
    help desk makes blocking database calls on its loop at start). :meth:`close` stops
    listening and cuts every relayed connection, so the database is away as when its
    server stops: connection refused. :meth:`open` listens again on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    def open(self) -> None:
        asyncio.run_coroutine_threadsafe(self._open(), self._loop).result(timeout=10)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(timeout=10)

    def stop(self) -> None:
        self.close()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    async def _open(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            far_reader, far_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, far_writer}

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while chunk := await source.read(65536):
                    sink.write(chunk)
                    await sink.drain()
            except OSError:
                pass
            finally:
                sink.transport.abort()

        try:
            await asyncio.gather(pump(reader, far_writer), pump(far_reader, writer))
        finally:
            self._writers -= {writer, far_writer}
