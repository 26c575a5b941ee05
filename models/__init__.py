"""What a help desk *is*: tables, enums, the rules on them, the unit of work.

This package imports nothing else of the project's, and nothing of any messaging app.
"""

from models.app_state import signing_key
from models.chats import Chat, ChatKind
from models.clock import Clock, ManualClock, SystemClock
from models.interactions import Interaction, InteractionKind, mask_personal_numbers
from models.outbox import Lane, OutboxMessage, OutboxStatus, Topic, TopicState
from models.people import Language, Person
from models.uow import UnitOfWork

__all__ = [
    "Chat",
    "ChatKind",
    "Clock",
    "Interaction",
    "InteractionKind",
    "Lane",
    "Language",
    "ManualClock",
    "OutboxMessage",
    "OutboxStatus",
    "Person",
    "SystemClock",
    "Topic",
    "TopicState",
    "UnitOfWork",
    "mask_personal_numbers",
    "signing_key",
]
