"""Fitting the key-date ranker on labelled collections, and validating it with topics held out.

Labelled data is the Timeline17 layout (Tran et al. 2013), also what a user writes to refit on their own labels:
a folder per collection holding ``InputDocs/<YYYY-MM-DD>/*.txt`` (articles, by publication day) and
``timelines/*.txt`` (journalists' timelines: a ``YYYY-MM-DD`` line, its summary sentences, a dashed line).

- ``load_collections(root, topic=None)``: the documents and gold timelines of every collection under ``root``;
  collections of one story told by several outlets can share a ``topic`` so that no fold splits them.
- ``candidate_rows(docs, gold)``: the ranker's features for every candidate day of every collection, labelled
  1 when a gold timeline of the collection lists the day.
- ``fit_ranker(rows)``: a pairwise logistic regression (each gold day against days of its collection that are
  not; every collection weighs the same), deterministic (fixed seed).
- ``held_out_scores(rows, group)``: each row scored by a ranker fitted without its group (topic or subject).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..documents import timexes
from ..events import dated_sentences
from .evidence import date_evidence, day_mentions
from .features import COUNT_FEATURES, MODEL_FEATURES, TEXT_FEATURES, date_features
from .model import DateRanker
from .params import KeyDateParams

__all__ = [
    "SEED",
    "DEFAULT_C",
    "FOUR_COUNTS",
    "NEGATIVES_PER_POSITIVE",
    "load_collections",
    "collection_features",
    "candidate_rows",
    "fit_ranker",
    "held_out_scores",
    "FEATURE_SETS",
    "nested_held_out_scores",
    "collection_f1",
]

SEED = 0
DEFAULT_C = 0.1  # L2 strength, from leave-one-topic-out runs on the 13 Timeline17 topics (0.01-1 within 0.01 F1)
NEGATIVES_PER_POSITIVE = 100  # days of the same collection each gold day is compared with (sampled, seeded)
FOUR_COUNTS = ("mentions", "later_reports", "explicit_later", "published_week")  # the issue-16 first-round model
# the feature sets compared when choosing the shipped one (MODEL_FEATURES, "shipped") with topics held out
FEATURE_SETS = {
    "mentions": ("mentions", "later_reports"),
    "four counts": FOUR_COUNTS,
    "four counts + published": (*FOUR_COUNTS, "published"),
    "shipped": MODEL_FEATURES,
    "ten counts": (
        *FOUR_COUNTS,
        "documents",
        "week_later_reports",
        "published",
        "published_next_day",
        "explicit_mentions",
        "sentence_initial",
    ),
    "all": COUNT_FEATURES + TEXT_FEATURES,
}
_DATE_LINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*$")
_SEPARATOR = re.compile(r"^\s*-{5,}\s*$")


def _read_timeline(path: Path) -> list[tuple[str, str]]:
    """(date, summary) pairs of one timeline file."""
    out, date, lines = [], None, []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        m = _DATE_LINE.match(line)
        if m:
            if date:
                out.append((date, " ".join(lines).strip()))
            date, lines = m[1], []
        elif _SEPARATOR.match(line):
            if date:
                out.append((date, " ".join(lines).strip()))
            date, lines = None, []
        elif date and line.strip():
            lines.append(line.strip())
    if date:
        out.append((date, " ".join(lines).strip()))
    return out


def load_collections(root: str | Path, topic: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(documents, gold) of every collection folder under ``root`` (or ``root`` itself when it is one).

    Documents carry the documents-table columns plus ``collection``, ``topic`` (``topic``, else the collection)
    and ``subject`` (the topic up to its first ``_``: bpoil_bbc and bpoil_guardian share "bpoil"). Gold has
    ``collection``, ``timeline``, ``date``, ``summary``. A folder without ``InputDocs`` is skipped."""
    root = Path(root)
    folders = [root] if (root / "InputDocs").is_dir() else sorted(p for p in root.iterdir() if p.is_dir())
    docs, gold = [], []
    for folder in folders:
        if not (folder / "InputDocs").is_dir():
            continue
        name = folder.name
        group = topic or name
        for path in sorted((folder / "InputDocs").glob("*/*.txt")):
            docs.append(
                {
                    "doc_id": f"{name}/{path.parent.name}/{path.name}",
                    "title": "",
                    "text": path.read_text(encoding="utf-8", errors="replace"),
                    "source": name.rsplit("_", 1)[-1],
                    "url": "",
                    "published": pd.Timestamp(path.parent.name, tz="UTC"),
                    "path": str(path),
                    "collection": name,
                    "topic": group,
                    "subject": group.split("_")[0],
                }
            )
        for path in sorted((folder / "timelines").glob("*.txt")):
            gold.extend(
                {"collection": name, "timeline": path.stem, "date": d, "summary": s} for d, s in _read_timeline(path)
            )
    gold_table = pd.DataFrame(gold, columns=["collection", "timeline", "date", "summary"])
    return pd.DataFrame(docs), gold_table


