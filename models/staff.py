"""Who works the help desk and who it serves: officers of an office, party liaisons.

Permission rules live here, once:

- Acting on a ticket (claim, answer, note, escalate, resolve, mark as spam) takes both
  halves: the person is an active officer of the ticket's office or of an office above
  it (:func:`can_act`), and they act from the staff chat of the ticket's office or of an
  office above it (:func:`chat_serves`). So an officer may escalate a ticket of their
  subtree, from a staff chat that answers for it; the ticket moves one tier up
  (``models.ticket_actions.escalate_ticket``).
- Admins manage officers, link staff chats and set hours in their subtree; supervisors
  and admins verify liaisons and send announcements; any officer may invite liaisons.
- What the bot writes in a staff chat is in ``STAFF_LANGUAGE``.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from models.accounts import links_changed, primary_account
from models.audit import audit_append
from models.interactions import mask_personal_numbers
from models.offices import get_office, is_within, office_for_staff_chat
from models.people import Language, Person
from models.refusals import Refusal
from models.sql import run
from models.types import UTCDateTime, enum_type

# Staff chats are KPU's own groups: what the bot writes there is in Indonesian.
STAFF_LANGUAGE = Language.ID


class Role(enum.StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Tier(enum.StrEnum):
    """Where a liaison stands: a party board (central, provincial, regency/city), a
    candidate pair's liaison officer, or a candidate pair's SILON admin."""

    DPP = "dpp"
    DPD = "dpd"
    DPC = "dpc"
    LO_PASLON = "lo"
    ADMIN_SILON = "silon"


class LiaisonVia(enum.StrEnum):
    INVITE = "invite"  # came by an officer's invite link: verified from the start
    SELF = "self"  # registered themselves: unverified until an officer checks


class Officer(SQLModel, table=True):
    __tablename__ = "officer"
    __table_args__ = (sa.UniqueConstraint("person_id", name="uq_officer_person"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    office_code: str = Field(foreign_key="office.code", index=True, max_length=16)
    role: Role = Field(sa_type=enum_type(Role, 16))
    name: str = Field(default="", max_length=120)
    active: bool = Field(default=True)
    created_at: datetime = Field(sa_type=UTCDateTime)

    @property
    def actor(self) -> str:
        return f"officer:{self.id}"


class Liaison(SQLModel, table=True):
    __tablename__ = "liaison"
    __table_args__ = (sa.UniqueConstraint("person_id", name="uq_liaison_person"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    name: str = Field(max_length=120)
    party: str = Field(max_length=12)
    tier: Tier = Field(sa_type=enum_type(Tier, 8))
    office_code: str = Field(foreign_key="office.code", index=True, max_length=16)
    verified: bool = Field(default=False)
    verified_by: int | None = Field(default=None, foreign_key="officer.id")
    verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    via: LiaisonVia = Field(sa_type=enum_type(LiaisonVia, 8))
    created_at: datetime = Field(sa_type=UTCDateTime)

    @property
    def actor(self) -> str:
        return f"liaison:{self.id}"


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise Refusal("desk/refused/unknown_role", code=value) from None


def parse_tier(value: str) -> Tier:
    try:
        return Tier(value.strip().lower())
    except ValueError:
        raise Refusal("desk/refused/unknown_tier", code=value) from None


def _is_active_officer() -> sa.ColumnElement[bool]:
    """The person (bound as ``person``) is an active officer."""
    return sa.and_(col(Officer.person_id) == sa.bindparam("person"), col(Officer.active).is_(True))


@cache
def _active_officer() -> SelectOfScalar[Officer]:
    # Built once: composing a statement costs more than running it (see models.sql).
    return select(Officer).where(_is_active_officer())


@cache
def _liaison_of_person() -> SelectOfScalar[Liaison]:
    # The primary account is found in the same statement (one query, not two).
    person = sa.bindparam("person", type_=sa.Integer)
    return select(Liaison).where(Liaison.person_id == primary_account(person))


@cache
def _office_of_officer() -> SelectOfScalar[str]:
    return select(Officer.office_code).where(_is_active_officer())


def officer_office(session: Session, person_id: int | None) -> str | None:
    """The office the person works for as an active officer, if they are one (only the
    code: asked for every question from someone who is not a liaison)."""
    if person_id is None:
        return None
    return run(session, _office_of_officer(), {"person": person_id}).scalar()


def find_officer(session: Session, person_id: int | None) -> Officer | None:
    """The active officer who is this person, if any."""
    if person_id is None:
        return None
    return session.exec(_active_officer(), params={"person": person_id}).first()


_LIAISONS = "liaisons_by_person"  # in Session.info: person id → liaison, or None
_LIAISONS_AT = "liaisons_by_person_links"  # links_changed() when they were remembered
_MISSING = object()


def find_liaison(session: Session, person_id: int | None) -> Liaison | None:
    """The liaison record of a person, through any of their linked accounts
    (``models.accounts``). One unit of work asks several times (the desk, the FAQ's
    scope, the self-service count), so the answer is remembered for the session:
    registering (:func:`remember_liaison`) updates it, and a liaison no longer in the
    session (rolled back) is looked up again."""
    if person_id is None:
        return None
    known: dict[int, Liaison | None] = session.info.setdefault(_LIAISONS, {})
    if session.info.get(_LIAISONS_AT) != links_changed(session):
        known.clear()  # accounts were linked since: every answer may have changed
        session.info[_LIAISONS_AT] = links_changed(session)
    found = known.get(person_id, _MISSING)
    if found is None or (isinstance(found, Liaison) and found in session):
        return found
    liaison = session.exec(_liaison_of_person(), params={"person": person_id}).first()
    known[person_id] = liaison
    return liaison


def remember_liaison(session: Session, liaison: Liaison) -> None:
    """A liaison just registered: what :func:`find_liaison` answers from now on (for
    each of the person's accounts: the ones remembered as no liaison are asked again)."""
    known: dict[int, Liaison | None] = session.info.setdefault(_LIAISONS, {})
    for account in [k for k, v in known.items() if v is None]:
        del known[account]
    known[liaison.person_id] = liaison


def officers_of(session: Session, office_code: str) -> list[Officer]:
    return list(
        session.exec(
            select(Officer)
            .where(Officer.office_code == office_code, col(Officer.active).is_(True))
            .order_by(col(Officer.id))
        ).all()
    )


# --- permissions --------------------------------------------------------------------------


def can_act(session: Session, officer: Officer | None, office_code: str) -> bool:
    """An officer may act on a ticket (claim, answer, escalate, resolve) of their own
    office or of any office below it in the tree."""
    return (
        officer is not None
        and officer.active
        and is_within(session, office_code, officer.office_code)
    )


def chat_serves(session: Session, chat_id: int, office_code: str) -> bool:
    """The chat is the staff chat of the office ``office_code`` or of an office above it:
    only there do a ticket's buttons and answers count."""
    chat_office = office_for_staff_chat(session, chat_id)
    return chat_office is not None and is_within(session, office_code, chat_office.code)


def can_manage_officers(session: Session, officer: Officer | None, office_code: str) -> bool:
    """Admins add and remove officers, link staff chats and set hours in their subtree."""
    return (
        can_act(session, officer, office_code)
        and officer is not None
        and (officer.role is Role.ADMIN)
    )


def can_verify(session: Session, officer: Officer | None, office_code: str) -> bool:
    """Supervisors and admins verify liaisons registered in their subtree."""
    return (
        can_act(session, officer, office_code)
        and officer is not None
        and (officer.role in (Role.SUPERVISOR, Role.ADMIN))
    )


def can_announce(session: Session, officer: Officer | None, office_code: str) -> bool:
    """Supervisors and admins announce to liaisons of their subtree."""
    return can_verify(session, officer, office_code)


def can_invite(session: Session, officer: Officer | None, office_code: str) -> bool:
    """Any officer may invite liaisons into their own subtree."""
    return can_act(session, officer, office_code)


def require(allowed: bool) -> None:
    if not allowed:
        raise Refusal("desk/refused/not_allowed")


# --- officers -----------------------------------------------------------------------------


def add_officer(
    session: Session,
    *,
    person: Person,
    office_code: str,
    role: Role,
    name: str,
    actor: str,
    now: datetime,
) -> Officer:
    """Makes a person an officer of an office, or moves/re-enables one who was."""
    office = get_office(session, office_code)
    assert person.id is not None
    officer = session.exec(select(Officer).where(Officer.person_id == person.id)).first()
    if officer is None:
        officer = Officer(person_id=person.id, office_code=office.code, role=role, created_at=now)
    officer.office_code = office.code
    officer.role = role
    officer.name = mask_personal_numbers(name.strip() or person.display_name or officer.name)[:120]
    officer.active = True
    session.add(officer)
    session.flush()
    audit_append(
        session,
        at=now,
        actor=actor,
        action="officer.added",
        data={"officer": officer.id, "office": office.code, "role": role.value},
    )
    return officer


def remove_officer(
    session: Session, officer: Officer, *, actor: str, now: datetime, allow_last_admin: bool = False
) -> Officer:
    """Takes an officer off the desk; the row stays for the record. The last admin of an
    office stays unless removed from the command line."""
    if officer.role is Role.ADMIN and not allow_last_admin:
        admins = [o for o in officers_of(session, officer.office_code) if o.role is Role.ADMIN]
        if len(admins) <= 1:
            raise Refusal("desk/refused/last_admin")
    officer.active = False
    session.add(officer)
    session.flush()
    audit_append(
        session,
        at=now,
        actor=actor,
        action="officer.removed",
        data={"officer": officer.id, "office": officer.office_code},
    )
    return officer


# --- liaisons -----------------------------------------------------------------------------


def register_liaison(
    session: Session,
    *,
    person: Person,
    name: str,
    party: str,
    tier: Tier,
    office_code: str,
    now: datetime,
) -> Liaison:
    """A liaison who registered themselves: unverified until a supervisor of the office
    checks them. Registering again with other details drops an earlier verification."""
    office = get_office(session, office_code)
    assert person.id is not None
    liaison = find_liaison(session, person.id)
    typed = mask_personal_numbers(name.strip())[:120]
    details = (typed or person.display_name[:120], party.strip().lower()[:12])
    if liaison is None:
        liaison = Liaison(
            person_id=person.id,
            name=details[0],
            party=details[1],
            tier=tier,
            office_code=office.code,
            via=LiaisonVia.SELF,
            created_at=now,
        )
    elif (liaison.party, liaison.tier, liaison.office_code) != (details[1], tier, office.code):
        liaison.verified, liaison.verified_by, liaison.verified_at = False, None, None
        liaison.via = LiaisonVia.SELF
    liaison.name, liaison.party, liaison.tier = details[0], details[1], tier
    liaison.office_code = office.code
    session.add(liaison)
    session.flush()
    remember_liaison(session, liaison)
    audit_append(
        session,
        at=now,
        actor=liaison.actor,
        action="liaison.registered",
        data={
            "liaison": liaison.id,
            "office": office.code,
            "party": liaison.party,
            "tier": tier.value,
            "verified": liaison.verified,
        },
    )
    return liaison


def verify_liaison(
    session: Session, liaison: Liaison, *, officer: Officer, now: datetime
) -> Liaison:
    """A supervisor or admin of the liaison's office (or above) vouches for them."""
    require(can_verify(session, officer, liaison.office_code))
    if not liaison.verified:
        liaison.verified, liaison.verified_by, liaison.verified_at = True, officer.id, now
        session.add(liaison)
        session.flush()
        audit_append(
            session,
            at=now,
            actor=officer.actor,
            action="liaison.verified",
            data={"liaison": liaison.id, "office": liaison.office_code},
        )
    return liaison


def unverified_liaisons(
    session: Session, office_codes: Collection[str], *, limit: int = 50
) -> list[Liaison]:
    return list(
        session.exec(
            select(Liaison)
            .where(col(Liaison.office_code).in_(office_codes), col(Liaison.verified).is_(False))
            .order_by(col(Liaison.created_at))
            .limit(limit)
        ).all()
    )
