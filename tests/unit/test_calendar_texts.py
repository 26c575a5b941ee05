"""The calendar's, reminders' and announcements' texts: every template renders as valid
Telegram HTML in both languages, with user text escaped, and dates read naturally."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from handlers.announce.broadcasts import Report
from handlers.calendar.text import StageView, left, when
from handlers.texts import Texts
from models import Language
from models.broadcast import AnnouncementStatus
from tests.html_check import TagCheck

VIEW = StageView(
    name="Tahap <x>",
    todo="Serahkan <y> & dokumen",
    system="SILON",
    starts="Selasa, 27 Agustus 2024 pukul 08.00 WITA",
    ends="Kamis, 29 Agustus 2024 pukul 23.59 WITA",
    left="3 hari 4 jam lagi",
    until_start="1 hari lagi",
    started=False,
    local=True,
    whole_day=False,
)
ANN = SimpleNamespace(id=7, ack=True, status=AnnouncementStatus.SENT)
REPORT = Report(
    total=5, sent=3, waiting=1, failed=0, blocked=1, skipped=0, acknowledged=1,
    not_acknowledged=["Budi <x>"], not_acknowledged_total=2, delivered=2, read=1,
)  # fmt: skip
SAMPLES: dict[str, dict[str, object]] = {
    "reminders/reminder": {"stage": VIEW},
    "reminders/opening": {"stage": VIEW},
    "schedule/list": {"stages": [VIEW, VIEW], "zone": "WITA", "muted": True},
    "schedule/ics": {"count": 3},
    "schedule/muted": {"muted": True},
    "schedule/group_registered": {"office": "KPU <x>"},
    "schedule/group_unregistered": {"was": True},
    "schedule/group_only": {},
    "schedule/private_only": {},
    "schedule/not_allowed": {},
    "schedule/unknown_office": {"code": "<x>"},
    "announce/usage": {},
    "announce/not_allowed": {},
    "announce/too_long": {"limit": 3500, "length": 5000},
    "announce/not_draft": {},
    "announce/unknown": {"id": "<x>"},
    "announce/draft": {
        "id": 7,
        "office": "KPU <x>",
        "tiers": ["DPC"],
        "parties": ["PKB"],
        "ack": True,
        "count": 3,
        "groups": 1,
        "preview": "📢 <b>Pengumuman</b>\n\nteks &lt;x&gt;",
    },
    "announce/parties": {"found": True},
    "announce/offices": {"office": "KPU <x>"},
    "announce/confirm": {"count": 3},
    "announce/sent": {"id": 7, "count": 3},
    "announce/cancelled": {},
    "announce/message": {"office": "KPU <x>", "text": "Rapat <y> & lainnya"},
    "announce/report": {"ann": ANN, "office": "KPU <x>", "r": REPORT},
}


@pytest.mark.parametrize("lang", list(Language))
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_template_renders_as_telegram_html(texts: Texts, lang: Language, name: str) -> None:
    rendered = texts.render(lang, name, **SAMPLES[name])
    check = TagCheck()
    check.feed(rendered)
    assert not check.problems and not check.open, (check.problems, check.open)
    assert "<x>" not in rendered and "<y>" not in rendered, "user text must be escaped"
    assert 0 < len(rendered) <= 4096


def test_every_template_of_these_folders_has_a_sample(texts: Texts) -> None:
    ours = {
        n
        for n in texts.names(Language.ID)
        if n.split("/")[0] in {"reminders", "schedule", "announce"}
    }
    assert ours == set(SAMPLES)


@pytest.mark.parametrize(
    ("lang", "zone", "expected"),
    [
        (Language.ID, "Asia/Makassar", "Kamis, 29 Agustus 2024 pukul 23.59 WITA"),
        (Language.ID, "Asia/Jakarta", "Kamis, 29 Agustus 2024 pukul 22.59 WIB"),
        (Language.ID, "Asia/Jayapura", "Jumat, 30 Agustus 2024 pukul 00.59 WIT"),
        (Language.EN, "Asia/Makassar", "Thursday, 29 August 2024 at 23:59 WITA"),
    ],
)
def test_deadlines_read_with_weekday_and_zone(
    texts: Texts, lang: Language, zone: str, expected: str
) -> None:
    instant = datetime(2024, 8, 29, 15, 59, tzinfo=UTC)
    assert when(texts, lang, instant, zone) == expected


def test_whole_days_and_countdowns_read_naturally(texts: Texts) -> None:
    day = datetime(2024, 8, 29, 15, 59, tzinfo=UTC)
    assert when(texts, Language.ID, day, "Asia/Jakarta", date_only=True) == "Kamis, 29 Agustus 2024"
    now = datetime(2024, 8, 26, 11, 59, tzinfo=UTC)
    assert left(texts, Language.ID, now, day) == "3 hari 4 jam lagi"
    assert left(texts, Language.EN, now, day) == "3 days 4 hours left"
    assert left(texts, Language.EN, day, day) == "passed"
