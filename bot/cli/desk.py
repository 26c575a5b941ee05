"""``helpdesk officer|office|invite|audit|tickets``: set up and inspect the desk.

The first admin of an office is made here; afterwards admins do the same from chat.
Every change goes through the same desk rules, and into the audit log as actor "cli".
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import typer
from sqlmodel import Session, col, select

from bot.chats import ChatUnreadable, read_chat
from bot.cli.common import database, fail, settings_or_exit
from handlers.desk.relink import follow_new_staff_chat
from handlers.signing import Signer
from handlers.texts import Texts
from models import ChatKind, Clock, Language, UnitOfWork
from models.app_state import signing_key
from models.audit import audit_verify
from models.chat_check import ChatReading, link_refusal
from models.chats import Chat, find_chat
from models.invites import create_invite, deep_link, whatsapp_link
from models.offices import Office, get_office, link_staff_chat, set_hours, subtree_codes
from models.people import Person, find_person
from models.refusals import Refusal
from models.staff import Officer, add_officer, officers_of, parse_role, parse_tier, remove_officer
from models.tickets import TicketStatus, office_tickets

CHANNEL = "telegram"
ACTOR = "cli"

officer_app = typer.Typer(help="Officers of an office: add, remove, list.", no_args_is_help=True)
office_app = typer.Typer(help="Offices: link a staff chat, show, set hours.", no_args_is_help=True)
invite_app = typer.Typer(help="Invite links for party liaisons.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)
tickets_app = typer.Typer(help="Tickets.", no_args_is_help=True)

_MESSAGES = {
    "desk/refused/unknown_office": "unknown office {code!r}: use a code such as RI, 34 or 34.02",
    "desk/refused/unknown_role": "unknown role {code!r}: use agent, supervisor or admin",
    "desk/refused/unknown_tier": "unknown tier {code!r}: use dpp, dpd, dpc, lo or silon",
    "desk/refused/unknown_party": "unknown party {code!r}: use a party code such as {known}",
    "desk/refused/last_admin": "that officer is the office's last admin",
}


@dataclass
class Desk:
    session: Session
    clock: Clock

    @property
    def now(self) -> datetime:
        return self.clock.now()


@contextmanager
def desk() -> Iterator[Desk]:
    """A unit of work on the configured database (migrated, offices synced); desk
    refusals become one-line errors. Lighter than the whole help desk: no knowledge base."""
    with database(log_level="WARNING") as db, UnitOfWork(db.sessions) as uow:
        try:
            yield Desk(uow.session, db.clock)
        except Refusal as refusal:
            template = _MESSAGES.get(refusal.key, refusal.key.rsplit("/", 1)[-1])
            raise fail(template.format(**refusal.context)) from None
        except ValueError as exc:
            raise fail(str(exc)) from None
        uow.commit()


def _telegram_id(value: str) -> str:
    if not re.fullmatch(r"[1-9]\d{0,19}", value.strip()):
        raise fail(f"--telegram-id must be a Telegram user id (digits), not {value!r}")
    return value.strip()


def _person(desk: Desk, telegram_id: str, name: str) -> Person:
    person = find_person(desk.session, CHANNEL, telegram_id)
    if person is None:
        now = desk.now
        person = Person(
            channel=CHANNEL,
            external_id=telegram_id,
            display_name=name[:200],
            created_at=now,
            last_seen_at=now,
        )
        desk.session.add(person)
        desk.session.flush()
    return person


def _describe(session: Session, officer: Officer) -> str:
    person = session.get(Person, officer.person_id)
    telegram = person.external_id if person else "?"
    state = "" if officer.active else " (removed)"
    return (
        f"officer #{officer.id} {officer.name or '-'} ({officer.role.value}) at "
        f"{officer.office_code}, telegram {telegram}{state}"
    )


@officer_app.command("add")
def officer_add(
    telegram_id: str = typer.Option(..., "--telegram-id", help="The officer's Telegram user id."),
    office: str = typer.Option(..., "--office", help="Office code: RI, 34, 34.02, ..."),
    role: str = typer.Option(..., "--role", help="agent, supervisor or admin."),
    name: str = typer.Option("", "--name", help="The officer's name (stays inside KPU)."),
) -> None:
    """Make a Telegram user an officer of an office (or change their office or role)."""
    user = _telegram_id(telegram_id)
    with desk() as d:
        chosen = parse_role(role)
        officer = add_officer(
            d.session,
            person=_person(d, user, name),
            office_code=get_office(d.session, office).code,
            role=chosen,
            name=name,
            actor=ACTOR,
            now=d.now,
        )
        typer.echo(_describe(d.session, officer))


@officer_app.command("remove")
def officer_remove(
    telegram_id: str = typer.Option(..., "--telegram-id", help="The officer's Telegram user id."),
) -> None:
    """Take an officer off the desk (kept in the record)."""
    user = _telegram_id(telegram_id)
    with desk() as d:
        person = find_person(d.session, CHANNEL, user)
        officer = (
            d.session.exec(select(Officer).where(Officer.person_id == person.id)).first()
            if person
            else None
        )
        if officer is None or not officer.active:
            raise fail(f"no active officer with telegram id {user}")
        remove_officer(d.session, officer, actor=ACTOR, now=d.now, allow_last_admin=True)
        typer.echo(_describe(d.session, officer))


@officer_app.command("list")
def officer_list(
    office: str = typer.Option("", "--office", help="Only this office and the offices below."),
) -> None:
    """The active officers."""
    with desk() as d:
        query = select(Officer).where(col(Officer.active).is_(True))
        if office:
            query = query.where(
                col(Officer.office_code).in_(
                    subtree_codes(d.session, get_office(d.session, office).code)
                )
            )
        officers = d.session.exec(query.order_by(col(Officer.office_code), col(Officer.id))).all()
        for officer in officers:
            typer.echo(_describe(d.session, officer))
        if not officers:
            typer.echo("no officers yet: add one with `helpdesk officer add`")


@office_app.command("link")
def office_link(
    code: str = typer.Argument(..., help="Office code: RI, 34, 34.02, ..."),
    chat_id: str = typer.Option(..., "--chat-id", help="The staff group's chat id (-100...)."),
) -> None:
    """Make a Telegram group the office's staff chat (where tickets appear). The chat is
    read from Telegram first (is it a forum, may the bot manage topics there), and
    refused with the reason when it cannot serve (``models.chat_check``)."""
    if not re.fullmatch(r"-\d{1,20}", chat_id.strip()):
        raise fail(
            f"--chat-id must be a group's chat id, negative like -1001234567890, not {chat_id!r}"
        )
    reading = _checked_reading(chat_id.strip())
    with desk() as d:
        office = get_office(d.session, code)
        chat = find_chat(d.session, CHANNEL, chat_id.strip())
        if chat is None:
            chat = Chat(
                channel=CHANNEL,
                external_id=chat_id.strip(),
                kind=ChatKind.GROUP,
                created_at=d.now,
                updated_at=d.now,
            )
            d.session.add(chat)
            d.session.flush()
        if reading is not None:  # what Telegram says wins over what the bot last saw
            chat.forum, chat.title = reading.forum, reading.title[:255] or chat.title
            chat.reachable, chat.member, chat.unreachable_reason = True, True, None
            d.session.add(chat)
            d.session.flush()
        assert chat.id is not None
        before = d.session.get(Chat, office.staff_chat_id) if office.staff_chat_id else None
        link_staff_chat(d.session, office, chat.id, actor=ACTOR, now=d.now)
        if before is not None and before.id != chat.id:
            signer = Signer(signing_key(d.session))
            moved = follow_new_staff_chat(d.session, Texts(), signer, office, before, d.now)
            typer.echo(f"{moved} open ticket(s) follow to the new staff chat")
        mode = "forum: a topic per ticket" if chat.forum else "group: officers answer by reply"
        typer.echo(f"{office.name} [{office.code}]: staff chat {chat.external_id} ({mode})")


def plain_text(html_text: str) -> str:
    """A template's HTML as one plain line for the terminal."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", html_text)).split())


