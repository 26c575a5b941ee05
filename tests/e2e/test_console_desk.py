"""``make run`` without a token: the console demo shows the whole desk. A liaison's
question the knowledge base cannot answer becomes a ticket in the staff chat, the person
at the keyboard answers it there as the officer, and reads the answer back as the
liaison. The real program runs as its own process, driven through its standard input
and output, each step waiting (boundedly) for the console's next prompt."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli import HOST_SETTINGS

STEP_WITHIN = 30.0  # seconds one step may take on a loaded machine
START_WITHIN = 90.0  # the first prompt: migrations, the knowledge base, the calendars
PROMPT = re.compile(r"(?:^|\n)(liaison|officer[^\n>]*)> $")


class Console:
    """The console program, typed into line by line."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._chunks: queue.Queue[bytes] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.transcript = ""

    def _read(self) -> None:
        assert self._process.stdout is not None
        while chunk := os.read(self._process.stdout.fileno(), 65536):
            self._chunks.put(chunk)

    def answer(self, within: float = STEP_WITHIN) -> str:
        """What the console printed up to its next prompt."""
        deadline = time.monotonic() + within
        raw = b""
        while not PROMPT.search(raw.decode(errors="replace")):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no prompt within {within} s; got:\n{raw.decode()}")
            try:
                raw += self._chunks.get(timeout=left)
            except queue.Empty:
                continue
        text = raw.decode()
        self.transcript += text
        return text

    def type(self, line: str) -> str:
        assert self._process.stdin is not None
        self._process.stdin.write(f"{line}\n".encode())
        self._process.stdin.flush()
        return self.answer()

    def quit(self) -> str:
        """Types /quit; what the console printed before it ended."""
        assert self._process.stdin is not None
        self._process.stdin.write(b"/quit\n")
        self._process.stdin.flush()
        self._process.wait(timeout=STEP_WITHIN)
        self._reader.join(timeout=STEP_WITHIN)
        raw = b""
        while not self._chunks.empty():
            raw += self._chunks.get_nowait()
        return raw.decode()

    def press(self, label: str, answer: str) -> str:
        """Presses the numbered button whose label holds ``label`` in ``answer``."""
        found = re.search(rf"\[(\d+)\] [^\n]*{re.escape(label)}", answer)
        assert found, f"no button {label!r} in:\n{answer}"
        return self.type(found.group(1))


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(HOST_SETTINGS)}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "helpdesk"), "start"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        yield Console(process)
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=STEP_WITHIN)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    stderr = process.stderr.read().decode() if process.stderr else ""
    lines = stderr.strip().splitlines()
    assert lines == ["TELEGRAM_BOT_TOKEN is not set: opening the console demo instead."], (
        "no library log lines in the console"
    )


def test_a_ticket_travels_to_the_officer_and_back_in_the_console(console: Console) -> None:
    greeting = console.answer(within=START_WITHIN)
    assert "/officer" in greeting and "/liaison" in greeting, "the console's help lists them"
    assert "Pilih menu" in console.press("Bahasa Indonesia", greeting)

    unsure = console.type("Bagaimana cara memelihara kucing di kantor KPU?")
    assert "belum yakin" in unsure
    opened = console.press("Tanya petugas", unsure)
    assert "Tiket #BTL-0001 sudah dibuat" in opened
    assert '— staff chat: new topic "#BTL-0001 · PKB · Kab. Bantul' in opened
    card = opened.split('[bot → staff chat "Staf KPU Kabupaten Bantul" › topic #BTL-0001]')[1]
    assert "Penghubung: Demo (terverifikasi)" in card and "memelihara kucing" in card

    seat = console.type("/officer")
    assert "You are Andi (petugas), officer" in seat and "✋ Ambil" in seat
    assert seat.endswith("officer · #BTL-0001> ")
    claimed = console.press("Ambil", seat)
    assert "Tiket diambil oleh Andi (petugas)" in claimed
    assert "sedang ditangani petugas KPU Kabupaten Bantul" in claimed, "the liaison is told"

    answered = console.type("Kucing boleh dipelihara di luar ruang arsip.")
    relayed = answered.split("[bot → liaison chat]")[1]
    assert "Petugas Helpdesk KPU Kabupaten Bantul" in relayed

    back = console.type("/liaison")
    assert "You are the liaison (Demo)" in back and back.endswith("liaison> ")
    tickets = console.press("Tiket saya", back)
    ticket = console.press("#BTL-0001", tickets)
    assert "🏛 Petugas: Kucing boleh dipelihara di luar ruang arsip." in ticket
    assert "Goodbye" in console.quit()
