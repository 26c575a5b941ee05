"""What a help desk *is*: tables, enums, the rules on them, the unit of work.

This package imports nothing else of the project's, and nothing of any messaging app.
"""

from models.accounts import LinkCode, PersonLink
from models.app_state import signing_key
from models.audit import AuditEntry, AuditHead, audit_append, audit_verify
from models.broadcast import Acknowledgement, Announcement, AnnouncementStatus, BroadcastGroup
from models.chats import Chat, ChatKind
from models.clock import Clock, ManualClock, SystemClock
from models.consultations import (
    Consultation,
    ConsultationCounter,
    GuestBookEntry,
    SelfServiceCount,
)
from models.gaps import GapCount, GapReason, KbGap, record_gap, top_gaps
from models.inbox import InboxStatus, InboxUpdate
from models.interactions import Interaction, InteractionKind, mask_personal_numbers
from models.invites import Invite, create_invite, deep_link, redeem_invite
from models.kb_drafts import DraftStatus, KbDraft
from models.offices import Office, OfficeLevel, office_zone, subtree_codes, sync_offices
from models.outbox import Lane, OutboxMessage, OutboxStatus, Topic, TopicState
from models.outbox_files import OutboxFile
from models.people import Language, Person
from models.receipts import ContactWindow, TierUse
from models.refusals import Refusal
from models.register_drafts import RegisterDraft
from models.staff import Liaison, LiaisonVia, Officer, Role, Tier, find_liaison, find_officer
from models.stages import ReminderBatch, ReminderMute, Stage, stages_for_faq
from models.tickets import (
    Ticket,
    TicketCounter,
    TicketEscalation,
    TicketMessage,
    TicketSlaMark,
    TicketStatus,
)
from models.uow import UnitOfWork
from models.updates_seen import SeenUpdate

__all__ = [
    "Acknowledgement",
    "Announcement",
    "AnnouncementStatus",
    "AuditEntry",
    "AuditHead",
    "BroadcastGroup",
    "Chat",
    "ChatKind",
    "Clock",
    "Consultation",
    "ConsultationCounter",
    "ContactWindow",
    "DraftStatus",
    "GapCount",
    "GapReason",
    "GuestBookEntry",
    "InboxStatus",
    "InboxUpdate",
    "Interaction",
    "InteractionKind",
    "Invite",
    "KbDraft",
    "KbGap",
    "Lane",
    "Language",
    "Liaison",
    "LiaisonVia",
    "LinkCode",
    "ManualClock",
    "Office",
    "OfficeLevel",
    "Officer",
    "OutboxFile",
    "OutboxMessage",
    "OutboxStatus",
    "Person",
    "PersonLink",
    "Refusal",
    "RegisterDraft",
    "ReminderBatch",
    "ReminderMute",
    "Role",
    "SeenUpdate",
    "SelfServiceCount",
    "Stage",
    "SystemClock",
    "Ticket",
    "TicketCounter",
    "TicketEscalation",
    "TicketMessage",
    "TicketSlaMark",
    "TicketStatus",
    "Tier",
    "TierUse",
    "Topic",
    "TopicState",
    "UnitOfWork",
    "audit_append",
    "audit_verify",
    "create_invite",
    "deep_link",
    "find_liaison",
    "find_officer",
    "mask_personal_numbers",
    "office_zone",
    "record_gap",
    "redeem_invite",
    "signing_key",
    "stages_for_faq",
    "subtree_codes",
    "sync_offices",
    "top_gaps",
]
