"""The outbox worker's reads and writes: each one short transaction of its own.

Privacy at rest: once a message is done with (sent, failed, unreachable, skipped,
uncertain), what it said is kept masked like every other record: identity numbers (NIK)
and phone numbers in its text, caption and buttons (``mask_personal_numbers``). Only a
message still waiting keeps them, because it has yet to say them.

A lost staff chat (``handlers.desk.lost``) holds what is meant for it: its messages and
topics are not due until the chat is back, and a refusal there puts the message back in
line instead of giving it up (:meth:`OutboxStore.is_staff_chat`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select, update

from bot.delivery import statements
from bot.storage import writing
from models.chats import Chat
from models.interactions import mask_personal_numbers
from models.offices import Office
from models.outbox import OutboxMessage, OutboxStatus, Topic, TopicState
from models.outbox_files import load_upload

log = logging.getLogger(__name__)


class OutboxStore:
    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions

    def upload(self, attachment_file_id: str) -> tuple[str, bytes, str] | None:
        """The name, bytes and type of a file the help desk made, for an upload."""
        with self._sessions() as session:
            found = load_upload(session, attachment_file_id)
            return (found.name, found.content, found.mime) if found is not None else None

    def recover(self) -> int:
        """After a crash: messages that were being handed over may have arrived. They are
        marked uncertain and not sent again (never twice); the count is logged. Topics
        that were being created are settled too (see :meth:`recover_topics`)."""
        self.recover_topics()
        with self._sessions() as session:
            mask_done(session, col(OutboxMessage.status) == OutboxStatus.SENDING)
            result = session.exec(
                update(OutboxMessage)
                .where(col(OutboxMessage.status) == OutboxStatus.SENDING)
                .values(
                    status=OutboxStatus.UNCERTAIN,
                    error="the process stopped while this was being sent",
                )
            )
            session.commit()
            count = int(result.rowcount or 0)
        if count:
            log.warning(
                "%d outbox message(s) were being sent when the process stopped; they are "
                "marked uncertain and not sent again",
                count,
            )
        return count

    def recover_topics(self) -> int:
        """Topics whose creation was asked of the app when the process stopped. Telegram
        cannot create a topic idempotently, nor list a chat's topics, so a topic made
        then, whose id never came back, cannot be found, closed or renamed: the ticket
        gets a new topic, and the possible empty one is counted on the row (``orphans``)
        and logged, for an officer to delete by hand."""
        with writing(), self._sessions() as session:
            rows = session.exec(
                select(Topic).where(
                    col(Topic.creating_since).is_not(None), col(Topic.thread).is_(None)
                )
            ).all()
            for topic in rows:
                log.warning(
                    "topic %s (%r) in chat %s was being created when the process stopped; "
                    "a new one is made, and an empty one may be left in the chat",
                    topic.key,
                    topic.name,
                    topic.chat_id,
                )
                topic.creating_since = None
                topic.orphans += 1
                session.add(topic)
            session.commit()
            return len(rows)

    def topic_creating(self, topic_id: int, now: datetime) -> None:
        """Written (and committed) just before the app is asked to create the topic."""
        with writing(), self._sessions() as session:
            topic = session.get(Topic, topic_id)
            if topic is None:
                return
            topic.creating_since = now
            session.add(topic)
            session.commit()

    def skip_expired(self, now: datetime) -> int:
        """Messages past their expiry, skipped unsent: looked for every second, so one
        statement, which returns what they said for the masking (``mask_done``)."""
        with writing(), self._sessions() as session:
            connection = session.connection()
            said = connection.execute(statements.skip_expired(), {"now": now}).all()
            for row_id, text, buttons in said:
                _mask_row(connection, row_id, text, buttons)
            session.commit()
        if said:
            log.info("%d outbox message(s) expired unsent", len(said))
        return len(said)

    def due(self, now: datetime, limit: int, exclude: Sequence[int]) -> list[OutboxMessage]:
        """Pending messages whose time has come, relays first, oldest first."""
        with self._sessions() as session:
            return _due(session, now, limit, exclude)

    def look(
        self, now: datetime, limit: int, exclude: Sequence[int]
    ) -> tuple[list[Topic], dict[str, Topic], list[OutboxMessage]]:
        """The worker's look, in one session: :meth:`topics_in_view`, then :meth:`due`."""
        with self._sessions() as session:
            unsettled, waiting = _topics_in_view(session)
            return unsettled, waiting, _due(session, now, limit, exclude)

    def has_due(self, now: datetime) -> bool:
        with self._sessions() as session:
            found = session.exec(
                select(OutboxMessage.id)
                .where(
                    col(OutboxMessage.status) == OutboxStatus.PENDING,
                    col(OutboxMessage.not_before) <= now,
                    col(OutboxMessage.chat_id).not_in(statements.lost_staff_chats()),
                )
                .limit(1)
            ).first()
            return found is not None

    def topics_in_view(self) -> tuple[list[Topic], dict[str, Topic]]:
        """In one read: the topics the app does not have yet, or whose open/closed state
        differs (not those of a lost staff chat); and the topics messages wait for, by
        key."""
        with self._sessions() as session:
            return _topics_in_view(session)

    def topics(self, keys: set[str]) -> dict[str, Topic]:
        if not keys:
            return {}
        with self._sessions() as session:
            rows = session.exec(select(Topic).where(col(Topic.key).in_(keys))).all()
            return {t.key: t for t in rows}

    def mark_sending(self, ids: Sequence[int], now: datetime) -> bool:
        """Claims messages just before they are handed over, in a commit of its own."""
        with writing(), self._sessions() as session:
            result = session.exec(
                update(OutboxMessage)
                .where(
                    col(OutboxMessage.id).in_(list(ids)),
                    col(OutboxMessage.status) == OutboxStatus.PENDING,
                )
                .values(
                    status=OutboxStatus.SENDING,
                    sending_at=now,
                    attempts=OutboxMessage.attempts + 1,
                )
            )
            if int(result.rowcount or 0) != len(ids):
                # Some changed meanwhile (cancelled, expired): claim none, send none.
                session.rollback()
                return False
            session.commit()
            return True

    def claim(self, jobs: Sequence[Sequence[int]], now: datetime) -> list[bool]:
        """Claims several sends' messages just before they are handed over, in one commit:
        a send is claimed only when all its messages are still pending (some changed
        meanwhile, cancelled or expired: none of it is claimed or sent).

        One statement marks and tells which it marked (``RETURNING``); only when a send
        was claimed in part is that undone, and the claim made again in two steps."""
        wanted = [i for ids in jobs for i in ids]
        with writing(), self._sessions() as session:
            connection = session.connection()
            marked = set(
                connection.execute(statements.claim(), {"ids": wanted, "now": now}).scalars()
            )
            claimed = [all(i in marked for i in ids) for ids in jobs]
            if all(claimed) or not marked:
                session.commit()
                return claimed
            session.rollback()
        return self._claim_in_two_steps(jobs, now)

    def _claim_in_two_steps(self, jobs: Sequence[Sequence[int]], now: datetime) -> list[bool]:
        wanted = [i for ids in jobs for i in ids]
        with writing(), self._sessions() as session:
            pending = set(
                session.exec(
                    select(OutboxMessage.id)
                    .where(
                        col(OutboxMessage.id).in_(wanted),
                        col(OutboxMessage.status) == OutboxStatus.PENDING,
                    )
                    .with_for_update()  # PostgreSQL: no other process changes them now
                ).all()
            )
            claimed = [all(i in pending for i in ids) for ids in jobs]
            ids = [i for ids, ok in zip(jobs, claimed, strict=True) if ok for i in ids]
            if ids:
                session.connection().execute(statements.claim(), {"ids": ids, "now": now})
            session.commit()
        return claimed

    def record_sent(
        self, sent: Sequence[tuple[Sequence[int], str | None]], now: datetime
    ) -> list[None]:
        """Several sends' messages recorded ``sent`` with the app's message id, in one
        commit. Each statement returns what the messages said, so that the personal
        numbers in them are masked (``mask_done``) without reading them again."""
        with writing(), self._sessions() as session:
            connection = session.connection()
            for ids, message_id in sent:
                said = connection.execute(
                    statements.sent(), {"ids": list(ids), "now": now, "message_id": message_id}
                ).all()
                for row_id, text, buttons in said:
                    _mask_row(connection, row_id, text, buttons)
            session.commit()
        return [None] * len(sent)

    def finish(
        self,
        ids: Sequence[int],
        status: OutboxStatus,
        now: datetime,
        *,
        message_id: str | None = None,
        error: str | None = None,
    ) -> None:
        values: dict[str, object] = {"status": status, "error": (error or None) and error[:255]}
        if status is OutboxStatus.SENT:
            values.update(sent_at=now, message_id=message_id)
        with writing(), self._sessions() as session:
            if status.final:
                mask_done(session, col(OutboxMessage.id).in_(list(ids)))
            session.exec(
                update(OutboxMessage).where(col(OutboxMessage.id).in_(list(ids))).values(**values)
            )
            session.commit()

    def give_back_attempt(self, ids: Sequence[int]) -> None:
        """A 429 or a network failure is not the message's fault: it keeps its attempts."""
        with writing(), self._sessions() as session:
            session.exec(
                update(OutboxMessage)
                .where(col(OutboxMessage.id).in_(list(ids)), col(OutboxMessage.attempts) > 0)
                .values(attempts=OutboxMessage.attempts - 1)
            )
            session.commit()

    def chat_gone(self, channel: str, chat_id: str, reason: str) -> int:
        """Everything still pending for a chat that blocked the bot stops too."""
        pending_there = sa.and_(
            col(OutboxMessage.channel) == channel,
            col(OutboxMessage.chat_id) == chat_id,
            col(OutboxMessage.status) == OutboxStatus.PENDING,
        )
        with writing(), self._sessions() as session:
            mask_done(session, pending_there)
            result = session.exec(
                update(OutboxMessage)
                .where(pending_there)
                .values(status=OutboxStatus.UNREACHABLE, error=reason[:255])
            )
            session.commit()
            return int(result.rowcount or 0)

    def topic_made(self, topic_id: int, thread: str, now: datetime) -> None:
        with writing(), self._sessions() as session:
            topic = session.get(Topic, topic_id)
            if topic is None:
                return
            topic.thread = thread
            topic.actual = TopicState.OPEN
            topic.creating_since = None
            topic.error = None
            topic.updated_at = now
            session.add(topic)
            session.commit()

    def topic_state(self, topic_id: int, actual: TopicState | None, now: datetime) -> None:
        with writing(), self._sessions() as session:
            topic = session.get(Topic, topic_id)
            if topic is None:
                return
            topic.actual = actual
            topic.updated_at = now
            session.add(topic)
            session.commit()

    def topic_gone(self, topic_id: int, now: datetime) -> None:
        """The topic was deleted by hand: it is made again, and its messages go there."""
        with writing(), self._sessions() as session:
            topic = session.get(Topic, topic_id)
            if topic is None:
                return
            log.warning("topic %s (%s) was deleted; making it again", topic.key, topic.thread)
            topic.thread = None
            topic.actual = None
            topic.recreated += 1
            topic.updated_at = now
            session.add(topic)
            session.commit()

    def topic_error(
        self, topic_id: int, error: str, now: datetime, *, maybe_made: bool = False
    ) -> None:
        """The app did not settle the topic. ``maybe_made``: a creation went unanswered
        (a timeout), so a topic may exist that we cannot find; it is counted."""
        with writing(), self._sessions() as session:
            topic = session.get(Topic, topic_id)
            if topic is None:
                return
            topic.error = error[:255]
            if topic.creating_since is not None and maybe_made:
                topic.orphans += 1
            topic.creating_since = None
            topic.updated_at = now
            session.add(topic)
            session.commit()

    def is_staff_chat(self, channel: str, chat_id: str) -> bool:
        """Whether the chat is an office's staff chat (held when lost, never given up)."""
        with self._sessions() as session:
            found = session.exec(
                select(Office.code)
                .join(Chat, col(Chat.id) == col(Office.staff_chat_id))
                .where(Chat.channel == channel, Chat.external_id == chat_id)
            ).first()
            return found is not None


