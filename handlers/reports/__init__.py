"""Documents made from the register and the tier report: XLSX, PDF, CSV and HTML.

Each renderer takes plain data from ``models`` (:class:`models.register.RegisterRow`,
:class:`models.report_data.ReportData`) and the texts, and returns bytes; what a person
reads comes from the label templates (``labels_reports.txt.j2``), numbers are written
the Indonesian way (1.234,5) and every free text is masked once more on the way out.
"""

from handlers.reports.csv_export import register_csv
from handlers.reports.html_report import render_report_html
from handlers.reports.pdf_report import render_report_pdf
from handlers.reports.pdf_sheets import render_sheets_pdf
from handlers.reports.xlsx import render_register_xlsx, render_report_xlsx

__all__ = [
    "register_csv",
    "render_register_xlsx",
    "render_report_html",
    "render_report_pdf",
    "render_report_xlsx",
    "render_sheets_pdf",
]
