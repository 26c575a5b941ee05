"""``helpdesk stages ...`` and ``helpdesk announce``, run as a person runs them."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from knowledge.content.calendar import FOLDER
from tests.cli import helpdesk


def env(tmp_path: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite:///{tmp_path}/cli.db"}


def test_import_list_reimport_and_export_a_calendar(tmp_path: Path) -> None:
    calendar = str(FOLDER / "pilkada2024.yaml")
    first = helpdesk("stages", "import", calendar, cwd=tmp_path, env=env(tmp_path))
    assert first.returncode == 0, first.stderr
    assert "pilkada2024: 16 stages (16 new, 0 updated, 0 unchanged, 0 removed)" in first.stdout
    again = helpdesk("stages", "import", calendar, cwd=tmp_path, env=env(tmp_path))
    assert "(0 new, 0 updated, 16 unchanged, 0 removed)" in again.stdout

    listed = helpdesk("stages", "list", "--zone", "Asia/Jayapura", cwd=tmp_path, env=env(tmp_path))
    line = next(x for x in listed.stdout.splitlines() if x.startswith("pilkada2024-pendaftaran "))
    assert "2024-08-27 08:00 → 2024-08-29 23:59 WIT local" in line
    upcoming = helpdesk("stages", "list", "--upcoming", cwd=tmp_path, env=env(tmp_path))
    assert upcoming.stdout.strip() == "no stages to come"

    target = tmp_path / "out" / "tahapan.ics"
    exported = helpdesk("stages", "export", "--ics", str(target), cwd=tmp_path, env=env(tmp_path))
    assert exported.returncode == 0 and "16 stages written" in exported.stdout
    raw = target.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert raw.count(b"BEGIN:VEVENT") == 16


def test_a_broken_calendar_is_refused_with_every_problem_and_nothing_stored(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "calendar: {id: x, name: {id: X, en: X}}\n"
        "stages:\n  - {id: a, name: {id: A, en: A}, starts_at: 2024-01-02, ends_at: 2024-01-01}\n"
        "  - {id: b, name: {id: B, en: B}, starts_at: 2024-01-01, ends_at: soon}\n",
        encoding="utf-8",
    )
    result = helpdesk("stages", "import", str(bad), cwd=tmp_path, env=env(tmp_path))
    assert result.returncode == 1
    assert "stage a: ends_at is before starts_at" in result.stderr
    assert "stage b: ends_at 'soon' is not an ISO 8601 date or time" in result.stderr
    engine = sa.create_engine(f"sqlite:///{tmp_path}/cli.db")
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM stage")).scalar() == 0
    engine.dispose()


def test_announce_counts_without_yes_and_enqueues_with_it(tmp_path: Path) -> None:
    db = f"{tmp_path}/cli.db"
    helpdesk("db", "upgrade", cwd=tmp_path, env=env(tmp_path))
    dry = helpdesk(
        "announce", "--office", "34", "--text", "Rapat LO", cwd=tmp_path, env=env(tmp_path)
    )
    assert dry.returncode == 0, dry.stderr
    assert "would reach 0 recipients; add --yes to send" in dry.stdout
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO person (channel, external_id, display_name, language_hint,"
                " reachable, created_at, last_seen_at) VALUES ('telegram', '4242', 'Ani', 'id',"
                " 1, '2026-11-23 02:00:00', '2026-11-23 02:00:00')"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO liaison (person_id, name, party, tier, office_code, verified, via,"
                " created_at) VALUES (1, 'Ani', 'pkb', 'dpc', '34.02', 1, 'invite',"
                " '2026-11-23 02:00:00')"
            )
        )
    sent = helpdesk(
        "announce", "--office", "34", "--tier", "dpc", "--party", "pkb", "--text",
        "Rapat LO besok", "--ack", "--yes", cwd=tmp_path, env=env(tmp_path),
    )  # fmt: skip
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.strip() == "announcement 1: 1 recipients, campaign ann:1:m"
    with engine.connect() as connection:
        row = connection.execute(sa.text("SELECT recipient, text FROM outbox_message")).one()
    engine.dispose()
    assert row[0] == "4242" and "Rapat LO besok" in row[1]
    wrong = helpdesk(
        "announce", "--office", "99", "--text", "x", "--yes", cwd=tmp_path, env=env(tmp_path)
    )
    assert wrong.returncode == 2 and "unknown office '99'" in wrong.stderr
    tier = helpdesk(
        "announce",
        "--office",
        "34",
        "--tier",
        "boss",
        "--text",
        "x",
        cwd=tmp_path,
        env=env(tmp_path),
    )
    assert tier.returncode == 2 and "unknown tier 'boss'" in tier.stderr
