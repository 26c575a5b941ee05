"""Deadline reminders: the scheduler's tick that puts due reminders in the outbox.

For each stage, each reminder (an offset before the deadline, or the opening notice) and
each zone the offices are in, the reminder is handled once: its recipients (the stage's
audience in that zone, without those who muted reminders) each get one message in their
language, the deadline shown in their office's zone, with the time left and a button to
the related guide. The rules on when (quiet hours, late and skipped reminders) are in
``models.reminder_times``; what was handled is recorded in ``reminder_batch``, and each
(campaign, recipient) exists once in the outbox, so running the tick again, or after a
crash, sends nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from handlers.calendar.text import stage_view
from handlers.signing import Signer
from handlers.texts import Texts
from models import Clock, Language, Office, UnitOfWork
from models.audience import Recipient, audience
from models.outbox import Lane, enqueue
from models.reminder_times import OPEN, Plan, plan, slots
from models.stages import BatchStatus, ReminderBatch, Stage, handled_batches, open_or_coming

log = logging.getLogger(__name__)

CHUNK = 500  # messages enqueued per transaction
LOOK_BACK = timedelta(days=2)  # stages closed this recently still get their skips recorded


def reminder_campaign(stage_id: int, offset: str) -> str:
    return f"rem:{stage_id}:{offset}"


@dataclass(frozen=True)
class DueBatch:
    stage_id: int
    zone: str
    plan: Plan


def due_batches(session: Session, now: datetime) -> list[DueBatch]:
    """Every (stage, zone) with a reminder to send or to skip now."""
    zones = sorted(set(session.exec(select(Office.timezone).distinct())))
    stages = [s for s in open_or_coming(session, now, LOOK_BACK) if s.offsets or s.opening_notice]
    done = handled_batches(session, [s.id for s in stages if s.id is not None])
    found: list[DueBatch] = []
    for stage in stages:
        assert stage.id is not None
        for zone in zones:
            deadline = stage.deadline_in(zone)
            stage_slots = slots(
                start=stage.start_in(zone),
                deadline=deadline,
                offsets=stage.offsets,
                opening=stage.opening_notice,
                zone=ZoneInfo(zone),
            )
            todo = plan(
                stage_slots, deadline=deadline, now=now, done=done.get((stage.id, zone), set())
            )
            if not todo.empty:
                found.append(DueBatch(stage.id, zone, todo))
    return found


def run_due_reminders(
    sessions: Callable[[], Session], clock: Clock, texts: Texts, signer: Signer
) -> int:
    """The tick: handles every due reminder; returns how many messages were enqueued.
    Does nothing (two cheap queries) when nothing is due."""
    now = clock.now()
    with UnitOfWork(sessions) as uow:
        batches = due_batches(uow.session, now)
    return sum(_handle(sessions, batch, now, texts, signer) for batch in batches)


def _handle(
    sessions: Callable[[], Session], batch: DueBatch, now: datetime, texts: Texts, signer: Signer
) -> int:
    """One (stage, zone): enqueues the messages in chunks of their own transactions (a
    broadcast to thousands must not hold the database's write lock for seconds), then
    records the send and the skips. A crash in between repeats the enqueuing at the next
    tick, which adds nothing already there; a concurrent run that recorded first makes
    this one's record a no-op."""
    count = 0
    if batch.plan.send is not None:
        count = _enqueue_all(sessions, batch, now, texts, signer)
    with UnitOfWork(sessions) as uow:
        session = uow.session
        stage = session.get(Stage, batch.stage_id)
        if stage is None:
            return 0
        for offset, reason in batch.plan.skip.items():
            log.info(
                "reminder %s of stage %s for %s skipped: %s", offset, stage.key, batch.zone, reason
            )
            session.add(_record(stage, batch.zone, offset, BatchStatus.SKIPPED, reason, now))
        sent = batch.plan.send
        if sent is not None:
            row = _record(stage, batch.zone, sent.offset, BatchStatus.SENT, "", now)
            row.due_at, row.recipients = sent.release, count
            session.add(row)
            log.info(
                "reminder %s of stage %s for %s: %d messages",
                sent.offset,
                stage.key,
                batch.zone,
                count,
            )
        try:
            uow.commit()
        except sa.exc.IntegrityError:
            log.info("reminders of stage %s for %s already recorded", stage.key, batch.zone)
        return count


def _record(
    stage: Stage, zone: str, offset: str, status: BatchStatus, reason: str, now: datetime
) -> ReminderBatch:
    assert stage.id is not None
    return ReminderBatch(
        stage_id=stage.id,
        offset=offset,
        zone=zone,
        status=status,
        reason=reason,
        due_at=now,
        done_at=now,
    )


def _enqueue_all(
    sessions: Callable[[], Session], batch: DueBatch, now: datetime, texts: Texts, signer: Signer
) -> int:
    assert batch.plan.send is not None
    offset, zone = batch.plan.send.offset, batch.zone
    with UnitOfWork(sessions) as uow:
        stage = uow.session.get(Stage, batch.stage_id)
        if stage is None or stage.id is None:
            return 0
        recipients = audience(
            uow.session,
            office_code=stage.office_code,
            tiers=stage.tier_list,
            regions=stage.region_list,
            parties=stage.party_list,
            zone=zone,
            skip_muted=True,
        )
        uow.session.expunge(stage)
    rendered: dict[Language, str] = {}
    count = 0
    for start in range(0, len(recipients), CHUNK):
        with UnitOfWork(sessions) as uow:
            for recipient in recipients[start : start + CHUNK]:
                lang = recipient.language
                if lang not in rendered:
                    rendered[lang] = render_reminder(texts, lang, stage, zone, offset, now)
                message = enqueue(
                    uow.session,
                    campaign=reminder_campaign(stage.id, offset),
                    recipient=recipient.chat_id,
                    channel=recipient.channel,
                    chat_id=recipient.chat_id,
                    text=rendered[lang],
                    lane=Lane.BULK,
                    now=now,
                    buttons=reminder_buttons(texts, signer, stage, recipient),
                    expires_at=stage.deadline_in(zone),
                )
                count += message is not None
            uow.commit()
    return count


def render_reminder(
    texts: Texts, lang: Language, stage: Stage, zone: str, offset: str, now: datetime
) -> str:
    view = stage_view(texts, lang, stage, zone, now)
    name = "reminders/opening" if offset == OPEN else "reminders/reminder"
    return texts.render(lang, name, stage=view)


def reminder_buttons(
    texts: Texts, signer: Signer, stage: Stage, recipient: Recipient
) -> list[list[dict[str, str | None]]]:
    """A button to the stage's first guide entry, and one to mute reminders in private."""
    lang = recipient.language
    rows: list[list[dict[str, str | None]]] = []
    if stage.faq_list:
        action = f"faq:e:{stage.faq_list[0]}"
        rows.append([_button(texts.label(lang, "rem_faq"), signer.sign(recipient.chat_id, action))])
    schedule = _button(texts.label(lang, "cal_schedule"), signer.sign(recipient.chat_id, "sch:v"))
    if recipient.is_group:
        rows.append([schedule])
    else:
        mute = _button(texts.label(lang, "cal_mute"), signer.sign(recipient.chat_id, "sch:mute"))
        rows.append([schedule, mute])
    return rows


def _button(label: str, payload: str) -> dict[str, str | None]:
    return {"label": label, "payload": payload, "url": None}
