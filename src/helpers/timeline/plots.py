"""Charts of notebook 03 (matplotlib; corpus text in labels is plain text, see ``helpers.charts``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..charts import axes, chart, message
from .publications import articles_over_time

__all__ = ["plot_publications", "plot_family_spread", "plot_events", "plot_key_dates"]


@chart
def plot_publications(docs: pd.DataFrame, freq: str | None = None, ax=None, max_sources: int = 8):
    """Stacked bars of articles per period by source (the biggest ``max_sources``; the rest as "other")."""
    ax = axes(ax, (9, 3.5))
    table = articles_over_time(docs, freq)
    if table.empty:
        return message(ax, "No publication dates in this corpus: nothing to place on a time axis.")
    if table.shape[1] > max_sources:
        keep = table.sum().sort_values(ascending=False).index[: max_sources - 1]
        table = table.loc[:, keep].assign(other=table.drop(columns=keep).sum(axis=1))
    bottom = np.zeros(len(table))
    x = table.index.to_numpy()
    span = (x.max() - x.min()) if len(x) > 1 else pd.Timedelta(days=1)
    width = max(span / max(len(x), 1) * 0.8, pd.Timedelta(hours=12))
    for source in table.columns:
        ax.bar(x, table[source].to_numpy(), bottom=bottom, width=width, label=str(source)[:40])
        bottom += table[source].to_numpy()
    ax.set_ylabel("articles")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize="small", ncols=2, frameon=False)
    ax.figure.autofmt_xdate()
    return ax


@chart
def plot_family_spread(pubs: pd.DataFrame, ax=None, max_families: int = 20, label_chars: int = 28):
    """One row per story family (the largest ``max_families`` with dates): each version at its publication
    time, the origin as a star, so the spread of a story and the lag of its copies show at a glance."""
    have = pubs.loc[pubs["published"].notna()] if pubs is not None and len(pubs) else pd.DataFrame()
    if have.empty:
        return message(axes(ax, (9, 2)), "No publication dates: the spread of each story over time is unknown.")
    sizes = have.groupby("family_id")["doc_id"].size().sort_values(ascending=False, kind="stable")
    families = list(sizes.index[:max_families])
    ax = axes(ax, (9, 0.4 * len(families) + 1.5))
    for y, family in enumerate(families):
        members = have.loc[have["family_id"] == family]
        x = pd.to_datetime(members["published"]).dt.tz_localize(None)
        ax.plot([x.min(), x.max()], [y, y], color="lightgrey", lw=1, zorder=1)
        origin = (members["doc_id"] == members["origin_id"]).to_numpy()
        ax.scatter(x[~origin], [y] * int((~origin).sum()), s=25, color="tab:blue", zorder=2)
        ax.scatter(x[origin], [y] * int(origin.sum()), s=90, marker="*", color="tab:red", zorder=3)
    ax.set_yticks(range(len(families)))
    ax.set_yticklabels([str(f)[:label_chars] for f in families], fontsize="small")
    ax.set_xlabel("published (star: origin)")
    ax.grid(axis="x", alpha=0.3)
    ax.figure.autofmt_xdate()
    return ax


@chart
def plot_events(ev: pd.DataFrame, ax=None, max_lanes: int = 25, label_chars: int = 28):
    """One lane per document, a marker per dated sentence at its date (day: dot, month: square, year: bar);
    sentences merged into one event across documents are joined by a line."""
    if ev is None or len(ev) == 0:
        return message(axes(ax, (9, 2)), "No sentence in these documents carries a resolved date.")
    lanes = ev.groupby("doc_id")["event_id"].size().sort_values(ascending=False).index[:max_lanes]
    e = ev.loc[ev["doc_id"].isin(lanes)].copy()
    order = sorted(lanes, key=str)
    ax = axes(ax, (9, 0.45 * len(order) + 1.5))
    e["y"] = e["doc_id"].map({d: i for i, d in enumerate(order)})
    e["x"] = pd.to_datetime(e["first_day"])
    for granularity, marker, size in (("day", "o", 40), ("month", "s", 36), ("year", "|", 160)):
        g = e.loc[e["granularity"] == granularity]
        if len(g):
            ax.scatter(g["x"], g["y"], marker=marker, s=size, label=granularity, zorder=3)
    for _, g in e.groupby("event_id"):
        if g["doc_id"].nunique() > 1:
            g = g.sort_values("y")
            ax.plot(g["x"], g["y"], color="grey", lw=0.8, zorder=2)
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([str(d)[:label_chars] for d in order], fontsize="small")
    ax.set_xlabel("date the sentence refers to")
    # a few references to the distant past would squeeze the story into one pixel: zoom on the bulk
    x = e["x"].sort_values()
    lo = x.quantile(0.1)
    if len(x) >= 10 and (x.max() - lo) * 4 < (x.max() - x.min()):
        pad = max((x.max() - lo) * 0.05, pd.Timedelta(days=1))
        ax.set_xlim(lo - pad, x.max() + pad)
        older = int((x < lo - pad).sum())
        ax.set_xlabel(f"date the sentence refers to ({older} references to earlier dates are off the left edge)")
    ax.legend(fontsize="small", frameon=False, loc="upper left")
    ax.grid(axis="x", alpha=0.3)
    ax.figure.autofmt_xdate()
    return ax


@chart
def plot_key_dates(kd: pd.DataFrame, ax=None):
    """Stems at the key dates, as tall as their score."""
    ax = axes(ax, (9, 3))
    if kd is None or len(kd) == 0:
        return message(ax, "No key dates: no expression in the corpus resolves to a day.")
    x = pd.to_datetime(kd["date"])
    ax.vlines(x, 0, kd["score"].astype(float), color="tab:blue")
    ax.scatter(x, kd["score"].astype(float), zorder=3)
    ax.set_ylabel("score")
    ax.figure.autofmt_xdate()
    return ax
