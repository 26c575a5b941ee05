"""A chat in the terminal, running the same handlers as Telegram. Buttons are shown as
numbered choices: type the number to press one.

The whole desk is shown: the liaison's private chat, and what the outbox sends to the
office's staff chat (each ticket's topic, its card, the liaison's messages relayed),
labelled by chat and topic. ``/officer`` puts the person at the keyboard in the staff
chat as the office's officer, in the newest ticket's topic (``/topic`` picks another):
what they type is said there, the numbers press the card's buttons. ``/liaison`` goes
back to the liaison's chat, where the officer's answer has arrived."""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.delivery.courier import Parcel
from bot.transports.common import handle_safely, html_to_plain
from bot.transports.console_outbox import ConsoleOutbox, Delivered, TopicChange
from handlers.helpdesk import HelpDesk
from handlers.port import Button, ChatRef, Event, Out, Reply, Sender, Toast
from models import ChatKind

CHANNEL = "console"
LIAISON_CHAT = "console"  # the liaison's private chat
LIAISON_ID = "console-demo"  # the liaison, as the console knows them
QUIT = {"/quit", "/exit", "/keluar"}
LIAISON, OFFICER = "liaison", "officer"
HELP = (
    "Console commands: /officer answer as the officer in the staff chat · /liaison back to "
    "the liaison's chat · /topic [N] list or choose a ticket's topic · /console this help · "
    "/quit leave.\n"
)
_BOLD = re.compile(r"</?b>")


@dataclass(frozen=True)
class StaffSeat:
    """The staff chat and the officer the person at the keyboard can be."""

    chat_id: str
    title: str
    officer_id: str
    officer_name: str


