"""Dates, deadlines and countdowns as a person reads them, in their language and zone:
"Kamis, 29 Agustus 2024 pukul 23.59 WITA", "3 hari 4 jam lagi"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.texts import Texts
from models import Language
from models.reminder_times import time_left
from models.stages import Stage
from models.zones import zone_abbr


def when(
    texts: Texts, lang: Language, instant: datetime, zone: str, *, date_only: bool = False
) -> str:
    """An instant in ``zone``, with the weekday; without the hour for whole-day stages."""
    local = instant.astimezone(ZoneInfo(zone))
    parts = {
        "weekday": texts.label(lang, f"cal_day_{local.isoweekday()}"),
        "day": local.day,
        "month": texts.label(lang, f"cal_month_{local.month}"),
        "year": local.year,
    }
    if date_only:
        return texts.label(lang, "cal_date", **parts)
    return texts.label(
        lang,
        "cal_when",
        **parts,
        hour=f"{local.hour:02d}",
        minute=f"{local.minute:02d}",
        zone=zone_abbr(zone),
    )


def left(texts: Texts, lang: Language, now: datetime, deadline: datetime) -> str:
    """Time left until ``deadline``: "3 hari 4 jam lagi"."""
    days, hours, minutes = time_left(now, deadline)
    return texts.label(lang, "cal_left", days=days, hours=hours, minutes=minutes)


@dataclass(frozen=True)
class StageView:
    """What templates show of a stage for one reader."""

    name: str
    todo: str
    system: str
    starts: str
    ends: str
    left: str
    until_start: str
    started: bool
    local: bool
    whole_day: bool


def stage_view(texts: Texts, lang: Language, stage: Stage, zone: str, now: datetime) -> StageView:
    """A stage as someone whose office is in ``zone`` sees it at ``now``."""
    shown_in = stage.display_zone(zone)
    start, deadline = stage.start_in(zone), stage.deadline_in(zone)
    return StageView(
        name=stage.name(lang.value),
        todo=stage.todo(lang.value),
        system=stage.system,
        starts=when(texts, lang, start, shown_in, date_only=stage.all_day),
        ends=when(texts, lang, deadline, shown_in, date_only=stage.all_day),
        left=left(texts, lang, now, deadline),
        until_start=left(texts, lang, now, start),
        started=start <= now,
        local=stage.local,
        whole_day=stage.all_day,
    )
