"""A liaison's accounts in several apps, linked to one registration (``models.accounts``).

``/akun`` in a private chat of the app they registered in gives a code, with a link that
opens the other app with it ready to send; ``/akun <code>`` there (WhatsApp: the text
``HUBUNGKAN <code>``; Telegram: the deep link ``/start akun_<code>``) links that account.
An account that has a registration of its own is not linked over it.

A link is undone with the button under ``/akun``'s code, or ``/akun putus`` (``/akun
unlink``), after a confirmation: a linked account leaves the registration, the
registration's own account lets every linked account go (``models.accounts.unlink``)."""

from __future__ import annotations

from handlers.context import Context
from handlers.desk.guard import liaison_of
from handlers.port import Outcome
from models import ChatKind
from models.accounts import (
    CODE_TTL,
    LINK_WORD,
    linked_with,
    new_link_code,
    primary_of,
    redeem_link_code,
    unlink,
)
from models.invites import deep_link, whatsapp_link

DEEP_LINK_PREFIX = "akun_"
UNLINK_WORDS = ("putus", "unlink")


def link_account(ctx: Context, arg: str) -> Outcome:
    if ctx.event.chat.kind is not ChatKind.PRIVATE:
        return Outcome([ctx.say("account/private_only")], "account: not private")
    if arg.strip().lower() in UNLINK_WORDS:
        return ask_unlink(ctx)
    if arg.strip():
        return redeem(ctx, arg.strip())
    if liaison_of(ctx) is None or ctx.person.id is None:
        return Outcome([ctx.say("account/not_liaison")], "account: not a liaison")
    session = ctx.uow.session
    others = linked_with(session, ctx.person.id)
    code = new_link_code(session, primary_of(session, ctx.person.id), ctx.clock.now())
    bot, number = ctx.services.bot_username, ctx.services.whatsapp_number
    unlink_row = ((ctx.button("acc_unlink", "acc:u"),),) if others else ()
    return Outcome(
        [
            ctx.say(
                "account/code",
                unlink_row,
                code=code,
                word=LINK_WORD,
                minutes=int(CODE_TTL.total_seconds() // 60),
                telegram_link=deep_link(bot, DEEP_LINK_PREFIX + code) if bot else None,
                whatsapp_link=whatsapp_link(number, code, LINK_WORD) if number else None,
                linked=others,
            )
        ],
        "account: link code",
    )


def on_action(ctx: Context, arg: str) -> Outcome:
    """``acc:u`` asks to unlink; ``acc:U`` confirms it."""
    if ctx.event.chat.kind is not ChatKind.PRIVATE:
        return Outcome([ctx.say("account/private_only")], "account: not private")
    if arg == "U":
        return confirm_unlink(ctx)
    return ask_unlink(ctx)


def ask_unlink(ctx: Context) -> Outcome:
    others = linked_with(ctx.uow.session, ctx.person.id or 0)
    if not others:
        return Outcome([ctx.say("account/not_linked")], "account: nothing to unlink")
    buttons = ((ctx.button("acc_unlink_yes", "acc:U"), ctx.button("acc_unlink_no", "home")),)
    return Outcome(
        [ctx.say("account/unlink_confirm", buttons, linked=others)], "account: unlink asked"
    )


def confirm_unlink(ctx: Context) -> Outcome:
    gone = unlink(ctx.uow.session, ctx.person.id or 0, ctx.clock.now())
    if not gone:
        return Outcome([ctx.say("account/not_linked")], "account: nothing to unlink")
    return Outcome([ctx.say("account/unlinked", linked=gone)], "account: unlinked")


def redeem(ctx: Context, code: str) -> Outcome:
    session = ctx.uow.session
    person_id = ctx.person.id or 0
    if liaison_of(ctx) is not None and primary_of(session, person_id) == person_id:
        return Outcome([ctx.say("account/has_own")], "account: has its own registration")
    primary = redeem_link_code(session, code, ctx.person, ctx.clock.now())
    if primary is None:
        return Outcome([ctx.say("account/bad_code")], "account: code refused")
    liaison = liaison_of(ctx)
    name = liaison.name if liaison is not None else primary.display_name
    return Outcome([ctx.say("account/linked", name=name)], "account: linked")
