"""Search latency, build time and memory of the knowledge base, as it is and scaled up.

Runs the development questions and every held-out and blind set in bench/ many times
against the real knowledge base, then against one scaled to 2,000 entries by cloning
entries with new ids and perturbed phrasings. Each round starts cold (the question facet
cache cleared). Prints p50/p99/max latency per question in wall-clock time and in the
CPU time the search itself took (wall-clock time on a shared machine includes the time
other processes held the core), the load average, build time, resident memory (VmRSS)
and the Python heap the index takes (tracemalloc).

    .venv/bin/python bench/kb_search.py [--rounds 20] [--scaled 2000]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from knowledge.content.faq import Entry, read_folder  # noqa: E402
from knowledge.search import KnowledgeBase  # noqa: E402
from knowledge.search.facets import question_facets  # noqa: E402
from knowledge.tools.evaluate import load_items, percentile  # noqa: E402

DEV = ROOT / "bench" / "faq_dev.yaml"  # a copy of ../shared/eval/faq_dev.yaml
HELD_OUT = ("kb_holdout*.yaml", "kb_blind*.yaml")
FILLERS = ["min", "kak", "tolong", "dong", "ya", "sih", "pak", "mohon info", "gan"]


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def scaled_entries(entries: tuple[Entry, ...], size: int, seed: int = 7) -> list[Entry]:
    """The real entries plus clones with new ids and perturbed phrasings, up to ``size``."""
    rng = random.Random(seed)
    found = list(entries)
    copy = 0
    while len(found) < size:
        source = entries[copy % len(entries)]
        copy += 1

        def perturb(text: str, tag: int = copy) -> str:
            words = text.split()
            rng.shuffle(words)
            return " ".join([*words, rng.choice(FILLERS), f"v{tag}"])

        phrasings = {lang: tuple(perturb(p) for p in ps) for lang, ps in source.phrasings.items()}
        question = {lang: perturb(q) for lang, q in source.question.items()}
        found.append(
            replace(source, id=f"{source.id[:24]}-{copy}", question=question, phrasings=phrasings)
        )
    return found


def measure(label: str, build: object, questions: list[str], rounds: int) -> None:
    gc.collect()
    rss_before = rss_kib()
    started = time.perf_counter()
    kb = build()  # type: ignore[operator]
    build_s = time.perf_counter() - started
    rss_after = rss_kib()
    tracemalloc.start()  # a second build, traced: tracing slows building several times
    traced = build()  # type: ignore[operator]
    heap, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del traced
    gc.collect()
    latencies: list[float] = []
    cpu: list[float] = []
    for _ in range(rounds):
        question_facets.cache_clear()
        for question in questions:
            t0, c0 = time.perf_counter(), time.thread_time()
            kb.search(question, 3)
            cpu.append((time.thread_time() - c0) * 1000)
            latencies.append((time.perf_counter() - t0) * 1000)
    print(
        f"{label}: {len(kb.entries)} entries, {len(questions)} questions x {rounds} rounds\n"
        f"  build {build_s * 1000:.0f} ms; index heap {heap / 1024 / 1024:.1f} MiB "
        f"(tracemalloc); RSS {rss_after / 1024:.1f} MiB (+{(rss_after - rss_before) / 1024:.1f})\n"
        f"  latency p50 {statistics.median(latencies):.3f} ms, "
        f"p99 {percentile(latencies, 0.99):.3f} ms, max {max(latencies):.3f} ms (wall clock)\n"
        f"  search CPU p50 {statistics.median(cpu):.3f} ms, p99 {percentile(cpu, 0.99):.3f} ms, "
        f"max {max(cpu):.3f} ms; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--scaled", type=int, default=2000)
    args = parser.parse_args()
    questions = [item.q for item in load_items(DEV)]
    for pattern in HELD_OUT:
        for path in sorted((ROOT / "bench").glob(pattern)):
            questions += [item.q for item in load_items(path)]
    questions = list(dict.fromkeys(questions))
    content = read_folder()
    if content.problems:
        print(f"note: the content has {len(content.problems)} problem(s); measured anyway")
    measure(
        "full knowledge base",
        lambda: KnowledgeBase(content.categories, content.entries),
        questions,
        args.rounds,
    )
    big = tuple(scaled_entries(content.entries, args.scaled))
    measure(
        f"scaled to {args.scaled}",
        lambda: KnowledgeBase(content.categories, big),
        questions,
        max(1, args.rounds // 4),
    )


if __name__ == "__main__":
    main()
