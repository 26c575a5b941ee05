"""How a liaison joins the desk: by an officer's invite link, or by registering
themselves in the private chat.

- Invite: ``/start <token>`` (the deep link ``t.me/<bot>?start=<token>``, read by
  ``handlers.home.start``) registers the person as a verified liaison of the invite's
  office, party and tier.
- Self-registration (``/daftar``): the name is typed (or the app's display name taken
  with one button); party, tier and region are picked from buttons, so nobody types a
  code. The result is an unverified liaison; the office's staff chat is told so a
  supervisor can verify them.

The typed name is the only thing that must wait between two events: it is kept in the
database (``app_state`` row ``desk:reg:<person id>``), never in memory. Everything picked
by button travels in the signed button payloads:

  rg:n                        take the app's display name
  rg:p:<page>                 a page of parties
  rg:t:<party>                party picked: the tiers
  rg:v:<party>:<tier>:<page>  tier picked: a page of provinces
  rg:k:<party>:<tier>:<province>:<page>  a page of the province's regencies and cities
  rg:d:<party>:<tier>:<office>           done: register
"""

from __future__ import annotations

import json

from handlers.context import Context
from handlers.desk.guard import liaison_of
from handlers.desk.outbox import DeskSender
from handlers.desk.views import party_name, tier_label
from handlers.port import Button, Outcome, Reply
from handlers.refusals import guarded
from handlers.ui import home_row
from knowledge.content.reference import children, load_parties, office, party
from models import ChatKind, mask_personal_numbers
from models.app_state import AppState, state_value
from models.invites import redeem_invite
from models.offices import RI, get_office
from models.staff import Liaison, Tier, register_liaison

PER_PAGE = 10  # buttons per page (two columns)
NAME_MIN, NAME_MAX = 3, 120
_DRAFT = "desk:reg:{}"


# --- the draft: the typed name, kept in the database between events ---------------------


def _draft_key(ctx: Context) -> str:
    return _DRAFT.format(ctx.person.id)


def draft(ctx: Context) -> dict[str, str] | None:
    """The registration in progress for this person, if any."""
    kept = state_value(ctx.uow.session, _draft_key(ctx))
    if kept is None:
        return None
    try:
        value = json.loads(kept)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _save_draft(ctx: Context, **values: str) -> None:
    session = ctx.uow.session
    row = session.get(AppState, _draft_key(ctx)) or AppState(key=_draft_key(ctx), value="")
    # conversation state is kept like message text: personal numbers masked
    masked = {k: mask_personal_numbers(v) for k, v in values.items()}
    row.value = json.dumps(masked, ensure_ascii=False)[:1024]
    session.add(row)


def _drop_draft(ctx: Context) -> None:
    row = ctx.uow.session.get(AppState, _draft_key(ctx))
    if row is not None:
        ctx.uow.session.delete(row)


def awaits_name(ctx: Context) -> bool:
    found = draft(ctx)
    return found is not None and found.get("step") == "name"


# --- invite links ------------------------------------------------------------------------


@guarded
def redeem(ctx: Context, token: str) -> Outcome:
    liaison = redeem_invite(
        ctx.uow.session, token, ctx.person, ctx.person.display_name, ctx.clock.now()
    )
    _drop_draft(ctx)
    return Outcome([registered_reply(ctx, liaison, invited=True)], "desk: invite redeemed")


def registered_reply(ctx: Context, liaison: Liaison, *, invited: bool = False) -> Reply:
    home = get_office(ctx.uow.session, liaison.office_code)
    return ctx.say(
        "desk/liaison/registered",
        (
            (ctx.button("desk_ask", "tk:a"), ctx.button("menu_tickets", "tk:l")),
            home_row(ctx),
        ),
        name=liaison.name,
        party=party_name(liaison.party),
        tier=tier_label(ctx.texts, ctx.lang, liaison.tier),
        office=home.name,
        verified=liaison.verified,
        invited=invited,
        edit=True,
    )


# --- self-registration -------------------------------------------------------------------


