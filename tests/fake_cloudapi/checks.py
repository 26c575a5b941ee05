"""The shape and limits of every Cloud API request the help desk makes: a request that
breaks one is refused with Meta's code 100 (invalid parameter) and recorded as a
violation, so a test fails when the courier sends what WhatsApp would refuse.

Limits from Meta's documentation of messages (text, interactive reply buttons and list
messages, media, templates, marking read)."""

from __future__ import annotations

from typing import Any

TEXT = 4096
CAPTION = 1024
BODY = 1024
BUTTONS = 3
BUTTON_TITLE = 20
BUTTON_ID = 256
ROWS = 10
ROW_TITLE = 24
ROW_DESCRIPTION = 72
ROW_ID = 200
LIST_BUTTON = 20
SECTION_TITLE = 24
TEMPLATE_PARAMETER = 1024
MEDIA_TYPES = ("image", "document", "audio", "video", "sticker")
CAPTIONED = ("image", "document", "video")


def check_message(
    body: dict[str, Any],
    templates: dict[tuple[str, str], int],
    template_buttons: dict[tuple[str, str], int] | None = None,
) -> list[str]:
    """What is wrong with a send (empty: nothing)."""
    problems: list[str] = []
    if body.get("messaging_product") != "whatsapp":
        problems.append("messaging_product must be 'whatsapp'")
    if "status" in body:
        return problems + _check_read(body)
    to, recipient = body.get("to"), body.get("recipient")
    if bool(to) == bool(recipient):
        problems.append("exactly one of to (a phone number) and recipient (a BSUID) is needed")
    if to is not None and not str(to).isdigit():
        problems.append(f"to must be digits, got {to!r}")
    kind = body.get("type")
    part = body.get(kind) if isinstance(kind, str) else None
    if not isinstance(part, dict):
        return [*problems, f"no {kind!r} object for type {kind!r}"]
    extra = set(body) - {
        "messaging_product",
        "recipient_type",
        "to",
        "recipient",
        "type",
        kind,
        "context",
        "biz_opaque_callback_data",
    }
    if extra:
        problems.append(f"unknown fields {sorted(extra)}")
    if kind == "text":
        text = part.get("body")
        if not isinstance(text, str) or not text.strip():
            problems.append("text.body must be a non-empty string")
        elif len(text) > TEXT:
            problems.append(f"text.body is {len(text)} characters (at most {TEXT})")
    elif kind == "interactive":
        problems += _check_interactive(part)
    elif kind in MEDIA_TYPES:
        if bool(part.get("id")) == bool(part.get("link")):
            problems.append(f"{kind} needs an id or a link")
        caption = part.get("caption")
        if caption is not None:
            if kind not in CAPTIONED:
                problems.append(f"{kind} takes no caption")
            elif len(caption) > CAPTION:
                problems.append(f"caption is {len(caption)} characters (at most {CAPTION})")
    elif kind == "template":
        problems += _check_template(part, templates, template_buttons or {})
    else:
        problems.append(f"type {kind!r} is not one the help desk should send")
    return problems


def _check_read(body: dict[str, Any]) -> list[str]:
    problems = []
    if body.get("status") != "read" or not body.get("message_id"):
        problems.append("a read receipt is status 'read' with a message_id")
    typing = body.get("typing_indicator")
    if typing is not None and typing != {"type": "text"}:
        problems.append("typing_indicator must be {'type': 'text'}")
    return problems


def _check_interactive(part: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    body = (part.get("body") or {}).get("text")
    if not isinstance(body, str) or not body.strip():
        problems.append("interactive.body.text must be a non-empty string")
    elif len(body) > BODY:
        problems.append(f"interactive body is {len(body)} characters (at most {BODY})")
    action = part.get("action") or {}
    if part.get("type") == "button":
        buttons = action.get("buttons") or []
        if not 1 <= len(buttons) <= BUTTONS:
            problems.append(f"{len(buttons)} reply buttons (1 to {BUTTONS})")
        ids = [((b.get("reply") or {}).get("id") or "") for b in buttons]
        titles = [((b.get("reply") or {}).get("title") or "") for b in buttons]
        problems += [
            f"button title {t!r} over {BUTTON_TITLE}"
            for t in titles
            if not t or len(t) > BUTTON_TITLE
        ]
        problems += [f"button id over {BUTTON_ID}" for i in ids if not i or len(i) > BUTTON_ID]
        if len(set(ids)) != len(ids):
            problems.append("button ids must be unique")
    elif part.get("type") == "list":
        label = action.get("button") or ""
        if not label or len(label) > LIST_BUTTON:
            problems.append(f"list button {label!r} must be 1 to {LIST_BUTTON} characters")
        sections = action.get("sections") or []
        rows = [r for s in sections for r in (s.get("rows") or [])]
        if not 1 <= len(rows) <= ROWS:
            problems.append(f"{len(rows)} list rows (1 to {ROWS})")
        if len(sections) > 1 and any(not s.get("title") for s in sections):
            problems.append("several sections need titles")
        for row in rows:
            title, row_id = row.get("title") or "", row.get("id") or ""
            if not title or len(title) > ROW_TITLE:
                problems.append(f"row title {title!r} must be 1 to {ROW_TITLE} characters")
            if len(row.get("description") or "") > ROW_DESCRIPTION:
                problems.append(f"row description over {ROW_DESCRIPTION}")
            if not row_id or len(row_id) > ROW_ID:
                problems.append(f"row id must be 1 to {ROW_ID} characters")
        ids = [r.get("id") for r in rows]
        if len(set(ids)) != len(ids):
            problems.append("row ids must be unique")
    else:
        problems.append(f"interactive type {part.get('type')!r} is not button or list")
    return problems


def _check_template(
    part: dict[str, Any],
    templates: dict[tuple[str, str], int],
    template_buttons: dict[tuple[str, str], int],
) -> list[str]:
    name = part.get("name")
    language = (part.get("language") or {}).get("code")
    wanted = templates.get((str(name), str(language)))
    if wanted is None:
        return [f"template {name!r} in {language!r} does not exist (code 132001)"]
    parameters = [
        p
        for c in part.get("components") or []
        if c.get("type") == "body"
        for p in c.get("parameters") or []
    ]
    problems = []
    if len(parameters) != wanted:
        problems.append(f"template {name} takes {wanted} parameter(s), got {len(parameters)}")
    for parameter in parameters:
        text = parameter.get("text") or ""
        if parameter.get("type") != "text" or not text:
            problems.append("a template parameter must be a non-empty text")
        if "\n" in text or "\t" in text or "     " in text or len(text) > TEMPLATE_PARAMETER:
            problems.append("a template parameter may hold no new lines, tabs or 5 spaces")
    quick = template_buttons.get((str(name), str(language)), 0)
    indexes = []
    for component in part.get("components") or []:
        if component.get("type") == "body":
            continue
        if component.get("type") != "button" or component.get("sub_type") != "quick_reply":
            problems.append(f"template component {component!r} is not a body or quick reply")
            continue
        index = str(component.get("index"))
        payloads = component.get("parameters") or []
        if not index.isdigit() or int(index) >= quick:
            problems.append(f"template {name} has no quick-reply button {index}")
        indexes.append(index)
        if (
            len(payloads) != 1
            or payloads[0].get("type") != "payload"
            or not 1 <= len(str(payloads[0].get("payload") or "")) <= BUTTON_ID
        ):
            problems.append("a quick-reply button takes one payload of 1 to 256 characters")
    if len(set(indexes)) != len(indexes):
        problems.append("a quick-reply button is given twice")
    return problems
