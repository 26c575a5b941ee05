"""What a candidate entry is scored with: its phrasings' weights (``Unit``), what the
question accumulated for it (``Accumulated``), the features the confidence reads
(``Features``) and the fitted logistic confidence itself (``confidence``; coefficients in
``calibration``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from knowledge.search.calibration import COEFFICIENTS


@dataclass(frozen=True)
class Unit:
    """One question or phrasing of an entry: its terms' weights, their norm and sum."""

    weights: dict[str, float]
    norm: float
    total: float
    stems: frozenset[str]  # the keys of ``weights``, for a quick intersection


@dataclass(frozen=True)
class Accumulated:
    """BM25F per entry that can rank among the first, and the squared query weight each
    shares with the question (which bounds its phrasing cosine)."""

    bm25: dict[int, float]
    shared: dict[int, float]


Ranked = tuple[float, int, tuple[float, float, float], float]  # rank, position, units, BM25F


@dataclass(frozen=True)
class Features:
    """What the confidence is computed from, for one candidate entry."""

    cosine: float  # best phrasing match
    bm25: float  # BM25F, normalised by what the question could score at most
    coverage: float  # share of the question's content weight the entry contains
    known: float  # share of the question's content weight the knowledge base knows
    margin: float  # (rank - best other rank) / rank
    unit_cover: float  # share of the question's content weight its best phrasing contains
    unit_recall: float  # share of the best-matching phrasing's weight the question contains
    matched: float  # content terms the entry shares with the question, / 3, at most 1
    length: float  # content terms of the question, / 10, at most 1

    def vector(self) -> tuple[float, ...]:
        return (
            self.cosine,
            self.bm25,
            self.coverage,
            self.known,
            self.margin,
            self.unit_cover,
            self.unit_recall,
            self.matched,
            self.length,
        )


def confidence(features: Features) -> float:
    z = COEFFICIENTS[0] + sum(
        c * f for c, f in zip(COEFFICIENTS[1:], features.vector(), strict=True)
    )
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
