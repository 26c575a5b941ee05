"""The public summary page: counts by channel and topic and the response times, and
nothing anyone wrote or is named by."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session

from handlers.reports.files import ReportFormat, report_file
from handlers.reports.public_summary import write_summary_pages
from handlers.texts import Texts
from models import ManualClock
from models.consultations import Channel, VisitorRole
from models.gaps import GapReason, record_gap
from models.report_scope import parse_period
from tests.unit.consult_world import recorded
from tests.unit.desk_world import world_in

WEEK = parse_period("2026-W48")
PRIVATE = ("Budi Rahasia", "PKB", "Pertanyaan pribadi tentang KTA", "Jawaban rahasia", "Andi")


def _seed(sessions: Callable[[], Session], clock: ManualClock) -> None:
    with world_in(sessions, clock) as world:
        for channel in (Channel.WALK_IN, Channel.WALK_IN, Channel.PHONE):
            recorded(
                world,
                "34.02",
                channel=channel,
                role=VisitorRole.LIAISON,
                party="PKB",
                topic="sipol",
                visitor_name=PRIVATE[0],
                question=PRIVATE[2],
                answer=PRIVATE[3],
                officer_name=PRIVATE[4],
                contact="budi@example.org",
            )
        record_gap(
            world.session,
            at=world.now,
            channel="telegram",
            person_id=None,
            question="gap question nobody should read",
            normalised="gap question",
            lang="id",
            reason=GapReason.UNANSWERED,
            top_ids=(),
        )
        world.session.commit()


def test_the_summary_counts_by_channel_and_topic_and_names_nobody(
    sessions: Callable[[], Session], clock: ManualClock
) -> None:
    _seed(sessions, clock)
    with sessions() as session:
        page = report_file(
            session, "34.02", WEEK, ReportFormat.SUMMARY, now=clock.now(), texts=Texts()
        ).decode()
    assert "Tatap muka" in page and "Telepon" in page
    assert "sipol" in page
    assert "Jumlah konsultasi" in page
    for secret in (*PRIVATE, "budi@example.org", "gap question"):
        assert secret not in page, secret
    assert "<script" not in page


def test_summary_pages_are_written_one_per_office(
    sessions: Callable[[], Session], clock: ManualClock, tmp_path: Path
) -> None:
    _seed(sessions, clock)
    with sessions() as session:
        pages = write_summary_pages(
            session, ["34", "34.02"], WEEK, tmp_path, now=clock.now(), texts=Texts()
        )
    assert [p.name for p in pages] == [
        "ringkasan-34-2026-W48.html",
        "ringkasan-34.02-2026-W48.html",
    ]
    assert "Tatap muka" in pages[0].read_text()
