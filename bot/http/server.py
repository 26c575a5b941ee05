"""The help desk's one HTTP server, in every mode (webhook or long polling).

An ASGI application (Starlette) served by uvicorn on ``HTTP_LISTEN``. Transports and the
health checks add their routes to it; the server knows none of them. Starlette because it
is the small, well-kept ASGI toolkit FastAPI itself is built on (no validation layer we
would not use), uvicorn because it is the reference ASGI server and runs inside our own
event loop, so the webhook stores into the same inbox the polling loop does.

The socket is bound here, before uvicorn sees it, so a taken port stops start-up with one
line, and port 0 (tests) gives a free port that :attr:`HttpServer.port` reports. uvicorn's
own signal handling is switched off: the process's owner decides when to stop.

The home of ``MAX_BODY_BYTES`` (the largest request body any route reads).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
from collections.abc import Generator

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1 << 20  # Telegram's updates and WhatsApp's webhooks are far smaller
STOP_SECONDS = 5  # at stop, how long requests in flight may take to finish


class HttpStartError(Exception):
    """The server cannot listen, for a reason a person must fix (one line)."""


class BodyTooLarge(Exception):
    """A request body over :data:`MAX_BODY_BYTES`."""


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request's body, or :class:`BodyTooLarge` once it passes ``limit`` (read no
    further: a sender cannot make the server hold more than that)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def _alive(_request: Request) -> Response:
    """Liveness: the process serves requests."""
    return PlainTextResponse("ok")


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield  # the process's owner handles SIGTERM and SIGINT


class HttpServer:
    """One listening address, routes added by whoever serves something on it."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.app = Starlette(routes=[Route("/healthz", _alive, methods=["GET"])])
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None

    def add(self, route: BaseRoute) -> None:
        """Adds a route; allowed while serving (Starlette reads its routes per request)."""
        self.app.router.routes.append(route)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    async def start(self) -> None:
        """Listens, or :class:`HttpStartError`; serving goes on in a task until :meth:`stop`."""
        sock = _bind(self.host, self.port)
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_config=None,
            access_log=False,
            lifespan="off",
            proxy_headers=False,
            server_header=False,
            timeout_graceful_shutdown=STOP_SECONDS,
        )
        self._server = _Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._task.done():
                sock.close()
                self._task.result()
                raise HttpStartError(f"the HTTP server on {self.address} stopped at start")
            await asyncio.sleep(0.01)
        log.info("HTTP server listening on %s", self.address)

    async def stop(self) -> None:
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=STOP_SECONDS + 2)
        except TimeoutError:
            self._server.force_exit = True
            await self._task
        self._server = self._task = None
        log.info("HTTP server stopped")


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        why = "is in use by another program" if exc.errno == errno.EADDRINUSE else exc.strerror
        raise HttpStartError(
            f"cannot listen on {host}:{port} (HTTP_LISTEN): the address {why}"
        ) from None
    sock.setblocking(False)
    return sock
