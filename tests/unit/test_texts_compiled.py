"""Templates compiled at an earlier start: the same texts, whatever state the folder is in."""

from __future__ import annotations

from pathlib import Path

from jinja2.bccache import bc_magic

from handlers.texts import Texts
from models import Language


def said(texts: Texts) -> list[str]:
    return [
        texts.render(Language.ID, "choose_language", name="Sari <Partai>"),
        texts.render(Language.EN, "apology"),
        *(texts.label(lang, "command_start") for lang in Language),
    ]


def test_compiled_templates_are_kept_and_say_the_same(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    expected = said(Texts())
    assert said(Texts(compiled=folder)) == expected
    kept = sorted(folder.iterdir())
    assert kept, "the compiled templates were kept"
    assert said(Texts(compiled=folder)) == expected
    for path in kept:  # damaged files are compiled again
        path.write_bytes(bc_magic + b"damaged")
    assert said(Texts(compiled=folder)) == expected


def test_a_folder_that_cannot_be_used_changes_nothing(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("in the way")
    assert said(Texts(compiled=blocked / "templates")) == said(Texts())
