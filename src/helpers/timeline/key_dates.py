"""Key dates: the days a corpus refers to most, as a journalist's timeline would list them, each with one or two
representative sentences (what happened that day). Ranked by the learned ranker of :mod:`.ranking` (fitted on
13 Timeline17 topics), or by the unsupervised mention score; measured by ``benchmarks/t17_key_dates.py``."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from .documents import published
from .params import with_overrides
from .ranking import RANKERS, TEXT_FEATURES, KeyDateParams, date_evidence, date_features, load_ranker
from .ranking.evidence import day_mentions
from .sentences import SentenceIndex, sentence_vectors

__all__ = ["KeyDateParams", "key_dates"]


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


def _lead_sentences(docs: pd.DataFrame, days: list[str], per_doc: int = 2) -> pd.DataFrame:
    """The first ``per_doc`` sentences of the articles published on each of ``days`` (for a key date no sentence
    mentions: what was reported that day)."""
    pub = published(docs.reset_index(drop=True)).dt.tz_convert("UTC").dt.strftime("%Y-%m-%d").to_numpy()
    ids = docs["doc_id"].astype(str).to_numpy()
    wanted = set(days)
    index = SentenceIndex(docs.loc[[p in wanted for p in pub]])
    rows = []
    for doc_id, day in zip(ids, pub):
        if day not in wanted:
            continue
        spans, _ = index.spans(doc_id)
        text = index.texts[doc_id]
        rows.extend((day, doc_id, text[a:b].strip(), 0.5) for a, b in spans[:per_doc] if text[a:b].strip())
    return pd.DataFrame(rows, columns=["date", "doc_id", "sentence", "w"])


def _representatives(
    top: pd.DataFrame, d: pd.DataFrame | None, docs: pd.DataFrame, sentences: int, params: KeyDateParams
) -> pd.DataFrame:
    """``sentence_i`` and ``doc_i`` columns: representative sentences mentioning each date of ``top`` (for a date
    no sentence mentions, sentences that open the articles published that day)."""
    wanted = set(top["date"])
    chosen = pd.DataFrame(columns=["date", "doc_id", "sentence", "w"])
    if d is not None and len(d):
        chosen = d.loc[d["date"].isin(wanted), ["date", "doc_id", "sentence", "w"]]
    unmentioned = sorted(wanted - set(chosen["date"]))
    if unmentioned and sentences:
        chosen = pd.concat([chosen, _lead_sentences(docs, unmentioned)], ignore_index=True)
    chosen = chosen.reset_index(drop=True)
    vectors = sentence_vectors(chosen["sentence"].astype(str).tolist()) if len(chosen) else None
    picks = {
        date: _pick_sentences(group.drop_duplicates("sentence"), vectors, sentences, params)
        for date, group in chosen.groupby("date", sort=False)
    }
    for i in range(1, sentences + 1):
        rows = [picks[v][i - 1] if len(picks.get(v, [])) >= i else None for v in top["date"]]
        top[f"sentence_{i}"] = [chosen.loc[r, "sentence"] if r is not None else "" for r in rows]
        top[f"doc_{i}"] = [str(chosen.loc[r, "doc_id"]) if r is not None else "" for r in rows]
    return top


def _evidence_counts(d: pd.DataFrame) -> pd.DataFrame:
    """Per date: ``n_docs``, ``n_mentions``, ``n_pub_days`` and the unsupervised ``mentions_score``
    (log(1 + relevant weighted mentions) + log(1 + later reports); mentions not capped per document: the cap
    helps the learned ranker only, it lowered this score on Syria, benchmarks/t17_key_dates.py)."""
    later = d.loc[(pd.to_datetime(d["ref"]) > d["day"]).to_numpy() | d["ref"].isna().to_numpy()]
    agg = d.groupby("date", sort=False).agg(
        n_docs=("doc_id", "nunique"), n_mentions=("w", "size"), n_pub_days=("ref", "nunique")
    )
    agg["mentions"] = day_mentions(d, None)
    agg["later"] = later.groupby("date", sort=False)["voter"].nunique()
    agg = agg.fillna({"mentions": 0.0, "later": 0.0})
    agg["mentions_score"] = np.log1p(agg["mentions"]) + np.log1p(agg["later"])
    return agg.drop(columns=["mentions", "later"])


def _ranked(docs, d, start, end, params: KeyDateParams) -> pd.DataFrame:
    """Candidate days with ``score`` (by the ranker the settings ask for), the counts and ``mentions_score``,
    best first."""
    learned = params.ranker == "learned" and published(docs.reset_index(drop=True)).notna().any()
    if learned:
        ranker = load_ranker(params.ranker_file)
        # the burst features and the per-document cap of mentions are computed as the ranker was fitted (a file
        # without a recorded cap was fitted before the cap: none)
        cap = ranker.meta.get("mentions_per_document")
        burst_days = int(ranker.meta.get("burst_days", params.burst_days))
        params = replace(params, burst_days=burst_days, mentions_per_document=None if cap is None else float(cap))
    counts = _evidence_counts(d) if d is not None else pd.DataFrame()
    if learned:
        table = date_features(docs, d, start, end, params, text=bool(set(ranker.features) & set(TEXT_FEATURES)))
        table["score"] = ranker.score(table)
        table = table.loc[:, ["date", "score"]].join(counts, on="date")
    else:  # "mentions", or a corpus without publication dates (no volume to read)
        table = counts.loc[counts["mentions_score"] > 0].reset_index()
        table["score"] = table["mentions_score"]
    table = table.fillna({"n_docs": 0, "n_mentions": 0, "n_pub_days": 0, "mentions_score": 0.0})
    return table.sort_values(["score", "n_docs", "date"], ascending=[False, False, True], kind="stable")


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

    Evidence: a sentence mentions a day when a DATE or TIME expression in it resolves to that day; it counts
    fully when written after the day, ``same_day_weight`` on the day itself and ``future_weight`` while the day
    is still ahead (announcements). Later reports are the documents (or story ``families``: copies vote once)
    published after the day that mention it: a day that is remembered. ``keywords`` (a list of topic terms, or
    ``"auto"`` for the corpus's most frequent names) keeps only on-topic documents and their sentences naming a
    topic term; off by default. A sentence repeated word for word on one publication day (syndicated copies)
    counts once. Dropped: days outside the collection's publication span (widened by ``margin_days`` before it),
    datelines and timestamps.

    Ranking (``ranker``): ``"learned"`` (default) scores every candidate day (days mentioned, and days articles
    were published) with the shipped linear ranker over mention counts, later reports, publication volume and
    the mentions' burst (a day against its fortnight) (:mod:`.ranking.features`), fitted on 13 Timeline17
    topics by ``scripts/fit_key_dates.py``
    (``ranker_file``: one refitted on your own timelines); ``"mentions"``, and any corpus without publication
    dates, uses the unsupervised score log(1 + relevant mentions) + log(1 + later reports) (Martschat & Markert
    2018; Tran et al. 2015). ``start``/``end`` restrict the timeline to a window. With ``n=None`` the length is
    chosen from the mention scores' distribution. Settings are :class:`KeyDateParams` fields: pass ``params``
    or single fields as keywords (``key_dates(docs, dateline_chars=0)``).

    Columns: ``date``, ``score``, ``n_docs``, ``n_mentions``, ``n_pub_days``, then ``sentence_1``, ``doc_1``,
    ``sentence_2``, ``doc_2`` (representative sentences mentioning the day; for a day no sentence mentions, the
    opening sentences of that day's articles), sorted by date.
    """
    params = with_overrides(KeyDateParams, params, settings)
    if params.ranker not in RANKERS:
        raise ValueError(f"unknown ranker {params.ranker!r}; choose one of {RANKERS}")
    sentence_columns = [c for i in range(1, sentences + 1) for c in (f"sentence_{i}", f"doc_{i}")]
    cols = ["date", "score", "n_docs", "n_mentions", "n_pub_days", *sentence_columns]
    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    if docs is None or len(docs) == 0:
        return empty
    d = date_evidence(docs, dated, tx, reference_date, start, end, families, keywords, params)
    if d is None:
        return empty
    ranked = _ranked(docs, d, start, end, params)
    if n is None:
        mentioned = ranked["mentions_score"].to_numpy()
        n = _default_length(mentioned[mentioned > 0], len(docs), params)
    top = ranked.head(max(int(n), 0)).copy()
    if len(top) == 0:
        return empty
    top = _representatives(top, d, docs, sentences, params)
    top["score"] = top["score"].astype(float).round(3)
    top = top.sort_values("date", kind="stable").reset_index(drop=True)
    return top.loc[:, cols].astype({"n_docs": "int64", "n_mentions": "int64", "n_pub_days": "int64"})