def collection_features(
    docs: pd.DataFrame,
    dated: pd.DataFrame | None = None,
    start=None,
    end=None,
    params: KeyDateParams | None = None,
    text: bool = False,
) -> pd.DataFrame:
    """The ranker's features of one collection's candidate days (``dated``: its day-dated sentences, made when
    not given), with the unsupervised score ``mentions_score`` beside them."""
    params = params or KeyDateParams()
    if dated is None:
        dated = dated_sentences(docs, timexes(docs), granularities=("day",))
    evidence = date_evidence(docs, dated, None, None, start, end, None, None, params)
    table = date_features(docs, evidence, start, end, params, text=text)
    # the unsupervised score, as key_dates(ranker="mentions") computes it: every mention counts (no cap)
    uncapped = day_mentions(evidence, None) if evidence is not None else pd.Series(dtype=float)
    table["mentions_score"] = np.log1p(table["date"].map(uncapped).fillna(0.0)) + table["later_reports"]
    return table


def candidate_rows(
    docs: pd.DataFrame,
    gold: pd.DataFrame,
    dated: pd.DataFrame | None = None,
    text: bool = False,
    params: KeyDateParams | None = None,
) -> pd.DataFrame:
    """Features of every candidate day of every collection, with ``collection``, ``topic``, ``subject`` and
    ``label`` (1: a gold timeline of the collection lists the day)."""
    frames = []
    for name, members in docs.groupby("collection", sort=True):
        d = None if dated is None else dated.loc[dated["doc_id"].isin(set(members["doc_id"]))]
        table = collection_features(members, d, params=params, text=text)
        wanted = set(gold.loc[gold["collection"] == name, "date"])
        table["label"] = table["date"].isin(wanted).astype(int)
        for column in ("collection", "topic", "subject"):
            table[column] = members[column].iloc[0]
        frames.append(table)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _pairs(x: np.ndarray, rows: pd.DataFrame, negatives: int, rng: np.random.Generator):
    """Differences gold day minus other day within each collection, every other one reversed (label 0), with
    weights that give every collection the same total."""
    diffs, weights = [], []
    for _, index in rows.groupby("collection", sort=True).indices.items():
        label = rows["label"].to_numpy()[index]
        pos, neg = index[label == 1], index[label == 0]
        if not len(pos) or not len(neg):
            continue
        k = min(negatives, len(neg))
        for p in pos:
            picked = rng.choice(neg, k, replace=False)
            diffs.append(x[p] - x[picked])
            weights.append(np.full(k, 1.0 / (len(pos) * k)))
    # every other pair turned round (label 0): without an intercept a pair and its reverse carry the same
    # loss, so one of each is enough (half the rows of listing both, the same fit with twice the weight)
    d, w = np.vstack(diffs), np.concatenate(weights)
    sign = np.where(np.arange(len(d)) % 2 == 0, 1.0, -1.0)
    return d * sign[:, None], (sign > 0).astype(float), w


