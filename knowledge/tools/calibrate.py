"""Fitting the search confidence so that a score means a probability of being right.

Examples come from the knowledge base itself, from questions written for this purpose,
and optionally from real questions of evaluation files (the shipped calibration used the
development set and the first four held-out sets, ``kb_holdout.yaml`` to
``kb_holdout4.yaml``; a fifth one was kept out of it, to measure what the fit does on
questions it never saw):

- each entry's phrasings, and its question, are held out in turn (four folds): the
  search, built without them, must find their entry. Each held-out text is asked as
  written and in ``NOISY`` noisy versions (``knowledge.tools.augment``: greetings, chat
  abbreviations, dropped words, typos, word order), because liaisons do not type like the
  knowledge base is written. A text whose entry comes first is a "right" example, one
  whose entry does not is a "wrong" one;
- ``calibration/out_of_scope.yaml``: questions no entry should answer, as written and
  with the same noise ("wrong" whenever answered);
- optionally, real questions with known answers (evaluation files in the
  ``faq_dev.yaml`` format): liaisons' own wording, which the generated noise only imitates.

A logistic regression on the features of the first hit is fitted to these examples,
weighted so that in-scope questions make up ``IN_SCOPE_SHARE`` of what the bot is asked
(the real questions, together, weigh ``REAL_SHARE`` of the generated ones). Without real
questions the threshold is the one with the lowest expected cost on the same examples; with
them it is chosen on the real questions by ``CV_FOLDS``-fold cross-validation (each one
scored by a fit that did not see it), so that it is not tuned to the questions it is
judged on, and it must refuse at least ``MIN_OOS_REFUSED`` of the out-of-scope ones. A wrong
confident answer costs ``WRONG_COST`` refusals (a refusal still shows the closest entries
and offers an officer).

The home of the fit's settings: ``FOLDS``, ``NOISY``, ``WRONG_COST``, ``IN_SCOPE_SHARE``,
``RELATED_SHARE``, ``REAL_SHARE``, ``L2``, ``CV_FOLDS``, ``SEED``, and ``MIN_OOS_REFUSED``
(the out-of-scope share the chosen threshold must refuse).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from knowledge.search.scoring import Features
from knowledge.search.searcher import Searcher
from knowledge.tools.augment import variants
from knowledge.tools.evaluate import load_items, matches

if TYPE_CHECKING:
    from knowledge.search import KnowledgeBase

OUT_OF_SCOPE = Path(__file__).parents[1] / "calibration" / "out_of_scope.yaml"
CALIBRATION_MODULE = Path(__file__).parents[1] / "search" / "calibration.py"
FOLDS = 8
NOISY = 4  # noisy versions of each held-out text
WRONG_COST = 2.0
IN_SCOPE_SHARE = 0.75
RELATED_SHARE = 0.5  # weight of a wrong first hit that the right entry lists as related
L2 = 0.01
SEED = 20240814
REAL_SHARE = 0.5  # weight of all real questions together, relative to the generated ones
CV_FOLDS = 5
MIN_OOS_REFUSED = 0.93  # out-of-scope share to refuse: 0.9 required, plus a margin for few samples


@dataclass(frozen=True)
class Example:
    question: str
    features: Features
    right: bool
    out_of_scope: bool = False
    related: bool = False  # wrong, but the first hit is a related entry (often overlapping)


def examples(kb: KnowledgeBase, noisy: int = NOISY) -> list[Example]:
    """Held-out phrasings (right or wrong by where their entry ranks) and out-of-scope ones,
    each as written and in ``noisy`` noisy versions."""
    rng = random.Random(SEED)
    found: list[Example] = []
    titles = {
        f"{c.id}/{s.id}": (*c.title.values(), *s.title.values())
        for c in kb.categories
        for s in c.subcategories
    }
    by_id = {entry.id: entry for entry in kb.entries}
    for fold in range(FOLDS):
        held: list[tuple[str, str, str]] = []  # text, lang, entry id
        kept = []
        for entry in kb.entries:
            keep: dict[str, tuple[str, ...]] = {}
            for lang, items in entry.phrasings.items():
                keep[lang] = tuple(p for i, p in enumerate(items) if i % FOLDS != fold)
                held += [(p, lang, entry.id) for i, p in enumerate(items) if i % FOLDS == fold]
            kept.append(replace(entry, phrasings=keep))
        # the questions of every FOLDS-th entry are held out too: questions asked in full
        for position, entry in enumerate(kb.entries):
            if position % FOLDS == fold:
                held += [(q, lang, entry.id) for lang, q in entry.question.items()]
                kept[position] = replace(kept[position], question={})
        searcher = Searcher(kept, titles)
        for text, lang, entry_id in held:
            for asked in (text, *variants(text, lang, noisy, rng)):
                top = searcher.explain(asked, 1)
                if top:
                    first = top[0][0]
                    related = entry_id in first.related or first.id in by_id[entry_id].related
                    found.append(Example(asked, top[0][1], first.id == entry_id, related=related))
    for raw in yaml.safe_load(OUT_OF_SCOPE.read_text(encoding="utf-8")):
        question = str(raw)
        lang = "en" if kb.searcher.guesser.guess(question.lower().split()) == "en" else "id"
        for asked in (question, *variants(question, lang, noisy, rng)):
            top = kb.searcher.explain(asked, 1)
            if top:
                found.append(Example(asked, top[0][1], False, out_of_scope=True))
    return found


def real_examples(kb: KnowledgeBase, paths: Sequence[Path]) -> list[Example]:
    """Questions with known answers, asked as written: right when the first hit's answer
    matches, out of scope when marked so."""
    found: list[Example] = []
    for path in paths:
        for item in load_items(path):
            top = kb.searcher.explain(item.q, 1)
            if top:
                first, features = top[0]
                right = not item.out_of_scope and matches(first, item)
                found.append(Example(item.q, features, right, out_of_scope=item.out_of_scope))
    return found


def weights_of(samples: list[Example]) -> list[float]:
    """Each example's weight: in-scope ones share IN_SCOPE_SHARE, out-of-scope ones the
    rest; a wrong first hit that is a related entry counts RELATED_SHARE (two entries on
    one fact are often both acceptable)."""
    raw = [RELATED_SHARE if s.related and not s.right else 1.0 for s in samples]
    inside = sum(r for r, s in zip(raw, samples, strict=True) if not s.out_of_scope) or 1.0
    outside = sum(r for r, s in zip(raw, samples, strict=True) if s.out_of_scope) or 1.0
    scale = len(samples)
    return [
        r * scale * ((1 - IN_SCOPE_SHARE) / outside if s.out_of_scope else IN_SCOPE_SHARE / inside)
        for r, s in zip(raw, samples, strict=True)
    ]


def fit(
    samples: list[Example], rounds: int = 30, weights_in: Sequence[float] | None = None
) -> list[float]:
    """Logistic regression by Newton's method (a few exact steps), with a small ridge
    penalty, on the weighted examples (``weights_of`` unless given)."""
    given = weights_of(samples) if weights_in is None else weights_in
    rows = [
        ((1.0, *s.features.vector()), float(s.right), w)
        for s, w in zip(samples, given, strict=True)
    ]
    width = len(rows[0][0])
    weights = [0.0] * width
    for _ in range(rounds):
        gradient = [L2 * w if i else 0.0 for i, w in enumerate(weights)]
        hessian = [[L2 if i == j and i else 0.0 for j in range(width)] for i in range(width)]
        for x, y, weight in rows:
            p = _sigmoid(sum(w * v for w, v in zip(weights, x, strict=True)))
            for i in range(width):
                gradient[i] += (p - y) * weight * x[i] / len(rows)
                for j in range(i, width):
                    hessian[i][j] += p * (1 - p) * weight * x[i] * x[j] / len(rows)
        for i in range(width):
            for j in range(i):
                hessian[i][j] = hessian[j][i]
        step = _solve(hessian, gradient)
        weights = [w - d for w, d in zip(weights, step, strict=True)]
        if max(abs(d) for d in step) < 1e-6:
            break
    return weights


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the system is tiny)."""
    size = len(vector)
    rows = [[*matrix[i], vector[i]] for i in range(size)]
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        if abs(rows[col][col]) < 1e-12:
            continue
        for r in range(size):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][size] / rows[i][i] if abs(rows[i][i]) > 1e-12 else 0.0 for i in range(size)]


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def expected_cost(scored: list[tuple[float, Example, float]], threshold: float) -> float:
    """Cost per question of answering at ``threshold``: a wrong answer WRONG_COST, a refused
    in-scope question 1, a refused out-of-scope question and a right answer nothing."""
    total = weight_sum = 0.0
    for probability, sample, weight in scored:
        weight_sum += weight
        if probability >= threshold:
            total += 0.0 if sample.right else WRONG_COST * weight
        elif not sample.out_of_scope:
            total += weight
    return total / (weight_sum or 1.0)


