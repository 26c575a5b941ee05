"""A small knowledge base written for the engine's tests (two categories, six entries)."""

from __future__ import annotations

from pathlib import Path

import yaml


def entry(
    eid: str,
    cat: str,
    q_id: str,
    q_en: str,
    a_id: str,
    a_en: str,
    ph_id: list[str],
    ph_en: list[str],
    related: list[str],
) -> dict[str, object]:
    return {
        "id": eid,
        "category": cat,
        "question": {"id": q_id, "en": q_en},
        "answer": {"id": a_id, "en": a_en},
        "phrasings": {"id": ph_id, "en": ph_en},
        "keywords": [],
        "sources": [
            {"kind": "regulation", "title": "PKPU Nomor 4 Tahun 2022", "article": "Pasal 12"}
        ],
        "related": related,
        "uncertain": False,
    }


PARTIES = {
    "category": {
        "id": "partai",
        "title": {"id": "Pendaftaran partai", "en": "Party registration"},
        "order": 10,
        "subcategories": [{"id": "jadwal", "title": {"id": "Jadwal", "en": "Schedule"}}],
    },
    "entries": [
        entry(
            "daftar-batas",
            "partai/jadwal",
            "Kapan batas akhir pendaftaran partai politik?",
            "When does party registration close?",
            "Pendaftaran ditutup 14 Agustus 2022 pukul 23.59 WIB.",
            "Registration closed on 14 August 2022 at 23.59 WIB.",
            [
                "kpn pendaftaran parpol ditutup",
                "batas akhir daftar partai tgl brp",
                "deadline daftar parpol",
                "terakhir daftar partai kapan",
                "pendaftaran partai sampai tanggal berapa",
            ],
            ["registration deadline for parties", "last day to register a party"],
            ["sipol-akun", "verfak-sampel"],
        ),
        entry(
            "sipol-akun",
            "partai/jadwal",
            "Bagaimana jika lupa kata sandi akun SIPOL?",
            "What if we forget the SIPOL password?",
            "Hubungi helpdesk KPU untuk mengatur ulang kata sandi SIPOL.",
            "Contact the KPU help desk to reset the SIPOL password.",
            [
                "lupa password sipol",
                "akun sipol tidak bisa login",
                "reset sandi sipol gmn",
                "gabisa masuk sipol",
                "kata sandi sipol hilang",
            ],
            ["forgot sipol password", "cannot log in to sipol"],
            ["daftar-batas", "verfak-sampel"],
        ),
        entry(
            "verfak-sampel",
            "partai/jadwal",
            "Bagaimana verifikasi faktual keanggotaan dilakukan?",
            "How is factual verification of members done?",
            "KPU mengambil sampel anggota dan menemui mereka langsung.",
            "KPU takes a sample of members and meets them in person.",
            [
                "verfak anggota caranya gmn",
                "sampel anggota diverifikasi",
                "petugas datang ke anggota",
                "verifikasi faktual anggota partai",
                "cara verfak keanggotaan",
            ],
            ["member sampling in field checks", "how are members verified in the field"],
            ["daftar-batas", "sipol-akun"],
        ),
    ],
}


def write_sample(folder: Path, **changes: object) -> Path:
    """Writes the sample to ``folder`` (``changes`` replace top-level keys) and returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {**PARTIES, **changes}
    (folder / "partai.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder
