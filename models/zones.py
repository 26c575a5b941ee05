"""Indonesia's time zones as people read them. This module is the one home of:

- ``ZONE_ABBREVIATIONS``: the IANA zones of Indonesia and the abbreviation people read
  (WIB, WITA, WIT). ``Asia/Pontianak`` is a WIB zone of its own in the tz database.
- ``OFFICE_ZONES``: the three zones a KPU office may keep its clock in (the reference
  data is checked against them).
- ``RI_ZONE``: KPU RI's zone, shown where no office's zone applies (a person with no
  office, a stage calendar's own zone). ``HELPDESK_TIMEZONE`` sets it for a deployment.
- The answer for a zone outside Indonesia: :func:`zone_abbr` refuses it with
  ``ValueError``. Every zone the help desk shows is checked on the way in (reference
  data, stage calendars, settings), so that refusal only ever meets bad input.
"""

from __future__ import annotations

ZONE_ABBREVIATIONS: dict[str, str] = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
OFFICE_ZONES: tuple[str, ...] = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
RI_ZONE = "Asia/Jakarta"


def is_indonesian(zone: str) -> bool:
    return zone in ZONE_ABBREVIATIONS


def zone_abbr(zone: str) -> str:
    """WIB, WITA or WIT for an Indonesian zone; a zone outside Indonesia is refused."""
    try:
        return ZONE_ABBREVIATIONS[zone]
    except KeyError:
        raise ValueError(f"not an Indonesian time zone: {zone!r}") from None
