"""Key dates: the days a corpus refers to most, as a journalist's timeline would list them, each with one or two
representative sentences. Measured on Timeline17 Syria by ``benchmarks/t17_key_dates.py``."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..text import STOPWORDS
from .anchoring import reference_dates
from .documents import family_of, published
from .events import dated_sentences
from .params import with_overrides
from .sentences import sentence_vectors
from .values import to_date

__all__ = ["KeyDateParams", "key_dates"]


@dataclass(frozen=True)
class KeyDateParams:
    """Settings of :func:`key_dates`. The weights, margin and dateline filter were set while developing on
    Timeline17 Syria (``benchmarks/t17_key_dates.py``, commits 2c1d045, ccf5210, 5b79da3, ea98075); the rest are
    plain bounds."""

    # weight of a mention written on the day itself, and while the day is still ahead (announcements); a
    # mention written after the day counts 1
    same_day_weight: float = 1.0
    future_weight: float = 0.25
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


_YEAR_TAIL = re.compile(r"^\s*,?\s*(?:19|20)\d\d\b")
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_DATELINE_TAIL = re.compile(r"^\s*,?\s*(?:19|20)\d\d\b|\b\d{1,2}[:.]\d{2}\b")
_NAME_WORD = re.compile(r"(?<=[a-z0-9,;] )([A-Z][a-z]{2,})\b")  # a capitalised word inside a sentence: a name
_CALENDAR_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december".split()
)


# ------------------------------------------------------------------------------------------ representative sentences
def _pick_sentences(candidates: pd.DataFrame, vectors, k: int, params: KeyDateParams) -> list[int]:
    """Up to ``k`` representative rows of ``candidates``: the most central sentence, then the most central one
    that is not a near-repeat of those already picked. Sentences written after the day (weight ``w`` of 1) are
    preferred to announcements and same-day reports; ties go to document order."""
    if "w" in candidates.columns:  # later reports first, so that the cap keeps them
        candidates = candidates.sort_values("w", ascending=False, kind="stable")
    candidates = candidates.iloc[: params.max_candidates]
    idx = candidates.index.to_numpy()
    if len(idx) == 0:
        return []
    if vectors is None or len(idx) == 1:
        return list(idx[:k])
    rows = vectors[idx]
    sims = (rows @ rows.T).toarray()
    centrality = sims.sum(axis=1) - 1.0 + 1e-9
    # prefer sentences of plausible length (a bare dateline or a whole paragraph makes a poor summary)
    words = candidates["sentence"].str.count(r"\S+").to_numpy()
    shortest, longest = params.plausible_words
    centrality = centrality * np.where((words >= shortest) & (words <= longest), 1.0, params.implausible_length_weight)
    if "w" in candidates.columns:  # weights 0..1 scale centrality by 0.5..1
        centrality = centrality * (0.5 + 0.5 * candidates["w"].to_numpy(float))
    chosen: list[int] = []
    for o in np.lexsort((np.arange(len(idx)), -centrality)):
        if all(sims[o, c] < params.max_repeat_similarity for c in chosen):
            chosen.append(o)
        if len(chosen) == k:
            break
    return [int(idx[o]) for o in chosen]


def _default_length(scores: np.ndarray, n_docs: int, params: KeyDateParams) -> int:
    """A timeline length when none is asked for: dates well above the typical score, within the bounds."""
    if len(scores) == 0:
        return 0
    s = np.sort(scores)[::-1]
    threshold = max(np.median(s) + params.length_sd * s.std(), params.length_min_score)
    n = max(int((s >= threshold).sum()), min(params.min_length, len(s)))
    by_corpus_size = max(params.min_length, int(round(params.length_per_sqrt_docs * math.sqrt(max(n_docs, 1)))))
    return int(min(n, params.max_length, len(s), by_corpus_size))


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
def _day_column(first_day: pd.Series) -> np.ndarray:
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


def _date_evidence(docs, dated, tx, reference_date, start, end, families, keywords, params: KeyDateParams):
    """The mentions ``key_dates`` counts (one row per sentence and day, after the span, topic, dateline and
    syndicated-copy filters) with ``day``, ``ref`` (publication day), ``w`` (weight), ``relevant`` and ``voter``;
    None when nothing is left."""
    if dated is None:
        dated = dated_sentences(docs, tx, reference_date, granularities=("day",))
    d = dated.loc[dated["granularity"] == "day"].copy() if len(dated) else dated
    if len(d) == 0:
        return None
    refs = reference_dates(docs, reference_date)
    refs.index = refs.index.astype(str)
    d["ref"] = d["doc_id"].map(refs)
    d["day"] = _day_column(d["first_day"])
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


def _representatives(top: pd.DataFrame, d: pd.DataFrame, sentences: int, params: KeyDateParams) -> pd.DataFrame:
    """``sentence_i`` and ``doc_i`` columns: representative sentences mentioning each date of ``top``."""
    chosen = d.loc[d["date"].isin(set(top["date"]))]
    vectors = sentence_vectors(chosen["sentence"].tolist())
    chosen = chosen.reset_index(drop=True)
    picks = {
        date: _pick_sentences(group.drop_duplicates("sentence"), vectors, sentences, params)
        for date, group in chosen.groupby("date", sort=False)
    }
    for i in range(1, sentences + 1):
        rows = [picks[v][i - 1] if len(picks[v]) >= i else None for v in top["date"]]
        top[f"sentence_{i}"] = [chosen.loc[r, "sentence"] if r is not None else "" for r in rows]
        top[f"doc_{i}"] = [str(chosen.loc[r, "doc_id"]) if r is not None else "" for r in rows]
    return top


def key_dates(
    docs: pd.DataFrame,
    n: int | None = None,
    reference_date=None,
    tx: pd.DataFrame | None = None,
    dated: pd.DataFrame | None = None,
    sentences: int = 2,
    *,
    start=None,
    end=None,
    families: pd.DataFrame | None = None,
    keywords=None,
    params: KeyDateParams | None = None,
    **settings,
) -> pd.DataFrame:
    """The days a corpus refers to most, as a journalist's timeline would list them.

    Two signals of the date-selection literature (Martschat & Markert 2018; Tran et al. 2013/2015):
    score = log(1 + (relevant) sentences that mention the day) + log(1 + later reports that mention it).
    A sentence mentions a day when a DATE or TIME expression in it resolves to that day; it counts fully when
    written after the day, ``same_day_weight`` on the day itself and ``future_weight`` while the day is still
    ahead (announcements). Later reports are the documents (or story ``families``: copies vote once) published
    after the day that mention it: a day that is remembered. ``keywords`` (a list of topic terms, or ``"auto"``
    for the corpus's most frequent names) keeps only on-topic documents and their sentences naming a topic term;
    off by default (on Timeline17 Syria it made the counted mentions more precise but did not raise date F1).
    A sentence repeated word for word on one publication day (syndicated copies) counts once. Dropped: days
    outside the collection's publication span (widened by ``margin_days`` before it), datelines and timestamps.
    ``start``/``end`` restrict the timeline to a window. With ``n=None`` the length is chosen from the score
    distribution. Settings are :class:`KeyDateParams` fields: pass ``params`` or single fields as keywords
    (``key_dates(docs, dateline_chars=0)``).

    Columns: ``date``, ``score``, ``n_docs``, ``n_mentions``, ``n_pub_days``, then ``sentence_1``, ``doc_1``,
    ``sentence_2``, ``doc_2`` (representative sentences mentioning the day), sorted by date.
    """
    params = with_overrides(KeyDateParams, params, settings)
    sentence_columns = [c for i in range(1, sentences + 1) for c in (f"sentence_{i}", f"doc_{i}")]
    cols = ["date", "score", "n_docs", "n_mentions", "n_pub_days", *sentence_columns]
    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    if docs is None or len(docs) == 0:
        return empty
    d = _date_evidence(docs, dated, tx, reference_date, start, end, families, keywords, params)
    if d is None:
        return empty
    later = d.loc[(pd.to_datetime(d["ref"]) > d["day"]).to_numpy() | d["ref"].isna().to_numpy()]
    agg = d.groupby("date", sort=False).agg(
        n_docs=("doc_id", "nunique"), n_mentions=("w", "size"), n_pub_days=("ref", "nunique")
    )
    agg["mentions"] = d.loc[d["relevant"].to_numpy()].groupby("date", sort=False)["w"].sum()
    agg["later"] = later.groupby("date", sort=False)["voter"].nunique()
    agg = agg.fillna({"mentions": 0.0, "later": 0.0}).reset_index()
    agg["score"] = np.log1p(agg["mentions"]) + np.log1p(agg["later"])
    agg = agg.loc[agg["score"] > 0]
    agg = agg.sort_values(["score", "n_docs", "date"], ascending=[False, False, True], kind="stable")
    if n is None:
        n = _default_length(agg["score"].to_numpy(), len(docs), params)
    top = agg.head(max(int(n), 0)).copy()
    if len(top) == 0:
        return empty
    top = _representatives(top, d, sentences, params)
    top["score"] = top["score"].round(3)
    top = top.sort_values("date", kind="stable").reset_index(drop=True)
    return top.loc[:, cols].astype({"n_docs": "int64", "n_mentions": "int64", "n_pub_days": "int64"})
