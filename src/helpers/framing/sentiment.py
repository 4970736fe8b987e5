"""Sentiment: NLTK's VADER analyser reading the lexicon file shipped inside the ``vaderSentiment`` package."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..text import sentence_spans

__all__ = ["SentimentParams", "vader", "sentiment", "sentiment_of"]


@dataclass(frozen=True)
class SentimentParams:
    """``min_sentence_words``: sentences shorter than this (datelines, bylines, "Read more") are not scored.
    Set by hand in the first version of the framing stage."""

    min_sentence_words: int = 3


@lru_cache(maxsize=1)
def vader():
    """NLTK's VADER analyser on the lexicon file of the ``vaderSentiment`` package (no NLTK download); raises
    when the package or its lexicon is missing."""
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


def sentiment_of(text: str, params: SentimentParams | None = None) -> float:
    """VADER compound score of one text: mean over its sentences of ``min_sentence_words`` or more (NaN if none)."""
    min_words = (params or SentimentParams()).min_sentence_words
    sia = vader()
    vals = [
        sia.polarity_scores(text[s:e])["compound"]
        for s, e in sentence_spans(text)
        if len(text[s:e].split()) >= min_words
    ]
    return float(np.mean(vals)) if vals else np.nan


def sentiment(texts: Iterable[str], params: SentimentParams | None = None) -> list[float]:
    """:func:`sentiment_of` each text."""
    return [sentiment_of(text, params) for text in texts]
