"""Stance: hedges, boosters, reporting cues, anonymous-source nouns and titles (one lexicon), and direct quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .lexicon import STANCE_LEXICON, as_lexicon, match_terms

__all__ = ["StanceParams", "QUOTE_COLUMNS", "stance_markers", "quotes"]

QUOTE = re.compile(r"\u201c([^\u201d\n]+)\u201d|\"([^\"\n]+)\"")
QUOTE_COLUMNS = ["doc_id", "start", "end", "quote"]


@dataclass(frozen=True)
class StanceParams:
    """``min_quote_words``: a quotation of fewer words is a scare quote or a name ("the 'axis'"), not a direct
    quote. Set by hand in the first version of the framing stage, not tuned on labelled data."""

    min_quote_words: int = 5


def stance_markers(toks: pd.DataFrame, stance_lexicon=None, texts=None, codes=None) -> pd.DataFrame:
    """Hits of the stance lexicon (hedge, booster, reporting, anonymous, honorific), categories independent.

    ``stance_lexicon``: a loaded lexicon, a path, dict or DataFrame; ``None`` for the shipped one. ``codes``:
    :func:`~helpers.framing.lexicon.form_codes` of the word tokens, when already made."""
    lex = as_lexicon(stance_lexicon, default=STANCE_LEXICON)
    return match_terms(toks, lex, texts=texts, overlap="category", negation=False, codes=codes)


def quotes(view: pd.DataFrame, params: StanceParams | None = None) -> pd.DataFrame:
    """Direct quotations (“…” or "…") of at least ``min_quote_words`` words: ``doc_id, start, end, quote``."""
    min_words = (params or StanceParams()).min_quote_words
    rows = []
    for doc_id, text in zip(view["doc_id"], view["text"]):
        for m in QUOTE.finditer(text):
            q = m.group(1) or m.group(2) or ""
            if len(q.split()) >= min_words:
                rows.append((doc_id, m.start(), m.end(), q))
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)
