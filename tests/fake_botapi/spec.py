"""The Bot API reference (vendored ``botapi.json``) and checks of calls against it.

Telegram itself is lenient: it ignores unknown parameters and converts top-level form
strings to the declared types.  A test double should be stricter, so that a typo in a
parameter name or a wrongly shaped keyboard fails the test instead of being silently
ignored in production.  ``check_call`` reports every deviation from the spec:

* an unknown method;
* a missing required field (at the top level and inside objects);
* an unknown field (top level and nested);
* a type mismatch: ``Integer``, ``Float``, ``Boolean``, ``String``, ``Array of X``, object
  types checked recursively against ``types`` (``InlineKeyboardMarkup`` ->
  ``InlineKeyboardButton``), unions (several ``types`` or abstract types with
  ``subtypes``, narrowed by their ``type``/``status``/``source`` discriminator) and
  ``InputFile`` (an uploaded part or an ``attach://<name>`` reference).

Top-level values are first decoded the way Telegram decodes them (``coerce_params``):
``"42"`` becomes ``42`` for an ``Integer`` field, ``"true"`` becomes ``True`` and a
JSON-serialized object becomes a dict.  Nested values are checked strictly, as Telegram's
JSON parser does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from .models import UploadedFile

VENDORED_SPEC = Path(__file__).with_name("botapi.json")

SCALAR_TYPES = frozenset({"Integer", "Float", "Boolean", "String"})
ARRAY_PREFIX = "Array of "
INPUT_FILE = "InputFile"
ATTACH_PREFIX = "attach://"

_INT_RE = re.compile(r"[+-]?\d+")
_FLOAT_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_DISCRIMINATOR_FIELDS = ("type", "status", "source")
_DISCRIMINATOR_RE = re.compile(r'(?:always|must be) "?([a-z0-9_]+)"?')

ViolationKind = Literal["unknown_method", "missing_field", "unknown_field", "wrong_type"]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    types: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class Violation:
    """One deviation from the spec. ``subject`` is a method name or a type name."""

    subject: str
    path: str
    kind: ViolationKind
    detail: str

    def __str__(self) -> str:
        if self.path:
            return f"{self.subject}: {self.path}: {self.detail}"
        return f"{self.subject}: {self.detail}"


@dataclass(frozen=True)
class _Problem:
    path: str
    kind: ViolationKind
    detail: str


class BotApiSpec:
    """Methods and types of one Bot API version, with lookups the fake needs."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.version: str = data["version"]
        self._methods: dict[str, dict[str, FieldSpec]] = {}
        self._returns: dict[str, tuple[str, ...]] = {}
        self._canonical: dict[str, str] = {}
        for name, method in data["methods"].items():
            self._methods[name] = _fields(method)
            self._returns[name] = tuple(method.get("returns", ()))
            self._canonical[name.lower()] = name
        self._types: dict[str, dict[str, FieldSpec]] = {}
        self._subtypes: dict[str, tuple[str, ...]] = {}
        for name, type_ in data["types"].items():
            self._types[name] = _fields(type_)
            if "subtypes" in type_:
                self._subtypes[name] = tuple(type_["subtypes"])
        self._discriminators = _read_discriminators(data)

    @classmethod
    def load(cls, path: Path = VENDORED_SPEC) -> BotApiSpec:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    # -- lookups ---------------------------------------------------------------------------

    def canonical_method(self, name: str) -> str | None:
        """The spec's spelling of a method name (method names are case-insensitive)."""
        return self._canonical.get(name.lower())

    def method_fields(self, method: str) -> dict[str, FieldSpec]:
        return self._methods[method]

    def returns(self, method: str) -> tuple[str, ...]:
        return self._returns[method]

    def type_fields(self, type_name: str) -> dict[str, FieldSpec]:
        return self._types[type_name]

    @property
    def method_names(self) -> list[str]:
        return list(self._methods)

    # -- decoding --------------------------------------------------------------------------

    def coerce_params(self, method: str, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Decode top-level parameters as Telegram does (form strings, JSON-in-strings)."""
        fields = self._methods.get(method, {})
        return {
            key: _coerce(fields[key].types, value) if key in fields else value
            for key, value in raw.items()
        }

    # -- checking --------------------------------------------------------------------------

    def check_params(self, method: str, params: Mapping[str, Any]) -> list[Violation]:
        """Violations of already-decoded parameters of a known method."""
        problems = self._check_fields(self._methods[method], params, "")
        return [Violation(method, p.path, p.kind, p.detail) for p in problems]

    def check_object(self, type_expr: str, value: Any) -> list[Violation]:
        """Violations of ``value`` against a type expression such as ``"Update"``."""
        problems = self._check_value((type_expr,), value, "")
        return [Violation(type_expr, p.path, p.kind, p.detail) for p in problems]

    def check_result(self, method: str, result: Any) -> list[Violation]:
        """Violations of a method's result against its return type(s)."""
        problems = self._check_value(self._returns[method], result, "result")
        return [Violation(method, p.path, p.kind, p.detail) for p in problems]

    def _check_fields(
        self, fields: Mapping[str, FieldSpec], value: Mapping[str, Any], path: str
    ) -> list[_Problem]:
        problems = [
            _Problem(path, "missing_field", f"missing required field {name!r}")
            for name, spec in fields.items()
            if spec.required and name not in value
        ]
        for key, item in value.items():
            spec = fields.get(key)
            if spec is None:
                problems.append(_Problem(path, "unknown_field", f"unknown field {key!r}"))
            else:
                problems.extend(self._check_value(spec.types, item, _join(path, key)))
        return problems

    def _check_value(self, types: Sequence[str], value: Any, path: str) -> list[_Problem]:
        alternatives = list(self._expand(types))
        fitting = [alt for alt in alternatives if self._shape_fits(alt, value)]
        if not fitting:
            return [self._mismatch(types, alternatives, value, path)]
        best: list[_Problem] | None = None
        for alt in fitting:
            problems = self._check_alternative(alt, value, path)
            if not problems:
                return []
            if best is None or len(problems) < len(best):
                best = problems
        assert best is not None
        return best

    def _check_alternative(self, alt: str, value: Any, path: str) -> list[_Problem]:
        if alt.startswith(ARRAY_PREFIX):
            item_type = alt.removeprefix(ARRAY_PREFIX)
            problems: list[_Problem] = []
            for index, item in enumerate(value):
                problems.extend(self._check_value((item_type,), item, f"{path}[{index}]"))
            return problems
        if alt in SCALAR_TYPES or alt == INPUT_FILE:
            return []
        return self._check_fields(self._types[alt], value, path)

    def _shape_fits(self, alt: str, value: Any) -> bool:
        if alt.startswith(ARRAY_PREFIX):
            return isinstance(value, list)
        if alt == "Integer":
            return isinstance(value, int) and not isinstance(value, bool)
        if alt == "Float":
            return isinstance(value, int | float) and not isinstance(value, bool)
        if alt == "Boolean":
            return isinstance(value, bool)
        if alt == "String":
            return isinstance(value, str)
        if alt == INPUT_FILE:
            return isinstance(value, UploadedFile) or (
                isinstance(value, str) and value.startswith(ATTACH_PREFIX)
            )
        if not isinstance(value, dict):
            return False
        discriminator = self._discriminators.get(alt)
        if discriminator is None:
            return True
        key, expected = discriminator
        return key not in value or value[key] == expected

    def _mismatch(
        self, types: Sequence[str], alternatives: Sequence[str], value: Any, path: str
    ) -> _Problem:
        if isinstance(value, dict):
            tagged = [self._discriminators[a] for a in alternatives if a in self._discriminators]
            if tagged:
                key = tagged[0][0]
                allowed = ", ".join(repr(expected) for _, expected in tagged)
                return _Problem(
                    _join(path, key),
                    "wrong_type",
                    f"{value.get(key)!r} is not one of {allowed} ({' or '.join(types)})",
                )
        wanted = " or ".join(types)
        return _Problem(path, "wrong_type", f"expected {wanted}, got {_describe(value)}")

    def _expand(self, types: Iterable[str]) -> Iterable[str]:
        """Replace abstract types (``ChatMember``) by their concrete subtypes."""
        for type_expr in types:
            subtypes = self._subtypes.get(type_expr)
            if subtypes is None:
                yield type_expr
            else:
                yield from self._expand(subtypes)


def _fields(entry: Mapping[str, Any]) -> dict[str, FieldSpec]:
    return {
        f["name"]: FieldSpec(f["name"], tuple(f["types"]), bool(f["required"]))
        for f in entry.get("fields", ())
    }


def _read_discriminators(data: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """``{"BotCommandScopeChat": ("type", "chat"), ...}`` from the first field's description."""
    found: dict[str, tuple[str, str]] = {}
    for name, type_ in data["types"].items():
        for field in type_.get("fields", ())[:1]:
            if field["name"] not in _DISCRIMINATOR_FIELDS:
                continue
            match = _DISCRIMINATOR_RE.search(field["description"])
            if match:
                found[name] = (field["name"], match.group(1))
    return found


def _coerce(types: Sequence[str], value: Any) -> Any:
    """Decode one top-level value the way Telegram's HTTP front end does."""
    if isinstance(value, str):
        structured = [t for t in types if t not in SCALAR_TYPES and t != INPUT_FILE]
        if structured and "String" not in types:
            if value.lstrip()[:1] in ("{", "["):
                try:
                    return json.loads(value)
                except ValueError:
                    return value
            return value
        if "Integer" in types and _INT_RE.fullmatch(value):
            return int(value)
        if "Float" in types and _FLOAT_RE.fullmatch(value):
            return float(value)
        if "Boolean" in types and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        return value
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if is_number and "String" in types and "Integer" not in types and "Float" not in types:
        return str(value)
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"Boolean {value}"
    if isinstance(value, UploadedFile):
        return "an uploaded file"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"String {shown!r}"
    return f"{type(value).__name__} {json.dumps(value, default=str)[:40]}"


@cache
def load_spec() -> BotApiSpec:
    """The vendored spec, parsed once per process."""
    return BotApiSpec.load()


def check_call(method: str, params: Mapping[str, Any]) -> list[str]:
    """Spec violations of one call, as readable strings (empty list when the call is valid).

    ``params`` may be raw (form strings, JSON-serialized objects) or already decoded.
    """
    spec = load_spec()
    canonical = spec.canonical_method(method)
    if canonical is None:
        return [str(Violation(method, "", "unknown_method", f"unknown method ({spec.version})"))]
    decoded = spec.coerce_params(canonical, params)
    return [str(v) for v in spec.check_params(canonical, decoded)]
