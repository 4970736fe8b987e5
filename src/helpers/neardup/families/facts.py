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


def document_facts(info: pd.DataFrame, cues: pd.DataFrame) -> DocumentFacts:
    """The facts of prepared documents ``info`` and their ``cues``, both indexed by ``doc_id``."""
    return DocumentFacts(
        text=_column(info, "text"),
        n_words=_column(info, "n_words"),
        published=_column(info, "published"),
        source=_column(info, "source"),
        url=_column(info, "url"),
        credits=_column(cues, "credits"),
        credit_line=_column(cues, "credit_line"),
        scraped=_column(cues, "scraped"),
        summary_cue=_column(cues, "summary_cue"),
        named_quotes=_column(cues, "named_quotes"),
        quotes=_column(cues, "quotes"),
        attributions=_column(cues, "attributions"),
        machine_style=_column(cues, "machine_style", math.nan),
    )
