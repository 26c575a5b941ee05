"""The help desk's one entrance: an event in, replies out, one unit of work each."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from handlers import ask, refusals
from handlers.context import Context
from handlers.desk.reach import answer_not_delivered, chat_unreachable
from handlers.home import fallback
from handlers.home.membership import chat_moved, membership_changed
from handlers.port import Command, Event, Out, Outcome, Reply
from handlers.routes import ACTIONS, COMMANDS, MENU_COMMANDS
from handlers.services import Services
from handlers.signing import Signer
from handlers.texts import Texts
from models import (
    ChatKind,
    Clock,
    InteractionKind,
    Language,
    UnitOfWork,
    signing_key,
)
from models.chats import find_chat, find_sender_and_chat, refresh_chat
from models.interactions import mask_chat_key, record_interaction
from models.people import find_person, refresh_person
from models.refusals import Refusal
from models.updates_seen import first_time, forget_seen_updates

log = logging.getLogger(__name__)

FORGET_EVERY = 500  # every so many updates, ids older than two days are forgotten

# Called with the unit of work's session and the replies just before it commits: what the
# caller writes there (the replies in the outbox, the update marked handled) commits with
# the event's effects, or not at all.
Keep = Callable[[Session, list[Out]], None]


def parse_command(text: str) -> tuple[str, str] | None:
    """``/start@kpu_bot abc`` → ("start", "abc"); None when the text is not a command."""
    if not text.startswith("/") or len(text) < 2:
        return None
    parts = text[1:].split(maxsplit=1)  # the argument may start on the next line
    if not parts:
        return None
    head, arg = parts[0], parts[1] if len(parts) > 1 else ""
    name = head.split("@", 1)[0].lower()
    if not name.replace("_", "").isalnum():
        return None
    return name, arg.strip()


class HelpDesk:
    def __init__(
        self,
        session_factory: Callable[[], Session],
        clock: Clock,
        texts: Texts,
        services: Services | None = None,
    ) -> None:
        self._sessions = session_factory
        self._clock = clock
        self._texts = texts
        self.services = services or Services()
        with UnitOfWork(session_factory) as uow:
            key = signing_key(uow.session)
            uow.commit()
        self._signer = Signer(key)
        self._unique_updates: set[str] = set()

    def skip_repeated_updates(self, channel: str) -> None:
        """The ``channel``'s update ids are unique and it may deliver one again (Telegram
        does, after a webhook timeout): a repeated (channel, update id) is skipped."""
        self._unique_updates.add(channel)

    @property
    def signer(self) -> Signer:
        return self._signer

    @property
    def texts(self) -> Texts:
        return self._texts

    @property
    def sessions(self) -> Callable[[], Session]:
        return self._sessions

    @property
    def clock(self) -> Clock:
        return self._clock

    def handle(self, event: Event, keep: Keep | None = None) -> list[Out]:
        """Answers one event. Rule refusals become polite replies; anything unexpected
        propagates, with nothing written, for the transport to log and apologise for.
        ``keep`` writes the replies down in the same unit of work (see :data:`Keep`)."""
        with UnitOfWork(self._sessions) as uow:
            now = self._clock.now()
            session = uow.session
            if self._is_repeat(session, event, now):
                log.info(
                    "update %s of %s was handled before; skipped", event.update_id, event.channel
                )
                if keep is not None:
                    keep(session, [])
                    uow.commit()
                return []
            found_person, found_chat = find_sender_and_chat(
                session, event.channel, event.sender.id, event.chat.id
            )
            person = refresh_person(
                session,
                found_person,
                channel=event.channel,
                external_id=event.sender.id,
                display_name=event.sender.name,
                username=event.sender.username,
                language_hint=Language.from_hint(event.sender.language),
                now=now,
                in_private=event.chat.kind is ChatKind.PRIVATE,
            )
            chat = refresh_chat(
                session,
                found_chat,
                channel=event.channel,
                external_id=event.chat.id,
                kind=event.chat.kind,
                title=event.chat.title or event.sender.name,
                forum=event.chat.forum,
                now=now,
            )
            ctx = Context(
                uow=uow,
                clock=self._clock,
                texts=self._texts,
                signer=self._signer,
                event=event,
                person=person,
                chat=chat,
                services=self.services,
            )
            kind, content = self._describe(event)
            try:
                with session.begin_nested():
                    outcome = self._dispatch(ctx)
            except Refusal as refusal:
                outcome = refusals.answer(ctx, refusal)
            record_interaction(
                session,
                at=now,
                channel=event.channel,
                kind=kind,
                content=content,
                outcome=outcome.note,
                chat_id=chat.id,
                person_id=person.id,
            )
            if keep is not None:
                keep(session, outcome.outs)
            uow.commit()
            return outcome.outs

    def _is_repeat(self, session: Session, event: Event, now: datetime) -> bool:
        """Whether this update was handled before (kept with the unit of work, so an update
        whose handling failed is handled when it comes again)."""
        if event.update_id is None or event.channel not in self._unique_updates:
            return False
        if event.update_id.isdigit() and int(event.update_id) % FORGET_EVERY == 0:
            forget_seen_updates(session, now)
        return not first_time(session, event.channel, event.update_id, now)

    def _dispatch(self, ctx: Context) -> Outcome:
        event = ctx.event
        if event.membership is not None:
            return membership_changed(ctx, event.membership)
        if event.moved_to is not None:
            return chat_moved(ctx, event.moved_to)
        if event.edited:
            return ask.edited(ctx, (event.text or "").strip())
        if event.button is not None:
            action = self._signer.verify(event.chat.id, event.button)
            if action is None:
                log.warning(
                    "refused a button payload that is not ours: chat=%s sender=%s payload=%r",
                    mask_chat_key(event.chat.id),
                    mask_chat_key(event.sender.id),
                    event.button[:64],
                )
                return fallback.expired_button(ctx)
            name, _, arg = action.partition(":")
            handler = ACTIONS.get(name)
            if handler is None:
                return fallback.expired_button(ctx)
            return handler(ctx, arg)
        text = (event.text or "").strip()
        command = parse_command(text)
        if command is not None:
            name, arg = command
            handler = COMMANDS.get(name)
            if handler is None:
                return fallback.unknown_command(ctx, name)
            return handler(ctx, arg)
        return ask.message(ctx, text)  # the desk's claims first, then the FAQ

    @staticmethod
    def _describe(event: Event) -> tuple[InteractionKind, str]:
        if event.membership is not None:
            return InteractionKind.MEMBERSHIP, event.membership.value
        if event.button is not None:
            return InteractionKind.BUTTON, event.button
        text = event.text or ""
        if parse_command(text.strip()):
            return InteractionKind.COMMAND, text
        if event.attachments:
            kinds = ",".join(a.kind for a in event.attachments)
            return InteractionKind.ATTACHMENT, f"[{kinds}] {text}".strip()
        return (InteractionKind.TEXT, text) if text else (InteractionKind.OTHER, "")

    def apology(self, event: Event) -> list[Out]:
        """What a person is told when handling their event failed unexpectedly."""
        lang = self._language_of(event)
        return [Reply(chat=event.chat, text=self._texts.render(lang, "apology"))]

    def _language_of(self, event: Event) -> Language:
        try:
            with UnitOfWork(self._sessions) as uow:
                person = find_person(uow.session, event.channel, event.sender.id)
                if person is not None:
                    return person.speaks
        except Exception:  # the database may be what failed; the hint will do
            log.debug("could not load the person's language", exc_info=True)
        return Language.from_hint(event.sender.language)

    def commands(self, lang: Language) -> list[Command]:
        """The slash commands to offer in the app's command menu for ``lang``."""
        return [Command(name, self._texts.label(lang, f"command_{name}")) for name in MENU_COMMANDS]

    def not_delivered(self, campaign: str, reason: str | None = None) -> None:
        """A message waits for its recipient to write again (WhatsApp's 24-hour window), or
        its app reported it failed (``reason``): for a ticket's, the officers are told
        (``handlers.desk.reach.answer_not_delivered``)."""
        with UnitOfWork(self._sessions) as uow:
            now = self._clock.now()
            args = (uow.session, self._texts, self._signer, campaign, now)
            if answer_not_delivered(*args, reason=reason):
                uow.commit()

    def chat_unreachable(self, channel: str, chat_id: str, reason: str) -> None:
        """The app refused to deliver to a chat (blocked, kicked, deleted): stop writing there
        until the chat speaks to us again. The chat's row is locked as it is read: a group
        upgraded to a supergroup while this refusal was on its way has moved to its new id,
        and the refusal of the old id no longer finds it."""
        with UnitOfWork(self._sessions) as uow:
            chat = find_chat(uow.session, channel, chat_id, for_update=True)
            if chat is None:
                return
            now = self._clock.now()
            chat.updated_at = now
            private = chat.kind is ChatKind.PRIVATE
            person = find_person(uow.session, channel, chat_id) if private else None
            chat_unreachable(uow.session, self._texts, self._signer, chat, person, reason, now)
            uow.commit()
