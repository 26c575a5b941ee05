"""A test's conversation with the help desk core: events in, replies out, no app.

One person in one chat (private, or a group, with or without forum topics) writes and
presses buttons the way a transport would report it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from handlers.helpdesk import HelpDesk
from handlers.port import (
    Attachment,
    Button,
    ChatRef,
    Event,
    Membership,
    Out,
    Reply,
    Sender,
    Toast,
)
from models import ChatKind

_ids = itertools.count(1000)


@dataclass
class Chat:
    """One person in one chat, talking to the core the way a transport would."""

    helpdesk: HelpDesk
    chat_id: str = "5001"
    person_id: str = "5001"
    name: str = "Siti Rahma"
    language: str | None = "id"
    kind: ChatKind = ChatKind.PRIVATE
    channel: str = "test"
    forum: bool = False
    thread: str | None = None
    title: str = ""
    last: list[Out] = field(default_factory=list)

    @property
    def ref(self) -> ChatRef:
        return self.ref_in(self.thread)

    def ref_in(self, thread: str | None) -> ChatRef:
        """The chat as seen from ``thread`` (a forum topic), or from the chat's own."""
        return ChatRef(
            id=self.chat_id,
            kind=self.kind,
            thread=thread if thread is not None else self.thread,
            title=self.title,
            forum=self.forum,
        )

    @property
    def sender(self) -> Sender:
        return Sender(id=self.person_id, name=self.name, language=self.language)

    def send(
        self,
        text: str | None = None,
        attachments: tuple[Attachment, ...] = (),
        *,
        reply_to: str | None = None,
        reply_to_sender: Sender | None = None,
        thread: str | None = None,
    ) -> list[Out]:
        event = Event(
            channel=self.channel,
            chat=self.ref_in(thread),
            sender=self.sender,
            text=text,
            attachments=attachments,
            ref=str(next(_ids)),
            reply_to=reply_to,
            reply_to_sender=reply_to_sender,
        )
        self.last = self.helpdesk.handle(event)
        return self.last

    def press_payload(
        self, payload: str, message: str = "77", thread: str | None = None
    ) -> list[Out]:
        event = Event(
            channel=self.channel,
            chat=self.ref_in(thread),
            sender=self.sender,
            button=payload,
            ref=message,
        )
        self.last = self.helpdesk.handle(event)
        return self.last

    def press(self, label_part: str) -> list[Out]:
        """Presses the button whose label contains ``label_part`` in the last reply."""
        button = self.button(label_part)
        assert button.payload is not None
        return self.press_payload(button.payload)

    def membership(self, change: Membership) -> list[Out]:
        event = Event(channel=self.channel, chat=self.ref, sender=self.sender, membership=change)
        self.last = self.helpdesk.handle(event)
        return self.last

    def replies(self) -> list[Reply]:
        return [o for o in self.last if isinstance(o, Reply)]

    def toasts(self) -> list[Toast]:
        return [o for o in self.last if isinstance(o, Toast)]

    def toast_text(self) -> str:
        """The notices of the last button press, as one line."""
        return " ".join(t.text for t in self.toasts())

    def text(self) -> str:
        return "\n".join(r.text for r in self.replies())

    def buttons(self) -> list[Button]:
        return [b for r in self.replies() for row in r.buttons for b in row]

    def button(self, label_part: str) -> Button:
        matches = [b for b in self.buttons() if label_part.lower() in b.label.lower()]
        assert matches, f"no button with {label_part!r} in {[b.label for b in self.buttons()]}"
        return matches[0]
