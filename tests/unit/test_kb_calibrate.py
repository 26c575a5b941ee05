"""Fitting the confidence: noisy variants of clean phrasings, a threshold chosen by cost,
and the calibration module the fit writes."""

from __future__ import annotations

import random

from knowledge.search import calibration
from knowledge.search.scoring import Features
from knowledge.tools.augment import typo, variants
from knowledge.tools.calibrate import (
    REAL_SHARE,
    Example,
    calibration_module,
    choose_threshold,
    combined,
    expected_cost,
)


def features(score: float) -> Features:
    return Features(score, score, score, 1.0, 0.1, score, score, 1.0, 0.5)


def test_noisy_variants_are_repeatable_and_differ_from_the_clean_text() -> None:
    text = "Kapan batas akhir pendaftaran partai politik?"
    first = variants(text, "id", 4, random.Random(7))
    assert first == variants(text, "id", 4, random.Random(7))
    assert len(first) == 4 and text not in first and len(set(first)) == 4


def test_a_typo_changes_one_letter_inside_a_long_word_only() -> None:
    rng = random.Random(3)
    for _ in range(50):
        changed = typo("pendaftaran", rng)
        assert changed[0] == "p" and abs(len(changed) - len("pendaftaran")) <= 1
    assert typo("kpu", rng) == "kpu"


def test_the_threshold_is_the_one_with_the_lowest_expected_cost() -> None:
    right = [(0.9, Example("r", features(0.9), True), 1.0)] * 6
    wrong = [(0.6, Example("w", features(0.6), False), 1.0)] * 2
    oos = [(0.3, Example("o", features(0.3), False, out_of_scope=True), 1.0)] * 2
    scored = right + wrong + oos
    threshold = choose_threshold(scored)
    assert 0.6 < threshold <= 0.9  # answering the 0.6 ones costs more than refusing them
    assert expected_cost(scored, threshold) == 2 / 10  # the two wrong ones refused


def test_the_written_calibration_module_has_one_coefficient_per_feature() -> None:
    width = 1 + len(features(0.5).vector())
    assert len(calibration.COEFFICIENTS) == width
    namespace: dict[str, object] = {}
    exec(calibration_module([0.5] * width, 0.55), namespace)  # our own generated text
    assert namespace["COEFFICIENTS"] == (0.5,) * width and namespace["THRESHOLD"] == 0.55


def test_the_threshold_refuses_the_required_share_of_out_of_scope_questions() -> None:
    right = [(0.6, Example("r", features(0.6), True), 1.0)] * 8
    oos = [(0.65, Example("o", features(0.65), False, out_of_scope=True), 1.0)] * 2
    assert choose_threshold(right + oos) == 0.6  # cheapest: answer everything
    assert choose_threshold(right + oos, min_oos_refused=0.9) > 0.65  # refuses both


def test_real_questions_weigh_a_fixed_share_of_the_generated_ones() -> None:
    generated = [Example("g", features(0.5), True)] * 40
    real = [Example("r", features(0.5), True)] * 10
    samples, weights = combined(generated, real)
    assert len(samples) == 50
    assert abs(sum(weights[40:]) - REAL_SHARE * len(generated)) < 1e-9
