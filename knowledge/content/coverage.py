"""The coverage list: which FAQ entry answers each fact of the research the content rests on.

Many wrong answers are facts the sources state but no entry covers, so the closest entry
answers instead. ``faq/coverage/facts.yaml`` names every fact a liaison could ask about
(by its section or question number in the research notes), says it in one line, and
gives the entries that answer it, or says why it is out of the desk's scope. The check
refuses a fact with neither, an entry id that does not exist, and a fact listed twice;
``missing_facts`` compares the list with the notes' own numbering when they are at hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

COVERAGE_FILE = Path("coverage") / "facts.yaml"  # inside the FAQ folder
_KEYS = {"fact", "statement", "entries", "out_of_scope"}
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Fact:
    id: str
    statement: str
    entries: tuple[str, ...]
    out_of_scope: str  # the reason; empty when entries answer it


def read_coverage(path: Path, entry_ids: set[str]) -> tuple[tuple[Fact, ...], list[str]]:
    """Reads the coverage list and checks it against the entries; returns facts and problems."""
    where = f"{path.parent.name}/{path.name}"
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        return (), [f"{where}: not readable: {' '.join(str(exc).split())}"]
    raw = data.get("facts") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not raw:
        return (), [f"{where}: expected a mapping with a non-empty 'facts' list"]
    facts: list[Fact] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, 1):
        fact = _fact(f"{where} fact #{index}", item, entry_ids, problems)
        if fact is None:
            continue
        if fact.id in seen:
            problems.append(f"{where}: fact {fact.id!r} is listed twice")
        seen.add(fact.id)
        facts.append(fact)
    return tuple(facts), problems


def _fact(where: str, item: Any, entry_ids: set[str], problems: list[str]) -> Fact | None:
    if not isinstance(item, dict):
        problems.append(f"{where}: must be a mapping with 'fact' and 'statement'")
        return None
    if set(item) - _KEYS:
        problems.append(f"{where}: unknown keys {sorted(set(item) - _KEYS)}")
    fact_id = str(item.get("fact") or "").strip()
    where = f"{where} ({fact_id})" if fact_id else where
    statement = str(item.get("statement") or "").strip()
    if not fact_id or not statement:
        problems.append(f"{where}: needs a 'fact' id and a one-line 'statement'")
    entries = item.get("entries") or []
    if not isinstance(entries, list):
        problems.append(f"{where}: 'entries' must be a list of entry ids")
        entries = []
    entries = [str(e) for e in entries]
    reason = str(item.get("out_of_scope") or "").strip()
    if bool(entries) == bool(reason):
        problems.append(
            f"{where}: give either the entries that answer it or an out_of_scope reason"
        )
    for entry_id in entries:
        if entry_id not in entry_ids:
            problems.append(f"{where}: entry {entry_id!r} does not exist")
    return Fact(fact_id, statement, tuple(entries), reason)


def fact_ids_in_notes(text: str) -> set[str]:
    """The numbered facts of the research notes: schedule rows (``2A.4b``) and the
    question-and-answer pairs (``3.Q1`` …)."""
    ids: set[str] = set()
    for table, body in re.findall(r"^### (2[A-D])\.(.*?)(?=^#{2,3} )", text, re.S | re.M):
        ids |= {f"{table}.{row}" for row in re.findall(r"^\| (\d{1,2}[a-z]?) \|", body, re.M)}
    section = re.search(r"^## 3\..*?(?=^## 4\.)", text, re.S | re.M)
    body = section.group(0) if section else ""
    return ids | {f"3.Q{n}" for n in re.findall(r"^\s*(\d{1,3})\. \*\*T:\*\*", body, re.M)}


def missing_facts(facts: tuple[Fact, ...], notes: str) -> list[str]:
    """Numbered facts of the notes that the coverage list does not name."""
    listed = {f.id for f in facts}
    return sorted(fact_ids_in_notes(notes) - listed)
