"""The message templates WhatsApp allows outside the 24-hour window, as configured in a
file (``WHATSAPP_TEMPLATES_FILE``, or the shipped ``templates.yaml``), and how one is
filled for a message the help desk would have sent free-form.

Uses: ``answered`` (an officer answered; the answer itself is held until the person
writes back), ``reminder`` and ``announcement`` (their text as the one parameter). A
template parameter may hold no line breaks, tabs or more than four spaces in a row
(Meta's rule for body parameters), so the text is flattened to one line and cut.

A template may have quick-reply buttons (``buttons``, in the template's order): their
titles are the approved template's; the payload each carries is set when it is sent, as a
``button`` component of sub-type ``quick_reply``. Each is named by the button action it
stands for: the payload of the message's own button with that action (``sch:v`` takes
the button whose action is ``sch:v`` or begins ``sch:v:``), or, for ``read`` and for a
button the message lacks, a press that only counts as the person writing back (which
opens their window and sends what was held for them). A press comes back as a message of
type ``button`` with that payload.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from handlers.home.start import WROTE_BACK

SHIPPED = Path(__file__).with_name("templates.yaml")
USES = ("answered", "reminder", "announcement")
PARAMETERS = ("text",)
PARAMETER_LIMIT = 1000
BUTTON_LIMIT = 3  # kept to what a reply-button message holds
READ = WROTE_BACK  # the button action that only says "I am here": the person wrote back
_ACTION = re.compile(r"[a-z]{1,16}(:[A-Za-z0-9_-]{1,32})*")

Sign = Callable[[str, str], str]  # (chat, action) -> a signed payload (handlers.signing)


class TemplateFileError(Exception):
    """The templates file cannot be used (one line, naming the problem)."""


@dataclass(frozen=True)
class Template:
    use: str
    name: str
    language: str
    parameters: tuple[str, ...]
    buttons: tuple[str, ...] = ()  # quick-reply buttons, by the action each stands for

    def message(self, text: str, payloads: Sequence[str] = ()) -> dict[str, Any]:
        """The ``template`` object of a send, filled with ``text`` where asked and with
        one payload per quick-reply button."""
        values = {"text": one_line(text)}
        template: dict[str, Any] = {"name": self.name, "language": {"code": self.language}}
        components: list[dict[str, Any]] = []
        if self.parameters:
            components.append(
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": values[p]} for p in self.parameters],
                }
            )
        components += [
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": str(index),
                "parameters": [{"type": "payload", "payload": payload}],
            }
            for index, payload in enumerate(payloads)
        ]
        if components:
            template["components"] = components
        return {"type": "template", "template": template}

    def payloads(
        self, chat_id: str, buttons: Sequence[Sequence[dict[str, str | None]]], sign: Sign
    ) -> list[str]:
        """Each quick-reply button's payload for a message to ``chat_id`` whose own
        buttons are ``buttons``: the one with the button's action, else a press that
        counts as writing back."""
        found = [
            payload
            for row in buttons
            for button in row
            if (payload := button.get("payload")) and not button.get("url")
        ]
        chosen = []
        for wanted in self.buttons:
            match = next((p for p in found if _stands_for(p, wanted)), None)
            chosen.append(match if match is not None and wanted != READ else sign(chat_id, READ))
        return chosen


def _stands_for(payload: str, wanted: str) -> bool:
    """Whether a signed payload ("action~signature") carries ``wanted`` or one of its
    sub-actions; the press itself is verified when it comes back."""
    action = payload.rpartition("~")[0]
    return action == wanted or action.startswith(wanted + ":")


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
        buttons = entry.get("buttons") or []
        if (
            not isinstance(buttons, list)
            or len(buttons) > BUTTON_LIMIT
            or any(not isinstance(b, str) or not _ACTION.fullmatch(b) for b in buttons)
        ):
            raise TemplateFileError(
                f"{where}: {use}.buttons must list at most {BUTTON_LIMIT} button actions"
                f" such as {READ}, ack or sch:v"
            )
        found[use] = Template(use, name, language, tuple(parameters), tuple(buttons))
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
        quick = [
            b
            for c in found.get("components") or []
            if str(c.get("type")).upper() == "BUTTONS"
            for b in c.get("buttons") or []
            if str(b.get("type")).upper() == "QUICK_REPLY"
        ]
        if len(quick) != len(template.buttons):
            problems.append(
                f"{where} has {len(quick)} quick-reply button(s);"
                f" the file gives {len(template.buttons)}"
            )
    return problems
