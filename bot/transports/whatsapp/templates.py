"""The message templates WhatsApp allows outside the 24-hour window, as configured in a
file (``WHATSAPP_TEMPLATES_FILE``, or the shipped ``templates.yaml``), and how one is
filled for a message the help desk would have sent free-form.

Uses: ``answered`` (an officer answered; the answer itself is held until the person
writes back), ``reminder`` and ``announcement`` (their text as the one parameter). A
template parameter may hold no line breaks, tabs or more than four spaces in a row
(Meta's rule for body parameters), so the text is flattened to one line and cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SHIPPED = Path(__file__).with_name("templates.yaml")
USES = ("answered", "reminder", "announcement")
PARAMETERS = ("text",)
PARAMETER_LIMIT = 1000


class TemplateFileError(Exception):
    """The templates file cannot be used (one line, naming the problem)."""


@dataclass(frozen=True)
class Template:
    use: str
    name: str
    language: str
    parameters: tuple[str, ...]

    def message(self, text: str) -> dict[str, Any]:
        """The ``template`` object of a send, filled with ``text`` where asked."""
        values = {"text": one_line(text)}
        template: dict[str, Any] = {"name": self.name, "language": {"code": self.language}}
        if self.parameters:
            template["components"] = [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": values[p]} for p in self.parameters],
                }
            ]
        return {"type": "template", "template": template}


def one_line(text: str) -> str:
    flat = re.sub(r"\s+", " ", text).strip() or "-"
    return flat if len(flat) <= PARAMETER_LIMIT else flat[: PARAMETER_LIMIT - 1] + "…"


def load_templates(path: str | Path | None = None) -> dict[str, Template]:
    """The configured templates by use, or :class:`TemplateFileError`."""
    where = Path(path) if path else SHIPPED
    try:
        raw = yaml.safe_load(where.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateFileError(f"cannot read {where}: {exc}") from None
    if not isinstance(raw, dict):
        raise TemplateFileError(f"{where}: expected a mapping of uses to templates")
    found: dict[str, Template] = {}
    for use in USES:
        entry = raw.get(use)
        if not isinstance(entry, dict):
            raise TemplateFileError(f"{where}: no template for {use!r}")
        name, language = entry.get("name"), entry.get("language")
        parameters = entry.get("parameters") or []
        if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]{1,512}", name):
            raise TemplateFileError(f"{where}: {use}.name must be lowercase letters, digits, _")
        if not isinstance(language, str) or not language:
            raise TemplateFileError(f"{where}: {use}.language must be a code such as id or en_US")
        if not isinstance(parameters, list) or any(p not in PARAMETERS for p in parameters):
            raise TemplateFileError(f"{where}: {use}.parameters may only list {PARAMETERS}")
        found[use] = Template(use, name, language, tuple(parameters))
    unknown = set(raw) - set(USES)
    if unknown:
        raise TemplateFileError(f"{where}: unknown use(s) {sorted(unknown)}; known: {USES}")
    return found


def use_for(campaign: str) -> str:
    """Which template carries a message of this outbox campaign outside the window."""
    if campaign.startswith("rem:"):
        return "reminder"
    if campaign.startswith("ann:"):
        return "announcement"
    return "answered"


def compare_templates(configured: dict[str, Template], account: list[dict[str, Any]]) -> list[str]:
    """What keeps the configured templates from being sent ("<use>: why"), given the
    account's templates as the Graph API lists them; empty when all can go."""
    problems = []
    for template in configured.values():
        found = next(
            (
                t
                for t in account
                if t.get("name") == template.name and t.get("language") == template.language
            ),
            None,
        )
        where = f"{template.use}: {template.name} ({template.language})"
        if found is None:
            languages = sorted(
                str(t.get("language")) for t in account if t.get("name") == template.name
            )
            also = f"; the account has it in {', '.join(languages)}" if languages else ""
            problems.append(f"{where} is not in the account{also}")
            continue
        if found.get("status") != "APPROVED":
            problems.append(f"{where} is {found.get('status')}, not APPROVED")
        if found.get("category") not in (None, "UTILITY"):
            problems.append(
                f"{where} is {found.get('category')}; reminders and notices are UTILITY"
            )
        body: dict[str, Any] = next(
            (c for c in found.get("components") or [] if str(c.get("type")).upper() == "BODY"), {}
        )
        count = len(set(re.findall(r"\{\{\s*(\w+)\s*\}\}", str(body.get("text", "")))))
        if count != len(template.parameters):
            problems.append(
                f"{where} takes {count} parameter(s); the file gives {len(template.parameters)}"
            )
    return problems
