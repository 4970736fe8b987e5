"""Settings of key-date selection: what counts as evidence for a day, how days are ranked, how long a timeline
is, which sentences summarise a day."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KeyDateParams", "RANKERS"]

RANKERS = ("learned", "mentions")


@dataclass(frozen=True)
class KeyDateParams:
    """Settings of :func:`~helpers.timeline.key_dates`. The weights, margin and dateline filter were set while
    developing on Timeline17 Syria (``benchmarks/t17_key_dates.py``, commits 2c1d045, ccf5210, 5b79da3, ea98075);
    the rest are plain bounds."""

    # weight of a mention written on the day itself, and while the day is still ahead (announcements); a
    # mention written after the day counts 1
    same_day_weight: float = 1.0
    future_weight: float = 0.25
    # the learned ranker's mentions: one document's (weighted) mentions of one day count at most this much
    # (None: no cap): a programme listing or a live page naming "today" fifty times is one witness. 5 from
    # leave-one-topic-out runs of benchmarks/t17_key_dates.py (every cap from 1 to 20 gained; the ranker's JSON
    # records the cap it was fitted with, and scoring uses it). The unsupervised score is not capped.
    mentions_per_document: float | None = 5.0
    # days before the first publication day still in the timeline (a corpus without dates keeps every day)
    margin_days: int = 60
    # a dateline: the publication day (give or take ``dateline_days``) in the first ``dateline_chars``
    # characters, followed by its year or a clock time (within ``clock_chars``)
    dateline_chars: int = 200
    dateline_days: int = 1
    clock_chars: int = 20
    # characters read before / after a mention when looking for a year or a clock time
    before_chars: int = 25
    after_chars: int = 40
    # representative sentences: at most this similar to one already picked, among this many candidates,
    # of a plausible length in words (others count this much less)
    max_repeat_similarity: float = 0.6
    max_candidates: int = 400
    plausible_words: tuple[int, int] = (8, 60)
    implausible_length_weight: float = 0.5
    # length chosen when none is asked: dates scoring above median + ``length_sd`` standard deviations (and at
    # least ``length_min_score``), between ``min_length`` and ``max_length``, and at most
    # ``length_per_sqrt_docs`` x sqrt(documents)
    length_sd: float = 2.0
    length_min_score: float = 2.0
    min_length: int = 3
    max_length: int = 30
    length_per_sqrt_docs: float = 2.0
    # keywords="auto": only corpora of ``topic_min_docs``+ documents are filtered; core terms are the names
    # (among the ``topic_top_names`` most frequent) within ``topic_core_share`` of the most frequent one; a
    # document is on topic when it names a core term ``topic_min_mentions`` times; a sentence is relevant when
    # it names a core term or one of the ``topic_sentence_terms`` most frequent names of the on-topic documents
    topic_min_docs: int = 50
    topic_top_names: int = 5
    topic_core_share: float = 0.4
    topic_min_mentions: int = 2
    topic_sentence_terms: int = 15
    # how candidate days are ranked: "learned" (the shipped pairwise logistic ranker of ranking.model, fitted on
    # 13 Timeline17 topics by scripts/fit_key_dates.py; a corpus without publication dates falls back to
    # "mentions") or "mentions" (the unsupervised score below); ``ranker_file`` is a refitted model's JSON
    ranker: str = "learned"
    ranker_file: str | None = None
    # the learned ranker's burst features compare a day's mentions with their mean over this many days centred
    # on it, when fitting (scripts/fit_key_dates.py records it in the ranker's JSON, and scoring uses the
    # recorded value): 15 chosen among 3, 5, 7, 15 and 31 inside the leave-one-topic-out folds of
    # benchmarks/t17_key_dates.py (15 in 9 of 13 topic folds, 31 in the other 4)
    burst_days: int = 15
