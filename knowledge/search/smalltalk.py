"""A message that asks nothing: a greeting ("assalamualaikum, selamat pagi min"), an
announcement that a question is coming ("mau tanya kak"), thanks ("makasih min 🙏") or an
acknowledgement ("ok siap"). Liaisons open and close chats this way; searched as a
question, it would be answered "not sure" and logged as a gap the knowledge base should
fill. The words come from ``lexicon.SALUTATIONS`` and the lists below; a message of
only such words (and punctuation or emoji) is small talk."""

from __future__ import annotations

import re
from enum import StrEnum

from knowledge.search.lexicon import SALUTATIONS, split_words
from knowledge.search.textnorm import fold


class SmallTalk(StrEnum):
    GREETING = "greeting"  # a greeting, or "I want to ask": invite the question
    THANKS = "thanks"  # you're welcome
    ACK = "ack"  # "ok", "siap": noted


THANKS: frozenset[str] = frozenset(
    split_words(
        """
        terima kasih makasih makasi maksih mksh trims trimakasih terimakasih tq ty thx
        thanks thank you nuhun matur nuwun suwun tengkyu hatur
        """
    )
)
ACKS: frozenset[str] = frozenset(
    split_words("ok oke okay okey okee sip siap baik noted mantap mantul jelas paham beres")
)
EXTRA: frozenset[str] = frozenset(
    split_words(
        """
        wassalamualaikum waalaikumsalam wa alaikum salam shalom om swastiastu namo buddhaya
        salam sejahtera sehat selalu semua rekan rekan2 teman teman2 kpu helpdesk bot sobat
        atas bantuannya infonya jawabannya penjelasannya nya banyak sekali ya yaa yah deh
        kak kk pak bu min mas mbak
        """
    )
)
MAX_WORDS = 12
_WORD = re.compile(r"[a-z0-9]+")


def small_talk(text: str) -> SmallTalk | None:
    """What ``text`` is when it asks nothing (see the module); None for anything else."""
    words = _WORD.findall(fold(text))
    if len(words) > MAX_WORDS or any(
        w not in SALUTATIONS and w not in THANKS and w not in ACKS and w not in EXTRA for w in words
    ):
        return None
    if not words:  # emoji or punctuation alone: the FAQ says it caught no question
        return None
    if any(w in THANKS for w in words):
        return SmallTalk.THANKS
    return SmallTalk.ACK if any(w in ACKS for w in words) else SmallTalk.GREETING
