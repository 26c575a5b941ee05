"""The cache of the built knowledge base: what a restart serves from it is what a fresh
build serves; changed content, a damaged file or an unusable folder mean a rebuild."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from knowledge.content.faq import check
from knowledge.search import KnowledgeBase, kb_cache
from knowledge.search import knowledge_base as kb_module
from tests.unit.kb_sample import PARTIES, write_sample


def cached_files(cache: Path) -> list[Path]:
    return sorted(cache.glob(f"{kb_cache.PREFIX}*{kb_cache.SUFFIX}"))


def no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, a load that reads the content fails the test."""

    def refuse(folder: Path) -> None:
        raise AssertionError(f"read {folder} instead of the cache")

    monkeypatch.setattr(kb_module, "read_folder", refuse)


def answers(kb: KnowledgeBase) -> list[tuple[str, bool, list[tuple[str, float]]]]:
    """What the knowledge base answers to every phrasing of every entry."""
    found = []
    for entry in kb.entries:
        for question in (*entry.phrasings.get("id", ()), *entry.phrasings.get("en", ())):
            result = kb.search(question)
            found.append(
                (question, result.answered, [(h.entry.id, round(h.score, 9)) for h in result.hits])
            )
    return found


def test_a_restart_serves_from_the_cache_what_a_fresh_build_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = KnowledgeBase.load()
    first = KnowledgeBase.load(cache=tmp_path)
    assert len(cached_files(tmp_path)) == 1
    no_reading(monkeypatch)
    restarted = KnowledgeBase.load(cache=tmp_path)
    assert restarted.categories == fresh.categories
    assert restarted.entries == fresh.entries
    assert answers(restarted) == answers(fresh) == answers(first)


def test_changed_content_is_rebuilt(tmp_path: Path) -> None:
    folder = write_sample(tmp_path / "faq")
    cache = tmp_path / "cache"
    KnowledgeBase.load(folder, cache=cache)
    before = cached_files(cache)
    entries = [dict(e) for e in PARTIES["entries"]]  # type: ignore[attr-defined]
    entries[0]["answer"] = {"id": "Ditutup 15 Agustus.", "en": "Closed on 15 August."}
    write_sample(folder, entries=entries)
    kb = KnowledgeBase.load(folder, cache=cache)
    entry = kb.entry("daftar-batas")
    assert entry is not None and entry.answer["en"] == "Closed on 15 August."
    after = cached_files(cache)
    assert len(after) == 2 and set(before) < set(after)


def test_copies_for_other_fingerprints_are_removed_but_the_newest_few(tmp_path: Path) -> None:
    folder = write_sample(tmp_path / "faq")
    cache = tmp_path / "cache"
    for version in range(kb_cache.KEPT_OTHERS + 3):
        write_sample(folder, category={**PARTIES["category"], "order": version})  # type: ignore[dict-item]
        KnowledgeBase.load(folder, cache=cache)
    assert len(cached_files(cache)) == kb_cache.KEPT_OTHERS + 1
    kb = KnowledgeBase.load(folder, cache=cache)
    assert kb.categories[0].order == kb_cache.KEPT_OTHERS + 2


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle at all", pickle.dumps(("something", "else"))],
    ids=["empty", "garbage", "foreign"],
)
def test_a_damaged_cache_file_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: bytes
) -> None:
    folder = write_sample(tmp_path / "faq")
    cache = tmp_path / "cache"
    fresh = KnowledgeBase.load(folder)
    KnowledgeBase.load(folder, cache=cache)
    (path,) = cached_files(cache)
    path.write_bytes(damage)
    rebuilt = KnowledgeBase.load(folder, cache=cache)
    assert rebuilt.entries == fresh.entries and answers(rebuilt) == answers(fresh)
    no_reading(monkeypatch)  # the damaged file was replaced by a good one
    assert KnowledgeBase.load(folder, cache=cache).entries == fresh.entries


def test_a_cache_folder_that_cannot_be_written_only_costs_the_saving(tmp_path: Path) -> None:
    folder = write_sample(tmp_path / "faq")
    blocked = tmp_path / "a-file"
    blocked.write_text("in the way")
    kb = KnowledgeBase.load(folder, cache=blocked / "cache")
    assert kb.entry("daftar-batas") is not None


def test_content_with_problems_is_never_cached(tmp_path: Path) -> None:
    folder = write_sample(tmp_path / "faq", category={"id": "partai"})
    cache = tmp_path / "cache"
    assert check(folder) != []
    KnowledgeBase.load(folder, strict=False, cache=cache)
    assert cached_files(cache) == []
