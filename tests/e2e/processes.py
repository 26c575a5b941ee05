"""``helpdesk run`` processes side by side on one database, each behind its own address
of the same webhook, as a service manager and a load balancer would run them."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.harness import free_port, helpdesk_env
from tests.fake_botapi import FakeBotAPI

SECRET = "s3cret-for-several"
HOOK_PATH = "/telegram/hook"
LEADS = "this process leads"
SERVING = "webhook at"
POLLING = "long polling started"
SIGNED_IN = "signed in as"


@dataclass
class HelpdeskProcess:
    """One ``helpdesk run``; its stderr lines are kept (with the monotonic time seen)."""

    name: str
    process: asyncio.subprocess.Process
    port: int
    lines: list[tuple[float, str]] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{HOOK_PATH}"

    @property
    def alive(self) -> bool:
        return self.process.returncode is None

    async def _read(self) -> None:
        assert self.process.stderr is not None
        while line := await self.process.stderr.readline():
            self.lines.append((time.monotonic(), line.decode(errors="replace").rstrip()))

    def said(self, text: str) -> float | None:
        """When the process first logged ``text`` (monotonic), or None."""
        return next((at for at, line in self.lines if text in line), None)

    async def wait_said(self, text: str, within: float) -> float:
        deadline = time.monotonic() + within
        while (at := self.said(text)) is None:
            if not self.alive and self._reader is not None and self._reader.done():
                raise AssertionError(f"{self.name} stopped: {self.tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} did not log {text!r}: {self.tail()}")
            await asyncio.sleep(0.05)
        return at

    def tail(self, lines: int = 15) -> str:
        return "\n".join(line for _, line in self.lines[-lines:])

    async def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would."""
        if self.alive:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()

    async def stop(self) -> None:
        if self.alive:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), timeout=30)
            except TimeoutError:
                await self.kill()
        if self._reader is not None:
            await asyncio.wait_for(self._reader, timeout=5)


async def start_process(
    name: str,
    fake: FakeBotAPI,
    database_url: str,
    cwd: Path,
    *,
    role: str = "all",
    public_port: int | None = None,
    polling: bool = False,
    **extra: str,
) -> HelpdeskProcess:
    """A webhook process on ``database_url``; every process shares the public webhook
    address (``public_port``'s), each listens on a port of its own. ``polling``: a long
    polling process instead (no webhook)."""
    port = free_port()
    hook = {
        "WEBHOOK_URL": f"http://127.0.0.1:{public_port or port}{HOOK_PATH}",
        "WEBHOOK_SECRET": SECRET,
    }
    env = helpdesk_env(
        fake,
        DATABASE_URL=database_url,
        HELPDESK_ROLE=role,
        HTTP_LISTEN=f"127.0.0.1:{port}",
        LOG_LEVEL="INFO",
        **({} if polling else hook),
        **extra,
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    started = HelpdeskProcess(name, process, port)
    started._reader = asyncio.create_task(started._read())
    return started


async def leader_among(processes: list[HelpdeskProcess], within: float) -> HelpdeskProcess:
    """The process that logged taking the lead (the latest to do so among the living)."""
    deadline = time.monotonic() + within
    while True:
        leading = [
            (p.said(LEADS) or 0.0, p) for p in processes if p.alive and p.said(LEADS) is not None
        ]
        if leading:
            return max(leading, key=lambda pair: pair[0])[1]
        if time.monotonic() > deadline:
            tails = "\n---\n".join(p.tail() for p in processes)
            raise AssertionError(f"no process took the lead within {within} s:\n{tails}")
        await asyncio.sleep(0.05)
