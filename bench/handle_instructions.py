"""Instructions per update on the help desk's own path, counted by valgrind's callgrind:
repeatable whatever else the machine is doing, where CPU time on a shared machine is not
(bench/overhead.py measures the whole process, transport and outbox included).

The path is what the inbox does for one update, in this process: the update stored, then
handled in one unit of work with its "handled" mark and its answers written to the outbox
(``bot.inbox`` and ``HelpDesk.handle``) on a SQLite file. Three runs under callgrind: N
people's first contact only; the same and then one free-text question each; and then one
button press each (the main menu). The differences, divided by N, are the figures. The
knowledge base's cache is off in all three (each builds it alike), so what the cache holds
does not move them.

    .venv/bin/python bench/handle_instructions.py [--people 30] [--code DIR]

``--code DIR`` counts another checkout of the project (before and after a change).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "kapan batas akhir pendaftaran partai politik?"
FIRST_PERSON = 40_000_000


def run_updates(people: int, questions: bool, buttons: bool, workdir: str) -> None:
    """The updates themselves (run under callgrind by :func:`count`)."""
    from bot.composition import build
    from bot.inbox.answers import answer_campaign, write_answers
    from bot.settings import load_settings
    from bot.storage import writing
    from handlers.port import ChatRef, Event, Sender
    from models import ChatKind, UnitOfWork
    from models.inbox import Received, mark_handled, store_updates, unhandled

    container = build(load_settings(database_url=f"sqlite:///{workdir}/count.db"))
    helpdesk = container.helpdesk
    numbers = iter(range(1, 10**9))

    def one(person: int, text: str | None = None, button: str | None = None) -> None:
        update = str(next(numbers))
        with UnitOfWork(helpdesk.sessions) as uow:
            store_updates(uow.session, "bench", [Received(update, str(person), "{}")], now())
            uow.commit()
        with helpdesk.sessions() as session:
            [row] = unhandled(session, "bench", 1)
        chat = ChatRef(str(person), ChatKind.PRIVATE, title="Budi")
        sender = Sender(str(person), "Budi", language="id")
        event = Event("bench", chat, sender, ref="1", text=text, button=button, update_id=update)

        def keep(session: object, outs: list[object]) -> None:
            assert mark_handled(session, row.id, now())  # type: ignore[arg-type]
            campaign = answer_campaign("bench", update)
            write_answers(session, channel="bench", campaign=campaign, outs=outs, now=now())  # type: ignore[arg-type]

        with writing():
            helpdesk.handle(event, keep)  # type: ignore[arg-type]

    now = container.clock.now
    everyone = range(FIRST_PERSON, FIRST_PERSON + people)
    for person in everyone:
        one(person, text="/start")
    if questions:
        for person in everyone:
            one(person, text=QUESTION)
    if buttons:
        for person in everyone:
            one(person, button=helpdesk.signer.sign(str(person), "home"))
    container.close()


def count(people: int, questions: bool, buttons: bool, code: Path) -> int:
    """Instructions of one run of :func:`run_updates` under callgrind."""
    with tempfile.TemporaryDirectory() as workdir:
        out = Path(workdir) / "callgrind.out"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "LOG_"))}
        env |= {"PYTHONPATH": str(code), "PYTHONHASHSEED": "0", "LOG_LEVEL": "WARNING"}
        # Every run builds the knowledge base from its files: with the cache, the run that
        # found none built it (and wrote it) while the others read it, and the differences
        # moved with what the cache held (another checkout's code is another fingerprint).
        env["HELPDESK_CACHE_DIR"] = "off"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                str(Path(__file__).resolve()),
                "--inside",
                str(people),
                str(int(questions)),
                str(int(buttons)),
                workdir,
            ],
            cwd=workdir,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        found = re.search(r"^summary:\s+(\d+)", out.read_text(errors="replace"), re.M)
        assert found, "callgrind wrote no summary"
        return int(found.group(1))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--inside":
        people, questions, buttons, workdir = sys.argv[2:6]
        run_updates(int(people), questions == "1", buttons == "1", workdir)
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to count")
    args = parser.parse_args()
    base = count(args.people, False, False, args.code)
    asked = count(args.people, True, False, args.code)
    pressed = count(args.people, True, True, args.code)
    print(f"instructions per update on the help desk's own path ({args.code}), callgrind:")
    print(f"  free-text answer  {(asked - base) / args.people / 1e6:8.2f} M")
    print(f"  button press      {(pressed - asked) / args.people / 1e6:8.2f} M")


if __name__ == "__main__":
    main()
