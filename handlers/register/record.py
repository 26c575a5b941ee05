"""/catat and /tamu in a staff chat: an officer records a consultation that did not come
through the bot, or signs a visit into the guest book, in a few taps on a phone.

Only active officers of the staff chat's own office may (an officer of the office above
records in their own chat). Choices are buttons, the visitor's name, the question and
the answer are typed; each step edits one message. The draft lives in the database
(``handlers.register.form_state``); nothing is recorded before "save".

  ct:v:<step>:<value>   a choice for the current step ("-" skips an optional one)
  ct:pg:<page>          a page of parties
  ct:gb                 /catat becomes a guest-book sign-in
  ct:g:<entry id>       a signed-in visit made a consultation
  ct:ok / ct:x          save / cancel
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from handlers.context import Context
from handlers.port import Outcome, Reply
from handlers.refusals import guarded
from handlers.register import form_state as state
from handlers.register.form_state import Form, Step
from handlers.register.form_views import Rows, button, form_reply, label
from handlers.register.staff_office import office_and_officer
from knowledge.content.reference import party
from models.consultations import (
    MAX_TEXT,
    Channel,
    ConsultationInput,
    GuestBookEntry,
    VisitorRole,
    consult_from_guest,
    record_consultation,
    sign_guest_book,
)
from models.offices import Office
from models.refusals import Refusal
from models.staff import STAFF_LANGUAGE, Officer
from models.stages import Stage

MAX_STAGES = 6  # stages offered: those running now, ending soonest first


def _own_office(ctx: Context) -> tuple[Office, Officer]:
    office, officer = office_and_officer(ctx)
    if officer.office_code != office.code:
        raise Refusal("desk/refused/not_allowed")
    return office, officer


def running_stages(session: Session, now: datetime) -> list[Stage]:
    return list(
        session.exec(
            select(Stage)
            .where(col(Stage.starts_at) <= now, col(Stage.ends_at) >= now)
            .order_by(col(Stage.ends_at))
            .limit(MAX_STAGES)
        ).all()
    )


def _show(ctx: Context, draft: dict[str, Any], *, edit: bool = True) -> Outcome:
    state.save(ctx, draft)
    stages = running_stages(ctx.uow.session, ctx.clock.now())
    return Outcome([form_reply(ctx, draft, stages, edit=edit)], f"register: {state.step_of(draft)}")


def _begin(ctx: Context, form: Form, **values: Any) -> Outcome:
    state.hold(ctx)
    office, _officer = _own_office(ctx)
    draft = {"form": form.value, "at": 0, "office": office.code, "thread": ctx.event.chat.thread}
    return _show(ctx, draft | values, edit=False)


@guarded
def record(ctx: Context, arg: str = "") -> Outcome:
    """/catat: a consultation, starting with its channel."""
    return _begin(ctx, Form.CONSULTATION)


@guarded
def guest(ctx: Context, arg: str = "") -> Outcome:
    """/tamu: a visit signed into the guest book."""
    return _begin(ctx, Form.GUEST, channel=Channel.WALK_IN.value)


@guarded
def on_action(ctx: Context, arg: str) -> Outcome:
    """Every "ct:..." button of the person's own form in this chat."""
    state.hold(ctx)
    _own_office(ctx)
    op, _, rest = arg.partition(":")
    if op == "g":
        return _from_guest(ctx, rest)
    draft = state.load(ctx)
    if draft is None:
        return Outcome([ctx.toast("reg_expired")], "register: no draft")
    if op == "x":
        state.drop(ctx)
        return Outcome([_said(ctx, "register/cancelled")], "register: cancelled")
    if op == "gb" and draft["form"] == Form.CONSULTATION:
        draft.update(form=Form.GUEST.value, at=0, channel=Channel.WALK_IN.value)
        return _show(ctx, draft)
    if op == "pg":
        draft["page"] = int(rest) if rest.isdigit() else 0
        return _show(ctx, draft)
    if op == "v":
        return _choose(ctx, draft, rest)
    if op == "ok" and state.step_of(draft) is Step.CONFIRM:
        return _save(ctx, draft)
    return Outcome([ctx.toast("reg_expired")], "register: stale button")


def _choose(ctx: Context, draft: dict[str, Any], rest: str) -> Outcome:
    """A choice is taken only for the step the form is at (an older message's button
    is stale); "-" skips an optional step."""
    step_text, _, value = rest.partition(":")
    step = state.step_of(draft)
    if step_text != step.value or (value == "-" and step not in state.OPTIONAL):
        return Outcome([ctx.toast("reg_expired")], "register: stale choice")
    if value != "-":
        fields = _chosen(ctx, step, value)
        if fields is None:
            return Outcome([ctx.toast("reg_expired")], "register: unknown choice")
        draft.update(fields)
    state.advance(draft)
    return _show(ctx, draft)


