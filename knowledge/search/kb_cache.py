"""A cache of the built knowledge base (content read, index built), so that a restart
reads one file instead of parsing the YAML and building the index again.

A cached copy is found by a fingerprint of everything it was built from: every file of
the content folder, the code that reads and indexes it (``knowledge`` and ``models``),
and the Python version. Changed content or code is a new fingerprint, hence a rebuild;
an unreadable or foreign file is rebuilt over; a cache folder that cannot be written is
logged and served without. Files are written whole (a temporary file, then renamed), so a
process never reads half a file. Only content without problems is cached.

The file is a pickle: the cache folder must be writable by the help desk's user alone
(it is made 0700 when it is created here).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from pathlib import Path

from knowledge.content.faq import Category, Entry
from knowledge.search.searcher import Searcher

log = logging.getLogger(__name__)

FORMAT = 1  # bumped when what is cached changes shape
PREFIX = "kb-"
SUFFIX = ".pickle"
KEPT_OTHERS = 3  # copies for other fingerprints kept beside the one just written
_CODE = (Path(__file__).parents[1], Path(__file__).parents[2] / "models")

Built = tuple[tuple[Category, ...], tuple[Entry, ...], Searcher]


def fingerprint(folder: Path) -> str:
    """What the built knowledge base depends on: the content's files and the code's."""
    digest = hashlib.sha256(f"{FORMAT}|{sys.version}|".encode())
    sources = [(folder, p) for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    sources += [(code, p) for code in _CODE for p in code.rglob("*.py")]
    for root, path in sorted(sources, key=lambda rp: (str(rp[0]), str(rp[1]))):
        if "__pycache__" in path.parts:
            continue
        digest.update(f"{root.name}/{path.relative_to(root)}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


def read(directory: Path, key: str) -> Built | None:
    """The knowledge base built for ``key``, or None (none yet, or not usable)."""
    path = directory / f"{PREFIX}{key}{SUFFIX}"
    try:
        with path.open("rb") as stream:
            found = pickle.load(stream)
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - a damaged cache is rebuilt, whatever is wrong
        log.warning("knowledge base cache %s is not usable (%s); rebuilding it", path, exc)
        return None
    if (
        not isinstance(found, tuple)
        or len(found) != 3
        or not isinstance(found[2], Searcher)
        or found[2].entries != found[1]
    ):
        log.warning("knowledge base cache %s holds something else; rebuilding it", path)
        return None
    return found


def write(directory: Path, key: str, built: Built) -> None:
    """Stores ``built`` for ``key``; of the copies for other fingerprints, only the newest
    few are kept (two versions of the help desk may start from one folder in turn)."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{PREFIX}", dir=directory)
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(built, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, directory / f"{PREFIX}{key}{SUFFIX}")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        others = [p for p in directory.glob(f"{PREFIX}*{SUFFIX}") if p.stem != PREFIX + key]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[KEPT_OTHERS:]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("knowledge base cache not written to %s: %s", directory, exc)
