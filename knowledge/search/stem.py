"""Stemming for Indonesian (prefixes, suffixes, particles) and light English stemming.

A rule-based stemmer alone over-strips ("peserta" is not "serta"), so stripping is only
accepted when it lands on a known root: a small built-in list of the domain's roots, plus
every word of the knowledge base that is also the stripped form of another of its words
("daftar" beside "pendaftaran", "mendaftar"). When several roots are reachable, the
shortest wins ("pendaftaran" → "pendaftar" → "daftar").

The home of ``BUILTIN_ROOTS``, the domain's roots known without the knowledge base.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from knowledge.search.textnorm import LIGHT_WORDS, STOPWORDS, split_words

# Roots of the domain and of everyday questions; three-letter roots only come from here.
BUILTIN_ROOTS: frozenset[str] = frozenset(
    split_words(
        """
        daftar calon pilih syarat unggah verifikasi anggota tetap ubah ganti hapus isi
        cek aju kirim lapor catut serah terima periksa baik laku tahap tanda tangan
        wakil aktif buka tutup tunjuk hubung kelola masuk akses sandi lupa cetak lengkap
        pindah mundur henti berhenti dukung pasang usul tolak putus umum tanggap sebar
        bantu layan konsultasi datang hadir tinggal ajar jelas benar salah hitung rekap
        muat data guna bukti pakai ikut cari temu sah setuju nilai kerja sedia catat
        tulis baca rekam foto ambil minta beri punya milik tambah kurang batas akhir
        mula
        """
    )
)

_PARTICLES = ("lah", "kah", "tah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_SUFFIXES = ("kan", "an", "i", "in")
_VOWELS = set("aeiou")
_MIN_ROOT = 4


def _strip_suffixes(word: str) -> list[str]:
    """The word with its particle, possessive and derivational suffix removed, in layers."""
    forms = [word]
    for group in (_PARTICLES, _POSSESSIVES, _SUFFIXES):
        for form in list(forms):
            for suffix in group:
                if form.endswith(suffix) and len(form) - len(suffix) >= 3:
                    forms.append(form[: -len(suffix)])
    return forms


def _strip_prefix(word: str) -> list[str]:
    """Possible words under one prefix, with the nasal's lost letter put back."""
    found: list[str] = []
    for plain in ("di", "ke", "se", "ter", "ber", "per", "be", "te"):
        if word.startswith(plain):
            found.append(word[len(plain) :])
    for nasal in ("me", "pe"):
        if word.startswith(nasal):
            found.extend(_after_nasal(word[len(nasal) :]))
    if word.startswith("nge"):
        found.append(word[3:])
    if word.startswith("ng") and len(word) > 3 and word[2] in _VOWELS:
        found.extend([word[2:], "k" + word[2:]])
    if word.startswith("ny") and len(word) > 3 and word[2] in _VOWELS:
        found.extend(["s" + word[2:], "c" + word[2:]])
    return [f for f in found if len(f) >= 3]


def _after_nasal(rest: str) -> list[str]:
    """After me-/pe-: mem-/pem-, men-/pen-, meng-/peng-, meny-/peny-, menge-/penge-."""
    if rest.startswith("nge"):
        return [rest[3:], "k" + rest[2:], rest[2:]]
    if rest.startswith("ng"):
        tail = rest[2:]
        return [tail, "k" + tail] if tail[:1] in _VOWELS else [tail]
    if rest.startswith("ny"):
        return ["s" + rest[2:], "c" + rest[2:]]
    if rest.startswith("m"):
        tail = rest[1:]
        return ["p" + tail, "m" + tail, rest] if tail[:1] in _VOWELS else [tail]
    if rest.startswith("n"):
        tail = rest[1:]
        return ["t" + tail, "n" + tail, rest] if tail[:1] in _VOWELS else [tail]
    if rest.startswith("r"):
        return [rest, rest[1:]]
    return [rest]


# Regional possessive and verb endings on an Indonesian word, to the word: Javanese
# "statuse", "anggotane", "didaftarke", "ndaftarake"; Sundanese "carana", "berkasna";
# Minang "partainyo". (ending, what replaces it)
_REGIONAL_ENDINGS: tuple[tuple[str, str], ...] = (
    ("ake", "kan"),
    ("ke", "kan"),
    ("nyo", ""),
    ("ne", ""),
    ("na", ""),
    ("e", ""),
)


def regional_forms(word: str) -> list[str]:
    """The Indonesian words ``word`` may be with a regional ending taken off, most likely
    first; the caller keeps one only when the knowledge base knows it."""
    return [
        word[: -len(ending)] + instead
        for ending, instead in _REGIONAL_ENDINGS
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_ROOT
    ]


@lru_cache(maxsize=65536)
def indonesian_candidates(word: str) -> frozenset[str]:
    """Every form reachable by removing suffixes and up to three layers of prefixes
    (remembered: building the index asks for the same words several times, and each
    approved entry rebuilds it)."""
    found: set[str] = set()
    layer = _strip_suffixes(word)
    found.update(layer)
    for _ in range(3):
        next_layer: list[str] = []
        for form in layer:
            for stripped in _strip_prefix(form):
                if stripped not in found:
                    found.add(stripped)
                    next_layer.extend(_strip_suffixes(stripped))
        found.update(next_layer)
        layer = next_layer
    found.discard(word)
    return frozenset(found)


def english_candidates(word: str) -> list[str]:
    found: list[str] = []
    if word.endswith("ies") and len(word) > 4:
        found.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 4:
        found.append(word[:-2])
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        found.append(word[:-1])
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            found.extend([base, base + "e"])
            if len(base) > 3 and base[-1] == base[-2]:
                found.append(base[:-1])
    if word.endswith("ly") and len(word) > 5:
        found.append(word[:-2])
    return found


class Stemmer:
    """Stems words against the roots known from the built-in list and a vocabulary."""

    def __init__(self, vocabulary: Iterable[str] = ()) -> None:
        vocab = {w for w in vocabulary if w.isalpha() and w not in STOPWORDS}
        self._roots: set[str] = set(BUILTIN_ROOTS)
        for word in vocab:
            if len(word) < _MIN_ROOT + 2:  # too short to carry an affix around a root
                continue
            for form in indonesian_candidates(word):
                if form in vocab and len(form) >= _MIN_ROOT and form not in LIGHT_WORDS:
                    self._roots.add(form)
            for form in english_candidates(word):
                if form in vocab:
                    self._roots.add(form)
        self._cache: dict[str, str] = {}

    def is_root(self, word: str) -> bool:
        return word in self._roots

    def stem(self, word: str) -> str:
        cached = self._cache.get(word)
        if cached is None:
            cached = self._stem(word)
            if len(self._cache) < 100_000:
                self._cache[word] = cached
        return cached

    def _stem(self, word: str) -> str:
        if len(word) <= 3 or not word.isalpha():
            return word
        roots = [c for c in indonesian_candidates(word) if c in self._roots]
        if roots:
            return min(roots, key=lambda c: (len(c), c))
        english = [c for c in english_candidates(word) if c in self._roots]
        if english:
            return min(english, key=len)
        if word.endswith("nya") and len(word) >= 7:
            return word[:-3]
        return word
