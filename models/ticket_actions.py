"""What people do with tickets: open, write, claim, answer, escalate, resolve, rate.

Each function checks who may do it, changes the ticket through the state machine,
records the event in the audit log, and returns; it sends nothing. The caller renders
and enqueues what people should see in the same unit of work, then commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from models.audit import audit_append
from models.interactions import mask_personal_numbers
from models.offices import parent_of, staffed_office
from models.refusals import Refusal
from models.staff import Liaison, Officer, can_act
from models.ticket_limits import check_may_open, lock_liaison
from models.ticket_stage import stage_at_opening
from models.tickets import (
    AuthorKind,
    Ticket,
    TicketAction,
    TicketEscalation,
    TicketMessage,
    TicketStatus,
    next_number,
    route_office,
    suggestions_json,
    transition,
)

# Characters of one message kept on record: more than any one message can hold in the
# apps (``models.message_limits.TEXT_LIMIT``), so what a person wrote is kept whole; the
# bound stops abuse.
MAX_TEXT = 16_000
REOPEN_WINDOW = timedelta(days=7)


def _audit(
    session: Session, ticket: Ticket, actor: str, action: str, now: datetime, **data: Any
) -> None:
    audit_append(
        session,
        at=now,
        actor=actor,
        action=f"ticket.{action}",
        ticket_id=ticket.id,
        data={"number": ticket.number, "status": ticket.status.value, **data},
    )


def _own(ticket: Ticket, liaison: Liaison | None) -> Liaison:
    if liaison is None:
        raise Refusal("desk/refused/not_liaison")
    if ticket.liaison_id != liaison.id:
        raise Refusal("desk/refused/not_your_ticket")
    return liaison


def _officer_on(session: Session, ticket: Ticket, officer: Officer | None) -> Officer:
    if officer is None or not officer.active:
        raise Refusal("desk/refused/not_officer")
    if not can_act(session, officer, ticket.office_code):
        raise Refusal("desk/refused/not_allowed")
    return officer


def _clean(text: str | None) -> str:
    return mask_personal_numbers((text or "").strip())[:MAX_TEXT]


def open_ticket(
    session: Session,
    *,
    liaison: Liaison,
    question: str,
    now: datetime,
    category: str | None = None,
    suggested: Iterable[Mapping[str, Any]] = (),
    subject: str | None = None,
    source: str = "command",
) -> Ticket:
    """Opens a ticket for a liaison's question. It is routed (see ``route_office``) and
    placed with the nearest office that has a staff chat; its number comes from the
    office it was routed to. How many a liaison may have open is ``models.ticket_limits``'
    rule, counted under a lock on the liaison's row."""
    text = _clean(question)
    if not text:
        raise Refusal("desk/refused/empty_question")
    lock_liaison(session, liaison)
    check_may_open(session, liaison, now)
    routed = route_office(session, liaison, category)
    handling = staffed_office(session, routed.code) or routed
    assert liaison.id is not None
    ticket = Ticket(
        number=next_number(session, routed),
        office_code=handling.code,
        origin_office_code=routed.code,
        liaison_id=liaison.id,
        subject=_clean(subject or text.splitlines()[0])[:120],
        question=text,
        category=category[:64] if category else None,
        source=source[:16],
        suggested=suggestions_json(suggested),
        opened_at=now,
        sla_from=now,
        last_activity_at=now,
    )
    ids = [s["id"] for s in ticket.suggestions()]
    ticket.stage = stage_at_opening(session, office=routed, liaison=liaison, at=now, entries=ids)
    session.add(ticket)
    session.flush()
    _audit(
        session,
        ticket,
        liaison.actor,
        "opened",
        now,
        office=handling.code,
        routed_to=routed.code,
        liaison_office=liaison.office_code,
        category=category,
        source=source,
        length=len(text),
        suggested=ids,
    )
    return ticket