def fit_ranker(
    rows: pd.DataFrame,
    features: tuple[str, ...] = MODEL_FEATURES,
    C: float = DEFAULT_C,
    negatives_per_positive: int = NEGATIVES_PER_POSITIVE,
    seed: int = SEED,
    meta: dict | None = None,
    burst_days: int = KeyDateParams.burst_days,
    mentions_per_document: float | None = KeyDateParams.mentions_per_document,
) -> DateRanker:
    """A :class:`DateRanker` fitted on ``rows`` (:func:`candidate_rows`): features standardised over all rows,
    then a logistic regression without intercept on within-collection pairs. ``burst_days`` is the window the
    rows' burst features were computed with and ``mentions_per_document`` the cap of their mentions (both
    recorded, so that scoring computes them the same way)."""
    from sklearn.linear_model import LogisticRegression

    if rows.empty or rows["label"].sum() == 0:
        raise ValueError("no labelled day to fit the key-date ranker on (no gold date among the candidates)")
    x = rows.loc[:, list(features)].to_numpy(dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    z = (x - mean) / scale
    pairs_x, pairs_y, w = _pairs(z, rows.reset_index(drop=True), negatives_per_positive, np.random.default_rng(seed))
    model = LogisticRegression(C=C, fit_intercept=False, max_iter=5000)
    model.fit(pairs_x, pairs_y, sample_weight=w * 2 * len(w) / w.sum())  # as if each pair came both ways
    info = {"C": C, "negatives_per_positive": negatives_per_positive, "seed": seed, "burst_days": burst_days}
    info["mentions_per_document"] = mentions_per_document
    info["collections"] = sorted(rows["collection"].unique().tolist())
    info["candidate_days"] = int(len(rows))
    info["gold_days"] = int(rows["label"].sum())
    return DateRanker(tuple(features), mean, scale, model.coef_.ravel(), {**info, **(meta or {})})


def held_out_scores(rows: pd.DataFrame, group: str = "topic", **fit_options) -> np.ndarray:
    """Each row's score by a ranker fitted on the rows of the other groups (``topic`` or ``subject``)."""
    scores = np.full(len(rows), np.nan)
    values = rows[group].to_numpy()
    for held in sorted(set(values)):
        test = values == held
        ranker = fit_ranker(rows.loc[~test], **fit_options)
        scores[test] = ranker.score(rows.loc[test])
    return scores


def collection_f1(rows: pd.DataFrame, scores: np.ndarray) -> float:
    """Mean over collections of the F1 of the top days (as many as the collection has gold days)."""
    out = []
    for _, index in rows.groupby("collection", sort=True).indices.items():
        label = rows["label"].to_numpy()[index]
        k = int(label.sum())
        if k:
            top = index[np.lexsort((np.arange(len(index)), -scores[index]))[:k]]
            out.append(rows["label"].to_numpy()[top].sum() / k)
    return float(np.mean(out)) if out else 0.0


def nested_held_out_scores(
    rows: pd.DataFrame, group: str = "topic", sets: dict | None = None, **fit_options
) -> tuple[np.ndarray, list[str]]:
    """Held-out scores with the feature set chosen inside each fold: for each held-out group, the set of
    ``sets`` (default :data:`FEATURE_SETS`) with the best held-out F1 on the other groups fits the ranker. An
    honest estimate of choosing the set on these data; returns the scores and the set chosen per fold."""
    sets = sets or FEATURE_SETS
    scores = np.full(len(rows), np.nan)
    values = rows[group].to_numpy()
    chosen = []
    for held in sorted(set(values)):
        test = values == held
        inner = rows.loc[~test].reset_index(drop=True)
        f1 = {
            name: collection_f1(inner, held_out_scores(inner, group, features=f, **fit_options))
            for name, f in sets.items()
        }
        best = max(sets, key=f1.__getitem__)
        chosen.append(best)
        scores[test] = fit_ranker(rows.loc[~test], sets[best], **fit_options).score(rows.loc[test])
    return scores, chosen
