"""The charts of notebook 02: story similarity heatmap, lineage graph, coverage bars (plain-text labels,
:func:`helpers.charts.chart`). Each takes the tables of a trace and an optional ``ax``, and returns the axes."""

from __future__ import annotations

import pandas as pd

from ...charts import axes, chart, message
from .pipeline import Trace

__all__ = ["lineage_layout", "plot_similarity_heatmap", "plot_lineage", "plot_coverage"]

_LABEL_CHARS = 14  # document ids on the heatmap's axes
_NODE_LABEL_CHARS = 24  # document ids in the lineage graph
_EXTERNAL_LABEL_CHARS = 40  # names of external originals
_ANNOTATED_CELLS_UP_TO = 12  # documents: a heatmap this small shows its values
_DARK_CELL = 0.6  # similarity from which a heatmap value is written in white


def _depths(parent: dict, external: dict) -> dict:
    """Depth of each member from its family's origin (1 under an external original)."""
    depth: dict = {}

    def walk(x, seen=()):
        if x not in depth:
            par = parent.get(x, "")
            if x in external:
                depth[x] = 1
            elif not par or par not in parent or par in seen:
                depth[x] = 0
            else:
                depth[x] = walk(par, (*seen, x)) + 1
        return depth[x]

    for x in parent:
        walk(x)
    return depth


def lineage_layout(lin: pd.DataFrame, fam: pd.DataFrame, max_families: int = 6) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node positions and edges for drawing lineage trees (largest families first).

    Returns ``nodes`` (``node, label, family_id, x, y, external``; x = depth from the origin) and ``edges``
    (``parent, child, relation``). External origins become their own node.
    """
    sizes = fam.groupby("family_id").size()
    fids = [f for f in sizes.sort_values(ascending=False, kind="stable").index if sizes[f] > 1][: max(0, max_families)]
    nodes, edges, y = [], [], 0.0
    for fid in fids:
        g = lin[lin["family_id"] == fid]
        parent = dict(zip(g["doc_id"], g["parent"]))
        relation = dict(zip(g["doc_id"], g["relation"]))
        external = {d: f"{par} [{fid}]" for d, par in parent.items() if par and par not in parent}
        depth = _depths(parent, external)
        for d in sorted(parent, key=lambda x: (depth[x], str(x))):
            label = str(d)[:_NODE_LABEL_CHARS] + f" ({relation[d] or 'origin'})"
            nodes.append((d, label, fid, float(depth[d]), -y, False))
            y += 1
            if d in external:
                edges.append((external[d], d, relation[d]))
            elif parent[d]:
                edges.append((parent[d], d, relation[d]))
        for node in external.values():
            label = node.rsplit(" [", 1)[0][:_EXTERNAL_LABEL_CHARS]
            nodes.append((node, label, fid, 0.0, -(y - len(parent)) + 0.5, True))
        y += 0.8
    return (
        pd.DataFrame(nodes, columns=["node", "label", "family_id", "x", "y", "external"]).drop_duplicates("node"),
        pd.DataFrame(edges, columns=["parent", "child", "relation"]),
    )


@chart
def plot_similarity_heatmap(result: Trace, max_docs: int = 40, ax=None):
    """Story similarity between the members of multi-document families, ordered by family (blocks along the
    diagonal are families); values written in the cells of a small heatmap."""
    sim = result.similarity_matrix()
    if sim.empty:
        return message(axes(ax, (6, 1.5)), "No family has two or more documents: nothing to draw.")
    order = result.families.set_index("doc_id").loc[sim.index, "family_id"].sort_values(kind="stable").index[:max_docs]
    sim = sim.loc[order, order]
    side = max(4.5, 1.5 + 0.35 * len(sim))
    ax = axes(ax, (side + 1.2, side))
    im = ax.imshow(sim.to_numpy(), cmap="Blues", vmin=0, vmax=1)
    if len(sim) <= _ANNOTATED_CELLS_UP_TO:
        for i in range(len(sim)):
            for j in range(len(sim)):
                v = sim.iat[i, j]
                color = "white" if v > _DARK_CELL else "black"
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8, color=color)
    ax.set_xticks(range(len(sim)), [str(x)[:_LABEL_CHARS] for x in sim.columns], rotation=90, fontsize=8)
    ax.set_yticks(range(len(sim)), [str(x)[:_LABEL_CHARS] for x in sim.index], fontsize=8)
    ax.figure.colorbar(im, ax=ax, shrink=0.7, label="story similarity")
    ax.set_title("Story similarity")
    ax.figure.tight_layout()
    return ax


@chart
def plot_lineage(result: Trace, max_families: int = 6, ax=None):
    """Lineage trees of the largest families: origin on the left, each derivative right of its parent, edges
    labelled with the relation; an external original (not in the corpus) is a grey node."""
    nodes, edges = lineage_layout(result.lineage, result.families, max_families=max_families)
    if edges.empty:
        return message(axes(ax, (6, 1.5)), "No lineage to draw (no family has two or more documents).")
    ax = axes(ax, (10, 1.2 + 0.6 * len(nodes)))
    pos = nodes.set_index("node")[["x", "y"]]
    for e in edges.itertuples():
        (x0, y0), (x1, y1) = pos.loc[e.parent], pos.loc[e.child]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=dict(arrowstyle="->", color="0.4"))
        ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.12, e.relation, fontsize=8, ha="center", color="darkred")
    for n in nodes.itertuples():
        ax.scatter(n.x, n.y, s=120, color="0.7" if n.external else "tab:blue", zorder=3)
        ax.text(n.x + 0.05, n.y - 0.25, n.label, fontsize=8)
    ax.set_axis_off()
    ax.set_title("Lineage: origin on the left, derivatives to the right")
    ax.figure.tight_layout()
    return ax


@chart
def plot_coverage(coverage: pd.DataFrame, max_docs: int = 40, ax=None):
    """Stacked bars per family member: share of its sentences copied, paraphrased and novel. At most
    ``max_docs`` bars: the members of the largest families first (the table holds every document)."""
    if coverage is None or coverage.empty:
        return message(axes(ax, (6, 1.5)), "No family has two or more documents.")
    shown = coverage
    if len(coverage) > max_docs and "family_id" in coverage.columns:
        size = coverage.groupby("family_id")["doc_id"].transform("size")
        order = pd.DataFrame({"size": -size, "family": coverage["family_id"].astype(str)}, index=coverage.index)
        shown = coverage.loc[order.sort_values(["size", "family"], kind="stable").index[:max_docs]]
    elif len(coverage) > max_docs:
        shown = coverage.head(max_docs)
    c = shown.set_index("doc_id")[["copied", "paraphrased", "novel"]]
    ax = axes(ax, (8, 0.9 + 0.35 * len(c)))
    c.plot.barh(stacked=True, color=["tab:red", "tab:orange", "tab:green"], ax=ax)
    if len(shown) < len(coverage):
        ax.set_title(f"{len(shown):,} of {len(coverage):,} documents (largest families first)", fontsize=9)
    ax.set_xlabel("share of sentences")
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.legend(loc="lower right", fontsize=8)
    ax.figure.tight_layout()
    return ax
