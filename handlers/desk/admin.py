"""Officers manage the desk from chat: officers of an office, the staff chat's link,
invite links for liaisons, and verification of self-registered liaisons.

The office a command acts on is the office whose staff chat it is typed in; in any
other chat, the officer's own office (``/tautkan`` may name an office below it).
Who may do what (rules in ``models.staff``): admins add and remove officers and link
chats in their subtree; every officer invites; supervisors and admins verify.

  /petugas                                   the office's officers
  /petugas_tambah <telegram id> <role> [name]  (or, replying to the person: <role> [name])
  /petugas_hapus <telegram id>               (or replying to the person)
  /tautkan [office code]                     this group becomes the office's staff chat
  /undangan <party> <tier> [uses]            an invite link for liaisons
  /verifikasi                                unverified liaisons, each with a button
Button: ``dv:<liaison id>`` verify.
"""

from __future__ import annotations

from handlers.context import Context
from handlers.desk.guard import in_group, officer_of
from handlers.desk.outbox import DeskSender
from handlers.desk.relink import follow_new_staff_chat
from handlers.desk.views import party_name, tier_label
from handlers.port import Button, Outcome, Reply, Toast
from handlers.refusals import guarded, refuse
from knowledge.content.reference import find_party
from models import Chat, Language
from models.chat_check import link_refusal
from models.invites import create_invite, deep_link, whatsapp_link
from models.offices import (
    Office,
    get_office,
    link_staff_chat,
    office_for_staff_chat,
    subtree_codes,
)
from models.people import find_person, seen_person
from models.staff import (
    STAFF_LANGUAGE,
    Liaison,
    Officer,
    add_officer,
    can_invite,
    can_manage_officers,
    can_verify,
    find_officer,
    officers_of,
    parse_role,
    parse_tier,
    remove_officer,
    require,
    unverified_liaisons,
    verify_liaison,
)

MAX_INVITE_USES = 500


def _say(
    ctx: Context, template: str, buttons: tuple[tuple[Button, ...], ...] = (), **kw: object
) -> Reply:
    lang = STAFF_LANGUAGE if in_group(ctx) else ctx.lang
    return Reply(ctx.event.chat, ctx.texts.render(lang, template, **kw), buttons)


def _lang(ctx: Context) -> Language:
    return STAFF_LANGUAGE if in_group(ctx) else ctx.lang


def _office_here(ctx: Context, officer: Officer) -> Office:
    """The staff chat's office, or else the officer's own."""
    linked = office_for_staff_chat(ctx.uow.session, ctx.chat.id or 0)
    return linked if linked is not None else get_office(ctx.uow.session, officer.office_code)


def _officer_or_refusal(ctx: Context) -> Officer | Outcome:
    officer = officer_of(ctx)
    if officer is None:
        return refuse(ctx, "desk/refused/not_officer")
    return officer


def _target_person(ctx: Context, words: list[str]) -> tuple[str, str, list[str]] | None:
    """Whom an officer command names: the replied-to person, or a numeric app id first;
    (id, display name, remaining words)."""
    replied = ctx.event.reply_to_sender
    if replied is not None and replied.id != "0":
        return replied.id, replied.name, words
    if words and words[0].lstrip("-").isdigit():
        return words[0], "", words[1:]
    return None


@guarded
def list_officers(ctx: Context, arg: str) -> Outcome:
    officer = _officer_or_refusal(ctx)
    if isinstance(officer, Outcome):
        return officer
    office = _office_here(ctx, officer)
    people = [
        {"name": o.name, "role": ctx.texts.label(_lang(ctx), f"desk_role_{o.role.value}")}
        for o in officers_of(ctx.uow.session, office.code)
    ]
    return Outcome([_say(ctx, "desk/staff/officers", office=office.name, officers=people)])


