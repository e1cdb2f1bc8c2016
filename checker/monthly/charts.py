"""The report's charts, drawn by matplotlib as SVG with a CJK font (text as paths, so a chart
looks the same in any browser and in the PDF, whatever fonts the reader has)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

#: colours by status, as in the report's table (and readable in grey: each bar is labelled)
STATUS_COLOURS = {
    "missed": "#c62828",
    "failed": "#8e24aa",
    "unknown": "#546e7a",
    "late": "#ef6c00",
    "early": "#f9a825",
    "due_soon": "#1e88e5",
    "waived": "#9e9e9e",
}


def _pyplot(font: str | None) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    families = [font] if font else []
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [*families, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "svg.fonttype": "path",
            # fixed ids and no date: the same data give the same file
            "svg.hashsalt": "lianfang",
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def _svg(plt: Any, figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": "lianfang"})
    plt.close(figure)
    return buffer.getvalue()


def status_bars(counts: dict[str, int], labels: dict[str, str], font: str | None, title: str) -> str:
    """Open findings by status, one horizontal bar each, gravest on top."""
    plt = _pyplot(font)
    statuses = [s for s in STATUS_COLOURS if s in counts]
    figure, axes = plt.subplots(figsize=(5.2, 0.45 * max(len(statuses), 2) + 0.6))
    y = list(range(len(statuses)))[::-1]
    values = [counts[s] for s in statuses]
    bars = axes.barh(y, values, color=[STATUS_COLOURS[s] for s in statuses])
    axes.bar_label(bars, padding=3)
    axes.set_yticks(y, [labels[s] for s in statuses])
    axes.set_title(title, loc="left", fontsize=11)
    axes.xaxis.set_visible(False)
    axes.spines["bottom"].set_visible(False)
    axes.set_xlim(0, max([*values, 1]) * 1.18)
    return _svg(plt, figure)


def trend(
    dates: Sequence[str], series: Mapping[str, Sequence[int]], labels: dict[str, str], font: str | None, title: str
) -> str:
    """Open findings by status over the checks, stacked, the latest on the right."""
    plt = _pyplot(font)
    figure, axes = plt.subplots(figsize=(7.2, 2.8))
    x = list(range(len(dates)))
    bottom = [0] * len(dates)
    for status, values in series.items():
        if not any(values):
            continue
        axes.bar(x, values, bottom=bottom, color=STATUS_COLOURS[status], label=labels[status], width=0.6)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for i, total in enumerate(bottom):
        axes.annotate(
            str(total), (i, total), ha="center", va="bottom", fontsize=9, xytext=(0, 2), textcoords="offset points"
        )
    axes.set_xticks(x, list(dates), fontsize=8)
    axes.set_title(title, loc="left", fontsize=11)
    axes.set_ylim(0, max([*bottom, 1]) * 1.2)
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
    return _svg(plt, figure)


def score_bars(items: Sequence[tuple[str, float, float]], font: str | None, title: str, legend: tuple[str, str]) -> str:
    """Each item's score against its points."""
    plt = _pyplot(font)
    figure, axes = plt.subplots(figsize=(6.4, 0.42 * len(items) + 0.8))
    y = list(range(len(items)))[::-1]
    axes.barh(y, [p for _, p, _ in items], color="#e0e0e0", label=legend[0])
    bars = axes.barh(y, [s for _, _, s in items], color="#2e7d32", height=0.5, label=legend[1])
    axes.bar_label(bars, labels=[f"{s:g} / {p:g}" for _, p, s in items], padding=3, fontsize=9)
    axes.set_yticks(y, [name for name, _, _ in items])
    axes.set_title(title, loc="left", fontsize=11)
    axes.xaxis.set_visible(False)
    axes.spines["bottom"].set_visible(False)
    axes.set_xlim(0, max([*(p for _, p, _ in items), 1]) * 1.35)
    axes.legend(loc="lower right", frameon=False, fontsize=8)
    return _svg(plt, figure)
