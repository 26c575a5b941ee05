"""How a register form's step is shown in a staff chat: one message, edited in place as
buttons are pressed, with the answers so far above the question of the step."""

from __future__ import annotations

from typing import Any

from handlers.context import Context
from handlers.port import Button, Reply
from handlers.register.form_state import OPTIONAL, Step, step_of
from knowledge.content.reference import load_parties
from models.consultations import Channel, VisitorRole
from models.staff import STAFF_LANGUAGE
from models.stages import Stage

PER_PAGE = 10  # parties per page, two columns
SHOWN_FIELDS = (
    "channel",
    "role",
    "party",
    "topic",
    "stage_name",
    "name",
    "question",
    "answer",
    "purpose",
)
Rows = tuple[tuple[Button, ...], ...]


def label(ctx: Context, name: str) -> str:
    return ctx.texts.label(STAFF_LANGUAGE, name)


def button(ctx: Context, text: str, action: str) -> Button:
    return Button(label=text, payload=ctx.signer.sign(ctx.event.chat.id, action))


def _grid(buttons: list[Button]) -> Rows:
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))


def _choices(ctx: Context, step: Step, options: list[tuple[str, str]]) -> Rows:
    return _grid([button(ctx, text, f"ct:v:{step.value}:{value}") for value, text in options])


def party_rows(ctx: Context, page: int) -> Rows:
    """A page of parties in ballot order, "no party", and the pager."""
    parties = load_parties()
    pages = max(1, -(-len(parties) // PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = parties[page * PER_PAGE : (page + 1) * PER_PAGE]
    rows = list(_choices(ctx, Step.PARTY, [(p.code, f"{p.number}. {p.short}") for p in shown]))
    pager = []
    if page > 0:
        pager.append(button(ctx, label(ctx, "desk_prev"), f"ct:pg:{page - 1}"))
    if page + 1 < pages:
        pager.append(button(ctx, label(ctx, "desk_next"), f"ct:pg:{page + 1}"))
    if pager:
        rows.append(tuple(pager))
    return tuple(rows)


def step_rows(ctx: Context, draft: dict[str, Any], stages: list[Stage]) -> Rows:
    """The buttons of the draft's current step, a skip where the step is optional, and
    cancel."""
    step = step_of(draft)
    rows: Rows = ()
    if step is Step.CHANNEL:
        options = [(c.value, label(ctx, f"rpt_channel_{c.value}")) for c in Channel]
        rows = _choices(ctx, step, [o for o in options if o[0] != Channel.BOT.value])
        rows = (*rows, (button(ctx, label(ctx, "reg_guest"), "ct:gb"),))
    elif step is Step.ROLE:
        rows = _choices(
            ctx, step, [(r.value, label(ctx, f"rpt_role_{r.value}")) for r in VisitorRole]
        )
    elif step is Step.PARTY:
        rows = party_rows(ctx, int(draft.get("page", 0)))
    elif step is Step.TOPIC and ctx.services.kb is not None:
        options = [
            (c.id, c.title.get(STAFF_LANGUAGE.value) or c.id) for c in ctx.services.kb.categories
        ]
        rows = _choices(ctx, step, options)
    elif step is Step.STAGE:
        rows = tuple((button(ctx, s.name_id[:60], f"ct:v:stage:{s.id}"),) for s in stages)
    elif step is Step.CONFIRM:
        rows = ((button(ctx, label(ctx, "reg_save"), "ct:ok"),),)
    tail: list[Button] = []
    if step in OPTIONAL:
        tail.append(button(ctx, label(ctx, "reg_skip"), f"ct:v:{step.value}:-"))
    tail.append(button(ctx, label(ctx, "reg_cancel"), "ct:x"))
    return (*rows, tuple(tail))


def form_reply(ctx: Context, draft: dict[str, Any], stages: list[Stage], *, edit: bool) -> Reply:
    step = step_of(draft)
    text = ctx.texts.render(
        STAFF_LANGUAGE,
        "register/form",
        form=draft["form"],
        step=step.value,
        values=shown_values(ctx, draft),
    )
    ref = ctx.event.ref if edit and ctx.event.button is not None else None
    return Reply(chat=ctx.event.chat, text=text, buttons=step_rows(ctx, draft, stages), edit=ref)


def shown_values(ctx: Context, draft: dict[str, Any]) -> list[tuple[str, str]]:
    """The answers so far, as (column label, value) for the form's summary."""
    names = {
        "channel": lambda v: label(ctx, f"rpt_channel_{v}"),
        "role": lambda v: label(ctx, f"rpt_role_{v}"),
    }
    shown = []
    for field in (
        "channel",
        "role",
        "party",
        "topic",
        "stage_name",
        "name",
        "question",
        "answer",
        "purpose",
    ):
        value = draft.get(field)
        if value:
            text = names[field](value) if field in names else str(value)
            column = "stage" if field == "stage_name" else field
            column = "visitor" if column == "name" else column
            shown.append((label(ctx, f"rpt_col_{column}"), text))
    return shown