def _checked_reading(chat_id: str) -> ChatReading | None:
    """The chat as Telegram shows it, or a one-line refusal saying why it cannot serve;
    None (with a warning) when no bot token is set to ask with."""
    settings = settings_or_exit()
    if settings.telegram_bot_token is None:
        typer.echo("warning: TELEGRAM_BOT_TOKEN is not set, so the chat was not checked", err=True)
        return None
    try:
        reading = read_chat(settings, chat_id)
    except ChatUnreadable as exc:
        raise fail(f"cannot check chat {chat_id}: {exc}") from None
    refusal = link_refusal(reading)
    if refusal is not None:
        raise fail(plain_text(Texts().render(Language.EN, refusal, chat=chat_id)))
    return reading


@office_app.command("show")
def office_show(code: str = typer.Argument(..., help="Office code: RI, 34, 34.02, ...")) -> None:
    """An office's place in the tree, staff chat, hours and officers."""
    with desk() as d:
        office = get_office(d.session, code)
        chat = d.session.get(Chat, office.staff_chat_id) if office.staff_chat_id else None
        for line in _office_lines(office, chat):
            typer.echo(line)
        for officer in officers_of(d.session, office.code):
            typer.echo("  " + _describe(d.session, officer))


def _office_lines(office: Office, chat: Chat | None) -> list[str]:
    return [
        f"{office.name} [{office.code}] {office.level.value}, parent {office.parent_code or '-'}",
        f"  zone {office.timezone}, ticket numbers {office.prefix}-0001...",
        f"  staff chat: {chat.external_id if chat else 'not linked'}",
        f"  hours {office.work_start}-{office.work_end}, days {office.work_days} (Mon=1)",
        f"  SLA: ping after {office.claim_minutes} min unclaimed, escalate after "
        f"{office.answer_minutes} min unanswered (working minutes)",
    ]


