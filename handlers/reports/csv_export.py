"""The registers as CSV for other tools: UTF-8 with a byte-order mark (so spreadsheet
programs read it right), a header row of labels, ISO dates."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from handlers.reports.columns import CONSULTATION_COLUMNS, GUEST_COLUMNS, cells
from handlers.reports.words import Words
from models.register import GuestRow, RegisterRow


def register_csv(
    rows: Sequence[RegisterRow] | Sequence[GuestRow], words: Words, *, guestbook: bool = False
) -> bytes:
    columns = GUEST_COLUMNS if guestbook else CONSULTATION_COLUMNS
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([words(f"col_{c.label}") for c in columns])
    for row in rows:
        writer.writerow(
            [
                v.isoformat(sep=" ", timespec="minutes") if isinstance(v, datetime) else v
                for v in cells(columns, row, words)
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
