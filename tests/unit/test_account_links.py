"""Undoing a link between a liaison's accounts, on a real database: from a linked account
it leaves the registration; from the registration's own account every linked account
goes. Each link and unlink is audited by ids, and the texts name the apps, not numbers."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

from sqlmodel import Session, select

from handlers.texts import Texts
from models import Language
from models.accounts import PersonLink, linked_with, new_link_code, redeem_link_code, unlink
from models.audit import AuditEntry, audit_verify
from models.people import Person

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


def _person(session: Session, channel: str, ident: str, name: str) -> Person:
    person = Person(
        channel=channel, external_id=ident, display_name=name, created_at=NOW, last_seen_at=NOW
    )
    session.add(person)
    session.flush()
    return person


def _link(session: Session, primary: Person, other: Person) -> None:
    code = new_link_code(session, primary.id or 0, NOW)
    assert redeem_link_code(session, code, other, NOW) is not None


def test_the_registration_lets_every_linked_account_go_and_a_linked_one_leaves_alone(
    sessions: Callable[[], Session],
) -> None:
    with sessions() as session:
        primary = _person(session, "telegram", "5001", "Budi")
        phone = _person(session, "whatsapp", "6281234567890", "Budi WA")
        other = _person(session, "whatsapp", "6289999999999", "Budi WA 2")
        _link(session, primary, phone)
        _link(session, primary, other)
        assert {p.id for p in linked_with(session, phone.id or 0)} == {primary.id, other.id}

        left = unlink(session, phone.id or 0, NOW)
        assert {p.id for p in left} == {primary.id, other.id}, "it no longer reaches either"
        assert linked_with(session, phone.id or 0) == []
        assert [p.id for p in linked_with(session, primary.id or 0)] == [other.id]

        _link(session, primary, phone)
        gone = unlink(session, primary.id or 0, NOW)
        assert {p.id for p in gone} == {phone.id, other.id}
        assert session.exec(select(PersonLink)).all() == []
        assert unlink(session, primary.id or 0, NOW) == [], "nothing left to undo"

        entries = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()  # type: ignore[arg-type]
        assert [e.action for e in entries] == [
            "account.linked",
            "account.linked",
            "account.unlinked",
            "account.linked",
            "account.unlinked",
        ]
        assert json.loads(entries[-1].data) == {
            "registration": primary.id,
            "accounts": sorted([phone.id or 0, other.id or 0]),
        }
        assert all("628" not in e.data for e in entries), "ids only, never a number"
        assert audit_verify(session) == []


def test_the_unlink_texts_name_the_apps_in_both_languages() -> None:
    texts = Texts()
    linked = [Person(channel="whatsapp", external_id="6281234567890", display_name="Siti")]
    for lang, words in ((Language.ID, "Putuskan tautan"), (Language.EN, "Unlink accounts")):
        asked = texts.render(lang, "account/unlink_confirm", linked=linked)
        assert words in asked and "• WhatsApp (Siti)" in asked
        assert "6281234567890" not in asked
        done = texts.render(lang, "account/unlinked", linked=linked)
        assert "• WhatsApp (Siti)" in done
