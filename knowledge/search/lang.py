"""Is a question Indonesian or English? Counted from function words and the knowledge
base's own vocabulary of each language; Indonesian when in doubt (it is the liaisons'
language, and mixed messages such as "deadline daftar parpol kpn" are Indonesian)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from knowledge.search.textnorm import split_words

ID_MARKERS: frozenset[str] = frozenset(
    split_words(
        """
        yang dan di ke dari untuk dengan pada ini itu saya kami kita apa apakah kapan
        berapa siapa mana bagaimana kenapa mengapa bisa boleh harus sudah belum tidak
        bukan ada adalah akan juga saja lagi sih dong deh kok nih ya atau kalau jika
        karena masih tolong mohon bagaimana caranya kah lah nya sampai setelah sebelum
        hari tanggal jam
        """
    )
)
EN_MARKERS: frozenset[str] = frozenset(
    split_words(
        """
        the a an is are am was were be been do does did to of in on at for by with and
        or i me my we our us you your it its this that these those there here can could
        would should will what when where who which why how many much please have has
        need must not no if about from into register registration party parties deadline
        candidate candidates members member election elections regional documents
        document time
        """
    )
)


class LanguageGuesser:
    """Guesses "id" or "en" for a list of words."""

    def __init__(self, id_words: Iterable[str] = (), en_words: Iterable[str] = ()) -> None:
        id_vocab = set(id_words)
        en_vocab = set(en_words)
        # Words seen in only one language's texts of the knowledge base are evidence too.
        self._id_only = frozenset(id_vocab - en_vocab)
        self._en_only = frozenset(en_vocab - id_vocab)

    def guess(self, words: Sequence[str]) -> str:
        id_score = 0.0
        en_score = 0.0
        for word in words:
            if word in ID_MARKERS:
                id_score += 1.0
            elif word in EN_MARKERS:
                en_score += 1.0
            elif word in self._id_only:
                id_score += 0.5
            elif word in self._en_only:
                en_score += 0.5
        return "en" if en_score > id_score else "id"
