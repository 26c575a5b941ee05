"""The tier report at national scale: 100,000 consultations over the 553 offices.

Builds one month (November 2026) of data: half tickets (with liaisons, first responses,
resolutions, ratings, reopenings, escalations and service-level breaches), half
consultations recorded by hand, daily self-service counts for every office, unanswered
questions, announcements and reminders. Then times KPU RI's monthly report (the queries,
and the PDF made from them) and the weekly run (a report per office, all 553, sharing one
cache as the scheduled run does; as XLSX, which is what is sent, and as PDF), on SQLite
and on PostgreSQL (in a schema of its own, dropped afterwards). Each figure is printed
with the machine's load average beside it.

    .venv/bin/python bench/reports.py [--consultations 100000] [--weekly-format pdf]
        [--postgres postgresql://postgres@127.0.0.1:5432/test | --no-postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

from bot import storage  # noqa: E402
from bot.composition import sync_reference_offices  # noqa: E402
from handlers.reports.files import ReportFormat, report_file  # noqa: E402
from handlers.texts import Texts  # noqa: E402
from models import Language  # noqa: E402
from models.offices import Office  # noqa: E402
from models.report_scope import parse_period  # noqa: E402
from models.reports import ReportCache, build_report  # noqa: E402

MONTH_START = datetime(2026, 11, 1, 0, 0, tzinfo=ZoneInfo("Asia/Jakarta"))  # KPU RI's month
CHANNELS = ("walk_in", "phone", "email", "wa_group", "online_meeting")
ROLES = ("liaison", "sipol_admin", "silon_admin", "candidate", "voter", "monitor", "other")
TOPICS = ("pendaftaran", "sipol", "verifikasi", "pencalonan", "silon", "kampanye", "dana")
STAGES = ("pendaftaran", "verifikasi administrasi", "verifikasi faktual", "pencalonan")
PARTIES = ("pkb", "gerindra", "pdip", "golkar", "nasdem", "pks", "pan", "demokrat", "psi")
TIERS = ("dpp", "dpd", "dpc", "lo", "silon")


def _rows(engine: Engine, table: str, rows: list[dict[str, Any]]) -> None:
    target = SQLModel.metadata.tables[table]
    with engine.begin() as connection:
        for i in range(0, len(rows), 5000):
            connection.execute(sa.insert(target), rows[i : i + 5000])


def _naive(t: datetime) -> datetime:
    return t.astimezone(UTC)


def populate(engine: Engine, total: int, rng: random.Random) -> int:
    """Fills the database; returns the number of offices."""
    with engine.connect() as connection:
        offices = [
            (code, prefix)
            for code, prefix in connection.execute(sa.select(Office.code, Office.prefix))
        ]
    codes = [c for c, _p in offices]
    now = _naive(MONTH_START)
    people, liaisons = [], []
    for i in range(1, 3001):
        people.append(dict(id=i, channel="telegram", external_id=str(10_000 + i),
                           display_name=f"L{i}", language_hint="id", created_at=now,
                           last_seen_at=now))  # fmt: skip
        liaisons.append(dict(id=i, person_id=i, name=f"Penghubung {i}", party=rng.choice(PARTIES),
                             tier=rng.choice(TIERS), office_code=rng.choice(codes), verified=True,
                             via="invite", created_at=now))  # fmt: skip
    _rows(engine, "person", people)
    _rows(engine, "liaison", liaisons)
    liaison_office = {r["id"]: r["office_code"] for r in liaisons}
    tickets, consultations, escalations, marks, audits = [], [], [], [], []
    seq: dict[str, int] = {}
    prefix = dict(offices)
    for n in range(total):
        opened = MONTH_START + timedelta(seconds=rng.randrange(30 * 86400))
        if n % 2 == 0:
            tid = len(tickets) + 1
            lid = rng.randrange(1, 3001)
            office = liaison_office[lid]
            answered = opened + timedelta(minutes=rng.randrange(5, 3000))
            done = answered + timedelta(minutes=rng.randrange(0, 6000))
            status = rng.choice(("resolved", "closed", "closed", "waiting", "new"))
            finished = status in ("resolved", "closed")
            tickets.append(dict(
                id=tid, number=f"B{tid:07d}", office_code=office, origin_office_code=office,
                liaison_id=lid, subject="Pertanyaan", question="Bagaimana cara unggah KTA?",
                category=rng.choice(TOPICS), source="command", suggested="", status=status,
                opened_at=_naive(opened), sla_from=_naive(opened), last_activity_at=_naive(done),
                first_response_at=_naive(answered) if status != "new" else None,
                answered_at=_naive(answered) if status != "new" else None,
                resolved_at=_naive(done) if finished else None,
                closed_at=_naive(done) if status == "closed" else None,
                rating=rng.choice((None, None, 3, 4, 5)) if finished else None,
                escalations=0,
            ))  # fmt: skip
            if rng.random() < 0.05:
                marks.append(dict(ticket_id=tid, office_code=office, kind="ping",
                                  at=_naive(opened + timedelta(hours=2))))  # fmt: skip
            if rng.random() < 0.03:
                up = _naive(opened + timedelta(hours=5))
                escalations.append(dict(ticket_id=tid, from_office=office, to_office="RI",
                                        reason="sla", at=up))  # fmt: skip
            if rng.random() < 0.04:
                audits.append(dict(id=len(audits) + 1, at=_naive(done), actor="liaison:1",
                                   action="ticket.reopened", ticket_id=tid, data="{}",
                                   prev_hash="0" * 64, hash="0" * 64))  # fmt: skip
        else:
            office = rng.choice(codes)
            seq[office] = seq.get(office, 0) + 1
            consultations.append(dict(
                office_code=office, year=2026, seq=seq[office],
                number=f"{prefix[office]}/2026/{seq[office]:04d}", at=_naive(opened),
                channel=rng.choice(CHANNELS), visitor_name="Tamu", party=rng.choice(PARTIES),
                role=rng.choice(ROLES), contact="", topic=rng.choice(TOPICS),
                stage=rng.choice(STAGES), question="Syarat pendaftaran?", answer="Sudah dijelaskan",
                legal_basis="PKPU", officer_name="Petugas", status="answered", follow_up="",
                duration_minutes=rng.randrange(5, 60), created_at=_naive(opened),
            ))  # fmt: skip
    _rows(engine, "ticket", tickets)
    _rows(engine, "consultation", consultations)
    _rows(engine, "ticket_sla_mark", marks)
    _rows(engine, "ticket_escalation", escalations)
    _rows(engine, "audit_entry", audits)
    first = MONTH_START.date()
    _rows(engine, "self_service_count", [
        dict(day=first + timedelta(days=d), office_code=c, entry_id=f"faq{e}",
             count=rng.randrange(1, 20))
        for c in codes for d in range(30) for e in range(3)
    ])  # fmt: skip
    _rows(engine, "kb_gap", [
        dict(at=_naive(MONTH_START + timedelta(minutes=i)), channel="telegram",
             person_id=rng.randrange(1, 3001), question=f"pertanyaan {i % 300}",
             normalised=f"pertanyaan {i % 300}", lang="id", reason="unanswered", top_ids="")
        for i in range(5000)
    ])  # fmt: skip
    return len(codes)


def _load(cpu_s: float) -> str:
    """The machine's load beside a figure, and this process's CPU time, which other work
    on a shared machine stretches less than the wall clock (PostgreSQL's own is not in it)."""
    one, five, _ = os.getloadavg()
    return f"[CPU here {cpu_s:.1f} s; load {one:.1f}/{five:.1f} on {os.cpu_count()} cores]"


def measure(engine: Engine, label: str, weekly_format: ReportFormat) -> None:
    sessions = storage.session_factory(engine)
    texts = Texts()
    now = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    month = parse_period("2026-11")
    with sessions() as session:
        began, cpu = time.perf_counter(), time.process_time()
        data = build_report(session, "RI", month, now)
        query_s, query_cpu = time.perf_counter() - began, time.process_time() - cpu
        began, cpu = time.perf_counter(), time.process_time()
        pdf = report_file(session, "RI", month, ReportFormat.PDF, now=now, texts=texts)
        whole_s, whole_cpu = time.perf_counter() - began, time.process_time() - cpu
        print(f"{label}: KPU RI monthly report, {data.total.consultations:,} consultations, "
              f"{len(data.rows)} rows: queries {query_s:.2f} s {_load(query_cpu)}; "
              f"queries + PDF ({len(pdf) // 1024} KiB) {whole_s:.2f} s "
              f"{_load(whole_cpu)}")  # fmt: skip
        codes = [c for (c,) in session.execute(sa.select(Office.code).order_by(Office.code))]
        week = parse_period("2026-W48")
        for fmt in dict.fromkeys((weekly_format, ReportFormat.PDF)):
            cache = ReportCache()  # what the scheduled run shares between its reports
            began, cpu = time.perf_counter(), time.process_time()
            size = 0
            for code in codes:
                size += len(
                    report_file(session, code, week, fmt, now=now, texts=texts,
                                lang=Language.ID, cache=cache)
                )  # fmt: skip
            weekly_s, weekly_cpu = time.perf_counter() - began, time.process_time() - cpu
            print(f"{label}: weekly run, {len(codes)} offices as {fmt.value}: "
                  f"{weekly_s:.1f} s ({weekly_s / len(codes) * 1000:.0f} ms per office, "
                  f"{size // 1024 // 1024} MiB) {_load(weekly_cpu)}")  # fmt: skip


def run(url: str, label: str, total: int, weekly_format: ReportFormat) -> None:
    engine = storage.make_engine(url)
    try:
        storage.upgrade(engine)
        sync_reference_offices(engine)
        began = time.perf_counter()
        offices = populate(engine, total, random.Random(12))
        print(f"{label}: {total:,} consultations over {offices} offices loaded in "
              f"{time.perf_counter() - began:.1f} s")  # fmt: skip
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                connection.execute(sa.text("ANALYZE"))
        measure(engine, label, weekly_format)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--consultations", type=int, default=100_000)
    parser.add_argument("--weekly-format", default="xlsx", choices=[f.value for f in ReportFormat])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    weekly = ReportFormat(args.weekly_format)
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{folder}/bench.db", "SQLite", args.consultations, weekly)
    if args.no_postgres:
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(storage.normalise_url(args.postgres))
    try:
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(storage.normalise_url(args.postgres)).update_query_dict(
            {"options": f"-csearch_path={schema}"}
        )
        run(url.render_as_string(hide_password=False), "PostgreSQL", args.consultations, weekly)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
