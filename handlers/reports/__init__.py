"""Documents made from the register and the tier report: XLSX, PDF, CSV and HTML.

Each renderer takes plain data from ``models`` (:class:`models.register.RegisterRow`,
:class:`models.report_data.ReportData`) and the texts, and returns bytes; what a person
reads comes from the label templates (``labels_reports.txt.j2``), numbers are written
the Indonesian way (1.234,5) and every free text is masked once more on the way out.

The renderers load their libraries (matplotlib, fpdf2, openpyxl: most of the process's
memory and a second or more of start-up) when a document is first made, not when the help
desk starts: the names below are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "register_csv": "csv_export",
    "render_register_xlsx": "xlsx",
    "render_report_html": "html_report",
    "render_report_pdf": "pdf_report",
    "render_report_xlsx": "xlsx",
    "render_sheets_pdf": "pdf_sheets",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
