"""Asking the help desk's HTTP server about its health, as a monitoring system would."""

from __future__ import annotations

import asyncio
import json
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
