"""Who the person is to the desk: a liaison, an officer, or neither; and whether the
chat is a group. Who may do what is ``models.staff``'s rule; how a refusal is answered
is ``handlers.refusals``'."""

from __future__ import annotations

from handlers.context import Context
from models import ChatKind
from models.staff import Liaison, Officer, find_liaison, find_officer


def liaison_of(ctx: Context) -> Liaison | None:
    return find_liaison(ctx.uow.session, ctx.person.id)


def officer_of(ctx: Context) -> Officer | None:
    return find_officer(ctx.uow.session, ctx.person.id)


def in_group(ctx: Context) -> bool:
    return ctx.event.chat.kind is not ChatKind.PRIVATE
