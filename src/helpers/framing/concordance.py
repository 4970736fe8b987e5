"""Concordance: words and phrases in their context (keyword in context), and the top frame terms'."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .analyse import FramingResult
from .documents import document_view, to_field_offsets, view_tokens, word_tokens
from .lexicon import load_lexicon, match_terms

__all__ = ["KWIC_COLUMNS", "CONCORDANCE_COLUMNS", "kwic", "concordance"]

KWIC_COLUMNS = ["doc_id", "field", "left", "keyword", "right", "start", "end"]
CONCORDANCE_COLUMNS = ["frame", "term", *KWIC_COLUMNS]


class _Context:
    """The words around a hit: ``window`` words each side, as plain text of the document view."""

    def __init__(self, view: pd.DataFrame, toks: pd.DataFrame, window: int):
        self.texts = dict(zip(view["doc_id"], view["text"]))
        self.window = window
        self.bounds = {
            d: (g["start"].to_numpy(), g["end"].to_numpy()) for d, g in word_tokens(toks).groupby("doc_id", sort=False)
        }

    def __call__(self, doc: str, pos: int, length: int, start: int, end: int) -> tuple[str, str, str]:
        """``left, keyword, right`` of the hit of ``length`` words at word ``pos`` (view offsets ``start:end``)."""
        starts, ends = self.bounds[doc]
        left = starts[max(0, pos - self.window)]
        right = ends[min(len(ends) - 1, pos + length - 1 + self.window)]
        t = self.texts[doc]
        return " ".join(t[left:start].split()), t[start:end], " ".join(t[end:right].split())


def kwic(docs_or_result, terms, window: int = 8, match: str = "stem", include_title: bool = True) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``terms`` (a word, phrase or list) with ``window`` words each side.

    Accepts a documents table or a :class:`FramingResult` (reuses its tokens). ``match``: ``stem`` (inflections)
    or ``exact``. Returns ``doc_id, field, left, keyword, right, start, end`` (plain text: display it as a
    DataFrame, or escape it before building HTML).
    """
    if isinstance(docs_or_result, FramingResult):
        view, toks = docs_or_result.view, docs_or_result.tokens
    else:
        view = document_view(docs_or_result, include_title)
        toks = view_tokens(view)
    terms = [terms] if isinstance(terms, str) else list(terms)
    lex = load_lexicon(pd.DataFrame({"category": "kwic", "term": terms, "match": match}))
    hits = match_terms(toks, lex, dict(zip(view["doc_id"], view["text"])), negation=False)
    if hits.empty:
        return pd.DataFrame(columns=KWIC_COLUMNS)
    context = _Context(view, toks, window)
    rows = [
        (d, int(s), int(e), *context(d, p, n, s, e))
        for d, p, n, s, e in zip(hits["doc_id"], hits["pos"], hits["length"], hits["start"], hits["end"])
    ]
    out = pd.DataFrame(rows, columns=["doc_id", "start", "end", "left", "keyword", "right"])
    return to_field_offsets(out, view)[KWIC_COLUMNS]


def concordance(
    result: FramingResult, top: int = 8, per_term: int = 3, window: int = 8, frames: Iterable[str] | None = None
) -> pd.DataFrame:
    """Concordance lines for the ``top`` most frequent frame terms (story frames, when given, first; negated
    hits left out), ``per_term`` lines each: ``frame, term`` + KWIC columns."""
    hits = result.frame_hits
    if hits.empty:
        return pd.DataFrame(columns=CONCORDANCE_COLUMNS)
    if frames is not None:
        hits = hits[hits["category"].isin(set(frames))]
    hits = hits[~hits["negated"].astype(bool).to_numpy()]
    counts = hits.groupby(["lexicon", "category", "term"]).size().rename("n").reset_index()
    counts["story"] = counts["lexicon"] == "story"  # the story's own frame words first, then the MFC terms
    counts = counts.sort_values(["story", "n", "term"], ascending=[False, False, True], kind="stable").head(top)
    chosen = [
        (cat, term, hits[(hits["category"] == cat) & (hits["term"] == term)].head(per_term))
        for cat, term in zip(counts["category"], counts["term"])
    ]
    shown = {d for _, _, sel in chosen for d in sel["doc_id"]}  # the context reads these documents' words only
    toks = result.tokens
    context = _Context(result.view, toks[toks["doc_id"].isin(shown).to_numpy(bool)], window)
    title_len = dict(zip(result.view["doc_id"], result.view["title_len"]))
    rows = []
    for cat, term, sel in chosen:
        for d, p, n, f, s, e in zip(sel["doc_id"], sel["pos"], sel["length"], sel["field"], sel["start"], sel["end"]):
            off = title_len[d] if f == "text" else 0  # hits hold field offsets; the context reads the view
            rows.append((cat, term, d, f, *context(d, p, n, s + off, e + off), s, e))
    return pd.DataFrame(rows, columns=CONCORDANCE_COLUMNS)
