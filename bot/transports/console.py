"""A chat in the terminal, running the same handlers as Telegram. Buttons are shown as
numbered choices: type the number to press one."""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from bot.transports.common import handle_safely, html_to_plain
from handlers.helpdesk import HelpDesk
from handlers.port import Button, ChatRef, Event, Out, Reply, Sender, Toast
from models import ChatKind

CHANNEL = "console"
QUIT = {"/quit", "/exit", "/keluar"}
_BOLD = re.compile(r"</?b>")


class ConsoleChat:
    def __init__(
        self,
        helpdesk: HelpDesk,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
        *,
        name: str = "Demo",
        language: str = "id",
        color: bool | None = None,
    ) -> None:
        self._helpdesk = helpdesk
        self._in = stdin
        self._out = stdout
        self._chat = ChatRef(id="console", kind=ChatKind.PRIVATE, title=name)
        self._sender = Sender(id="console-demo", name=name, language=language)
        self._color = stdout.isatty() if color is None else color
        self._ids = itertools.count(1)
        self._updates = itertools.count(1)
        self._choices: list[tuple[Button, str]] = []  # (button, id of the message it is on)

    def run(self) -> None:
        self._print(
            "Helpdesk KPU — console chat. Type a message, a number to press a button, "
            "/quit to leave.\n"
        )
        self._send(
            Event(
                channel=CHANNEL,
                chat=self._chat,
                sender=self._sender,
                text="/start",
                ref=str(next(self._ids)),
                update_id=str(next(self._updates)),
            )
        )
        for line in self._lines():
            if line.strip().lower() in QUIT:
                break
            self._send(self._event(line))
        self._print("\nSampai jumpa! / Goodbye!\n")

    def _lines(self) -> Iterator[str]:
        while True:
            self._print("> ")
            line = self._in.readline()
            if not line:
                return
            yield line.rstrip("\r\n")

    def _event(self, line: str) -> Event:
        update = str(next(self._updates))
        choice = line.strip()
        if choice.isdigit() and 1 <= int(choice) <= len(self._choices):
            button, message = self._choices[int(choice) - 1]
            return Event(
                channel=CHANNEL,
                chat=self._chat,
                sender=self._sender,
                button=button.payload,
                ref=message,
                update_id=update,
            )
        return Event(
            channel=CHANNEL,
            chat=self._chat,
            sender=self._sender,
            text=line,
            ref=str(next(self._ids)),
            update_id=update,
        )

    def _send(self, event: Event) -> None:
        for out in handle_safely(self._helpdesk, event):
            self._show(out)

    def _show(self, out: Out) -> None:
        if isinstance(out, Toast):
            self._print(f"  » {out.text}\n")
            return
        assert isinstance(out, Reply)
        message = out.edit or str(next(self._ids))
        header = "bot (edited)" if out.edit else "bot"
        self._print(f"\n[{header}]\n{self._format(out.text)}\n")
        if out.file is not None:
            saved = self._save(out.file.name, out.file.content)
            self._print(f"  📎 {out.file.name} ({len(out.file.content)} bytes) → {saved}\n")
        buttons = [b for row in out.buttons for b in row]
        if buttons:
            self._choices = [(b, message) for b in buttons]
            for number, button in enumerate(buttons, 1):
                target = f" → {button.url}" if button.url else ""
                self._print(f"  [{number}] {button.label}{target}\n")

    def _save(self, name: str, content: bytes) -> Path:
        folder = Path("var") / "files"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / Path(name).name
        target.write_bytes(content)
        return target

    def _format(self, text: str) -> str:
        if self._color:
            text = _BOLD.sub(lambda m: "\033[0m" if m.group(0) == "</b>" else "\033[1m", text)
        return html_to_plain(text)

    def _print(self, text: str) -> None:
        self._out.write(text)
        self._out.flush()