@guarded
def add(ctx: Context, arg: str) -> Outcome:
    """/petugas_tambah: an admin makes someone an officer of this office."""
    officer = _officer_or_refusal(ctx)
    if isinstance(officer, Outcome):
        return officer
    office = _office_here(ctx, officer)
    target = _target_person(ctx, arg.split())
    if target is None or not target[2]:
        return Outcome([_say(ctx, "desk/staff/officer_add_usage")], "desk: officer add usage")
    external_id, display, rest = target
    role = parse_role(rest[0])
    name = " ".join(rest[1:]) or display
    require(can_manage_officers(ctx.uow.session, officer, office.code))
    now = ctx.clock.now()
    session = ctx.uow.session
    known = find_person(session, ctx.event.channel, external_id)
    serving = find_officer(session, known.id if known else None)
    if serving is not None:  # moving an officer takes them from their office: its admin's call
        require(can_manage_officers(session, officer, serving.office_code))
    person = known or seen_person(
        session,
        channel=ctx.event.channel,
        external_id=external_id,
        display_name=name,
        username=None,
        language_hint=Language.ID,
        now=now,
        in_private=False,
    )
    added = add_officer(
        session,
        person=person,
        office_code=office.code,
        role=role,
        name=name,
        actor=officer.actor,
        now=now,
    )
    role_label = ctx.texts.label(_lang(ctx), f"desk_role_{added.role.value}")
    return Outcome(
        [
            _say(
                ctx,
                "desk/staff/officer_added",
                name=added.name,
                role=role_label,
                office=office.name,
            )
        ],
        "desk: officer added",
    )


@guarded
def remove(ctx: Context, arg: str) -> Outcome:
    """/petugas_hapus: an admin takes an officer of their subtree off the desk."""
    officer = _officer_or_refusal(ctx)
    if isinstance(officer, Outcome):
        return officer
    target = _target_person(ctx, arg.split())
    if target is None:
        return Outcome([_say(ctx, "desk/staff/officer_remove_usage")], "desk: remove usage")
    session = ctx.uow.session
    person = find_person(session, ctx.event.channel, target[0])
    leaving = find_officer(session, person.id if person else None)
    if leaving is None:
        return Outcome([_say(ctx, "desk/staff/officer_unknown")], "desk: officer unknown")
    require(can_manage_officers(session, officer, leaving.office_code))
    remove_officer(session, leaving, actor=officer.actor, now=ctx.clock.now())
    return Outcome([_say(ctx, "desk/staff/officer_removed", name=leaving.name)], "desk: removed")


@guarded
def link(ctx: Context, arg: str) -> Outcome:
    """/tautkan [code]: an admin makes this group the staff chat of their office (or of
    an office below it); new tickets of that office then come here."""
    officer = _officer_or_refusal(ctx)
    if isinstance(officer, Outcome):
        return officer
    if not in_group(ctx):
        return Outcome([_say(ctx, "desk/staff/link_in_group")], "desk: link outside group")
    session = ctx.uow.session
    office = get_office(session, arg.strip() or officer.office_code)
    require(can_manage_officers(session, officer, office.code))
    serving = office_for_staff_chat(session, ctx.chat.id or 0)
    if serving is not None:  # the chat stops serving that office: its admin's call
        require(can_manage_officers(session, officer, serving.code))
    if ctx.services.read_chat is not None:  # what the app says of it (models.chat_check)
        reading = ctx.services.read_chat(ctx.event.chat.id)
        refusal = link_refusal(reading)
        if refusal is not None:
            return Outcome([_say(ctx, refusal, chat=ctx.chat.title)], "desk: link refused")
        if reading is not None:
            ctx.chat.forum = reading.forum
    before = session.get(Chat, office.staff_chat_id) if office.staff_chat_id else None
    link_staff_chat(session, office, ctx.chat.id or 0, actor=officer.actor, now=ctx.clock.now())
    if before is not None and before.id != ctx.chat.id:
        follow_new_staff_chat(session, ctx.texts, ctx.signer, office, before, ctx.clock.now())
    return Outcome(
        [_say(ctx, "desk/staff/linked", office=office.name, forum=ctx.chat.forum)],
        f"desk: linked {office.code}",
    )


