"""``helpdesk officer|office|invite|audit|tickets``, run through typer on a temp database."""

from __future__ import annotations

import sys

import pytest
import sqlalchemy as sa
from sqlmodel import Session
from typer.testing import CliRunner, Result

from bot import storage
from bot.cli import app
from models import ManualClock
from models.invites import redeem_invite
from models.people import find_person
from tests.unit.desk_world import World

runner = CliRunner()


def helpdesk(database_url: str, *args: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, list(args), env={"DATABASE_URL": database_url, **(env or {})})


def one_line_error(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_the_first_admin_is_added_and_listed(database_url: str) -> None:
    result = helpdesk(
        database_url,
        "officer",
        "add",
        "--telegram-id",
        "123456",
        "--office",
        "34.02",
        "--role",
        "admin",
        "--name",
        "Rina",
    )
    assert result.exit_code == 0, result.output
    assert "officer #1 Rina (admin) at 34.02, telegram 123456" in result.stdout
    listed = helpdesk(database_url, "officer", "list", "--office", "34")
    assert "Rina (admin) at 34.02" in listed.stdout
    assert helpdesk(database_url, "officer", "remove", "--telegram-id", "123456").exit_code == 0
    assert "no officers yet" in helpdesk(database_url, "officer", "list").stdout


def test_unknown_office_role_tier_and_party_get_one_clear_line(database_url: str) -> None:
    add = ("officer", "add", "--telegram-id", "1", "--role")
    assert "unknown office '99.99'" in one_line_error(
        helpdesk(database_url, *add, "admin", "--office", "99.99")
    )
    assert "unknown role 'boss'" in one_line_error(
        helpdesk(database_url, *add, "boss", "--office", "34")
    )
    assert "--telegram-id must be" in one_line_error(
        helpdesk(
            database_url,
            "officer",
            "add",
            "--telegram-id",
            "abc",
            "--office",
            "34",
            "--role",
            "agent",
        )
    )
    invite = ("invite", "create", "--office", "34.02", "--bot-username", "kpu_bot")
    assert "unknown tier 'rt'" in one_line_error(
        helpdesk(database_url, *invite, "--party", "pkb", "--tier", "rt")
    )
    assert "unknown party 'xyz'" in one_line_error(
        helpdesk(database_url, *invite, "--party", "xyz", "--tier", "dpc")
    )


def test_an_office_is_linked_shown_and_given_hours(database_url: str) -> None:
    linked = helpdesk(database_url, "office", "link", "34.02", "--chat-id", "-1001234567890")
    assert linked.exit_code == 0, linked.output
    assert "KPU Kabupaten Bantul [34.02]: staff chat -1001234567890" in linked.stdout
    hours = helpdesk(
        database_url,
        "office",
        "set-hours",
        "34.02",
        "--start",
        "07:30",
        "--end",
        "15:30",
        "--days",
        "1-5",
        "--claim-minutes",
        "30",
    )
    assert hours.exit_code == 0, hours.output
    shown = helpdesk(database_url, "office", "show", "34.02").stdout
    assert "staff chat: -1001234567890" in shown and "hours 07:30-15:30, days 1-5" in shown
    assert "ping after 30 min" in shown and "ticket numbers BTL-0001" in shown
    assert "negative" in one_line_error(
        helpdesk(database_url, "office", "link", "34", "--chat-id", "42")
    )
    assert "HH:MM" in one_line_error(
        helpdesk(database_url, "office", "set-hours", "34", "--start", "9")
    )


def test_an_invite_link_is_printed_and_works(database_url: str, clock: ManualClock) -> None:
    made = helpdesk(
        database_url,
        "invite",
        "create",
        "--office",
        "34.02",
        "--party",
        "PKB",
        "--tier",
        "dpc",
        "--uses",
        "3",
        env={"TELEGRAM_BOT_USERNAME": "kpu_helpdesk_bot"},
    )
    assert made.exit_code == 0, made.output
    link = made.stdout.strip()
    assert link.startswith("https://t.me/kpu_helpdesk_bot?start=")
    assert "3 use(s)" in made.stderr
    engine = storage.make_engine(database_url)
    try:
        with Session(engine) as session:
            person = World(session, clock).person("Siti")
            liaison = redeem_invite(session, link.rsplit("=", 1)[1], person, "Siti", clock.now())
            assert liaison.verified and liaison.party == "pkb"
    finally:
        engine.dispose()
    missing = helpdesk(
        database_url, "invite", "create", "--office", "34", "--party", "pkb", "--tier", "dpd"
    )
    assert "--bot-username or TELEGRAM_BOT_USERNAME" in one_line_error(missing)


def test_audit_verify_passes_then_fails_on_a_tampered_entry(database_url: str) -> None:
    helpdesk(
        database_url, "officer", "add", "--telegram-id", "77", "--office", "34", "--role", "admin"
    )
    helpdesk(database_url, "office", "link", "34", "--chat-id", "-1009")
    intact = helpdesk(database_url, "audit", "verify")
    assert intact.exit_code == 0 and "audit log intact: 2 entries" in intact.stdout
    engine = storage.make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE audit_entry SET actor = 'someone' WHERE id = 1"))
    engine.dispose()
    tampered = helpdesk(database_url, "audit", "verify")
    assert tampered.exit_code == 1
    assert tampered.stderr.startswith("audit log TAMPERED: entry 1: contents changed")


def test_tickets_are_listed_by_office_and_status(database_url: str, clock: ManualClock) -> None:
    assert "no tickets" in helpdesk(database_url, "tickets", "list").stdout
    engine = storage.make_engine(database_url)
    try:
        with Session(engine) as session:
            world = World(session, clock)
            world.ticket(world.liaison("34.02"), question="Kapan verifikasi faktual?")
            session.commit()
            assert find_person(session, "telegram", "0") is None
    finally:
        engine.dispose()
    listed = helpdesk(database_url, "tickets", "list", "--office", "34", "--status", "new")
    assert "BTL-0001" in listed.stdout and "Kapan verifikasi faktual?" in listed.stdout
    assert "no tickets" in helpdesk(database_url, "tickets", "list", "--status", "closed").stdout
    assert "--status must be one of" in one_line_error(
        helpdesk(database_url, "tickets", "list", "--status", "x")
    )


def link_staff_group(database_url: str, **env: str) -> Result:
    """``office link`` for Bantul with a bot token set, so that Telegram is asked."""
    return helpdesk(
        database_url,
        "office",
        "link",
        "34.02",
        "--chat-id",
        "-1001234567890",
        env={"TELEGRAM_BOT_TOKEN": "1:test", **env},
    )


@pytest.mark.parametrize("runtime", ["ptb", "aiogram"])
def test_linking_when_telegram_does_not_answer_says_so_in_one_line(
    database_url: str, runtime: str
) -> None:
    refused = link_staff_group(
        database_url,
        TELEGRAM_API_URL="http://127.0.0.1:9",  # nothing listens there
        TELEGRAM_RUNTIME=runtime,
    )
    line = one_line_error(refused)
    assert line.startswith("cannot check chat -1001234567890: Telegram did not answer"), line
    assert "1:test" not in refused.output


def test_linking_with_the_runtime_library_missing_names_what_to_install(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(sys.modules, "bot.transports.telegram.ptb", raising=False)
    monkeypatch.setitem(sys.modules, "telegram", None)  # as if never installed
    refused = link_staff_group(database_url, TELEGRAM_RUNTIME="ptb")
    assert one_line_error(refused) == (
        "cannot check chat -1001234567890: TELEGRAM_RUNTIME=ptb needs python-telegram-bot, "
        "which is not installed (no module telegram): pip install -e '.[ptb]'"
    )