def begin(ctx: Context, arg: str = "") -> Outcome:
    """/daftar: a registered liaison sees their registration (and may redo it with
    ``/daftar ulang``); anyone else is asked for their name."""
    if ctx.event.chat.kind is not ChatKind.PRIVATE:
        return Outcome([ctx.say("desk/liaison/register_in_private")], "desk: register in group")
    liaison = liaison_of(ctx)
    if liaison is not None and arg.strip().lower() not in ("ulang", "again", "redo"):
        return Outcome([registered_reply(ctx, liaison)], "desk: registration shown")
    _save_draft(ctx, step="name")
    buttons: tuple[tuple[Button, ...], ...] = ()
    if _usable_name(ctx.person.display_name):
        buttons = ((ctx.button("desk_use_my_name", "rg:n"),),)
    return Outcome(
        [ctx.say("desk/register/name", buttons, display_name=ctx.person.display_name)],
        "desk: register asked name",
    )


def _usable_name(name: str) -> bool:
    letters = sum(c.isalpha() for c in name)
    return NAME_MIN <= len(name.strip()) <= NAME_MAX and letters >= 2


def take_name(ctx: Context, text: str) -> Outcome:
    """The typed name, while registration waits for it."""
    name = " ".join(text.split())
    if not _usable_name(name):
        return Outcome(
            [ctx.say("desk/register/name_invalid", low=NAME_MIN, high=NAME_MAX)],
            "desk: register name refused",
        )
    _save_draft(ctx, step="party", name=name)
    return Outcome([_parties(ctx, 0, edit=False)], "desk: register name taken")


@guarded
def on_action(ctx: Context, arg: str) -> Outcome:
    """Every "rg:..." button."""
    op, _, rest = arg.partition(":")
    parts = rest.split(":") if rest else []
    if ctx.event.chat.kind is not ChatKind.PRIVATE:
        return Outcome([ctx.toast("button_expired")], "desk: register button in group")
    if op == "s":
        return begin(ctx, "ulang")
    current = draft(ctx)
    if current is None:
        return Outcome([ctx.toast("desk_register_expired")], "desk: register draft gone")
    if op == "n":
        return _use_display_name(ctx)
    handler = _STEPS.get(op)
    if handler is None or not current.get("name"):
        return Outcome([ctx.toast("button_expired")], f"desk: register step {op!r}")
    return handler(ctx, current["name"], parts)


def _use_display_name(ctx: Context) -> Outcome:
    name = " ".join(ctx.person.display_name.split())
    if not _usable_name(name):
        return Outcome([ctx.toast("button_expired")], "desk: display name unusable")
    _save_draft(ctx, step="party", name=name)
    return Outcome([_parties(ctx, 0, edit=True)], "desk: register name taken")


def _page(text: str) -> int:
    return int(text) if text.isdigit() else 0


def _pager(ctx: Context, page: int, pages: int, action: str) -> tuple[tuple[Button, ...], ...]:
    row: list[Button] = []
    if page > 0:
        row.append(ctx.button("desk_prev", f"{action}:{page - 1}"))
    if page + 1 < pages:
        row.append(ctx.button("desk_next", f"{action}:{page + 1}"))
    return (tuple(row),) if row else ()


def _grid(buttons: list[Button]) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))


def _labelled(label: str, payload_action: str, ctx: Context) -> Button:
    return Button(label=label, payload=ctx.signer.sign(ctx.event.chat.id, payload_action))


