"""The help desk's one HTTP server: listening, refusing a taken port, bounded bodies."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.http.server import MAX_BODY_BYTES, BodyTooLarge, HttpServer, HttpStartError, read_body
from tests.cli import helpdesk


async def _request(port: int, raw: bytes) -> bytes:
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 5)
    with contextlib.suppress(ConnectionError):  # the server may answer before reading all
        writer.write(raw)
        await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    return answer


def _get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()


async def test_it_serves_liveness_and_added_routes_then_stops() -> None:
    server = HttpServer("127.0.0.1", 0)
    await server.start()
    try:
        assert server.port > 0
        assert b"200 OK" in await _request(server.port, _get("/healthz"))

        async def hello(_request: Request) -> Response:
            return PlainTextResponse("hello")

        server.add(Route("/hello", hello))  # added while serving
        answer = await _request(server.port, _get("/hello"))
        assert answer.endswith(b"hello")
        assert b"404" in await _request(server.port, _get("/nothing"))
    finally:
        await server.stop()
    with pytest.raises(OSError):
        await _request(server.port, _get("/healthz"))


async def test_a_taken_port_is_one_line_naming_the_setting() -> None:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    try:
        server = HttpServer("127.0.0.1", holder.getsockname()[1])
        with pytest.raises(HttpStartError, match=r"HTTP_LISTEN.*in use"):
            await server.start()
    finally:
        holder.close()


async def test_a_body_over_the_limit_is_refused_without_reading_it_all() -> None:
    seen: list[str] = []

    async def take(request: Request) -> Response:
        try:
            body = await read_body(request)
        except BodyTooLarge:
            seen.append("too large")
            return PlainTextResponse("too large", status_code=413)
        seen.append(str(len(body)))
        return PlainTextResponse("ok")

    server = HttpServer("127.0.0.1", 0)
    server.add(Route("/take", take, methods=["POST"]))
    await server.start()
    try:
        big = MAX_BODY_BYTES + 1
        declared = (
            f"POST /take HTTP/1.1\r\nHost: x\r\nContent-Length: {big}\r\nConnection: close\r\n\r\n"
        ).encode()
        assert b"413" in await _request(server.port, declared + b"x" * 10)
        chunked = (
            b"POST /take HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            b"Connection: close\r\n\r\n"
        )
        piece = b"y" * 65536
        for _ in range(big // len(piece) + 1):
            chunked += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        chunked += b"0\r\n\r\n"
        assert b"413" in await _request(server.port, chunked)
        small = (
            b"POST /take HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"
        )
        assert b"200 OK" in await _request(server.port, small)
    finally:
        await server.stop()
    assert seen == ["too large", "too large", "3"]


def test_helpdesk_run_on_a_taken_port_stops_with_one_line_and_asks_telegram_nothing(
    tmp_path: Path,
) -> None:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    try:
        result = helpdesk(
            "run",
            cwd=tmp_path,
            env={
                "TELEGRAM_BOT_TOKEN": "123456:ABCdef",
                # nothing listens there: asking Telegram would hang and fail the test
                "TELEGRAM_API_URL": "http://127.0.0.1:9",
                "HTTP_LISTEN": f"127.0.0.1:{holder.getsockname()[1]}",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}",
            },
        )
    finally:
        holder.close()
    assert result.returncode == 1
    assert "cannot start" in result.stderr and "HTTP_LISTEN" in result.stderr
    assert "Traceback" not in result.stderr
