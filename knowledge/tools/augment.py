"""Noisy variants of clean questions, written the way liaisons type in a chat.

The knowledge base's phrasings are tidy; real questions are not: they open with a greeting
or with who is asking ("min, kami dari DPC ..."), shorten words ("yg", "gmn", "parpol"),
drop words, carry typos, mix in English ("upload", "deadline") and move the question word
to the end ("batas daftar parpol kapan ya"). ``variants`` produces such versions of a text
so that the search confidence is fitted on what questions really look like. The same
noise is applied to out-of-scope questions, so that noise itself says nothing about
whether a question is in scope. Deterministic for a given random generator.
"""

from __future__ import annotations

import random
import re

# Written word -> the short or spoken forms liaisons type instead.
SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "yang": ("yg",),
    "bagaimana": ("gmn", "gimana", "gmana"),
    "tidak": ("gak", "ga", "tdk", "nggak", "gk"),
    "untuk": ("utk", "buat"),
    "sudah": ("udah", "sdh", "udh"),
    "belum": ("blm", "belom"),
    "dengan": ("dgn", "sama"),
    "kapan": ("kpn",),
    "berapa": ("brp", "brapa"),
    "tanggal": ("tgl",),
    "karena": ("krn", "karna"),
    "bisa": ("bs", "bisa gak"),
    "kalau": ("klo", "kalo"),
    "apakah": ("apa", "apa bener"),
    "saja": ("aja",),
    "dari": ("dr",),
    "saya": ("sy", "aku"),
    "kami": ("kmi", "kita"),
    "harus": ("hrs", "mesti", "wajib"),
    "sekarang": ("skrg",),
    "masih": ("msh",),
    "partai politik": ("parpol", "partai"),
    "verifikasi faktual": ("verfak",),
    "verifikasi administrasi": ("vermin",),
    "pasangan calon": ("paslon",),
    "bakal calon": ("bacalon", "calon"),
    "daerah pemilihan": ("dapil",),
    "kabupaten/kota": ("kab/kota", "kabkota", "kab kota"),
    "kabupaten": ("kab",),
    "pemilihan umum": ("pemilu",),
    "kartu tanda anggota": ("kta",),
    "unggah": ("upload",),
    "mengunggah": ("upload", "ngupload"),
    "diunggah": ("diupload",),
    "batas waktu": ("deadline",),
    "mendaftar": ("daftar",),
    "pendaftaran": ("daftar", "pendaftaran"),
    "dokumen": ("berkas", "dok"),
    "persyaratan": ("syarat",),
}

OPENERS_ID: tuple[str, ...] = (
    "min",
    "min,",
    "kak",
    "kak mau tanya",
    "mau tanya min,",
    "izin bertanya,",
    "ijin bertanya min",
    "selamat pagi min,",
    "selamat siang, mohon info",
    "assalamualaikum, izin bertanya",
    "assalamualaikum min",
    "permisi pak,",
    "halo admin,",
    "maaf mengganggu kak,",
    "pagi kak,",
    "mohon pencerahan,",
    "min kami dari DPC partai di kabupaten,",
    "kami LO dari DPD,",
    "saya admin partai tingkat kab,",
    "bang mau nanya",
    "mbak, numpang tanya",
    "tolong dibantu min,",
)
CLOSERS_ID: tuple[str, ...] = (
    "ya",
    "ya min",
    "ya kak?",
    "min?",
    "??",
    "mohon infonya",
    "terima kasih",
    "makasih kak",
    "gimana ya",
    "tolong dibantu",
    "soalnya kami bingung",
    "mohon pencerahannya",
    "trims",
    "urgent min",
    "soalnya tadi ditanya pengurus",
    "sekarang",
)
OPENERS_EN: tuple[str, ...] = (
    "hi,",
    "hello admin,",
    "quick question:",
    "good morning,",
    "excuse me,",
    "hi, I'm the liaison of our party,",
)
CLOSERS_EN: tuple[str, ...] = ("pls", "thanks", "thank you", "?", "please help", "asap")
# Who is asking and why, as liaisons often say before the question.
SITUATIONS_ID: tuple[str, ...] = (
    "partai kami partai baru,",
    "kami partai lama,",
    "di kabupaten kami",
    "kemarin ada kasus,",
    "pengurus kami nanya,",
    "lagi rapat pengurus nih,",
    "saya LO partai di provinsi,",
    "kami sudah coba tapi bingung,",
    "ketua kami minta saya tanya,",
    "kami di kota kecil,",
)
SITUATIONS_EN: tuple[str, ...] = (
    "our party is new,",
    "at our regency office,",
    "our chairman asked me,",
    "we tried already but",
)

