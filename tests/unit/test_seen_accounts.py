"""People and chats refreshed by each update they send, on a real database: what changed is
written, "last seen" is kept to the minute, and an account seen again at once costs no
write. A liaison is looked up once per unit of work, and registering is seen at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import event
from sqlmodel import Session

from models import ChatKind, Language
from models.chats import seen_chat
from models.people import SEEN_EVERY, find_person, seen_person
from models.staff import Tier, find_liaison, register_liaison
from tests.unit.desk_world import seed_offices

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


def _seen(session: Session, now: datetime, name: str = "Budi") -> None:
    seen_person(
        session,
        channel="telegram",
        external_id="5001",
        display_name=name,
        username=None,
        language_hint=Language.ID,
        now=now,
        in_private=True,
    )
    seen_chat(
        session,
        channel="telegram",
        external_id="5001",
        kind=ChatKind.PRIVATE,
        title=name,
        forum=False,
        now=now,
    )


def _writes(session: Session) -> list[str]:
    statements: list[str] = []
    bind = session.get_bind()

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            statements.append(statement)

    event.listen(bind, "before_cursor_execute", record)
    return statements


def test_an_account_seen_again_within_the_minute_is_not_written(
    sessions: Callable[[], Session],
) -> None:
    with sessions() as session:
        _seen(session, NOW)
        session.commit()
    with sessions() as session:
        writes = _writes(session)
        _seen(session, NOW + SEEN_EVERY / 2)
        session.commit()
        assert writes == []
    with sessions() as session:
        person = find_person(session, "telegram", "5001")
        assert person is not None and person.last_seen_at == NOW


def test_last_seen_moves_after_a_minute_and_a_new_name_at_once(
    sessions: Callable[[], Session],
) -> None:
    with sessions() as session:
        _seen(session, NOW)
        session.commit()
    with sessions() as session:
        _seen(session, NOW + timedelta(seconds=5), name="Budi Santoso")
        session.commit()
    with sessions() as session:
        person = find_person(session, "telegram", "5001")
        assert person is not None
        assert (person.display_name, person.last_seen_at) == ("Budi Santoso", NOW)
    with sessions() as session:
        _seen(session, NOW + SEEN_EVERY)
        session.commit()
    with sessions() as session:
        person = find_person(session, "telegram", "5001")
        assert person is not None and person.last_seen_at == NOW + SEEN_EVERY


def test_a_liaison_is_looked_up_once_and_registering_is_seen_at_once(
    sessions: Callable[[], Session],
) -> None:
    with sessions() as session:
        seed_offices(session)
        _seen(session, NOW)
        session.commit()
    with sessions() as session:
        person = find_person(session, "telegram", "5001")
        assert person is not None
        assert find_liaison(session, person.id) is None
        liaison = register_liaison(
            session,
            person=person,
            name="Budi",
            party="pkb",
            tier=Tier.DPC,
            office_code="34.02",
            now=NOW,
        )
        assert find_liaison(session, person.id) is liaison
        reads: list[str] = []
        event.listen(
            session.get_bind(),
            "before_cursor_execute",
            lambda _c, _k, statement, *_: reads.append(statement),
        )
        assert find_liaison(session, person.id) is liaison
        assert reads == [], "the unit of work asks the database once"
        session.rollback()
        assert find_liaison(session, person.id) is None, "a rolled-back registration is gone"
