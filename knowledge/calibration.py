"""The fitted confidence: intercept, then one coefficient per feature of
``knowledge.search.Features``, and the threshold below which the bot does not answer
(it offers the closest entries and an officer instead).

Written by ``helpdesk kb calibrate --write``; refit after large content changes.
"""

COEFFICIENTS: tuple[float, ...] = (
    -3.711,  # intercept
    0.119,  # cosine
    1.125,  # bm25
    1.122,  # coverage
    0.647,  # known
    1.025,  # margin
    0.102,  # unit_cover
    0.781,  # unit_recall
    1.194,  # matched
    0.495,  # length
)
THRESHOLD = 0.54
