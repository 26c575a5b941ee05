"""The ``helpdesk`` command, run in this process as a person would run it in a folder.

A new interpreter per command costs seconds; the typer app called in-process runs the
same code. Only the tests that prove the installed entry point or signal handling start
a process (tests/unit/test_cli.py, tests/e2e/test_helpdesk_run.py).
"""

from __future__ import annotations

import logging
import os
import subprocess
from contextlib import chdir
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

# Settings a developer's shell may carry; a command under test sees only what it is given.
HOST_SETTINGS = ("TELEGRAM_", "WEBHOOK_", "HTTP_", "DATABASE_", "LOG_", "WHATSAPP_")


def helpdesk(
    *args: str,
    cwd: Path,
    stdin: str = "",
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``helpdesk ARGS`` in ``cwd`` with ``stdin``: exit code, standard output and error.

    The environment is the host's without its help desk settings, plus ``env``. Logging
    set up by the command is put back afterwards, so later tests log as before."""
    environment: dict[str, str | None] = {
        name: None for name in os.environ if name.startswith(HOST_SETTINGS)
    }
    environment.update(env or {})
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        with chdir(cwd):
            result = CliRunner().invoke(app, list(args), input=stdin, env=environment)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, result.stderr)
