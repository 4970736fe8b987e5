"""Timelines: the temporal tagger, and when each version of a story appeared, which dates it asserts, and where
versions disagree.

- ``tag(text, reference_date)``: TimeML temporal expressions of one text (``tagger``, built from ``rules``,
  ``anchoring``, ``vocabulary`` and ``values``; settings in :class:`TaggerParams`).
- ``timexes(docs, reference_date)``: every expression of every document, anchored to the document's publication
  date (or ``reference_date`` when it has none); values that cannot be anchored stay unresolved (``resolved`` is
  False) and are counted by ``timex_summary`` and ``anchoring_summary``, never guessed.
- ``publication_timeline(docs, families)``: when each version appeared and its lag behind its family's origin;
  ``articles_over_time`` counts articles per period and source.
- ``dated_sentences`` / ``events``: sentences anchored to resolved dates (day, month or year), merged across the
  documents of a family when they carry the same date and similar wording (:class:`EventParams`).
- ``key_dates(docs, n)``: the dates a corpus refers to most, with representative sentences (:class:`KeyDateParams`).
- ``temporal_claims`` / ``conflicts``: claims about when something started (durations, start dates) that
  disagree within a story family (:class:`ConflictParams`).
- ``guarded(step, func, docs, failures, ...)``: one of the steps above run over all documents at once, with the
  documents it fails on found, listed in ``failures`` and left out (the others' results unchanged).
- ``plot_*``: the charts of notebook 03.

Documents are the shared documents table (``doc_id``, ``text``; optional ``published``, ``source``, ``title``).
"""

from __future__ import annotations

from .anchoring import TaggerParams, reference_dates
from .conflicts import ConflictParams, conflict_view, conflicts, temporal_claims
from .documents import TIMEX_COLUMNS, anchoring_summary, family_table, timex_summary, timexes
from .events import GRANULARITIES, EventParams, dated_sentences, events
from .guards import guarded
from .key_dates import KeyDateParams, key_dates
from .plots import plot_events, plot_family_spread, plot_key_dates, plot_publications
from .publications import articles_over_time, publication_timeline
from .tagger import COLUMNS, RULE_ERRORS, RuleErrors, tag, tag_documents
from .values import duration_years, interval, is_resolved, parse_duration, parse_value, to_date

__all__ = [
    "tag",
    "tag_documents",
    "COLUMNS",
    "TaggerParams",
    "RULE_ERRORS",
    "RuleErrors",
    "TIMEX_COLUMNS",
    "GRANULARITIES",
    "reference_dates",
    "to_date",
    "is_resolved",
    "parse_value",
    "interval",
    "parse_duration",
    "duration_years",
    "timexes",
    "timex_summary",
    "anchoring_summary",
    "family_table",
    "publication_timeline",
    "articles_over_time",
    "dated_sentences",
    "events",
    "EventParams",
    "key_dates",
    "KeyDateParams",
    "temporal_claims",
    "conflicts",
    "conflict_view",
    "guarded",
    "ConflictParams",
    "plot_publications",
    "plot_events",
    "plot_family_spread",
    "plot_key_dates",
]
