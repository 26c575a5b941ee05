"""Every text a person reads, rendered from Jinja2 templates, one folder per language.

``<lang>/<name>.html.j2`` renders a message in Telegram's HTML subset, with autoescape on,
so user text is always escaped. ``<lang>/labels*.txt.j2`` (one file per capability, e.g.
``labels.txt.j2``, ``labels_faq.txt.j2``) hold short plain texts (button labels, notices,
command descriptions) as macros: they are not parsed as HTML by the app. A label name
must be unique across a language's label files.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from models import Language

TEMPLATES = Path(__file__).parent / "templates"
LABELS_PREFIX = "labels"
LABELS_SUFFIX = ".txt.j2"


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled at an earlier start, kept in a folder (Jinja checks each against
    its source). A file that cannot be read is compiled again; one that cannot be written
    is only a saving missed."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a damaged file is compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _compiled_in(folder: Path | None) -> jinja2.BytecodeCache | None:
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return _CompiledTemplates(str(folder))


class Texts:
    def __init__(self, root: Path = TEMPLATES, *, compiled: Path | None = None) -> None:
        """``compiled``: a folder where compiled templates are kept between starts."""
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(root)),
            bytecode_cache=_compiled_in(compiled),
            autoescape=jinja2.select_autoescape(
                enabled_extensions=("html.j2",), default_for_string=False, default=False
            ),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self._label_cache: dict[Language, dict[str, Any]] = {}
        self._env.filters["thousands"] = lambda n: f"{n:,}".replace(",", ".")

    def render(self, lang: Language, name: str, /, **context: Any) -> str:
        """A message in ``lang``: ``templates/<lang>/<name>.html.j2``."""
        template = self._env.get_template(f"{lang.value}/{name}.html.j2")
        return template.render(lang=lang.value, **context).strip()

    def label(self, lang: Language, name: str, /, **kwargs: Any) -> str:
        """A short plain text in ``lang``: macro ``name`` of ``templates/<lang>/labels.txt.j2``."""
        macro = self._labels(lang).get(name)
        if macro is None:
            raise KeyError(f"no label {name!r} for {lang.value}")
        return str(macro(**kwargs)).strip()

    def _labels(self, lang: Language) -> dict[str, Any]:
        cached = self._label_cache.get(lang)
        if cached is not None:
            return cached
        found: dict[str, Any] = {}
        prefix = f"{lang.value}/{LABELS_PREFIX}"
        for name in sorted(self._env.list_templates()):
            if not (name.startswith(prefix) and name.endswith(LABELS_SUFFIX)):
                continue
            module = self._env.get_template(name).module
            for macro_name in dir(module):
                if macro_name.startswith("_"):
                    continue
                if macro_name in found:
                    raise ValueError(f"label {macro_name!r} defined twice for {lang.value}")
                found[macro_name] = getattr(module, macro_name)
        self._label_cache[lang] = found
        return found

    def names(self, lang: Language) -> set[str]:
        """The message templates and labels a language has; every language must have the same."""
        prefix = f"{lang.value}/"
        messages = {
            name[len(prefix) :].removesuffix(".html.j2")
            for name in self._env.list_templates()
            if name.startswith(prefix) and name.endswith(".html.j2")
        }
        labels = {f"label:{n}" for n in self._labels(lang)}
        return messages | labels
