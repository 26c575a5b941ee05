"""Build time of the public FAQ site, for the shipped knowledge base and one scaled up.

The scaled knowledge base is written as YAML into a temporary folder: each shipped
category file gets variants of its entries (new ids, reworded questions) until the whole
holds ``--scaled`` entries. Each build runs the same steps as ``helpdesk site build``:
load the knowledge base, gather the calendar, write the pages, index them with Pagefind.
Target: 2,000 entries in at most 30 s, search index included.

    .venv/bin/python bench/site_build.py [--scaled 2000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.site_index import build_search_index  # noqa: E402
from handlers.site import gather, write_site  # noqa: E402
from knowledge.content.faq import DEFAULT_FOLDER  # noqa: E402
from knowledge.search import KnowledgeBase  # noqa: E402

TARGET_S = 30.0
ASIDES = {
    "id": ["(untuk kantor kabupaten)", "(pertanyaan lanjutan)", "(versi ringkas)", "di daerah"],
    "en": ["(for regency offices)", "(follow-up)", "(short version)", "in the regions"],
}


def scaled_folder(size: int, into: Path, seed: int = 11) -> int:
    """Writes the shipped category files, padded with entry variants, into ``into``;
    returns the number of entries written."""
    rng = random.Random(seed)
    files = sorted(DEFAULT_FOLDER.glob("*.yaml"))
    loaded = [(path, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in files]
    originals = [list(data["entries"]) for _, data in loaded]
    total = sum(len(entries) for entries in originals)
    copy = 0
    while total < size:
        for (_, data), shipped in zip(loaded, originals, strict=True):
            for entry in shipped:
                if total >= size:
                    break
                copy += 1
                data["entries"].append(_variant(entry, copy, rng))
                total += 1
    for path, data in loaded:
        (into / path.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return total


def _variant(entry: dict[str, Any], copy: int, rng: random.Random) -> dict[str, Any]:
    variant = dict(entry)
    variant["id"] = f"{entry['id'][:24]}-v{copy}"
    variant["question"] = {
        lang: f"{text.rstrip('?')} {rng.choice(ASIDES[lang])} #{copy}?"
        for lang, text in entry["question"].items()
    }
    return variant


def build(folder: Path, out: Path) -> dict[str, float]:
    """One build like the command's; seconds per step."""
    times: dict[str, float] = {}
    started = time.perf_counter()
    kb = KnowledgeBase.load(folder, strict=False)
    times["load"] = time.perf_counter() - started
    mark = time.perf_counter()
    site = gather(kb, bot_username="kpu_helpdesk_bot")
    pages = write_site(site, out)
    times["pages"] = time.perf_counter() - mark
    mark = time.perf_counter()
    build_search_index(out)
    times["index"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - started
    times["entries"] = len(kb.entries)
    times["html"] = pages
    return times


def report(label: str, times: dict[str, float]) -> None:
    verdict = "" if times["entries"] < 2000 else (" ok" if times["total"] <= TARGET_S else " SLOW")
    print(
        f"{label:<10} {int(times['entries']):>5} entries {int(times['html']):>5} pages  "
        f"load {times['load']:5.2f} s  pages {times['pages']:5.2f} s  "
        f"index {times['index']:5.2f} s  total {times['total']:5.2f} s{verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scaled", type=int, default=2000, help="entries in the scaled build")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        report("shipped", build(DEFAULT_FOLDER, work / "shipped"))
        content = work / "content"
        content.mkdir()
        scaled_folder(args.scaled, content)
        report("scaled", build(content, work / "scaled"))


if __name__ == "__main__":
    main()
