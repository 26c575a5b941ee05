"""Announcements from chat.

``/umumkan <teks>`` (supervisors and admins) makes a draft addressed to the officer's
office and every office below it, shown as a preview with buttons to narrow the
audience (tiers, parties, a sub-office) and to add an "I have read this" button; "send"
asks for confirmation, then every recipient's message goes to the outbox. The text is
given with the command, so no half-finished conversation state is needed.
``/laporan_umum <id>`` reports delivery and who has not acknowledged. Only the draft's
author may change or send it; a draft already sent or cancelled stays as it is.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from handlers.announce.broadcasts import (
    DIRECT_LIMIT,
    announcement_report,
    draft_announcement,
    parties_in_area,
    queue_announcement,
    recipients_of,
    render_announcement,
    send_announcement,
)
from handlers.context import Context
from handlers.port import Button, Outcome, Reply
from knowledge.content import reference
from knowledge.content.calendar import TIERS
from models.broadcast import Announcement, AnnouncementStatus, acknowledge
from models.offices import Office, find_office, is_within
from models.refusals import Refusal
from models.staff import can_announce, find_officer

Rows = tuple[tuple[Button, ...], ...]


def _button(ctx: Context, label: str, action: str, **kwargs: Any) -> Button:
    return Button(ctx.label(label, **kwargs), ctx.signer.sign(ctx.event.chat.id, action))


def start_announcement(ctx: Context, arg: str) -> Outcome:
    """/umumkan <teks>: a draft and its preview."""
    session = ctx.uow.session
    officer = find_officer(session, ctx.person.id)
    if officer is None or not can_announce(session, officer, officer.office_code):
        raise Refusal("announce/not_allowed")
    if not arg.strip():
        return Outcome([ctx.say("announce/usage")], "announce: usage")
    ann = draft_announcement(
        session, officer=officer, person_id=ctx.person.id, text=arg, now=ctx.clock.now()
    )
    return Outcome([_preview(ctx, ann, edit=False)], f"announcement {ann.id} drafted")


def _preview(ctx: Context, ann: Announcement, *, edit: bool = True) -> Reply:
    session = ctx.uow.session
    recipients = recipients_of(session, ann)
    office = find_office(session, ann.office_code)
    a = ann.id
    tiers = [
        _button(ctx, "ann_tier", f"ann:t:{a}:{t}", tier=t, chosen=t in ann.tier_list) for t in TIERS
    ]
    rows: Rows = (
        tuple(tiers[:3]),
        tuple(tiers[3:]),
        (ctx.button("ann_parties", f"ann:p:{a}"), ctx.button("ann_office", f"ann:o:{a}")),
        (_button(ctx, "ann_ack", f"ann:a:{a}", on=ann.ack),),
        (ctx.button("ann_send", f"ann:s:{a}"), ctx.button("ann_cancel", f"ann:x:{a}")),
    )
    return ctx.say(
        "announce/draft",
        rows,
        id=ann.id,
        office=office.name if office else ann.office_code,
        tiers=[ctx.label("ann_tier", tier=t) for t in ann.tier_list],
        parties=[reference.party_short_name(p) for p in ann.party_list],
        ack=ann.ack,
        count=len(recipients),
        groups=sum(1 for r in recipients if r.is_group),
        preview=render_announcement(ctx.texts, ctx.lang, session, ann),
        edit=edit,
    )


def _party_picker(ctx: Context, ann: Announcement) -> Reply:
    a = ann.id
    codes = sorted(set(parties_in_area(ctx.uow.session, ann.office_code)) | set(ann.party_list))
    buttons = [
        _button(
            ctx,
            "ann_party",
            f"ann:P:{a}:{c}",
            name=reference.party_short_name(c),
            chosen=c in ann.party_list,
        )
        for c in codes
    ]
    rows: Rows = (
        *(tuple(buttons[i : i + 3]) for i in range(0, len(buttons), 3)),
        (ctx.button("ann_all_parties", f"ann:P:{a}:-"), ctx.button("ann_back", f"ann:v:{a}")),
    )
    return ctx.say("announce/parties", rows, found=bool(codes), edit=True)


def _office_picker(ctx: Context, ann: Announcement) -> Reply:
    a = ann.id
    session = ctx.uow.session
    children = session.exec(
        select(Office).where(Office.parent_code == ann.office_code).order_by(col(Office.code))
    ).all()
    buttons = [
        _button(ctx, "ann_office_pick", f"ann:O:{a}:{o.code}", name=o.name) for o in children
    ]
    rows: Rows = (
        *(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)),
        (ctx.button("ann_own_office", f"ann:O:{a}:~"), ctx.button("ann_back", f"ann:v:{a}")),
    )
    office = find_office(session, ann.office_code)
    return ctx.say(
        "announce/offices", rows, office=office.name if office else ann.office_code, edit=True
    )


def _confirm(ctx: Context, ann: Announcement) -> Reply:
    count = len(recipients_of(ctx.uow.session, ann))
    rows: Rows = (
        (_button(ctx, "ann_confirm", f"ann:y:{ann.id}", count=count),),
        (ctx.button("ann_back", f"ann:v:{ann.id}"),),
    )
    return ctx.say("announce/confirm", rows, count=count, edit=True)


def announce_action(ctx: Context, arg: str) -> Outcome:
    """Buttons ``ann:<op>:<id>[:<value>]`` on a draft."""
    op, _, rest = arg.partition(":")
    ident, _, value = rest.partition(":")
    ann = ctx.uow.session.get(Announcement, int(ident)) if ident.isdigit() else None
    if ann is None:
        return Outcome([ctx.toast("button_expired")], "announcement unknown")
    if ann.created_by != ctx.person.id:
        return Outcome([ctx.toast("ann_not_yours")], f"announcement {ann.id}: not the author")
    if ann.status is not AnnouncementStatus.DRAFT:
        return Outcome([ctx.toast("ann_not_draft")], f"announcement {ann.id}: not a draft")
    return _apply(ctx, ann, op, value)


def _apply(ctx: Context, ann: Announcement, op: str, value: str) -> Outcome:
    session = ctx.uow.session
    note = f"announcement {ann.id}: {op}"
    if op == "t" and value in TIERS:
        ann.toggle_tier(value)
    elif op == "P" and value:
        if value == "-":
            ann.parties = ""
        else:
            ann.toggle_party(value[:12])
        session.add(ann)
        return Outcome([_party_picker(ctx, ann)], note)
    elif op == "a":
        ann.ack = not ann.ack
    elif op == "O":
        _choose_office(ctx, ann, value)
    elif op == "p":
        return Outcome([_party_picker(ctx, ann)], note)
    elif op == "o":
        return Outcome([_office_picker(ctx, ann)], note)
    elif op == "s":
        return Outcome([_confirm(ctx, ann)], note)
    elif op == "y":
        return _send(ctx, ann)
    elif op == "x":
        ann.status = AnnouncementStatus.CANCELLED
        session.add(ann)
        return Outcome([ctx.toast("ann_cancelled"), ctx.say("announce/cancelled", edit=True)], note)
    elif op != "v":
        return Outcome([ctx.toast("button_expired")], f"{note}: unknown")
    session.add(ann)
    return Outcome([_preview(ctx, ann)], note)


def _choose_office(ctx: Context, ann: Announcement, code: str) -> None:
    """A sub-office of the officer's own (or back to their own with ``~``)."""
    session = ctx.uow.session
    officer = find_officer(session, ctx.person.id)
    if officer is None:
        raise Refusal("announce/not_allowed")
    target = officer.office_code if code == "~" else code
    if find_office(session, target) is None or not is_within(session, target, officer.office_code):
        raise Refusal("announce/not_allowed")
    ann.office_code = target


