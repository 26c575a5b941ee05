"""Invite links: an officer lets a liaison in, pre-verified, with one tap.

A token is 144 random bits in URL-safe base64 (24 characters of [A-Za-z0-9_-]), so it fits
a Telegram deep link (``/start <token>``, at most 64 characters) and cannot be guessed.
Only its sha256 is stored: a copy of the database does not hand out working links.
Tokens expire and carry a number of uses.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from urllib.parse import quote

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from models.audit import audit_append
from models.interactions import mask_personal_numbers
from models.offices import get_office
from models.people import Person
from models.refusals import Refusal
from models.staff import Liaison, LiaisonVia, Tier, find_liaison
from models.types import UTCDateTime, enum_type

TOKEN_BYTES = 18
DEFAULT_TTL = timedelta(days=14)
MAX_USES = 500
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class Invite(SQLModel, table=True):
    __tablename__ = "invite"
    __table_args__ = (sa.UniqueConstraint("token_hash", name="uq_invite_token_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64)
    office_code: str = Field(foreign_key="office.code", max_length=16)
    party: str = Field(max_length=12)
    tier: Tier = Field(sa_type=enum_type(Tier, 8))
    uses_left: int = Field(default=1)
    uses: int = Field(default=0)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    created_by: int | None = Field(default=None, foreign_key="officer.id")
    created_at: datetime = Field(sa_type=UTCDateTime)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_invite_token(text: str) -> bool:
    """Whether a ``/start`` argument could be an invite token (anything else is not one)."""
    return bool(_TOKEN.match(text))


WHATSAPP_INVITE_WORD = "DAFTAR"  # typed in by a wa.me invite link, before the token


def whatsapp_link(number: str, token: str, word: str = WHATSAPP_INVITE_WORD) -> str:
    """The link that opens WhatsApp's chat with the help desk's number, with
    ``DAFTAR <token>`` (or ``word`` and the token) typed in for the person to send
    (wa.me click-to-chat)."""
    return f"https://wa.me/{number}?text={quote(f'{word} {token}')}"


def deep_link(bot_username: str, token: str) -> str:
    """The link that opens the bot with the invite: ``https://t.me/<bot>?start=<token>``."""
    return f"https://t.me/{bot_username.lstrip('@')}?start={token}"


def create_invite(
    session: Session,
    *,
    office_code: str,
    party: str,
    tier: Tier,
    now: datetime,
    created_by: int | None,
    uses: int = 1,
    ttl: timedelta = DEFAULT_TTL,
) -> tuple[Invite, str]:
    """A new invite and its token; the token is shown once and never stored."""
    office = get_office(session, office_code)
    if not 1 <= uses <= MAX_USES:
        raise ValueError(f"an invite is good for 1 to {MAX_USES} uses")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invite = Invite(
        token_hash=token_hash(token),
        office_code=office.code,
        party=party.strip().lower()[:12],
        tier=tier,
        uses_left=uses,
        expires_at=now + ttl,
        created_by=created_by,
        created_at=now,
    )
    session.add(invite)
    session.flush()
    audit_append(
        session,
        at=now,
        actor=f"officer:{created_by}" if created_by else "cli",
        action="invite.created",
        data={
            "invite": invite.id,
            "office": office.code,
            "party": invite.party,
            "tier": tier.value,
            "uses": uses,
            "expires_at": invite.expires_at.isoformat(),
        },
    )
    return invite, token


def redeem_invite(
    session: Session, token: str, person: Person, name: str, now: datetime
) -> Liaison:
    """Registers the person as a verified liaison of the invite's office, party and tier.

    Refuses unknown, expired and used-up tokens. Opening the same link twice does not use
    it up twice: a person already registered exactly so keeps their registration.
    """
    invite = (
        session.exec(select(Invite).where(Invite.token_hash == token_hash(token))).first()
        if looks_like_invite_token(token)
        else None
    )
    if invite is None:
        raise Refusal("desk/refused/invite_unknown")
    if invite.expires_at <= now:
        raise Refusal("desk/refused/invite_expired")
    assert person.id is not None
    liaison = find_liaison(session, person.id)
    if liaison is not None and liaison.verified and _matches(liaison, invite):
        return liaison
    taken = session.execute(
        sa.update(Invite)
        .where(col(Invite.id) == invite.id, col(Invite.uses_left) > 0)
        .values(uses_left=Invite.uses_left - 1, uses=Invite.uses + 1)
    )
    if not taken.rowcount:  # type: ignore[attr-defined]
        raise Refusal("desk/refused/invite_used_up")
    session.refresh(invite)
    if liaison is None:
        liaison = Liaison(
            person_id=person.id,
            name="",
            party="",
            tier=invite.tier,
            office_code=invite.office_code,
            via=LiaisonVia.INVITE,
            created_at=now,
        )
    liaison.name = mask_personal_numbers(name.strip() or person.display_name or "-")[:120]
    liaison.party, liaison.tier, liaison.office_code = invite.party, invite.tier, invite.office_code
    liaison.verified, liaison.verified_by, liaison.verified_at = True, invite.created_by, now
    liaison.via = LiaisonVia.INVITE
    session.add(liaison)
    session.flush()
    audit_append(
        session,
        at=now,
        actor=f"liaison:{liaison.id}",
        action="invite.redeemed",
        data={"invite": invite.id, "liaison": liaison.id, "office": invite.office_code},
    )
    return liaison


def _matches(liaison: Liaison, invite: Invite) -> bool:
    return (liaison.office_code, liaison.party, liaison.tier) == (
        invite.office_code,
        invite.party,
        invite.tier,
    )
