"""Announcements as use cases, shared by the chat flow and the command line: draft, send
(one outbox message per recipient, in their language), and report who got and who read
it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from handlers.signing import Signer
from handlers.texts import Texts
from models import Clock, Language, Person, UnitOfWork
from models.audience import Recipient, area, audience
from models.broadcast import Announcement, AnnouncementStatus, acknowledged_by
from models.offices import find_office
from models.outbox import Lane, OutboxMessage, OutboxStatus, campaign_report, enqueue
from models.receipts import receipt_counts
from models.refusals import Refusal
from models.staff import Liaison, Officer, can_announce

MAX_TEXT = 3500  # leaves room for the heading within one message (TEXT_LIMIT)
DIRECT_LIMIT = 300  # audiences up to this size are enqueued at once, larger ones queued
CHUNK = 500  # messages enqueued per transaction by the tick
NAMES_SHOWN = 30


def draft_announcement(
    session: Session, *, officer: Officer | None, person_id: int | None, text: str, now: datetime
) -> Announcement:
    """A draft to the officer's office and all below it. Only supervisors and admins
    announce."""
    if officer is None or not can_announce(session, officer, officer.office_code):
        raise Refusal("announce/not_allowed")
    text = text.strip()
    if not text:
        raise Refusal("announce/usage")
    if len(text) > MAX_TEXT:
        raise Refusal("announce/too_long", limit=MAX_TEXT, length=len(text))
    announcement = Announcement(
        office_code=officer.office_code, text=text, created_by=person_id, created_at=now
    )
    session.add(announcement)
    session.flush()
    return announcement


def recipients_of(session: Session, announcement: Announcement) -> list[Recipient]:
    return audience(
        session,
        office_code=announcement.office_code,
        tiers=announcement.tier_list,
        parties=announcement.party_list,
    )


def parties_in_area(session: Session, office_code: str) -> list[str]:
    """The parties that have liaisons in an office's area: the ones worth offering."""
    codes = area(session, office_code)
    return sorted(
        set(session.exec(select(Liaison.party).where(col(Liaison.office_code).in_(list(codes)))))
    )


def render_announcement(texts: Texts, lang: Language, session: Session, ann: Announcement) -> str:
    office = find_office(session, ann.office_code)
    return texts.render(
        lang, "announce/message", office=office.name if office else ann.office_code, text=ann.text
    )


def _enqueue(
    session: Session,
    announcement: Announcement,
    recipients: Sequence[Recipient],
    *,
    texts: Texts,
    signer: Signer,
    now: datetime,
) -> int:
    rendered: dict[Language, str] = {}
    count = 0
    for recipient in recipients:
        lang = recipient.language
        if lang not in rendered:
            rendered[lang] = render_announcement(texts, lang, session, announcement)
        buttons = []
        if announcement.ack:
            payload = signer.sign(recipient.chat_id, f"ack:{announcement.id}")
            buttons = [[{"label": texts.label(lang, "ann_read"), "payload": payload, "url": None}]]
        message = enqueue(
            session,
            campaign=announcement.campaign,
            recipient=recipient.chat_id,
            channel=recipient.channel,
            chat_id=recipient.chat_id,
            text=rendered[lang],
            lane=Lane.BULK,
            now=now,
            buttons=buttons,
        )
        count += message is not None
    return count


def send_announcement(
    session: Session, announcement: Announcement, *, texts: Texts, signer: Signer, now: datetime
) -> int:
    """Puts one message per recipient in the outbox (bulk lane), in this transaction, and
    marks the announcement sent; returns the number of messages. For small audiences:
    larger ones are queued (see ``queue_announcement``)."""
    if announcement.status is not AnnouncementStatus.DRAFT:
        raise Refusal("announce/not_draft")
    count = _enqueue(
        session,
        announcement,
        recipients_of(session, announcement),
        texts=texts,
        signer=signer,
        now=now,
    )
    announcement.status = AnnouncementStatus.SENT
    announcement.sent_at = now
    announcement.recipients = count
    session.add(announcement)
    return count


