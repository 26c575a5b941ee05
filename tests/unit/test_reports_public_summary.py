"""The public summary page: counts by channel and topic and the response times, and
nothing anyone wrote or is named by."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlmodel import Session

from handlers.reports.files import ReportFormat, report_file
from handlers.reports.public_summary import summary_pages
from handlers.site import gather, write_site
from handlers.texts import Texts
from knowledge.search import KnowledgeBase
from models import ManualClock
from models.consultations import Channel, VisitorRole
from models.gaps import GapReason, record_gap
from models.report_scope import closed_months, parse_period
from tests.unit.consult_world import recorded
from tests.unit.desk_world import world_in
from tests.unit.site_pages import read_page

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


def test_the_site_has_a_summary_page_per_office_and_period_in_both_languages(
    sessions: Callable[[], Session], clock: ManualClock, tmp_path: Path
) -> None:
    _seed(sessions, clock)
    with sessions() as session:
        pages = summary_pages(session, "34", [WEEK], now=clock.now(), texts=Texts())
    assert [p.office_code for p in pages] == ["34", "34.02", "34.71"]  # the province's rows

    write_site(gather(KnowledgeBase.load(), office_code="34", summaries=pages), tmp_path)

    bantul = {lang: tmp_path / lang / "summary" / "2026-W48" / "34.02" / "index.html"
              for lang in ("id", "en")}  # fmt: skip
    assert "Tatap muka" in read_page(bantul["id"]).text
    assert "Walk-in" in read_page(bantul["en"]).text
    for lang in ("id", "en"):
        index = tmp_path / lang / "summary" / "index.html"
        listed = [link for link in read_page(index).links if "/summary/2026-W48/" in link]
        assert len(listed) == 3
        for link in listed:
            assert (index.parent / link / "index.html").resolve().is_file(), link
        home = read_page(tmp_path / lang / "index.html")
        assert f"../{lang}/summary/" in home.links  # in the site's navigation
    for path in (tmp_path / "id" / "summary").rglob("*.html"):
        page = read_page(path)
        assert page.headings[0] == 1 and page.headings.count(1) == 1, path
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, f"{path}: h{before} followed by h{after}"
        for secret in (*PRIVATE, "budi@example.org", "gap question"):
            assert secret not in path.read_text(encoding="utf-8"), (path, secret)


def test_a_site_without_summaries_links_to_none(tmp_path: Path) -> None:
    write_site(gather(KnowledgeBase.load(), office_code="34"), tmp_path)
    assert not (tmp_path / "id" / "summary").exists()
    assert not any("summary" in link for link in read_page(tmp_path / "id" / "index.html").links)


def test_the_closed_months_are_those_before_this_one() -> None:
    assert [p.key for p in closed_months(date(2026, 1, 15), 3)] == ["2025-12", "2025-11", "2025-10"]
    assert closed_months(date(2026, 1, 15), 0) == []
