"""The register and the reports in a staff chat: /catat (record a consultation), /tamu
(the guest book) and /laporan (a report file on request)."""
