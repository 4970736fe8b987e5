"""A derivative and its parent side by side, reused passages and matched sentences highlighted (escaped HTML)."""

from __future__ import annotations

import pandas as pd

from ...show import escape, highlight_html
from .pipeline import Trace

__all__ = ["side_by_side_html"]

_CELL_STYLE = "vertical-align:top;white-space:pre-wrap;padding:6px;border:1px solid #ddd;font-size:0.85em"


def side_by_side_html(docs: pd.DataFrame, result: Trace, doc_id: str, parent: str, max_chars: int = 20_000) -> str:
    """Escaped two-column HTML: ``doc_id`` (left) and ``parent`` (right), with aligned passages and matched
    sentences highlighted on both sides. Each side shows at most its first ``max_chars`` characters (a page
    stays small when a corpus holds very long documents) and says so when it is cut."""
    text = dict(zip(docs["doc_id"].astype(str), docs["text"].fillna("").astype(str)))
    a, b = text.get(str(doc_id), ""), text.get(str(parent), "")
    spans_a, spans_b = [], []
    for tab in (result.passages, result.sentence_links):
        if tab is None or tab.empty:
            continue
        t = tab[(tab["doc_id"] == doc_id) & (tab["parent"] == parent)]
        spans_a += list(zip(t["a_start"], t["a_end"]))
        spans_b += list(zip(t["b_start"], t["b_end"]))
    rel = result.lineage.set_index("doc_id")["relation"].get(doc_id, "")
    cell = _CELL_STYLE
    return (
        f'<table style="width:100%;table-layout:fixed;border-collapse:collapse">'
        f'<tr><th style="{cell}">{escape(doc_id)} ({escape(rel)})</th>'
        f'<th style="{cell}">parent: {escape(parent)}</th></tr>'
        f'<tr><td style="{cell}">{_side(a, spans_a, max_chars)}</td>'
        f'<td style="{cell}">{_side(b, spans_b, max_chars)}</td></tr></table>'
    )


def _side(text: str, spans: list, max_chars: int) -> str:
    """One side: highlighted text, cut at ``max_chars`` with a note of how much is left out."""
    if len(text) <= max_chars:
        return highlight_html(text, spans)
    kept = [(s, min(e, max_chars)) for s, e in spans if s < max_chars]
    more = f"\n… (the first {max_chars:,} of {len(text):,} characters)"
    return highlight_html(text[:max_chars], kept) + f'<span style="color:#666">{escape(more)}</span>'
