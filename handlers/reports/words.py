"""The words and numbers of a document: labels in the reader's language, numbers and
dates written the Indonesian way, and every free text masked once more."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.texts import Texts
from models import Language, mask_personal_numbers


def number(value: float | int | None, decimals: int = 0) -> str:
    """1234.5 → "1.234,5" (thousands by dots, decimals by a comma); None → "–"."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def percent(value: float | None) -> str:
    """0.123 → "12,3%"; None → "–"."""
    return "–" if value is None else f"{number(value * 100, 1)}%"


def safe(text: str) -> str:
    """Free text as it may appear in a document: NIK and phone numbers masked."""
    return mask_personal_numbers(text or "")


@dataclass(frozen=True)
class Words:
    """Labels of one language and the zone dates are shown in."""

    texts: Texts
    lang: Language
    zone: ZoneInfo

    def __call__(self, name: str, /, **kwargs: object) -> str:
        return self.texts.label(self.lang, f"rpt_{name}", **kwargs)

    def named(self, kind: str, key: str) -> str:
        """The label of a channel, role or status value; empty keys read "not recorded"."""
        if not key:
            return self("none")
        try:
            return self(f"{kind}_{key}")
        except KeyError:
            return key

    def when(self, at: datetime) -> str:
        return at.astimezone(self.zone).strftime("%d-%m-%Y %H.%M")

    def day(self, at: datetime) -> str:
        return at.astimezone(self.zone).strftime("%d-%m-%Y")

    def naive(self, at: datetime) -> datetime:
        """Local wall time without a zone (what a spreadsheet cell holds)."""
        return at.astimezone(self.zone).replace(tzinfo=None)


Labeller = Callable[[str], str]