@office_app.command("set-hours")
def office_set_hours(
    code: str = typer.Argument(..., help="Office code: RI, 34, 34.02, ..."),
    start: str = typer.Option(None, "--start", help="Opening time, local, HH:MM."),
    end: str = typer.Option(None, "--end", help="Closing time, local, HH:MM."),
    days: str = typer.Option(None, "--days", help="Working days, ISO (Mon=1): 1-6, 1-5, ..."),
    claim_minutes: int = typer.Option(
        None, "--claim-minutes", help="Ping when unclaimed this long."
    ),
    answer_minutes: int = typer.Option(
        None, "--answer-minutes", help="Escalate when unanswered this long."
    ),
) -> None:
    """Change an office's working hours and SLA thresholds."""
    with desk() as d:
        office = set_hours(
            d.session,
            get_office(d.session, code),
            start=start,
            end=end,
            days=days,
            claim_minutes=claim_minutes,
            answer_minutes=answer_minutes,
            actor=ACTOR,
            now=d.now,
        )
        for line in _office_lines(office, None)[3:]:
            typer.echo(line)


@invite_app.command("create")
def invite_create(
    office: str = typer.Option(..., "--office", help="Office code: RI, 34, 34.02, ..."),
    party: str = typer.Option(..., "--party", help="Party code, e.g. pkb, gerindra."),
    tier: str = typer.Option(..., "--tier", help="dpp, dpd, dpc, lo or silon."),
    uses: int = typer.Option(1, "--uses", min=1, max=500, help="How many people may use it."),
    days: int = typer.Option(14, "--days", min=1, max=90, help="Days until it expires."),
    bot_username: str = typer.Option(
        "", "--bot-username", help="The bot's @username (default: TELEGRAM_BOT_USERNAME)."
    ),
) -> None:
    """Print a Telegram link that registers a liaison, pre-verified (and a WhatsApp one
    when WHATSAPP_DISPLAY_NUMBER is set)."""
    from knowledge.content.reference import load_parties
    from knowledge.content.reference import party as find_party

    username = bot_username.strip().lstrip("@") or settings_or_exit().telegram_bot_username or ""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,31}", username):
        raise fail(
            "the bot's username is needed for the link: --bot-username or TELEGRAM_BOT_USERNAME"
        )
    with desk() as d:
        known = find_party(party.strip().lower())
        if known is None:
            codes = ", ".join(p.code for p in load_parties()[:6])
            raise Refusal("desk/refused/unknown_party", code=party, known=codes + ", ...")
        invite, token = create_invite(
            d.session,
            office_code=get_office(d.session, office).code,
            party=known.code,
            tier=parse_tier(tier),
            uses=uses,
            ttl=timedelta(days=days),
            created_by=None,
            now=d.now,
        )
        typer.echo(deep_link(username, token))
        number = settings_or_exit().whatsapp_display_number
        if number:  # the same invite, opened in WhatsApp
            typer.echo(whatsapp_link(number, token))
        typer.echo(
            f"invite #{invite.id}: {known.short} {invite.tier.value} at {invite.office_code}, "
            f"{uses} use(s), expires {invite.expires_at:%Y-%m-%d %H:%M} UTC",
            err=True,
        )


@audit_app.command("verify")
def audit_verify_command() -> None:
    """Check the audit log's hash chain; exit 1 and name the first broken entry if not intact."""
    with desk() as d:
        problems = audit_verify(d.session)
        if problems:
            typer.echo(f"audit log TAMPERED: {problems[0]}", err=True)
            if len(problems) > 1:
                typer.echo(f"({len(problems) - 1} more problem(s) after it)", err=True)
            raise typer.Exit(1)
        from models.audit import HEAD_ID, AuditHead

        head = d.session.get(AuditHead, HEAD_ID)
        typer.echo(f"audit log intact: {head.seq if head else 0} entries")


_STATUS_OPTION = typer.Option(None, "--status", help="Only these statuses (repeatable).")


@tickets_app.command("list")
def tickets_list(
    office: str = typer.Option("RI", "--office", help="This office and the offices below."),
    status: list[str] | None = _STATUS_OPTION,
    limit: int = typer.Option(50, "--limit", min=1, max=1000),
) -> None:
    """Tickets, newest first."""
    try:
        wanted = frozenset(TicketStatus(s.strip().lower()) for s in status or ())
    except ValueError:
        raise fail(f"--status must be one of {', '.join(s.value for s in TicketStatus)}") from None
    with desk() as d:
        codes = subtree_codes(d.session, get_office(d.session, office).code)
        tickets = office_tickets(d.session, codes, statuses=wanted or None, limit=limit)
        for t in tickets:
            typer.echo(
                f"{t.number:<10} {t.status.value:<9} {t.office_code:<6} "
                f"{t.opened_at:%Y-%m-%d %H:%M} UTC  {t.subject[:60]}"
            )
        if not tickets:
            typer.echo("no tickets")
