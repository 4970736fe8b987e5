"""Sentiment: VADER compound scores (NLTK's rules on the lexicon shipped in ``vaderSentiment``), per sentence and
the mean per document, computed for all sentences at once (:mod:`helpers.framing.vader`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..text import sentence_spans
from .vader import vader_scores

__all__ = ["SentimentParams", "vader", "sentiment", "sentiment_of", "sentence_sentiment", "document_sentiment"]


@dataclass(frozen=True)
class SentimentParams:
    """``min_sentence_words``: sentences shorter than this (datelines, bylines, "Read more") are not scored.
    Set by hand in the first version of the framing stage."""

    min_sentence_words: int = 3


@lru_cache(maxsize=1)
def vader():
    """NLTK's VADER analyser on the lexicon file of the ``vaderSentiment`` package (no NLTK download), the
    reference :mod:`helpers.framing.vader` reproduces; raises when the package or its lexicon is missing."""
    import nltk
    import vaderSentiment
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    folder = str(Path(vaderSentiment.__file__).resolve().parent)
    lex = Path(folder) / "vader_lexicon.txt"
    if not lex.is_file():
        raise FileNotFoundError(f"vaderSentiment ships no lexicon at {lex}")
    nltk.data.path.append(folder)  # NLTK only opens files under its data paths
    try:
        return SentimentIntensityAnalyzer(lexicon_file=lex.as_uri())
    finally:
        nltk.data.path.remove(folder)


def sentence_sentiment(sentences: pd.DataFrame, params: SentimentParams | None = None) -> pd.Series:
    """VADER compound of each row of a sentence table (``text`` column); NaN for sentences shorter than
    ``min_sentence_words`` whitespace-separated words."""
    min_words = (params or SentimentParams()).min_sentence_words
    scores = vader_scores(sentences["text"].astype(str).tolist())
    return pd.Series(np.where(scores.n_split >= min_words, scores.compound, np.nan), index=sentences.index)


def document_sentiment(sentences: pd.DataFrame, scores: pd.Series) -> pd.Series:
    """Mean sentence compound per ``doc_id`` (NaN for a document without a scored sentence)."""
    return scores.groupby(sentences["doc_id"].to_numpy(), sort=False).mean()


def sentiment_of(text: str, params: SentimentParams | None = None) -> float:
    """VADER compound of one text: mean over its sentences of ``min_sentence_words`` or more (NaN if none)."""
    spans = sentence_spans(text)
    sents = pd.DataFrame({"doc_id": "", "text": [text[s:e] for s, e in spans]})
    scores = sentence_sentiment(sents, params)
    return float(scores.mean()) if scores.notna().any() else np.nan


def sentiment(texts: Iterable[str], params: SentimentParams | None = None) -> list[float]:
    """:func:`sentiment_of` each text."""
    return [sentiment_of(text, params) for text in texts]
