"""Dated sentences and events: sentences anchored to resolved dates, merged across the documents of a family
when they carry the same date and similar wording."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .documents import family_of, published, timexes
from .params import with_overrides
from .sentences import SentenceIndex, sentence_vectors, similar_pairs
from .values import parse_value

__all__ = ["EventParams", "GRANULARITIES", "dated_sentences", "events"]

GRANULARITIES = ("day", "month", "year")
DATED_COLUMNS = ["doc_id", "sent_id", "sentence", "date", "granularity", "first_day", "timex", "start", "end"]
DATED_COLUMNS += ["published"]
EVENT_COLUMNS = ["event_id", "family_id", "date", "granularity", "first_day", "doc_id", "sent_id", "sentence"]
EVENT_COLUMNS += ["timex", "similarity", "n_docs", "published"]


@dataclass(frozen=True)
class EventParams:
    """Settings of :func:`events`."""

    # TF-IDF cosine at which two sentences of one family with the same date tell one event; set by hand on the
    # sample story (commit 2c1d045), no benchmark: notebook 03 exposes it as ``event_similarity``.
    min_similarity: float = 0.3
    # rows per block when comparing sentences (bounds memory; no effect on the result)
    block_rows: int = 1000


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def dated_sentences(
    docs: pd.DataFrame,
    tx: pd.DataFrame | None = None,
    reference_date=None,
    granularities: Iterable[str] = GRANULARITIES,
    *,
    sentence_index: SentenceIndex | None = None,
) -> pd.DataFrame:
    """Sentences anchored to resolved dates: one row per (sentence, date) with ``doc_id``, ``sent_id``,
    ``sentence``, ``date`` (the value: 2024-12-06, 2024-12 or 2011), ``granularity``, ``first_day``,
    ``timex`` (the expression), ``start``, ``end`` and ``published``.

    A sentence's dates are its DATE (and TIME) expressions resolved to a day, month or year.
    """
    if tx is None:
        tx = timexes(docs, reference_date)
    if tx is None or len(tx) == 0 or docs is None or len(docs) == 0:
        return _empty(DATED_COLUMNS)
    wanted = set(granularities)
    t = tx.loc[tx["type"].isin(["DATE", "TIME"])]
    parsed = [parse_value(v) for v in t["value"]]
    keep = np.array([p is not None and p.granularity in wanted for p in parsed], dtype=bool)
    t = t.loc[keep]
    parsed = [p for p, k in zip(parsed, keep) if k]
    index = sentence_index if sentence_index is not None else SentenceIndex(docs)
    pubs = dict(zip(docs["doc_id"].astype(str), published(docs.reset_index(drop=True))))
    rows = []
    for (doc_id, s, e, expression, value), found in zip(
        t.loc[:, ["doc_id", "start", "end", "text", "value"]].itertuples(index=False), parsed
    ):
        doc_id = str(doc_id)
        located = index.locate(doc_id, s)
        if located is None:
            continue
        i, a, b = located
        date = value[:10] if found.granularity == "day" else value
        sentence = index.texts[doc_id][a:b]
        first_day = pd.Timestamp(found.first)
        rows.append(
            (
                doc_id,
                i,
                sentence,
                date,
                found.granularity,
                first_day,
                expression,
                int(s),
                int(e),
                pubs.get(doc_id, pd.NaT),
            )
        )
    out = pd.DataFrame(rows, columns=DATED_COLUMNS)
    if len(out):
        out = out.drop_duplicates(["doc_id", "sent_id", "date"]).reset_index(drop=True)
        out["published"] = pd.to_datetime(out["published"], utc=True)
    return out


def union_find(n: int, pairs: Iterable[tuple[int, int]]) -> np.ndarray:
    """Component root (its smallest member) of each of ``n`` items joined by ``pairs``."""
    parent = np.arange(n)

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(i) for i in range(n)])


def _first_index(d: pd.DataFrame) -> np.ndarray:
    """Row label of the first sentence of each row's event (d is sorted, labels index the TF-IDF matrix)."""
    first = d.reset_index().groupby("event_id")["index"].first()
    return first.loc[d["event_id"].to_numpy()].to_numpy()


def events(
    docs: pd.DataFrame,
    families: pd.DataFrame | None = None,
    tx: pd.DataFrame | None = None,
    reference_date=None,
    *,
    dated: pd.DataFrame | None = None,
    params: EventParams | None = None,
    **settings,
) -> pd.DataFrame:
    """Dated sentences merged into events across the documents of each family.

    Two dated sentences of one family are the same event when they carry the same date and their TF-IDF cosine
    similarity is at least ``min_similarity`` (an :class:`EventParams` field; ``settings`` override fields).
    Columns: ``event_id``, ``family_id``, ``date``, ``granularity``, ``first_day``, ``doc_id``, ``sent_id``,
    ``sentence``, ``timex``, ``similarity`` (to the event's first sentence), ``n_docs`` (documents telling the
    event) and ``published``.
    """
    params = with_overrides(EventParams, params, settings)
    if dated is None:
        dated = dated_sentences(docs, tx, reference_date)
    if dated is None or len(dated) == 0:
        return _empty(EVENT_COLUMNS)
    d = dated.copy()
    d["family_id"] = d["doc_id"].map(family_of(docs, families)).fillna(d["doc_id"]).astype(str)
    vectors = sentence_vectors(d["sentence"].tolist())
    pairs = []
    # only a (family, date) with sentences from two documents or more can merge anything: no loop over the rest
    several = d.groupby(["family_id", "date"], sort=False)["doc_id"].transform("nunique").to_numpy() > 1
    for _, group in d.loc[several].groupby(["family_id", "date"], sort=False):
        idx = group.index.to_numpy()
        ii, jj, _ = similar_pairs(vectors, idx, params.min_similarity, group["doc_id"].to_numpy(), params.block_rows)
        pairs.extend(zip(idx[ii], idx[jj]))
    d["root"] = union_find(len(d), pairs)
    d = d.sort_values(
        ["first_day", "family_id", "root", "published", "doc_id", "sent_id"], kind="stable", na_position="last"
    )
    order = {r: i for i, r in enumerate(pd.unique(d["root"]))}
    d["event_id"] = d["root"].map(order).astype("int64")
    d["n_docs"] = d.groupby("event_id")["doc_id"].transform("nunique").astype("int64")
    if vectors is not None:
        a = vectors[d.index.to_numpy()]
        b = vectors[_first_index(d)]
        d["similarity"] = np.asarray(a.multiply(b).sum(axis=1)).ravel().round(3)
    else:
        d["similarity"] = np.nan
    return d.loc[:, EVENT_COLUMNS].reset_index(drop=True)