@dataclass(frozen=True)
class _Choice:
    button: Button
    message: str  # the id of the message the button is on
    thread: str | None  # the topic that message is in


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
        staff: StaffSeat | None = None,
    ) -> None:
        self._helpdesk = helpdesk
        self._in = stdin
        self._out = stdout
        self._staff = staff
        self._chat = ChatRef(id=LIAISON_CHAT, kind=ChatKind.PRIVATE, title=name)
        self._sender = Sender(id=LIAISON_ID, name=name, language=language)
        self._color = stdout.isatty() if color is None else color
        self._ids = itertools.count(1)
        self._updates = itertools.count(1)
        self._role = LIAISON
        self._thread: str | None = None  # the officer's topic in the staff chat
        self._choices: dict[str, list[_Choice]] = {LIAISON: [], OFFICER: []}
        self._outbox = ConsoleOutbox(
            helpdesk.sessions, helpdesk.clock, CHANNEL, {LIAISON_CHAT}, self._ids
        )

    def run(self) -> None:
        self._print(
            "Helpdesk KPU — console chat. Type a message, a number to press a button.\n" + HELP
        )
        try:
            self._send(self._liaison_event(text="/start"))
            for line in self._lines():
                command = line.strip().lower()
                if command in QUIT:
                    break
                if not self._console_command(command):
                    self._send(self._event(line))
            self._print("\nSampai jumpa! / Goodbye!\n")
        finally:
            self._outbox.close()

    def _lines(self) -> Iterator[str]:
        while True:
            self._print(f"{self._prompt()}> ")
            line = self._in.readline()
            if not line:
                return
            yield line.rstrip("\r\n")

    def _prompt(self) -> str:
        if self._role == LIAISON:
            return LIAISON
        topic = self._short_topic(self._thread)
        return f"{OFFICER} · {topic}" if topic else OFFICER

    # -- the console's own commands ------------------------------------------------------

    def _console_command(self, command: str) -> bool:
        """Handles /officer, /liaison, /topic and /console; False for anything else."""
        word, _, arg = command.partition(" ")
        if word == "/console":
            self._print(HELP)
        elif word == "/liaison":
            self._become(LIAISON)
        elif word == "/officer":
            if self._staff is None:
                self._print("  (this console has no staff chat)\n")
            else:
                self._become(OFFICER)
        elif word == "/topic":
            self._choose_topic(arg.strip())
        else:
            return False
        return True

    def _become(self, role: str) -> None:
        self._role = role
        if role == LIAISON:
            self._print(f"\n— You are the liaison ({self._sender.name}), in your chat.\n")
        else:
            assert self._staff is not None
            where = self._topic_name(self._thread) or "the chat outside any topic"
            self._print(
                f"\n— You are {self._staff.officer_name}, officer, in the staff chat "
                f'"{self._staff.title}" › {where}. What you type is said there.\n'
            )
        for number, choice in enumerate(self._choices[role], 1):
            self._print(f"  [{number}] {choice.button.label}\n")

    def _choose_topic(self, arg: str) -> None:
        topics = self._staff_topics()
        if arg.isdigit() and 1 <= int(arg) <= len(topics):
            self._thread = topics[int(arg) - 1][0]
            self._print(f"  — now in topic {topics[int(arg) - 1][1]}\n")
            return
        if not topics:
            self._print("  (no topic in the staff chat yet)\n")
        for number, (thread, name) in enumerate(topics, 1):
            mark = " ← here" if thread == self._thread else ""
            self._print(f"  /topic {number}: {name}{mark}\n")

    def _staff_topics(self) -> list[tuple[str, str]]:
        if self._staff is None:
            return []
        chat = self._staff.chat_id
        return [(t, n) for (c, t), n in self._outbox.courier.topics.items() if c == chat]

    def _short_topic(self, thread: str | None) -> str:
        """A ticket topic's name up to its first separator: the ticket's number."""
        return self._topic_name(thread).split(" · ")[0]

    def _topic_name(self, thread: str | None) -> str:
        if thread is None or self._staff is None:
            return ""
        return self._outbox.courier.topics.get((self._staff.chat_id, thread), f"topic {thread}")

    # -- events ---------------------------------------------------------------------------

    def _event(self, line: str) -> Event:
        choices = self._choices[self._role]
        choice = line.strip()
        if choice.isdigit() and 1 <= int(choice) <= len(choices):
            picked = choices[int(choice) - 1]
            if self._role == LIAISON:
                return self._liaison_event(button=picked.button.payload, ref=picked.message)
            return self._officer_event(
                picked.thread, button=picked.button.payload, ref=picked.message
            )
        if self._role == LIAISON:
            return self._liaison_event(text=line)
        return self._officer_event(self._thread, text=line)

    def _liaison_event(self, **what: str | None) -> Event:
        what.setdefault("ref", str(next(self._ids)))
        return Event(
            channel=CHANNEL,
            chat=self._chat,
            sender=self._sender,
            update_id=str(next(self._updates)),
            **what,  # type: ignore[arg-type]
        )

    def _officer_event(self, thread: str | None, **what: str | None) -> Event:
        assert self._staff is not None
        what.setdefault("ref", str(next(self._ids)))
        chat = ChatRef(
            id=self._staff.chat_id,
            kind=ChatKind.GROUP,
            thread=thread,
            title=self._staff.title,
            forum=True,
        )
        officer = Sender(id=self._staff.officer_id, name=self._staff.officer_name, language="id")
        return Event(
            channel=CHANNEL,
            chat=chat,
            sender=officer,
            update_id=str(next(self._updates)),
            **what,  # type: ignore[arg-type]
        )

    def _send(self, event: Event) -> None:
        for out in handle_safely(self._helpdesk, event):
            self._show(out)
        for item in self._outbox.deliver():
            if isinstance(item, TopicChange):
                self._show_topic(item)
            else:
                self._show_delivered(item)

    # -- what is shown --------------------------------------------------------------------

    def _show(self, out: Out) -> None:
        if isinstance(out, Toast):
            self._print(f"  » {out.text}\n")
            return
        assert isinstance(out, Reply)
        message = out.edit or str(next(self._ids))
        buttons = [b for row in out.buttons for b in row]
        self._message(out.chat.id, out.chat.thread, message, out.text, buttons, out.edit)
        if out.file is not None:
            saved = self._save(out.file.name, out.file.content)
            self._print(f"  📎 {out.file.name} ({len(out.file.content)} bytes) → {saved}\n")

    def _show_delivered(self, item: Delivered) -> None:
        parcel: Parcel = item.parcel
        buttons = [
            Button(str(b.get("label") or ""), b.get("payload"), b.get("url"))
            for row in parcel.buttons
            for b in row
        ]
        self._message(parcel.chat_id, parcel.thread, item.ref, parcel.text, buttons, parcel.edit)
        if parcel.attachment_kind:
            self._print(f"  📎 {parcel.attachment_kind}\n")
        if parcel.file_name and parcel.file_content is not None:
            saved = self._save(parcel.file_name, parcel.file_content)
            self._print(f"  📎 {parcel.file_name} → {saved}\n")

    def _show_topic(self, change: TopicChange) -> None:
        if change.change == "opened":
            self._thread = change.thread  # the officer is taken to the newest ticket
            hint = "" if self._role == OFFICER else " — type /officer to answer it"
            self._print(f'\n— staff chat: new topic "{change.name}"{hint}\n')
        else:
            self._print(f'\n— staff chat: topic "{change.name}" {change.change}\n')

    def _message(
        self,
        chat_id: str,
        thread: str | None,
        message: str,
        text: str,
        buttons: list[Button],
        edit: str | None,
    ) -> None:
        staff = self._staff is not None and chat_id == self._staff.chat_id
        self._print(f"\n[{self._header(staff, thread, edit)}]\n{self._format(text)}\n")
        if not buttons:
            return
        role = OFFICER if staff else LIAISON
        self._choices[role] = [_Choice(b, message, thread) for b in buttons]
        for number, button in enumerate(buttons, 1):
            target = f" → {button.url}" if button.url else ""
            self._print(f"  [{number}] {button.label}{target}\n")
        if role != self._role:
            self._print(f"  (as the {role}: /{role} to press these)\n")

    def _header(self, staff: bool, thread: str | None, edit: str | None) -> str:
        edited = " (edited)" if edit else ""
        if not staff:
            return f"bot{edited}" if self._staff is None else f"bot → liaison chat{edited}"
        assert self._staff is not None
        topic = self._short_topic(thread)
        where = f" › topic {topic}" if topic else ""
        return f'bot → staff chat "{self._staff.title}"{where}{edited}'

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
