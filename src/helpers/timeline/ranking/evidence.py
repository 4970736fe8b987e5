"""The evidence for key dates: the sentences that mention each day, after dropping what is not evidence
(datelines and timestamps, days outside the collection, off-topic documents, syndicated copies of one sentence)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ...text import STOPWORDS
from ..anchoring import reference_dates
from ..documents import family_of, published
from ..events import dated_sentences
from ..values import to_date
from .params import KeyDateParams

__all__ = ["date_evidence", "day_column", "day_mentions"]

_YEAR_TAIL = re.compile(r"^\s*,?\s*(?:19|20)\d\d\b")
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_DATELINE_TAIL = re.compile(r"^\s*,?\s*(?:19|20)\d\d\b|\b\d{1,2}[:.]\d{2}\b")
_NAME_WORD = re.compile(r"(?<=[a-z0-9,;] )([A-Z][a-z]{2,})\b")  # a capitalised word inside a sentence: a name
_CALENDAR_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december".split()
)


# ------------------------------------------------------------------------------------------ topic filter
def _names(texts: Iterable[str]) -> dict[str, int]:
    """Counts of the names (capitalised words inside sentences, no stopwords or calendar words) in ``texts``."""
    counts: Counter = Counter()
    for t in texts:
        if isinstance(t, str):
            counts.update(
                w for w in _NAME_WORD.findall(t) if w.lower() not in STOPWORDS and w.lower() not in _CALENDAR_WORDS
            )
    return dict(counts.most_common())


def _terms_pattern(terms: list[str], auto: bool) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(k) for k in terms) + r")", 0 if auto else re.I)


def _topic(docs: pd.DataFrame, keywords, params: KeyDateParams) -> tuple[set[str] | None, re.Pattern | None, list[str]]:
    """The corpus's topic: (on-topic doc ids, relevant-sentence pattern, core terms); (None, None, []) when no
    filtering applies (``keywords`` None or empty, or ``"auto"`` on a corpus too small to filter: it is one story
    already). With ``"auto"`` the core terms come from the corpus's most frequent names (see
    :class:`KeyDateParams`); the literature filters sentences by topic keywords such as "Syria", "Assad"."""
    if keywords is not None and not isinstance(keywords, (str, list, tuple, set, frozenset, pd.Series, np.ndarray)):
        raise TypeError(f"keywords must be None, 'auto' or a list of topic terms, not {type(keywords).__name__}")
    if keywords is None or len(keywords) == 0:
        return None, None, []
    texts = docs["text"].where(docs["text"].map(lambda t: isinstance(t, str)), "")
    auto = isinstance(keywords, str) and keywords == "auto"
    if auto:
        if len(docs) < params.topic_min_docs:
            return None, None, []
        top = list(_names(texts).items())[: params.topic_top_names]
        if not top:
            return None, None, []
        core = [w for w, c in top if c >= params.topic_core_share * top[0][1]]
    else:
        core = [str(k) for k in ([keywords] if isinstance(keywords, str) else keywords) if str(k).strip()]
        if not core:
            return None, None, []
    on_topic = texts.str.count(_terms_pattern(core, auto)).to_numpy() >= params.topic_min_mentions
    if not on_topic.any():
        return None, None, core
    terms = list(dict.fromkeys(core + list(_names(texts[on_topic]))[: params.topic_sentence_terms]))
    return set(docs["doc_id"].astype(str)[on_topic]), _terms_pattern(terms, auto), core


# ------------------------------------------------------------------------------------------ evidence
def day_column(first_day: pd.Series) -> np.ndarray:
    day = pd.to_datetime(first_day)
    return (day.dt.tz_localize(None) if getattr(first_day.dt, "tz", None) else day).to_numpy()


def _datelines(d: pd.DataFrame, docs: pd.DataFrame, delta: np.ndarray, params: KeyDateParams) -> np.ndarray:
    """Which mentions are datelines (the publication day near the top, then its year or a clock time) or
    timestamps (a full date next to a clock time: comments, live pages)."""
    texts = dict(zip(docs["doc_id"].astype(str), docs["text"]))
    heads, tails = [], []
    for doc_id, a, e in zip(d["doc_id"], d["start"], d["end"]):
        t = texts.get(str(doc_id), "")
        t = t if isinstance(t, str) else ""
        heads.append(t[max(0, int(a) - params.before_chars) : int(a)])
        tails.append(t[int(e) : int(e) + params.after_chars])
    near = np.abs(np.nan_to_num(delta, nan=99.0)) <= params.dateline_days
    dateline = (
        (d["start"].to_numpy() < params.dateline_chars)
        & near
        & np.array([bool(_DATELINE_TAIL.search(t)) for t in tails], dtype=bool)
    )
    has_year = d["timex"].astype(str).str.contains(r"\b(?:19|20)\d\d\b", regex=True).to_numpy() | np.array(
        [bool(_YEAR_TAIL.match(t)) for t in tails], dtype=bool
    )
    clock = np.array(
        [bool(_CLOCK.search(t[: params.clock_chars])) or bool(_CLOCK.search(h)) for h, t in zip(heads, tails)],
        dtype=bool,
    )
    return dateline | (has_year & clock)


def date_evidence(docs, dated, tx, reference_date, start, end, families, keywords, params: KeyDateParams):
    """The mentions key dates are ranked by: one row per sentence and day of ``dated`` (made from ``tx`` when not
    given) after the span, topic, dateline and syndicated-copy filters, with ``day``, ``ref`` (publication day),
    ``w`` (weight: 1 written after the day, ``same_day_weight`` on it, ``future_weight`` before it),
    ``relevant`` (names a topic term) and ``voter`` (document, or story family); None when nothing is left."""
    if dated is None:
        dated = dated_sentences(docs, tx, reference_date, granularities=("day",))
    d = dated.loc[dated["granularity"] == "day"].copy() if len(dated) else dated
    if len(d) == 0:
        return None
    refs = reference_dates(docs, reference_date)
    refs.index = refs.index.astype(str)
    d["ref"] = d["doc_id"].map(refs)
    d["day"] = day_column(d["first_day"])
    known = published(docs.reset_index(drop=True)).dropna()
    if len(known):  # the collection's publication span (a corpus without dates keeps every day)
        known_days = pd.to_datetime(known.dt.tz_convert("UTC").dt.date)
        lo, hi = known_days.min() - pd.Timedelta(days=params.margin_days), known_days.max()
        d = d.loc[(d["day"] >= lo) & (d["day"] <= hi)]
    if to_date(start) is not None:
        d = d.loc[d["day"] >= pd.Timestamp(to_date(start))]
    if to_date(end) is not None:
        d = d.loc[d["day"] <= pd.Timestamp(to_date(end))]
    # topic: off-topic documents do not vote, and only sentences naming a topic term count as mentions
    on_topic, sentence_pattern, _core = _topic(docs, keywords, params)
    if on_topic is not None:
        d = d.loc[d["doc_id"].astype(str).isin(on_topic)]
    delta = (pd.to_datetime(d["ref"]) - d["day"]).dt.days.to_numpy().astype(float)
    drop = _datelines(d, docs, delta, params)
    d, delta = d.loc[~drop].copy(), delta[~drop]
    if len(d) == 0:
        return None
    d["w"] = np.where(
        np.isnan(delta),
        1.0,
        np.where(delta > 0, 1.0, np.where(delta == 0, params.same_day_weight, params.future_weight)),
    )
    # a sentence repeated word for word on one publication day (syndicated copies) is one piece of evidence;
    # repeated on later days (a background paragraph) it keeps counting: the day is being remembered
    d["_norm"] = d["sentence"].astype(str).str.lower().str.replace(r"\W+", " ", regex=True).str.strip()
    d = d.sort_values("w", ascending=False, kind="stable").drop_duplicates(["date", "_norm", "ref"]).sort_index()
    if sentence_pattern is not None:
        d["relevant"] = d["sentence"].astype(str).str.contains(sentence_pattern).to_numpy()
    else:
        d["relevant"] = True
    # later reports: one vote per (document, day), or per (story family, day) when families are given
    if families is not None and len(families):
        d["voter"] = d["doc_id"].map(family_of(docs, families)).fillna(d["doc_id"])
    else:
        d["voter"] = d["doc_id"]
    return d


def day_mentions(d: pd.DataFrame, cap: float | None) -> pd.Series:
    """Per date: the weighted mentions of the relevant sentences (``w`` of :func:`date_evidence`), each
    document's contribution to one date capped at ``cap`` (None: no cap)."""
    w = d["w"].to_numpy(dtype=float) * d["relevant"].to_numpy(dtype=bool)
    per_doc = pd.Series(w).groupby([d["date"].to_numpy(), d["doc_id"].astype(str).to_numpy()], sort=False).sum()
    if cap is not None:
        per_doc = per_doc.clip(upper=cap)
    return per_doc.groupby(level=0, sort=False).sum()
