"""The stage calendar in chat: /jadwal and the schedule menu, the .ics offer, muting
reminders, and registering a group for broadcasts.

Who sees what is ``models.audience``'s rule (``stage_concerns``): a liaison sees the
upcoming stages of their area, tier and party; an officer those of their office's area;
anyone else the national ones. Times are shown in
the zone of the person's office (the desk's default zone otherwise).
"""

from __future__ import annotations

from dataclasses import replace

from handlers.calendar.text import stage_view
from handlers.context import Context
from handlers.port import Button, FileOut, Outcome
from knowledge.content.ics import IcsWords, to_ics
from models import ChatKind
from models.audience import stage_concerns
from models.broadcast import find_group, register_group, unregister_group
from models.offices import find_office
from models.refusals import Refusal
from models.staff import Liaison, can_announce, find_liaison, find_officer
from models.stages import Stage, is_muted, set_muted, upcoming_stages
from models.zones import zone_abbr

SHOWN = 8  # stages listed in chat
ICS_STAGES = 200  # upcoming stages put in the .ics file


def whereabouts(ctx: Context) -> tuple[str | None, str, Liaison | None]:
    """(office code, zone, liaison) of the person in this event."""
    session = ctx.uow.session
    liaison = find_liaison(session, ctx.person.id)
    officer = find_officer(session, ctx.person.id) if liaison is None else None
    code = liaison.office_code if liaison else officer.office_code if officer else None
    office = find_office(session, code) if code else None
    return code, office.timezone if office else ctx.services.timezone, liaison


def my_stages(ctx: Context, limit: int) -> tuple[list[Stage], str]:
    office, zone, liaison = whereabouts(ctx)
    now = ctx.clock.now()
    candidates = upcoming_stages(ctx.uow.session, now, zone, limit=200)
    return [s for s in candidates if stage_concerns(ctx.uow.session, s, office, liaison)][
        :limit
    ], zone


def _buttons(ctx: Context, muted: bool) -> tuple[tuple[Button, ...], ...]:
    rows: list[tuple[Button, ...]] = [(ctx.button("cal_ics", "sch:ics"),)]
    if ctx.event.chat.kind is ChatKind.PRIVATE:
        toggle = ("cal_unmute", "sch:unmute") if muted else ("cal_mute", "sch:mute")
        rows.append((ctx.button(*toggle),))
    rows.append((ctx.button("home", "home"),))
    return tuple(rows)


def show_schedule(ctx: Context, arg: str) -> Outcome:
    """/jadwal, the schedule menu entry and the "schedule" button of a reminder."""
    stages, zone = my_stages(ctx, SHOWN)
    now = ctx.clock.now()
    views = [stage_view(ctx.texts, ctx.lang, s, zone, now) for s in stages]
    muted = ctx.person.id is not None and is_muted(ctx.uow.session, ctx.person.id)
    reply = ctx.say(
        "schedule/list",
        _buttons(ctx, muted),
        stages=views,
        zone=zone_abbr(zone),
        muted=muted,
        edit=ctx.event.button is not None,
    )
    return Outcome([reply], f"schedule: {len(views)} stages")


def ics_words(ctx: Context) -> IcsWords:
    return IcsWords(
        calendar_name=ctx.label("cal_ics_name"),
        local_note=ctx.label("cal_ics_local"),
        system=ctx.label("cal_ics_system"),
        source=ctx.label("cal_ics_source"),
    )


def send_ics(ctx: Context, arg: str) -> Outcome:
    """The person's upcoming stages as an iCalendar file to open in a calendar app."""
    stages, zone = my_stages(ctx, ICS_STAGES)
    text = to_ics(stages, now=ctx.clock.now(), words=ics_words(ctx), zone=zone, lang=ctx.lang.value)
    reply = ctx.say("schedule/ics", count=len(stages))
    attached = replace(reply, file=FileOut("tahapan-kpu.ics", text.encode(), "text/calendar"))
    return Outcome([attached], f"ics: {len(stages)} stages")


def mute(ctx: Context, arg: str) -> Outcome:
    return _set_mute(ctx, True)


def unmute(ctx: Context, arg: str) -> Outcome:
    return _set_mute(ctx, False)


def _set_mute(ctx: Context, muted: bool) -> Outcome:
    """Reminders are muted per person, from their private chat; announcements still
    reach them."""
    if ctx.event.chat.kind is not ChatKind.PRIVATE:
        raise Refusal("schedule/private_only")
    assert ctx.person.id is not None
    set_muted(ctx.uow.session, ctx.person.id, muted, ctx.clock.now())
    note = "reminders muted" if muted else "reminders on"
    if ctx.event.button is not None:
        shown = show_schedule(ctx, "")
        return Outcome([ctx.toast("cal_muted" if muted else "cal_unmuted"), *shown.outs], note)
    return Outcome([ctx.say("schedule/muted", muted=muted)], note)


def register_this_group(ctx: Context, arg: str) -> Outcome:
    """/daftarkan_grup [office code]: an officer who may announce for that office (a
    supervisor or admin of it or of an office above it) registers this group to receive
    the reminders and announcements of the office's area."""
    if ctx.event.chat.kind is ChatKind.PRIVATE:
        raise Refusal("schedule/group_only")
    session = ctx.uow.session
    officer = find_officer(session, ctx.person.id)
    if officer is None:
        raise Refusal("schedule/not_allowed")
    code = arg.split()[0] if arg.split() else officer.office_code
    office = find_office(session, code)
    if office is None:
        raise Refusal("schedule/unknown_office", code=code[:16])
    if not can_announce(session, officer, office.code):
        raise Refusal("schedule/not_allowed")
    assert ctx.chat.id is not None
    current = find_group(session, ctx.chat.id)
    if current is not None and not can_announce(session, officer, current.office_code):
        raise Refusal("schedule/not_allowed")  # moving it is the current area's call
    register_group(
        session,
        chat_id=ctx.chat.id,
        office_code=office.code,
        person_id=ctx.person.id,
        now=ctx.clock.now(),
    )
    return Outcome([ctx.say("schedule/group_registered", office=office.name)], "group registered")


def unregister_this_group(ctx: Context, arg: str) -> Outcome:
    if ctx.event.chat.kind is ChatKind.PRIVATE:
        raise Refusal("schedule/group_only")
    session = ctx.uow.session
    assert ctx.chat.id is not None
    group = find_group(session, ctx.chat.id)
    officer = find_officer(session, ctx.person.id)
    if group is None:
        return Outcome([ctx.say("schedule/group_unregistered", was=False)], "group not registered")
    if not can_announce(session, officer, group.office_code):
        raise Refusal("schedule/not_allowed")
    unregister_group(session, ctx.chat.id)
    return Outcome([ctx.say("schedule/group_unregistered", was=True)], "group unregistered")


def schedule_action(ctx: Context, arg: str) -> Outcome:
    """Buttons ``sch:<what>``."""
    handlers = {
        "v": show_schedule,
        "ics": send_ics,
        "mute": mute,
        "unmute": unmute,
    }
    handler = handlers.get(arg)
    if handler is None:
        return Outcome([ctx.toast("button_expired")], f"unknown schedule action {arg!r}")
    return handler(ctx, "")