def choose_threshold(
    scored: list[tuple[float, Example, float]], min_oos_refused: float = 0.0
) -> float:
    """The threshold (0.30..0.90, in steps of 0.01) with the lowest expected cost among
    those refusing at least ``min_oos_refused`` of the out-of-scope examples; ties go to
    the higher one (refusing is the safer mistake)."""
    outside = [p for p, s, _ in scored if s.out_of_scope]
    candidates = [
        t
        for t in (round(0.30 + step / 100, 2) for step in range(61))
        if not outside or sum(p < t for p in outside) >= min_oos_refused * len(outside)
    ] or [0.90]
    return min(candidates, key=lambda t: (round(expected_cost(scored, t), 6), -t))


def combined(generated: list[Example], real: list[Example]) -> tuple[list[Example], list[float]]:
    """The generated and real examples with their weights (real ones share REAL_SHARE)."""
    each = REAL_SHARE * len(generated) / max(1, len(real))
    return generated + real, [*weights_of(generated), *([each] * len(real))]


def cross_validated(
    generated: list[Example], real: list[Example]
) -> list[tuple[float, Example, float]]:
    """Every real question scored by a fit on the generated examples and on the real
    questions of the other folds."""
    order = list(range(len(real)))
    random.Random(SEED).shuffle(order)
    scored: list[tuple[float, Example, float]] = []
    for fold in range(CV_FOLDS):
        test = [real[i] for n, i in enumerate(order) if n % CV_FOLDS == fold]
        train = [real[i] for n, i in enumerate(order) if n % CV_FOLDS != fold]
        samples, sample_weights = combined(generated, train)
        weights = fit(samples, weights_in=sample_weights)
        scored += [(probability(weights, s.features), s, 1.0) for s in test]
    return scored


