"""Who a stage (its reminders, its place in the schedule) or an announcement is for.
This module is the one home of that rule, in both its forms: :func:`audience` (everyone
it is for, to send to) and :func:`stage_concerns` (whether it is for one person, to show).

The audience of an office is every liaison whose office is that office or lies below it,
narrowed by tier, region (office codes, each with the offices below it) and party when
those are given; plus the broadcast groups registered in that area. A group gathers
liaisons of every party, so it receives nothing addressed to some parties only.
People and chats the app can no longer reach are left out. In the schedule an officer
sees the stages of their office's area whatever their tiers and parties, and a person
with no office the national ones (KPU RI's, for no region in particular).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models.accounts import accounts_of, preferred_account
from models.broadcast import BroadcastGroup
from models.chats import Chat
from models.offices import RI, Office, is_within, subtree_codes
from models.people import Language, Person
from models.staff import Liaison
from models.stages import Stage, muted_people


@dataclass(frozen=True)
class Recipient:
    """One chat to write to, with what is needed to write well."""

    channel: str
    chat_id: str  # the app's chat id (a liaison's private chat id is their user id)
    language: Language
    zone: str  # IANA zone of the recipient's office
    office_code: str
    person_id: int | None = None  # None for a group
    name: str = ""

    @property
    def is_group(self) -> bool:
        return self.person_id is None


def area(session: Session, office_code: str, regions: Iterable[str] = ()) -> set[str]:
    """The office codes an audience covers: the office's subtree, cut down to the given
    regions' subtrees when there are any."""
    codes = subtree_codes(session, office_code)
    wanted = list(regions)
    if wanted:
        within: set[str] = set()
        for region in wanted:
            within |= subtree_codes(session, region)
        codes &= within
    return codes


def zones_of(session: Session, codes: Collection[str] | None = None) -> dict[str, str]:
    """Office code → IANA zone, for ``codes`` or every office."""
    query = select(Office.code, Office.timezone)
    if codes is not None:
        query = query.where(col(Office.code).in_(list(codes)))
    return {code: zone for code, zone in session.exec(query)}


def audience(
    session: Session,
    *,
    office_code: str,
    tiers: Collection[str] = (),
    regions: Collection[str] = (),
    parties: Collection[str] = (),
    zone: str | None = None,
    skip_muted: bool = False,
) -> list[Recipient]:
    """Every reachable recipient of an audience, liaisons first; only those whose office
    is in ``zone`` when given; without the people who muted reminders if asked."""
    zones = zones_of(session, area(session, office_code, regions))
    if zone is not None:
        zones = {code: z for code, z in zones.items() if z == zone}
    if not zones:
        return []
    found = _liaisons(session, zones, tiers, parties, skip_muted)
    if not parties:
        found += _groups(session, zones)
    return found


def _liaisons(
    session: Session,
    zones: dict[str, str],
    tiers: Collection[str],
    parties: Collection[str],
    skip_muted: bool,
) -> list[Recipient]:
    query = (
        select(Liaison, Person)
        .join(Person, col(Person.id) == Liaison.person_id)
        .where(col(Liaison.office_code).in_(list(zones)))
        .order_by(col(Liaison.id))
    )
    if tiers:
        query = query.where(col(Liaison.tier).in_(list(tiers)))
    if parties:
        query = query.where(col(Liaison.party).in_(list(parties)))
    muted = muted_people(session) if skip_muted else set()
    rows = [(liaison, person) for liaison, person in session.exec(query) if person.id not in muted]
    # A liaison with accounts in several apps is reached once, where they last wrote.
    linked = accounts_of(session, [person.id for _, person in rows if person.id is not None])
    found = []
    for liaison, primary in rows:
        person = preferred_account(session, primary, linked.get(primary.id or 0, []))
        if not person.reachable:
            continue
        found.append(
            Recipient(
                channel=person.channel,
                chat_id=person.external_id,
                language=primary.speaks,
                zone=zones[liaison.office_code],
                office_code=liaison.office_code,
                person_id=primary.id,
                name=liaison.name,
            )
        )
    return found


def _groups(session: Session, zones: dict[str, str]) -> list[Recipient]:
    query = (
        select(BroadcastGroup, Chat)
        .join(Chat, col(Chat.id) == BroadcastGroup.chat_id)
        .where(
            col(BroadcastGroup.office_code).in_(list(zones)),
            col(BroadcastGroup.active).is_(True),
            col(Chat.reachable).is_(True),
            col(Chat.member).is_(True),
        )
        .order_by(col(BroadcastGroup.id))
    )
    return [
        Recipient(
            channel=chat.channel,
            chat_id=chat.external_id,
            language=Language.ID,
            zone=zones[group.office_code],
            office_code=group.office_code,
            name=chat.title,
        )
        for group, chat in session.exec(query)
    ]


def stage_concerns(
    session: Session, stage: Stage, office: str | None, liaison: Liaison | None
) -> bool:
    """Whether ``stage`` is for the person whose office is ``office`` (None: no office),
    a liaison or else an officer (see the module's rule)."""
    if office is None:
        return stage.office_code == RI and not stage.region_list
    if not is_within(session, office, stage.office_code):
        return False
    if stage.region_list and not any(is_within(session, office, r) for r in stage.region_list):
        return False
    if liaison is None:
        return True
    tier_ok = not stage.tier_list or liaison.tier in stage.tier_list
    return tier_ok and (not stage.party_list or liaison.party in stage.party_list)
