"""Evaluation figures as text: ours beside the baseline, weakest categories, misses."""

from __future__ import annotations

from knowledge.tools.evaluate import Report


def render_reports(name: str, ours: Report, baseline: Report) -> str:
    lines = [
        f"{name}: {ours.items} questions ({ours.in_scope} in scope, "
        f"{ours.out_of_scope} out of scope)",
        "",
        f"{'':38}{'search':>10}{'baseline':>10}{'ratio':>9}",
    ]
    rows = [
        ("hit@1", ours.hit1, baseline.hit1, True),
        ("hit@3", ours.hit3, baseline.hit3, True),
        ("MRR", ours.mrr, baseline.mrr, True),
        ("out-of-scope accuracy", ours.oos_accuracy, baseline.oos_accuracy, True),
        ("in-scope refused (lower=better)", ours.refused, baseline.refused, False),
        ("wrong answers (lower=better)", ours.wrong, baseline.wrong, False),
        (
            "out-of-scope accuracy, hand-over too",
            ours.oos_handed_over,
            baseline.oos_handed_over,
            True,
        ),
        (
            "wrong less hand-over (lower=better)",
            ours.wrong_after_hand_over,
            baseline.wrong_after_hand_over,
            False,
        ),
        ("p50 latency ms", ours.p50_ms, baseline.p50_ms, False),
        ("p99 latency ms", ours.p99_ms, baseline.p99_ms, False),
    ]
    for label, mine, theirs, higher_better in rows:
        ratio = _ratio(mine, theirs) if higher_better else ""
        lines.append(f"{label:38}{mine:>10.3f}{theirs:>10.3f}{ratio:>9}")
    lines += ["", "hit@1 by category, weakest first (search | baseline):"]
    ordered = sorted(ours.by_category.items(), key=lambda kv: (kv[1][0] / kv[1][1], kv[0]))
    for category, (hits, total) in ordered:
        base_hits, _ = baseline.by_category.get(category, (0, total))
        lines.append(
            f"  {category:24} {hits / total:5.2f} ({hits}/{total})"
            f"  | {base_hits / total:5.2f} ({base_hits}/{total})"
        )
    lines += ["", f"misses of the search ({len(ours.misses)}):"]
    for miss in ours.misses:
        lines += [
            f"  - {miss.question}",
            f"      expected: {miss.expected}  [{miss.category}]",
            f"      got:      {miss.got}",
        ]
    return "\n".join(lines)


def _ratio(mine: float, theirs: float) -> str:
    if theirs <= 0:
        return "inf" if mine > 0 else "-"
    return f"{mine / theirs:.2f}x"
