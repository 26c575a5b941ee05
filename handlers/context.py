"""What a handler is given for one event: the unit of work, the clock, the texts, and
who and where the event came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers.port import Button, Event, Reply, Toast
from handlers.services import Services
from handlers.signing import Signer
from handlers.texts import Texts
from models import Chat, Clock, Language, Person, UnitOfWork


@dataclass
class Context:
    uow: UnitOfWork
    clock: Clock
    texts: Texts
    signer: Signer
    event: Event
    person: Person
    chat: Chat
    services: Services

    @property
    def lang(self) -> Language:
        return self.person.speaks

    def render(self, template: str, /, **context: Any) -> str:
        return self.texts.render(self.lang, template, **context)

    def label(self, name: str, /, **kwargs: Any) -> str:
        return self.texts.label(self.lang, name, **kwargs)

    def button(self, label: str, action: str) -> Button:
        """A button whose payload is signed for this chat; ``label`` is a label name."""
        return Button(label=self.label(label), payload=self.signer.sign(self.event.chat.id, action))

    def say(
        self,
        template: str,
        buttons: tuple[tuple[Button, ...], ...] = (),
        *,
        edit: bool = False,
        **context: Any,
    ) -> Reply:
        """A reply in this chat (and topic); ``edit`` replaces the message whose button
        was pressed instead of sending a new one."""
        return Reply(
            chat=self.event.chat,
            text=self.render(template, **context),
            buttons=buttons,
            edit=self.event.ref if edit and self.event.button is not None else None,
        )

    def toast(self, label: str, **kwargs: Any) -> Toast:
        return Toast(self.label(label, **kwargs))
