"""The fitted confidence: intercept, then one coefficient per feature of
``knowledge.search.searcher.Features``, and the threshold below which the bot does
not answer (it offers the closest entries and an officer instead).

Written by ``helpdesk kb calibrate --write``; refit after large content changes.
"""

COEFFICIENTS: tuple[float, ...] = (
    -4.734,  # intercept
    0.355,  # cosine
    1.098,  # bm25
    1.233,  # coverage
    0.872,  # known
    1.276,  # margin
    0.339,  # unit_cover
    1.458,  # unit_recall
    1.309,  # matched
    1.167,  # length
)
THRESHOLD = 0.61
