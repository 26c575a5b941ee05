"""The fitted confidence: intercept, then one coefficient per feature of
``knowledge.search.Features``, and the threshold below which the bot does not answer
(it offers the closest entries and an officer instead).

Written by ``helpdesk kb calibrate --write``; refit after large content changes.
"""

COEFFICIENTS: tuple[float, ...] = (
    -4.499,  # intercept
    0.283,  # cosine
    1.097,  # bm25
    1.204,  # coverage
    0.737,  # known
    1.364,  # margin
    0.221,  # unit_cover
    1.511,  # unit_recall
    1.400,  # matched
    0.818,  # length
)
THRESHOLD = 0.57
