"""Ranking candidate days for key dates: the evidence (mentions after the filters), the features of each day,
the shipped learned ranker and how to fit it (see ``scripts/fit_key_dates.py``)."""

from __future__ import annotations

from .evidence import date_evidence
from .features import BURST_FEATURES, COUNT_FEATURES, FEATURE_DESCRIPTIONS, MODEL_FEATURES, TEXT_FEATURES, date_features
from .model import DateRanker, load_ranker
from .params import RANKERS, KeyDateParams

__all__ = [
    "KeyDateParams",
    "RANKERS",
    "date_evidence",
    "date_features",
    "MODEL_FEATURES",
    "BURST_FEATURES",
    "COUNT_FEATURES",
    "TEXT_FEATURES",
    "FEATURE_DESCRIPTIONS",
    "DateRanker",
    "load_ranker",
]