def add_liaison_message(
    session: Session,
    *,
    ticket: Ticket,
    liaison: Liaison | None,
    text: str | None,
    now: datetime,
    attachment: tuple[str, str] | None = None,
) -> TicketMessage:
    """A liaison adds a message or a file to their open ticket; an answered ticket goes
    back to the officers."""
    owner = _own(ticket, liaison)
    if not ticket.status.open:
        raise Refusal("desk/refused/ticket_closed", number=ticket.number)
    body = _clean(text)
    if not body and attachment is None:
        raise Refusal("desk/refused/empty_question")
    transition(ticket, TicketAction.LIAISON_MESSAGE, owner.actor, now)
    message = _message(session, ticket, AuthorKind.LIAISON, body, now, attachment=attachment)
    message.author_person_id = owner.person_id
    session.add(ticket)
    session.flush()
    _audit(
        session,
        ticket,
        owner.actor,
        "message",
        now,
        message=message.id,
        length=len(body),
        attachment=attachment[0] if attachment else None,
    )
    return message


def _message(
    session: Session,
    ticket: Ticket,
    kind: AuthorKind,
    body: str,
    now: datetime,
    *,
    attachment: tuple[str, str] | None = None,
    officer: Officer | None = None,
    internal: bool = False,
) -> TicketMessage:
    assert ticket.id is not None
    message = TicketMessage(
        ticket_id=ticket.id,
        author_kind=kind,
        author_person_id=officer.person_id if officer else None,
        officer_id=officer.id if officer else None,
        text=body,
        attachment_kind=attachment[0][:16] if attachment else None,
        attachment_file_id=attachment[1][:255] if attachment else None,
        internal=internal,
        at=now,
    )
    session.add(message)
    session.flush()
    return message


def officer_reply(
    session: Session,
    *,
    ticket: Ticket,
    officer: Officer | None,
    text: str | None,
    now: datetime,
    attachment: tuple[str, str] | None = None,
    internal: bool = False,
) -> TicketMessage:
    """An officer answers in the ticket's topic. A public answer claims an unclaimed
    ticket and waits for the liaison; an internal note changes nothing."""
    actor = _officer_on(session, ticket, officer)
    body = _clean(text)
    if not body and attachment is None:
        raise Refusal("desk/refused/empty_question")
    if not internal:
        transition(ticket, TicketAction.OFFICER_REPLY, actor.actor, now)
        ticket.claimed_by = ticket.claimed_by or actor.id
        ticket.first_response_at = ticket.first_response_at or now
        ticket.answered_at = ticket.answered_at or now
        session.add(ticket)
    elif ticket.status in (TicketStatus.CLOSED, TicketStatus.SPAM):
        raise Refusal("desk/refused/ticket_closed", number=ticket.number)
    message = _message(
        session,
        ticket,
        AuthorKind.OFFICER,
        body,
        now,
        attachment=attachment,
        officer=actor,
        internal=internal,
    )
    _audit(
        session,
        ticket,
        actor.actor,
        "note" if internal else "replied",
        now,
        message=message.id,
        length=len(body),
        attachment=attachment[0] if attachment else None,
    )
    return message


def claim_ticket(
    session: Session, *, ticket: Ticket, officer: Officer | None, now: datetime
) -> Ticket:
    """An officer takes the ticket (also from a colleague who had it)."""
    actor = _officer_on(session, ticket, officer)
    previous = ticket.claimed_by
    transition(ticket, TicketAction.CLAIM, actor.actor, now)
    ticket.claimed_by = actor.id
    session.add(ticket)
    _audit(session, ticket, actor.actor, "claimed", now, officer=actor.id, previous=previous)
    return ticket


def resolve_ticket(
    session: Session, *, ticket: Ticket, officer: Officer | None, now: datetime
) -> Ticket:
    """An officer marks the question answered; the liaison may then rate, close or reopen."""
    actor = _officer_on(session, ticket, officer)
    transition(ticket, TicketAction.RESOLVE, actor.actor, now)
    ticket.claimed_by = ticket.claimed_by or actor.id  # a reopen comes back to them
    session.add(ticket)
    _audit(session, ticket, actor.actor, "resolved", now)
    return ticket


