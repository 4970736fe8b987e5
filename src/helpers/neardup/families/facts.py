"""What the per-family steps read of each document (text, length, date, source, cues), as plain dicts built once
for the corpus: at 10,000 documents a pandas lookup per family or pair cost more than the work it looked up for."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

__all__ = ["DocumentFacts", "document_facts"]


@dataclass(frozen=True)
class DocumentFacts:
    """Per ``doc_id``: ``text``, ``n_words``, ``published`` (Timestamp or NaT), ``source``, ``url`` of the prepared
    documents, and the cues ``credits``, ``credit_line``, ``scraped``, ``summary_cue``, ``named_quotes``,
    ``quotes``, ``attributions``, ``machine_style`` (NaN when the cues have no machine style)."""

    text: dict
    n_words: dict
    published: dict
    source: dict
    url: dict
    credits: dict
    credit_line: dict
    scraped: dict
    summary_cue: dict
    named_quotes: dict
    quotes: dict
    attributions: dict
    machine_style: dict


def _column(table: pd.DataFrame, name: str, default=None) -> dict:
    if name not in table.columns:
        return dict.fromkeys(table.index, default)
    return dict(zip(table.index, table[name]))


_INFO_COLUMNS = ("text", "n_words", "published", "source", "url")
_CUE_COLUMNS = ("credits", "credit_line", "scraped", "summary_cue", "named_quotes", "quotes", "attributions")


def document_facts(info: pd.DataFrame, cues: pd.DataFrame) -> DocumentFacts:
    """The facts of prepared documents ``info`` and their ``cues``, both indexed by ``doc_id``."""
    return DocumentFacts(
        **{c: _column(info, c) for c in _INFO_COLUMNS},
        **{c: _column(cues, c) for c in _CUE_COLUMNS},
        machine_style=_column(cues, "machine_style", math.nan),
    )