def queue_announcement(session: Session, announcement: Announcement, now: datetime) -> None:
    """Confirms a draft for a large audience: ``run_queued_announcements`` enqueues it in
    chunks, so the officer's button press does not wait for thousands of rows."""
    if announcement.status is not AnnouncementStatus.DRAFT:
        raise Refusal("announce/not_draft")
    announcement.status = AnnouncementStatus.QUEUED
    announcement.sent_at = now
    session.add(announcement)


def run_queued_announcements(
    sessions: Callable[[], Session], clock: Clock, texts: Texts, signer: Signer
) -> int:
    """The tick for confirmed announcements: enqueues each one's messages in chunks of
    their own transactions, then marks it sent. Enqueuing is idempotent per recipient, so
    a crash halfway is finished by the next tick without duplicates."""
    now = clock.now()
    with UnitOfWork(sessions) as uow:
        queued = uow.session.exec(
            select(Announcement.id).where(Announcement.status == AnnouncementStatus.QUEUED)
        ).all()
    total = 0
    for ident in queued:
        with UnitOfWork(sessions) as uow:
            announcement = uow.session.get(Announcement, ident)
            if announcement is None or announcement.status is not AnnouncementStatus.QUEUED:
                continue
            recipients = recipients_of(uow.session, announcement)
        for start in range(0, len(recipients), CHUNK):
            with UnitOfWork(sessions) as uow:
                announcement = uow.session.get(Announcement, ident)
                assert announcement is not None
                chunk = recipients[start : start + CHUNK]
                total += _enqueue(
                    uow.session, announcement, chunk, texts=texts, signer=signer, now=now
                )
                uow.commit()
        with UnitOfWork(sessions) as uow:
            announcement = uow.session.get(Announcement, ident)
            assert announcement is not None
            announcement.status = AnnouncementStatus.SENT
            announcement.recipients = sum(
                campaign_report(uow.session, announcement.campaign_prefix).values()
            )
            uow.session.add(announcement)
            uow.commit()
    return total


@dataclass
class Report:
    """Where an announcement's messages are, and who has read it."""

    total: int
    sent: int
    waiting: int
    failed: int
    blocked: int
    skipped: int
    acknowledged: int
    not_acknowledged: list[str] = field(default_factory=list)
    not_acknowledged_total: int = 0
    delivered: int = 0  # reported by the app (WhatsApp), not only accepted
    read: int = 0


def announcement_report(session: Session, announcement: Announcement) -> Report:
    counts = campaign_report(session, announcement.campaign_prefix)
    delivered, read = receipt_counts(session, announcement.campaign_prefix)
    acked = acknowledged_by(session, announcement.id) if announcement.id else set()
    missing = _not_acknowledged(session, announcement, acked) if announcement.ack else []
    return Report(
        total=sum(counts.values()),
        sent=counts[OutboxStatus.SENT],
        waiting=counts[OutboxStatus.PENDING]
        + counts[OutboxStatus.SENDING]
        + counts[OutboxStatus.HELD],
        failed=counts[OutboxStatus.FAILED] + counts[OutboxStatus.UNCERTAIN],
        blocked=counts[OutboxStatus.UNREACHABLE],
        skipped=counts[OutboxStatus.SKIPPED],
        acknowledged=len(acked),
        not_acknowledged=missing[:NAMES_SHOWN],
        not_acknowledged_total=len(missing),
        delivered=delivered,
        read=read,
    )


def _not_acknowledged(session: Session, announcement: Announcement, acked: set[int]) -> list[str]:
    """Names of the people who got the announcement in private and have not read it."""
    rows = session.exec(
        select(OutboxMessage.channel, OutboxMessage.recipient).where(
            OutboxMessage.campaign == announcement.campaign,
            OutboxMessage.status == OutboxStatus.SENT,
        )
    ).all()
    names: list[str] = []
    for chunk in _chunks([r for r in rows], 500):
        people = session.exec(
            select(Person, Liaison)
            .join(Liaison, col(Liaison.person_id) == Person.id, isouter=True)
            .where(col(Person.external_id).in_([recipient for _, recipient in chunk]))
        ).all()
        channels = {(channel, recipient) for channel, recipient in chunk}
        for person, liaison in people:
            if (person.channel, person.external_id) in channels and person.id not in acked:
                names.append(liaison.name if liaison else person.display_name)
    return sorted(names)


def _chunks(items: Sequence[tuple[str, str]], size: int) -> list[Sequence[tuple[str, str]]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