def probability(weights: list[float], features: Features) -> float:
    return _sigmoid(
        weights[0] + sum(w * v for w, v in zip(weights[1:], features.vector(), strict=True))
    )


def fit_report(kb: KnowledgeBase, real_paths: Sequence[Path] = ()) -> tuple[str, str]:
    """What the fit found, in words, and the calibration module to write."""
    generated = examples(kb)
    real = real_examples(kb, real_paths)
    samples, sample_weights = combined(generated, real) if real else (generated, None)
    weights = fit(samples, weights_in=sample_weights)
    scored = [
        (probability(weights, s.features), s, w)
        for s, w in zip(samples, sample_weights or weights_of(samples), strict=True)
    ]
    lines = [
        f"examples from {len(kb.entries)} entries and {OUT_OF_SCOPE.name}, "
        f"each also in {NOISY} noisy versions, and {len(real)} real questions:"
    ]
    if real:
        held = cross_validated(generated, real)
        threshold = choose_threshold(held, MIN_OOS_REFUSED)
        lines += _summary("real, cross-validated", held, threshold)
    else:
        threshold = choose_threshold(scored)
    for name, members in (
        ("right first", [x for x in scored if x[1].right]),
        ("other entry first", [x for x in scored if not x[1].right and not x[1].out_of_scope]),
        ("out of scope", [x for x in scored if x[1].out_of_scope]),
    ):
        given = sum(p >= threshold for p, _, _ in members)
        lines.append(
            f"  {name:18} {len(members):5}  answered at {threshold:.2f}: "
            f"{given / max(1, len(members)):.1%}"
        )
    lines.append(f"  expected cost per question: {expected_cost(scored, threshold):.3f}")
    module = calibration_module(weights, threshold)
    lines += ["", f"{CALIBRATION_MODULE.name}:", "", module]
    return "\n".join(lines), module


def _summary(name: str, scored: list[tuple[float, Example, float]], threshold: float) -> list[str]:
    """Answered-right, answered-wrong and refused shares of ``scored`` at ``threshold``."""
    inside = [(p, s) for p, s, _ in scored if not s.out_of_scope]
    outside = [p for p, s, _ in scored if s.out_of_scope]
    right = sum(p >= threshold and s.right for p, s in inside) / max(1, len(inside))
    refused = sum(p < threshold for p, _ in inside) / max(1, len(inside))
    oos = sum(p < threshold for p in outside) / max(1, len(outside))
    return [
        f"  {name}: threshold {threshold:.2f}, in scope answered right {right:.1%}, "
        f"refused {refused:.1%}; out of scope refused {oos:.1%}; "
        f"cost {expected_cost(scored, threshold):.3f}"
    ]


def calibration_module(weights: list[float], threshold: float) -> str:
    """The text of ``knowledge/search/calibration.py`` for these coefficients and threshold."""
    names = ("intercept", *Features.__dataclass_fields__)
    rows = "\n".join(f"    {w:.3f},  # {name}" for w, name in zip(weights, names, strict=True))
    return (
        '"""The fitted confidence: intercept, then one coefficient per feature of\n'
        "``knowledge.search.searcher.Features``, and the threshold below which the bot does\n"
        "not answer (it offers the closest entries and an officer instead).\n\n"
        "Written by ``helpdesk kb calibrate --write``; refit after large content changes.\n"
        '"""\n\n'
        f"COEFFICIENTS: tuple[float, ...] = (\n{rows}\n)\n"
        f"THRESHOLD = {threshold:.2f}\n"
    )
