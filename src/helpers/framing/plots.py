"""Charts of the framing tables: frame heatmap, stance, keyness, actor salience, shift summary.

Every chart draws corpus text as plain text (:func:`helpers.charts.chart`), takes an optional ``ax`` and returns
the axes it drew on; a chart with nothing to show says why instead of drawing nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..charts import axes, chart, message
from ..show import clip
from .analyse import STANCE_TABLE_COLUMNS

__all__ = ["plot_frame_heatmap", "plot_stance", "plot_keyness", "plot_actor_salience", "plot_shift_summary"]

DOC_LABEL = 18  # characters of a doc_id shown on an axis
SIGNIFICANT_Z = 1.96  # |z| above this is conventionally notable (two-sided 5 %)


def _label(doc_id: str, n: int = DOC_LABEL) -> str:
    return clip(doc_id, n)


def _heatmap(ax, m: pd.DataFrame, columns: list[str], rotation: int, cmap: str, label: str):
    im = ax.imshow(m.to_numpy(), aspect="auto", cmap=cmap)
    ax.set_xticks(range(len(columns)), columns, rotation=rotation, ha="right")
    ax.set_yticks(range(len(m)), [_label(d) for d in m.index])
    ax.figure.colorbar(im, ax=ax, label=label)
    return ax


@chart
def plot_frame_heatmap(
    table: pd.DataFrame, frames: list[str] | None = None, ax=None, max_docs: int = 40, label: str = "score (0-1)"
):
    """Documents × frames heatmap of the frame columns of ``table`` (0-1 scores, or rates: say which in
    ``label``); frames that are zero everywhere are dropped; at most ``max_docs`` documents, the first ones, are
    drawn: the table has them all."""
    t = table.set_index("doc_id").head(max_docs)
    cols = list(frames) if frames is not None else [c for c in t.columns if c not in STANCE_TABLE_COLUMNS]
    cols = [c for c in cols if c in t and pd.api.types.is_numeric_dtype(t[c])]
    cols = [c for c in cols if c in t and t[c].fillna(0).abs().sum() > 0] or cols[:1]
    m = t[cols].astype(float)
    ax = axes(ax, (max(6, 0.55 * len(cols) + 3), max(2.5, 0.45 * len(m) + 1.5)))
    _heatmap(ax, m, [clip(c, 28) for c in cols], 60, "viridis", label)
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            v = m.iat[i, j]
            if np.isfinite(v) and v > 0:
                ax.text(
                    j,
                    i,
                    f"{v:.2f}" if m.to_numpy().max() <= 1 else f"{v:.0f}",
                    ha="center",
                    va="center",
                    color="w",
                    fontsize=7,
                )
    shown = f" (first {max_docs} of {len(table)} documents)" if len(table) > max_docs else ""
    ax.set_title(f"Frames: {label}" + shown)
    ax.figure.tight_layout()
    return ax


def _grouped_bars(ax, t: pd.DataFrame, series: list[tuple[str, str]], height: float, labels: list[str]) -> None:
    """One group of horizontal bars per row of ``t``: a bar per ``(column, legend label)`` of ``series``."""
    y = np.arange(len(t))
    for k, (col, lab) in enumerate(series):
        ax.barh(y + (k - (len(series) - 1) / 2) * height, t[col].fillna(0), height=height, label=lab)
    ax.set_yticks(y, labels)
    ax.legend()


@chart
def plot_stance(table: pd.DataFrame, ax=None, max_docs: int = 40):
    """Grouped bars per document (the first ``max_docs``): hedges and boosters per 1,000 words, named and
    anonymous sources, direct quotes. ``ax``: two axes (left, right)."""
    t = table.set_index("doc_id").head(max_docs)
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(1, 2, figsize=(11, max(3, 0.4 * len(t) + 1.5)))
    labels = [_label(d) for d in t.index]
    _grouped_bars(ax[0], t, [("hedges_per_1k", "hedges"), ("boosters_per_1k", "boosters")], 0.38, labels)
    ax[0].set_xlabel("per 1,000 words")
    ax[0].set_title("Hedging and boosting")
    sources = [
        ("named_sources", "named sources"),
        ("anonymous_sources", "anonymous sources"),
        ("quotes", "direct quotes"),
    ]
    _grouped_bars(ax[1], t, sources, 0.27, labels)
    ax[1].set_xlabel("count")
    ax[1].set_title("Attribution")
    ax[0].figure.tight_layout()
    return ax


@chart
def plot_keyness(k: pd.DataFrame, n: int = 12, ax=None, title: str | None = None):
    """Horizontal bars of z-scores: the ``n`` terms most typical of each group."""
    if k.empty:
        return message(axes(ax, (7, 3)), "No keyness to show: the two groups share no counted words.")
    sel = pd.concat([k.head(n), k.tail(n)]).drop_duplicates("term").sort_values("z")
    ax = axes(ax, (7, max(3, 0.25 * len(sel) + 1)))
    ax.barh(range(len(sel)), sel["z"], color=np.where(sel["z"] >= 0, "#1f77b4", "#d62728"))
    ax.set_yticks(range(len(sel)), sel["term"])
    ax.axvline(SIGNIFICANT_Z, ls=":", c="grey")
    ax.axvline(-SIGNIFICANT_Z, ls=":", c="grey")
    ax.set_xlabel(f"z (log-odds, informative prior): right = {k['favours'].iloc[0]}, left = {k['favours'].iloc[-1]}")
    if title:
        ax.set_title(title)
    ax.figure.tight_layout()
    return ax


@chart
def plot_actor_salience(salience: pd.DataFrame, top: int = 8, ax=None, max_docs: int = 40):
    """Heatmap of actor mentions per 1,000 words for the ``top`` actors over all documents."""
    if salience.empty:
        return message(axes(ax, (6, 2.5)), "No actors found (no proper-noun phrases outside headlines).")
    best = salience.groupby("actor")["mentions"].sum().sort_values(ascending=False, kind="stable").head(top).index
    m = (
        salience[salience["actor"].isin(best)]
        .pivot_table(index="doc_id", columns="actor", values="per_1k", aggfunc="sum", fill_value=0)[list(best)]
        .head(max_docs)
    )
    ax = axes(ax, (max(6, 0.7 * len(best) + 3), max(2.5, 0.45 * len(m) + 1.5)))
    _heatmap(ax, m, list(best), 45, "magma_r", "mentions per 1,000 words")
    ax.set_title("Actor salience")
    ax.figure.tight_layout()
    return ax


@chart
def plot_shift_summary(summary: pd.DataFrame, ax=None):
    """Bars per derivative: net hedging change, attribution dropped, story-frame swaps (over aligned pairs)."""
    if summary.empty:
        return message(axes(ax, (8, 3)), "No framing shift to show: no derivative has aligned sentences.")
    ax = axes(ax, (8, max(3, 0.5 * len(summary) + 1.5)))
    series = [
        ("net_hedging", "net hedges added"),
        ("attribution_dropped", "attributions dropped"),
        ("frame_swaps", "story-frame swaps"),
    ]
    labels = [f"{_label(c)} \u2190 {_label(p, 10)}" for c, p in zip(summary["child"], summary["parent"])]
    _grouped_bars(ax, summary, series, 0.27, labels)
    ax.axvline(0, c="k", lw=0.8)
    ax.set_xlabel("count over aligned sentence pairs")
    ax.set_title("Framing shift from parent to derivative")
    ax.figure.tight_layout()
    return ax
