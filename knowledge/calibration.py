"""The fitted confidence: intercept, then one coefficient per feature of
``knowledge.search.Features``, and the threshold below which the bot does not answer
(it offers the closest entries and an officer instead).

Written by ``helpdesk kb calibrate --write``; refit after large content changes.
"""

COEFFICIENTS: tuple[float, ...] = (
    -4.438,  # intercept
    0.311,  # cosine
    0.999,  # bm25
    1.160,  # coverage
    0.707,  # known
    1.329,  # margin
    0.192,  # unit_cover
    1.370,  # unit_recall
    1.432,  # matched
    0.971,  # length
)
THRESHOLD = 0.60