# Letters next to each other on a keyboard, for substitution typos.
_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS: dict[str, str] = {}
for _row in _KEYBOARD:
    for _i, _c in enumerate(_row):
        _NEIGHBOURS[_c] = _row[max(0, _i - 1) : _i] + _row[_i + 1 : _i + 2]

_PUNCTUATION = re.compile(r"[?!.]+$")


def typo(word: str, rng: random.Random) -> str:
    """One slip of the fingers: a swap, a dropped, doubled or neighbouring letter."""
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    near = _NEIGHBOURS.get(word[i], "")
    return word[:i] + rng.choice(near) + word[i + 1 :] if near else word


def shorten(text: str, rng: random.Random, share: float = 0.6) -> str:
    """Written words replaced by chat forms (each one with probability ``share``)."""
    for long, shorts in SHORT_FORMS.items():
        pattern = re.compile(rf"\b{re.escape(long)}\b", re.IGNORECASE)
        if pattern.search(text) and rng.random() < share:
            text = pattern.sub(rng.choice(shorts), text)
    return text


def drop_words(text: str, rng: random.Random) -> str:
    """One or two words left out (liaisons write in telegram style)."""
    parts = text.split()
    for _ in range(rng.choice((1, 1, 2))):
        if len(parts) < 4:
            break
        del parts[rng.randrange(len(parts))]
    return " ".join(parts)


def reorder(text: str, rng: random.Random) -> str:
    """The first word or two moved to the end: "kapan batas X" -> "batas X kapan"."""
    parts = _PUNCTUATION.sub("", text).split()
    if len(parts) < 4:
        return text
    cut = rng.choice((1, 1, 2))
    return " ".join(parts[cut:] + parts[:cut])


def misspell(text: str, rng: random.Random) -> str:
    parts = text.split()
    long = [i for i, w in enumerate(parts) if len(w) >= 5 and w.isalpha()]
    for i in rng.sample(long, min(len(long), rng.choice((1, 1, 2)))):
        parts[i] = typo(parts[i], rng)
    return " ".join(parts)


def variant(text: str, lang: str, rng: random.Random) -> str:
    """One noisy version of ``text``: lowercased and shortened mostly, sometimes with
    words dropped, moved or mistyped, with a greeting, a situation or a closing word."""
    noisy = text.lower() if rng.random() < 0.8 else text
    if lang == "id":
        noisy = shorten(noisy, rng)
    for change, chance in ((drop_words, 0.35), (reorder, 0.3), (misspell, 0.15)):
        if rng.random() < chance:
            noisy = change(noisy, rng)
    if rng.random() < 0.3:
        noisy = _PUNCTUATION.sub("", noisy)
    english = lang != "id"
    if rng.random() < 0.25:
        noisy = f"{rng.choice(SITUATIONS_EN if english else SITUATIONS_ID)} {noisy}"
    if rng.random() < 0.5:
        noisy = f"{rng.choice(OPENERS_EN if english else OPENERS_ID)} {noisy}"
    if rng.random() < 0.4:
        noisy = f"{noisy} {rng.choice(CLOSERS_EN if english else CLOSERS_ID)}"
    return noisy


def variants(text: str, lang: str, count: int, rng: random.Random) -> list[str]:
    """``count`` different noisy versions of ``text`` (fewer if they keep coming out equal)."""
    found: list[str] = []
    for _ in range(count * 3):
        if len(found) == count:
            break
        noisy = variant(text, lang, rng)
        if noisy != text and noisy not in found:
            found.append(noisy)
    return found
