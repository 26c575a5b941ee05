"""A group upgraded to a supergroup: Telegram gives it a new id (``migrate_to_chat_id``)
and refuses the old one. Everything that pointed at the old chat follows it, once:
the chat's row (or, when the new chat is known already, the links to it: an office's
staff chat, a broadcast group), and what is still waiting for it in the outbox (messages
and topics). What was sent before stays on record under the chat it went to."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col

from models.audit import audit_append
from models.broadcast import BroadcastGroup
from models.chats import find_chat
from models.offices import Office
from models.outbox import OutboxMessage, OutboxStatus, Topic


def move_chat(session: Session, channel: str, old_id: str, new_id: str, now: datetime) -> bool:
    """Moves chat ``old_id`` to ``new_id``; False when there was nothing to move."""
    old = find_chat(session, channel, old_id)
    if old is None or old_id == new_id:
        return False
    new = find_chat(session, channel, new_id)
    if new is None:
        old.external_id = new_id
        # The bot moved with the group: a refusal the old id met on the way (Telegram's
        # "group chat was upgraded") said nothing about the new chat.
        old.reachable, old.unreachable_reason = True, None
        old.updated_at = now
        session.add(old)
        target = old
    else:
        session.execute(
            sa.update(Office)
            .where(col(Office.staff_chat_id) == old.id)
            .values(staff_chat_id=new.id)
        )
        session.execute(
            sa.update(BroadcastGroup)
            .where(col(BroadcastGroup.chat_id) == old.id)
            .values(chat_id=new.id)
        )
        old.member, old.reachable = False, False
        old.unreachable_reason = f"moved to {new_id}"
        old.updated_at = now
        new.title = new.title or old.title
        session.add_all([old, new])
        target = new
    session.execute(
        sa.update(OutboxMessage)
        .where(
            col(OutboxMessage.channel) == channel,
            col(OutboxMessage.chat_id) == old_id,
            col(OutboxMessage.status) == OutboxStatus.PENDING,
        )
        .values(chat_id=new_id)
    )
    session.execute(
        sa.update(Topic)
        .where(col(Topic.channel) == channel, col(Topic.chat_id) == old_id)
        .values(chat_id=new_id)
    )
    session.flush()
    audit_append(
        session,
        at=now,
        actor="system",
        action="chat.moved",
        data={"from": old_id, "to": new_id, "chat": target.id},
    )
    return True