def _parties(ctx: Context, page: int, *, edit: bool = True) -> Reply:
    parties = sorted(load_parties(), key=lambda p: p.number)  # ballot order
    pages = max(1, -(-len(parties) // PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = parties[page * PER_PAGE : (page + 1) * PER_PAGE]
    buttons = [_labelled(f"{p.number}. {p.short}", f"rg:t:{p.code}", ctx) for p in shown]
    rows = (*_grid(buttons), *_pager(ctx, page, pages, "rg:p"))
    found = draft(ctx) or {}
    return ctx.say(
        "desk/register/party",
        rows,
        name=found.get("name", ""),
        page=page + 1,
        pages=pages,
        edit=edit,
    )


def _party_page(ctx: Context, name: str, parts: list[str]) -> Outcome:
    return Outcome([_parties(ctx, _page(parts[0] if parts else "0"))], "desk: register parties")


def _tiers(ctx: Context, name: str, parts: list[str]) -> Outcome:
    code = parts[0] if parts else ""
    if party(code) is None:
        return Outcome([ctx.toast("button_expired")], "desk: register party unknown")
    buttons = [ctx.button(f"desk_tier_{t.value}", f"rg:v:{code}:{t.value}:0") for t in Tier]
    rows = (*_grid(buttons), (ctx.button("desk_back", "rg:p:0"),))
    return Outcome(
        [ctx.say("desk/register/tier", rows, party=party_name(code), edit=True)],
        "desk: register tiers",
    )


def _known_choice(parts: list[str], count: int) -> tuple[str, Tier] | None:
    if len(parts) < count or party(parts[0]) is None:
        return None
    try:
        return parts[0], Tier(parts[1])
    except ValueError:
        return None


def _provinces(ctx: Context, name: str, parts: list[str]) -> Outcome:
    """Tier picked: a central board (DPP) belongs to KPU RI; everyone else picks a
    province (candidate pairs' LO and SILON admins may also pick KPU RI)."""
    choice = _known_choice(parts, 2)
    if choice is None:
        return Outcome([ctx.toast("button_expired")], "desk: register tier unknown")
    code, tier = choice
    if tier is Tier.DPP:
        return _finish(ctx, name, [code, tier.value, RI])
    provinces = children(RI)
    pages = max(1, -(-len(provinces) // PER_PAGE))
    page = min(_page(parts[2] if len(parts) > 2 else "0"), pages - 1)
    shown = provinces[page * PER_PAGE : (page + 1) * PER_PAGE]
    if tier is Tier.DPD:  # a provincial board belongs to the province itself
        actions = [f"rg:d:{code}:{tier.value}:{p.code}" for p in shown]
    else:
        actions = [f"rg:k:{code}:{tier.value}:{p.code}:0" for p in shown]
    buttons = [_labelled(p.region or p.name, a, ctx) for p, a in zip(shown, actions, strict=True)]
    rows = list(_grid(buttons))
    rows.extend(_pager(ctx, page, pages, f"rg:v:{code}:{tier.value}"))
    if tier in (Tier.LO_PASLON, Tier.ADMIN_SILON):
        rows.append((ctx.button("desk_national", f"rg:d:{code}:{tier.value}:{RI}"),))
    rows.append((ctx.button("desk_back", f"rg:t:{code}"),))
    return Outcome(
        [
            ctx.say(
                "desk/register/province",
                tuple(rows),
                party=party_name(code),
                tier=tier_label(ctx.texts, ctx.lang, tier),
                page=page + 1,
                pages=pages,
                edit=True,
            )
        ],
        "desk: register provinces",
    )


def _regencies(ctx: Context, name: str, parts: list[str]) -> Outcome:
    choice = _known_choice(parts, 3)
    province = office(parts[2]) if len(parts) > 2 else None
    if choice is None or province is None or province.parent != RI:
        return Outcome([ctx.toast("button_expired")], "desk: register province unknown")
    code, tier = choice
    places = children(province.code)
    pages = max(1, -(-len(places) // PER_PAGE))
    page = min(_page(parts[3] if len(parts) > 3 else "0"), pages - 1)
    shown = places[page * PER_PAGE : (page + 1) * PER_PAGE]
    buttons = [
        _labelled(p.short or p.name, f"rg:d:{code}:{tier.value}:{p.code}", ctx) for p in shown
    ]
    rows = list(_grid(buttons))
    rows.extend(_pager(ctx, page, pages, f"rg:k:{code}:{tier.value}:{province.code}"))
    if tier is not Tier.DPC:
        rows.append(
            (ctx.button("desk_province_level", f"rg:d:{code}:{tier.value}:{province.code}"),)
        )
    rows.append((ctx.button("desk_back", f"rg:v:{code}:{tier.value}:0"),))
    return Outcome(
        [
            ctx.say(
                "desk/register/regency",
                tuple(rows),
                province=province.name,
                page=page + 1,
                pages=pages,
                edit=True,
            )
        ],
        "desk: register regencies",
    )


def _finish(ctx: Context, name: str, parts: list[str]) -> Outcome:
    """Done: an unverified liaison of the office picked; its staff chat is told."""
    choice = _known_choice(parts, 3)
    place = office(parts[2]) if len(parts) > 2 else None
    if choice is None or place is None:
        return Outcome([ctx.toast("button_expired")], "desk: register office unknown")
    code, tier = choice
    now = ctx.clock.now()
    liaison = register_liaison(
        ctx.uow.session,
        person=ctx.person,
        name=name,
        party=code,
        tier=tier,
        office_code=place.code,
        now=now,
    )
    _drop_draft(ctx)
    if not liaison.verified:
        DeskSender(ctx.uow.session, ctx.texts, ctx.signer).registration(liaison, now)
    return Outcome([registered_reply(ctx, liaison)], "desk: registered")


_STEPS = {
    "p": _party_page,
    "t": _tiers,
    "v": _provinces,
    "k": _regencies,
    "d": _finish,
}
