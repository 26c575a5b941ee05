"""Whose register a staff chat keeps: the office the chat is linked to, and the officer
asking, who must be an active officer of that office or of an office above it."""

from __future__ import annotations

from handlers.context import Context
from handlers.desk.guard import officer_of
from models.offices import Office, office_for_staff_chat
from models.refusals import Refusal
from models.report_scope import can_see_report
from models.staff import Officer


def office_and_officer(ctx: Context) -> tuple[Office, Officer]:
    """The staff chat's office and the officer speaking; a refusal in any other chat, for
    anyone but an officer, and for an officer of another branch or of a lower office."""
    session = ctx.uow.session
    office = office_for_staff_chat(session, ctx.chat.id or 0)
    if office is None:
        raise Refusal("register/not_staff_chat")
    officer = officer_of(ctx)
    if officer is None:
        raise Refusal("desk/refused/not_officer")
    if not can_see_report(session, officer, office.code):
        raise Refusal("desk/refused/not_allowed")
    return office, officer