def _chosen(ctx: Context, step: Step, value: str) -> dict[str, str] | None:
    """The draft's fields a button's value sets; None for a value that is not a choice."""
    if step is Step.CHANNEL and value in set(Channel) and value != Channel.BOT:
        return {"channel": value}
    if step is Step.ROLE and value in set(VisitorRole):
        return {"role": value}
    if step is Step.PARTY:
        found = party(value)
        return {"party": found.short} if found is not None else None
    kb = ctx.services.kb
    if step is Step.TOPIC and kb is not None and any(c.id == value for c in kb.categories):
        return {"topic": value}
    if step is Step.STAGE and value.isdigit():
        stage = ctx.uow.session.get(Stage, int(value))
        return {"stage": stage.key, "stage_name": stage.name_id} if stage is not None else None
    return None


def take_text(ctx: Context, text: str) -> Outcome | None:
    """Typed text, while the person's form in this chat and topic waits for it."""
    state.hold(ctx)
    draft = state.awaits_text(ctx)
    if draft is None:
        return None
    if len(text) > MAX_TEXT:
        reply = _said(ctx, "register/too_long", length=len(text), limit=MAX_TEXT)
        return Outcome([reply], "register: text too long")
    draft[state.step_of(draft).value] = text.strip()
    state.advance(draft)
    return _show(ctx, draft, edit=False)


def _said(ctx: Context, template: str, rows: Rows = (), **kw: Any) -> Reply:
    edit = ctx.event.ref if ctx.event.button is not None else None
    text = ctx.texts.render(STAFF_LANGUAGE, template, **kw)
    return Reply(chat=ctx.event.chat, text=text, buttons=rows, edit=edit)


def _save(ctx: Context, draft: dict[str, Any]) -> Outcome:
    """Records what the form holds: a consultation, a guest-book visit, or a visit made a
    consultation. The draft is gone once recorded."""
    office, officer = _own_office(ctx)
    session, now = ctx.uow.session, ctx.clock.now()
    form = Form(draft["form"])
    state.drop(ctx)
    if form is Form.GUEST:
        entry = sign_guest_book(
            session,
            office_code=office.code,
            visitor_name=draft.get("name", ""),
            role=VisitorRole(draft.get("role", VisitorRole.OTHER)),
            party=draft.get("party", ""),
            purpose=draft.get("purpose", ""),
            at=now,
        )
        rows = ((button(ctx, label(ctx, "reg_to_consultation"), f"ct:g:{entry.id}"),),)
        reply = _said(
            ctx, "register/guest_saved", rows, name=entry.visitor_name, office=office.name
        )
        return Outcome([reply], "register: guest signed in")
    if form is Form.FROM_GUEST:
        visit = session.get(GuestBookEntry, int(draft.get("guest", 0)))
        if visit is None or visit.office_code != office.code:
            return Outcome([ctx.toast("reg_expired")], "register: guest gone")
        consultation = consult_from_guest(
            session,
            visit,
            question=draft.get("question", ""),
            answer=draft.get("answer", ""),
            topic=draft.get("topic", ""),
            stage=draft.get("stage", ""),
            officer_id=officer.id,
            officer_name=officer.name,
            actor=officer.actor,
            now=now,
        )
    else:
        consultation = record_consultation(
            session,
            ConsultationInput(
                office_code=office.code,
                channel=Channel(draft.get("channel", Channel.WALK_IN)),
                visitor_name=draft.get("name", ""),
                role=VisitorRole(draft.get("role", VisitorRole.OTHER)),
                question=draft.get("question", ""),
                party=draft.get("party", ""),
                topic=draft.get("topic", ""),
                stage=draft.get("stage", ""),
                answer=draft.get("answer", ""),
                officer_id=officer.id,
                officer_name=officer.name,
            ),
            actor=officer.actor,
            now=now,
        )
    reply = _said(ctx, "register/saved", number=consultation.number, office=office.name)
    return Outcome([reply], "register: consultation recorded")


def _from_guest(ctx: Context, entry_id: str) -> Outcome:
    """ "Make it a consultation" under a signed-in visit: the rest of the form."""
    office, _officer = _own_office(ctx)
    entry = ctx.uow.session.get(GuestBookEntry, int(entry_id)) if entry_id.isdigit() else None
    if entry is None or entry.office_code != office.code:
        return Outcome([ctx.toast("reg_expired")], "register: guest gone")
    if entry.consultation_id is not None:
        return Outcome([ctx.toast("reg_expired")], "register: guest recorded already")
    draft = {
        "form": Form.FROM_GUEST.value,
        "at": 0,
        "office": office.code,
        "thread": ctx.event.chat.thread,
        "guest": entry.id,
        "name": entry.visitor_name,
        "role": entry.role.value,
        "party": entry.party,
    }
    return _show(ctx, draft, edit=False)
