"""The FAQ site's search index: Pagefind, run over the written pages.

Pagefind ships as a binary inside the ``pagefind-bin`` wheel (the ``site`` extra). It
indexes each page in the language of its ``<html lang>`` (Indonesian pages get an
Indonesian stemmer: "pendaftaran" finds "daftar") and writes the index and its search UI
into ``<site>/pagefind/``, so the search runs in the reader's browser with no server.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

INDEX_FOLDER = "pagefind"
TIMEOUT_S = 300


class SearchIndexError(RuntimeError):
    """The index could not be built: Pagefind is missing or failed."""


def pagefind_executable() -> Path:
    """The Pagefind binary of the installed ``pagefind-bin`` wheel."""
    try:
        import pagefind_bin
    except ImportError as exc:
        raise SearchIndexError(
            "Pagefind is not installed: pip install -e '.[site]' (or '.[dev]')"
        ) from exc
    return Path(pagefind_bin.get_executable())


def build_search_index(site: Path) -> Path:
    """Indexes the pages under ``site``; returns the folder holding the index and its UI."""
    command = [str(pagefind_executable()), "--site", str(site), "--quiet"]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"Pagefind did not run: {exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise SearchIndexError("Pagefind failed: " + " / ".join(detail))
    return site / INDEX_FOLDER