@guarded
def invite(ctx: Context, arg: str) -> Outcome:
    """/undangan <party> <tier> [uses]: a link that registers liaisons of this office,
    verified from the start."""
    officer = _officer_or_refusal(ctx)
    if isinstance(officer, Outcome):
        return officer
    words = arg.split()
    if len(words) < 2:
        return Outcome([_say(ctx, "desk/staff/invite_usage")], "desk: invite usage")
    uses = 1
    if len(words) > 2 and words[-1].isdigit():
        uses, words = int(words[-1]), words[:-1]
    party_words, tier_word = words[:-1], words[-1]
    found = find_party(" ".join(party_words))
    if found is None:
        return refuse(ctx, "desk/refused/unknown_party", code=" ".join(party_words))
    tier = parse_tier(tier_word)
    if not 1 <= uses <= MAX_INVITE_USES:
        return Outcome([_say(ctx, "desk/staff/invite_usage")], "desk: invite uses")
    session = ctx.uow.session
    office = _office_here(ctx, officer)
    require(can_invite(session, officer, office.code))
    _invite, token = create_invite(
        session,
        office_code=office.code,
        party=found.code,
        tier=tier,
        uses=uses,
        created_by=officer.id,
        now=ctx.clock.now(),
    )
    bot = ctx.services.bot_username
    return Outcome(
        [
            _say(
                ctx,
                "desk/staff/invite",
                link=deep_link(bot, token) if bot else None,
                wa_link=whatsapp_link(wa, token) if (wa := ctx.services.whatsapp_number) else None,
                token=token,
                party=party_name(found.code),
                tier=tier_label(ctx.texts, _lang(ctx), tier),
                office=office.name,
                uses=uses,
            )
        ],
        "desk: invite created",
    )


@guarded
def unverified(ctx: Context, arg: str) -> Outcome:
    """/verifikasi: the self-registered liaisons of the officer's subtree still waiting,
    each with a button to verify."""
    officer = _officer_or_refusal(ctx)
    if isinstance(officer, Outcome):
        return officer
    session = ctx.uow.session
    office = _office_here(ctx, officer)
    require(can_verify(session, officer, office.code))
    waiting = unverified_liaisons(session, subtree_codes(session, office.code), limit=20)
    return Outcome([_verify_list(ctx, office, waiting)], f"desk: {len(waiting)} unverified")


def _verify_list(ctx: Context, office: Office, waiting: list[Liaison]) -> Reply:
    lang = _lang(ctx)
    people = [
        {
            "name": liaison.name,
            "party": party_name(liaison.party),
            "tier": tier_label(ctx.texts, lang, liaison.tier),
            "office": get_office(ctx.uow.session, liaison.office_code).name,
        }
        for liaison in waiting
    ]
    rows = tuple(
        (
            Button(
                label=ctx.texts.label(lang, "desk_verify_name", name=liaison.name[:40]),
                payload=ctx.signer.sign(ctx.event.chat.id, f"dv:{liaison.id}"),
            ),
        )
        for liaison in waiting
    )
    return _say(ctx, "desk/staff/unverified", rows, office=office.name, liaisons=people)


@guarded
def verify(ctx: Context, arg: str) -> Outcome:
    """The "verify" button: a supervisor or admin of the liaison's office (or above)
    vouches for them; the liaison is told."""
    officer = _officer_or_refusal(ctx)
    if isinstance(officer, Outcome):
        return officer
    session = ctx.uow.session
    liaison = session.get(Liaison, int(arg)) if arg.isdigit() else None
    if liaison is None:
        return Outcome([ctx.toast("button_expired")], "desk: liaison gone")
    was_verified = liaison.verified
    now = ctx.clock.now()
    verify_liaison(session, liaison, officer=officer, now=now)
    if not was_verified:
        DeskSender(session, ctx.texts, ctx.signer).verified(liaison, now)
    toast = Toast(ctx.texts.label(_lang(ctx), "desk_verified_toast", name=liaison.name[:40]))
    return Outcome([toast], f"desk: liaison {liaison.id} verified")
