"""The register's forms in a staff chat, between two events: which steps a form has, and
the draft kept in the database (a ``register_draft`` row per chat and person),
never in memory, so a restart loses nothing and two officers can fill forms at once.

Three forms:
- a consultation (``/catat``): channel, role, party, topic, stage (optional), then the
  visitor's name, the question and the answer typed, then confirm;
- a guest-book visit (``/tamu``, or "guest book" in /catat): role, party, name and
  purpose, then confirm;
- a signed-in visit made a consultation: topic, stage, question, answer, confirm (the
  visitor's name, role and party come from the guest book).
"""

from __future__ import annotations

import enum
import json
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from handlers.context import Context
from models.register_drafts import RegisterDraft

_KEY = "{}:{}"


class Form(enum.StrEnum):
    CONSULTATION = "consult"
    GUEST = "guest"
    FROM_GUEST = "from_guest"


class Step(enum.StrEnum):
    CHANNEL = "channel"
    ROLE = "role"
    PARTY = "party"
    TOPIC = "topic"
    STAGE = "stage"
    NAME = "name"
    QUESTION = "question"
    ANSWER = "answer"
    PURPOSE = "purpose"
    CONFIRM = "confirm"


TYPED = frozenset({Step.NAME, Step.QUESTION, Step.ANSWER, Step.PURPOSE})
OPTIONAL = frozenset({Step.STAGE, Step.TOPIC, Step.PARTY, Step.ANSWER, Step.PURPOSE})

STEPS: dict[Form, tuple[Step, ...]] = {
    Form.CONSULTATION: (
        Step.CHANNEL,
        Step.ROLE,
        Step.PARTY,
        Step.TOPIC,
        Step.STAGE,
        Step.NAME,
        Step.QUESTION,
        Step.ANSWER,
        Step.CONFIRM,
    ),
    Form.GUEST: (Step.ROLE, Step.PARTY, Step.NAME, Step.PURPOSE, Step.CONFIRM),
    Form.FROM_GUEST: (Step.TOPIC, Step.STAGE, Step.QUESTION, Step.ANSWER, Step.CONFIRM),
}


def _key(ctx: Context) -> str:
    return _KEY.format(ctx.chat.id, ctx.person.id)


def hold(ctx: Context) -> None:
    """Takes the database's write lock before anything is read, as the first statement
    of the event's transaction: on SQLite a transaction that read first and writes
    later fails at once ("database is locked") when another process wrote in between,
    while a writer that comes first waits its turn. An UPDATE takes the lock even when
    no row matches."""
    ctx.uow.session.execute(
        sa.update(RegisterDraft)
        .where(col(RegisterDraft.key) == _key(ctx))
        .values(updated_at=ctx.clock.now())
    )


def load(ctx: Context) -> dict[str, Any] | None:
    """The form this person is filling in this chat, if any."""
    row = ctx.uow.session.get(RegisterDraft, _key(ctx))
    if row is None:
        return None
    try:
        value = json.loads(row.value)
    except ValueError:
        return None
    return value if isinstance(value, dict) and value.get("form") in set(Form) else None


def save(ctx: Context, draft: dict[str, Any]) -> None:
    session = ctx.uow.session
    row = session.get(RegisterDraft, _key(ctx))
    if row is None:
        row = RegisterDraft(key=_key(ctx), value="", updated_at=ctx.clock.now())
    row.value = json.dumps(draft, ensure_ascii=False)
    row.updated_at = ctx.clock.now()
    session.add(row)


def drop(ctx: Context) -> None:
    row = ctx.uow.session.get(RegisterDraft, _key(ctx))
    if row is not None:
        ctx.uow.session.delete(row)


def step_of(draft: dict[str, Any]) -> Step:
    steps = STEPS[Form(draft["form"])]
    index = min(int(draft.get("at", 0)), len(steps) - 1)
    return steps[index]


def advance(draft: dict[str, Any]) -> None:
    steps = STEPS[Form(draft["form"])]
    draft["at"] = min(int(draft.get("at", 0)) + 1, len(steps) - 1)


def awaits_text(ctx: Context) -> dict[str, Any] | None:
    """The draft, when it waits for typed text in this chat and topic."""
    draft = load(ctx)
    if draft is None or step_of(draft) not in TYPED:
        return None
    return draft if draft.get("thread") == ctx.event.chat.thread else None
