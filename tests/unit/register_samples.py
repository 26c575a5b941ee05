"""Sample values for the register's and reports' chat templates (tests/unit/test_texts.py
renders every template with them)."""

from __future__ import annotations

OFFICE = {"office": "KPU <x> Bantul", "period": "2026-W48"}

SAMPLES: dict[str, dict[str, object]] = {
    "reports/scheduled_weekly": OFFICE,
    "reports/scheduled_monthly": OFFICE,
    "register/report_period": OFFICE,
    "register/report_format": OFFICE,
    "register/report_coming": OFFICE | {"fmt": "pdf"},
    "register/report_file": OFFICE,
    "register/form": {
        "form": "consult",
        "step": "name",
        "values": [("Saluran", "Tatap muka"), ("Pertanyaan", "a <x> & b")],
    },
    "register/saved": OFFICE | {"number": "BTL/2026/0001"},
    "register/guest_saved": OFFICE | {"name": "Ani <x>"},
    "register/cancelled": {},
    "register/too_long": {"length": 5000, "limit": 4000},
    "register/not_staff_chat": {},
}