def _due(
    session: Session, now: datetime, limit: int, exclude: Sequence[int]
) -> list[OutboxMessage]:
    found = session.exec(
        statements.due(), params={"now": now, "limit": limit, "exclude": list(exclude)}
    )
    return list(found.all())


def _topics_in_view(session: Session) -> tuple[list[Topic], dict[str, Topic]]:
    unsettled: list[Topic] = []
    waiting: dict[str, Topic] = {}
    for topic, to_settle, waited_for in session.execute(statements.topics_in_view()).all():
        if to_settle:
            unsettled.append(topic)
        if waited_for:
            waiting[topic.key] = topic
    return unsettled, waiting


def mask_done(session: Session, where: sa.ColumnElement[bool]) -> int:
    """Masks personal numbers in the text and buttons of the outbox rows ``where`` picks
    (rows about to be final); how many changed. The caller commits."""
    rows = session.exec(
        select(OutboxMessage.id, OutboxMessage.text, OutboxMessage.buttons).where(where)
    ).all()
    connection = session.connection()
    return sum(
        _mask_row(connection, row_id, text, buttons)
        for row_id, text, buttons in rows
        if row_id is not None
    )


def _mask_row(connection: sa.Connection, row_id: int, text: str, buttons: str) -> bool:
    """Writes one row's text and buttons masked, when masking changes them."""
    masked, masked_buttons = mask_personal_numbers(text), mask_personal_numbers(buttons)
    if (masked, masked_buttons) == (text, buttons):
        return False
    connection.execute(
        statements.masked(), {"row_id": row_id, "text": masked, "buttons": masked_buttons}
    )
    return True
