"""The four rooms and the rules between them (DESIGN.md), checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
ROOMS = ("models", "knowledge", "handlers", "bot")
MESSAGING_SDKS = ("aiogram", "telegram", "aiohttp")
MAY_IMPORT = {
    "models": set(),
    "knowledge": {"models"},
    "handlers": {"models", "knowledge"},
    "bot": {"models", "knowledge", "handlers"},
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def sources(room: str) -> list[Path]:
    return sorted((ROOT / room).rglob("*.py"))


@pytest.mark.parametrize("room", ROOMS)
def test_no_messaging_sdk_outside_the_transports(room: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sources(room)
        if "transports" not in path.relative_to(ROOT).parts
        for name in imports_of(path)
        if name.split(".")[0] in MESSAGING_SDKS
    ]
    assert offenders == []


@pytest.mark.parametrize("room", ROOMS)
def test_each_room_imports_only_the_rooms_below_it(room: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sources(room)
        for name in imports_of(path)
        if name.split(".")[0] in ROOMS
        and name.split(".")[0] != room
        and name.split(".")[0] not in MAY_IMPORT[room]
    ]
    assert offenders == []


def test_the_rule_would_catch_an_offender(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from aiogram import Bot\nimport bot.cli\n")
    assert imports_of(bad) == {"aiogram", "bot.cli"}