def mark_spam(
    session: Session, *, ticket: Ticket, officer: Officer | None, now: datetime
) -> Ticket:
    actor = _officer_on(session, ticket, officer)
    transition(ticket, TicketAction.SPAM, actor.actor, now)
    session.add(ticket)
    _audit(session, ticket, actor.actor, "spam", now)
    return ticket


def escalate_ticket(
    session: Session,
    *,
    ticket: Ticket,
    officer: Officer | None,
    now: datetime,
    reason: str = "manual",
) -> TicketEscalation:
    """Moves the ticket one tier up (regency/city → province → KPU RI), to the nearest
    office above with a staff chat. The new office starts unclaimed with a fresh SLA
    clock; the caller posts the card in the new office's staff chat, which opens its topic
    and records its key on the ticket.
    ``officer`` is None when the SLA escalates by itself."""
    actor = _officer_on(session, ticket, officer).actor if reason != "sla" else "system"
    parent = parent_of(session, ticket.office_code)
    if parent is None:
        raise Refusal("desk/refused/no_parent_office")
    target = staffed_office(session, parent.code) or parent
    transition(ticket, TicketAction.ESCALATE, actor, now)
    assert ticket.id is not None
    escalation = TicketEscalation(
        ticket_id=ticket.id,
        from_office=ticket.office_code,
        to_office=target.code,
        from_topic_key=ticket.topic_key,
        reason=reason[:16],
        by_officer=officer.id if officer is not None else None,
        at=now,
    )
    ticket.office_code = target.code
    ticket.claimed_by = None
    ticket.sla_from = now
    ticket.answered_at = None
    ticket.topic_key = None
    ticket.escalations += 1
    session.add(ticket)
    session.add(escalation)
    session.flush()
    _audit(
        session,
        ticket,
        actor,
        "escalated",
        now,
        from_office=escalation.from_office,
        to_office=target.code,
        reason=escalation.reason,
    )
    return escalation


def close_ticket(
    session: Session, *, ticket: Ticket, liaison: Liaison | None, now: datetime
) -> Ticket:
    """The liaison closes their ticket (a question withdrawn, or a resolution accepted)."""
    owner = _own(ticket, liaison)
    transition(ticket, TicketAction.CLOSE, owner.actor, now)
    session.add(ticket)
    _audit(session, ticket, owner.actor, "closed", now)
    return ticket


def reopen_ticket(
    session: Session,
    *,
    ticket: Ticket,
    now: datetime,
    liaison: Liaison | None = None,
    officer: Officer | None = None,
    window: timedelta = REOPEN_WINDOW,
) -> Ticket:
    """The liaison (or an officer of the office) reopens a resolved or closed ticket,
    within ``window`` of its resolution; a ticket closed as spam stays closed."""
    actor = (
        _officer_on(session, ticket, officer).actor
        if officer is not None
        else _own(ticket, liaison).actor
    )
    done_at = ticket.resolved_at or ticket.closed_at
    if ticket.status is not TicketStatus.SPAM and done_at is not None and now - done_at > window:
        raise Refusal("desk/refused/reopen_too_late", days=window.days)
    transition(ticket, TicketAction.REOPEN, actor, now)
    ticket.sla_from, ticket.answered_at = now, None  # the office owes a new answer
    session.add(ticket)
    _audit(session, ticket, actor, "reopened", now)
    return ticket


def rate_ticket(
    session: Session, *, ticket: Ticket, liaison: Liaison | None, rating: int, now: datetime
) -> Ticket:
    """The liaison rates the help they got, 1 to 5, after resolution (again to change it)."""
    owner = _own(ticket, liaison)
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise Refusal("desk/refused/rating_invalid")
    transition(ticket, TicketAction.RATE, owner.actor, now)
    ticket.rating = rating
    session.add(ticket)
    _audit(session, ticket, owner.actor, "rated", now, rating=rating)
    return ticket


def record_refusal(
    session: Session, *, actor: str, what: str, now: datetime, ticket_id: int | None = None
) -> None:
    """Keeps a refused attempt on record (a forged button, an officer of another office)."""
    audit_append(
        session,
        at=now,
        actor=actor,
        action="refused",
        ticket_id=ticket_id,
        data={"what": what[:200]},
    )
