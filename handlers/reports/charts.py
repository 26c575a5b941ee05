"""Charts for the printed report, drawn with matplotlib's Agg backend (no display)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, MaxNLocator

from handlers.reports.words import number

_BAR = "#8B1E1E"
_BAR2 = "#D9A441"
_MAX_BARS = 12


def _png(figure: plt.Figure) -> bytes:
    out = io.BytesIO()
    figure.tight_layout()  # one layout pass; bbox_inches="tight" would draw twice
    figure.savefig(out, format="png", dpi=110)
    plt.close(figure)
    return out.getvalue()


def _thousands(value: float, _pos: int) -> str:
    return number(value)


def bars(title: str, labels: Sequence[str], values: Sequence[int]) -> bytes:
    """Horizontal bars, largest at the top (at most twelve, the rest left to the tables)."""
    labels, values = list(labels)[:_MAX_BARS], list(values)[:_MAX_BARS]
    figure, axes = plt.subplots(figsize=(7.5, 0.35 * max(len(labels), 3) + 0.9))
    positions = range(len(labels))
    axes.barh(list(positions), values, color=_BAR)
    axes.set_yticks(list(positions), [label[:40] for label in labels], fontsize=8)
    axes.invert_yaxis()
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(_thousands))
    for y, v in zip(positions, values, strict=True):
        axes.text(v, y, f" {number(v)}", va="center", fontsize=7)
    axes.set_title(title, fontsize=10, loc="left", fontweight="bold")
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(axis="x", labelsize=7)
    return _png(figure)


def stacked(
    title: str,
    labels: Sequence[str],
    first: Sequence[int],
    second: Sequence[int],
    names: tuple[str, str],
) -> bytes:
    """Two counts per office side by side in one bar (tickets and recorded consultations)."""
    labels = [label[:28] for label in labels][:40]
    first, second = list(first)[:40], list(second)[:40]
    figure, axes = plt.subplots(figsize=(7.5, 0.28 * max(len(labels), 3) + 1.0))
    positions = list(range(len(labels)))
    axes.barh(positions, first, color=_BAR, label=names[0])
    axes.barh(positions, second, left=first, color=_BAR2, label=names[1])
    axes.set_yticks(positions, labels, fontsize=7)
    axes.invert_yaxis()
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(_thousands))
    axes.legend(fontsize=7, frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2)
    axes.set_title(title, fontsize=10, loc="left", fontweight="bold")
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(axis="x", labelsize=7)
    return _png(figure)