def _send(ctx: Context, ann: Announcement) -> Outcome:
    session = ctx.uow.session
    officer = find_officer(session, ctx.person.id)
    if not can_announce(session, officer, ann.office_code):
        raise Refusal("announce/not_allowed")
    audience_size = len(recipients_of(session, ann))
    if audience_size > DIRECT_LIMIT:
        queue_announcement(session, ann, ctx.clock.now())
        reply = ctx.say("announce/sent", id=ann.id, count=audience_size, edit=True)
        return Outcome([reply], f"announcement {ann.id} queued for {audience_size}")
    count = send_announcement(session, ann, texts=ctx.texts, signer=ctx.signer, now=ctx.clock.now())
    reply = ctx.say("announce/sent", id=ann.id, count=count, edit=True)
    return Outcome([reply], f"announcement {ann.id} sent to {count}")


def acknowledge_action(ctx: Context, arg: str) -> Outcome:
    """``ack:<id>``: the "I have read this" button under an announcement."""
    session = ctx.uow.session
    ann = session.get(Announcement, int(arg)) if arg.isdigit() else None
    live = (AnnouncementStatus.QUEUED, AnnouncementStatus.SENT)
    if ann is None or not ann.ack or ann.status not in live:
        return Outcome([ctx.toast("button_expired")], "acknowledgement refused")
    assert ann.id is not None and ctx.person.id is not None
    new = acknowledge(session, ann.id, ctx.person.id, ctx.clock.now())
    return Outcome(
        [ctx.toast("ann_read_saved" if new else "ann_read_again")],
        f"announcement {ann.id} {'acknowledged' if new else 'acknowledged again'}",
    )


def report(ctx: Context, arg: str) -> Outcome:
    """/laporan_umum <id>: delivery and acknowledgement of one announcement."""
    session = ctx.uow.session
    ident = arg.split()[0].lstrip("#") if arg.split() else ""
    ann = session.get(Announcement, int(ident)) if ident.isdigit() else None
    officer = find_officer(session, ctx.person.id)
    if officer is None:
        raise Refusal("announce/not_allowed")
    if ann is None:
        raise Refusal("announce/unknown", id=ident[:12])
    if not can_announce(session, officer, ann.office_code):
        raise Refusal("announce/not_allowed")
    figures = announcement_report(session, ann)
    office = find_office(session, ann.office_code)
    return Outcome(
        [
            ctx.say(
                "announce/report",
                ann=ann,
                office=office.name if office else ann.office_code,
                r=figures,
            )
        ],
        f"announcement {ann.id} report",
    )
