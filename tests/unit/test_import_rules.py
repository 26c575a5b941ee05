"""The four rooms and the rules between them (DESIGN.md), checked on the source: who may
import whom, no circle of imports (an import inside a function counts: it still closes
the circle, only later), and no module over 400 lines outside data and migrations."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
MAX_LINES = 400
MIGRATIONS = Path("models") / "migrations"
ROOMS = ("models", "knowledge", "handlers", "bot")
MESSAGING_SDKS = ("aiogram", "telegram", "aiohttp", "httpx")
# Each Telegram library belongs to its runtime alone (aiohttp comes with aiogram; httpx,
# which python-telegram-bot uses, is WhatsApp's client too): the rest of the Telegram
# transport is written once, against bot/transports/telegram/api.py.
RUNTIME_HOMES = {
    "aiogram": Path("bot/transports/telegram/aiogram"),
    "aiohttp": Path("bot/transports/telegram/aiogram"),
    "telegram": Path("bot/transports/telegram/ptb"),  # python-telegram-bot
}
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


@pytest.mark.parametrize("library", sorted(RUNTIME_HOMES))
def test_each_telegram_library_is_imported_by_its_runtime_alone(library: str) -> None:
    home = RUNTIME_HOMES[library]
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for room in ROOMS
        for path in sources(room)
        if not path.relative_to(ROOT).is_relative_to(home)
        for name in imports_of(path)
        if name.split(".")[0] == library
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


# -- circles ----------------------------------------------------------------------------


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _under_type_checking(tree: ast.AST) -> set[ast.AST]:
    """Imports under ``if TYPE_CHECKING:``: they never run, so they close no circle."""
    skipped: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skipped.update(ast.walk(child))
    return skipped


def imported_modules(path: Path, name: str, known: set[str]) -> set[str]:
    """The modules of ``known`` that ``path`` (module ``name``) imports, anywhere in it."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    skipped = _under_type_checking(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(_known_prefix(alias.name, known) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else _known_prefix(base, known))
    found.discard("")
    found.discard(name)
    return found


def _known_prefix(dotted: str, known: set[str]) -> str:
    parts = dotted.split(".")
    while parts and ".".join(parts) not in known:
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path, rooms: tuple[str, ...]) -> dict[str, set[str]]:
    paths = {module_name(p, root): p for room in rooms for p in sorted((root / room).rglob("*.py"))}
    known = set(paths)
    return {name: imported_modules(path, name, known) for name, path in paths.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each group of modules that reach one another through imports (Tarjan's strongly
    connected components of more than one module), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_no_circle_of_imports_inside_or_between_rooms() -> None:
    assert circles(import_graph(ROOT, ROOMS)) == []


def test_a_circle_closed_inside_a_function_is_caught(tmp_path: Path) -> None:
    room = tmp_path / "room"
    (room / "inner").mkdir(parents=True)
    (room / "__init__.py").write_text("")
    (room / "inner" / "__init__.py").write_text("")
    (room / "start.py").write_text("from room import faq\n")
    (room / "faq.py").write_text("def later():\n    from room.inner.desk import ask\n")
    (room / "inner" / "desk.py").write_text("from ..start import menu\n")
    (room / "alone.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from room import start\n"
    )
    (room / "uses_alone.py").write_text("import room.alone\n")
    graph = import_graph(tmp_path, ("room",))
    assert circles(graph) == [["room.faq", "room.inner.desk", "room.start"]]
    assert graph["room.uses_alone"] == {"room.alone"} and graph["room.alone"] == set()


# -- size -------------------------------------------------------------------------------


def is_data(path: Path) -> bool:
    """A module that is mostly literal assignments (word lists, tables) is data."""
    source = path.read_text()
    tree = ast.parse(source)
    assigned = sum(
        node.end_lineno - node.lineno + 1
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.end_lineno is not None
    )
    return assigned >= 0.8 * len(source.splitlines())


def too_long(root: Path, rooms: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(root)}: {lines} lines"
        for room in rooms
        for path in sorted((root / room).rglob("*.py"))
        if not path.relative_to(root).is_relative_to(MIGRATIONS)
        and (lines := len(path.read_text().splitlines())) > MAX_LINES
        and not is_data(path)
    ]


def test_no_module_is_over_400_lines_outside_data_and_migrations() -> None:
    assert too_long(ROOT, ROOMS) == []


def test_the_size_rule_counts_code_and_spares_data(tmp_path: Path) -> None:
    room = tmp_path / "room"
    room.mkdir()
    (room / "long.py").write_text("def f() -> None:\n" + "    pass\n" * MAX_LINES)
    (room / "words.py").write_text("WORDS = {\n" + '    "a": "b",\n' * MAX_LINES + "}\n")
    (room / "short.py").write_text("x = 1\n" * MAX_LINES)
    assert too_long(tmp_path, ("room",)) == [f"room/long.py: {MAX_LINES + 1} lines"]
