"""Fitting the origin model on labelled families: which member of each family is the original.

Training data: documents with a family (``family``) and a flag for the original (``is_original``): the
development rewrite set (``l2r_news.jsonl``: ``story_id``, ``kind == "original"``) or a user's own labels. Each
family is traced as given (no clustering), every member gets its :data:`~.originality.ORIGIN_FEATURES`, and a
pairwise logistic regression (scikit-learn, no intercept, fixed seed) learns weights under which the original
scores above each of its versions. :func:`held_out_accuracy` measures the share of families whose original
scores highest when the family's group (a generator, a data set) was left out of the fit.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ...corpus.records import read_labelled_table
from .context import family_context
from .cues import document_cues, with_machine_style
from .documents import prepare_documents
from .originality import ORIGIN_FEATURES, OriginModel, member_features
from .pairs import pair_table
from .params import FamilyParams
from .similarity import story_similarity

__all__ = [
    "style_training_frame",
    "held_out_style_model",
    "style_scores",
    "labelled_documents",
    "given_family_tables",
    "family_features",
    "fit_origin_model",
    "origin_accuracy",
    "DEFAULT_C",
    "SEED",
]

DEFAULT_C = 1.0  # scikit-learn's default L2 strength, on features scaled to unit spread (not tuned)
SEED = 0


def style_training_frame(
    machine_text: str | Path, exclude_domains: tuple[str, ...] = (), per_group: int | None = None
) -> pd.DataFrame:
    """The machine-style development set (``helpers.style.fit``) with its features, some domains left out (the
    domain of the texts to be scored, so that their style is judged as on unseen text); ``per_group``: at most that
    many texts per domain and generator (a seeded pick, for a quicker fit). Slow: minutes."""
    from ...style import fit

    texts = fit.load_machine_text(machine_text, exclude_domains)
    if per_group is not None:
        keep = (
            texts.groupby(["domain", "generator"])
            .sample(frac=1.0, random_state=SEED)
            .groupby(["domain", "generator"])
            .head(per_group)
        )
        texts = texts.loc[sorted(keep.index)].reset_index(drop=True).__finalize__(texts)
    return fit.two_sided_domains(fit.with_features(texts))


def held_out_style_model(frame: pd.DataFrame, exclude_generators: Iterable[str] = ()):
    """A machine-style model (``helpers.style.StyleModel``) fitted on ``frame`` (``style_training_frame``) without
    the texts of ``exclude_generators``."""
    from ...style import fit

    part = frame[~frame["generator"].isin(set(exclude_generators))].reset_index(drop=True)
    part.attrs = dict(frame.attrs)
    return fit.fit_model(part, meta={"left_out_generators": sorted(exclude_generators)})


def style_scores(docs: pd.DataFrame, model=None) -> pd.Series:
    """Machine style of ``docs`` by ``doc_id`` (``model``: a style model or its file; None: the shipped one)."""
    from ...style import machine_style

    scores = machine_style(docs[["doc_id", "text"]], model=model, evidence=0)
    return pd.Series(scores["machine_style"].to_numpy(), index=scores["doc_id"].to_numpy())


def labelled_documents(
    path: str | Path,
    family_column: str = "story_id",
    original_column: str | None = None,
    text_column: str = "text",
) -> pd.DataFrame:
    """A labelled table (``.jsonl`` or ``.csv``) as ``doc_id``, ``text``, ``family``, ``is_original`` (and
    ``published``, ``title``, ``source``, ``url``, ``kind`` when present). ``original_column``: a column of
    1/0 or true/false; by default ``is_original``, else ``kind == "original"``. Families without exactly one
    original are dropped (their count in ``attrs["dropped_families"]``)."""
    path = Path(path)
    d = read_labelled_table(path, {"doc_id", text_column, family_column})
    if original_column is None:
        original_column = "is_original" if "is_original" in d else "kind"
    if original_column not in d:
        raise ValueError(f"{path.name}: no column says which document is the original (is_original or kind)")
    flag = d[original_column].astype(str).str.strip().str.lower()
    is_original = flag.eq("original") if original_column == "kind" else flag.isin(["1", "true", "yes", "original"])
    out = pd.DataFrame(
        {
            "doc_id": d["doc_id"].astype(str),
            "text": d[text_column].fillna("").astype(str),
            "family": d[family_column].astype(str),
            "is_original": is_original.to_numpy(),
        }
    )
    for col in ("title", "source", "url", "published", "kind"):
        if col in d:
            out[col] = d[col].to_numpy()
    n_orig = out.groupby("family")["is_original"].transform("sum")
    keep = n_orig.eq(1) & out.groupby("family")["doc_id"].transform("size").gt(1)
    dropped = out.loc[~keep, "family"].nunique()
    out = out[keep].reset_index(drop=True)
    out.attrs["dropped_families"] = int(dropped)
    return out


def given_family_tables(
    docs: pd.DataFrame, family: pd.Series, params: FamilyParams | None = None, style: pd.Series | None = None
):
    """The trace context (with the prepared documents, ``ctx.d``), families table, pairs table and cues (with
    machine style) of ``docs`` grouped by ``family`` (one label per row) instead of by clustering: the steps of
    :func:`~.pipeline.trace` up to lineage. ``style``: machine
    style by ``doc_id`` computed elsewhere (e.g. by a model that never saw these texts); None: the shipped model."""
    p = params or FamilyParams()
    d = prepare_documents(docs)
    codes = {f: i for i, f in enumerate(sorted(pd.unique(family.astype(str))))}
    fam = pd.DataFrame({"doc_id": d["doc_id"], "family_id": family.astype(str).map(codes).to_numpy()})
    cues = document_cues(docs, d)
    if style is None:
        cues = with_machine_style(cues, d, model=p.lineage.style_model or None)
    else:
        cues = cues.assign(machine_style=cues["doc_id"].map(style).astype(float))
    sim = story_similarity(d, p)
    ctx = family_context(d, fam, sim, p)
    return ctx, fam, pair_table(fam, sim, ctx, p), cues


def family_features(members: pd.DataFrame, pairs: pd.DataFrame, cues: pd.DataFrame, n_words: pd.Series) -> pd.DataFrame:
    """:data:`ORIGIN_FEATURES` of every member of every family in ``members`` (``doc_id``, ``family``, any other
    columns kept), each family's features measured among the members listed (so a family can be cut down to some
    of its versions)."""
    c = cues.set_index("doc_id")
    parts = []
    for _, g in members.groupby("family", sort=True):
        ids = g["doc_id"].tolist()
        if len(ids) < 2:
            continue
        rows = pairs[pairs["doc_a"].isin(ids) & pairs["doc_b"].isin(ids)]
        f = member_features(ids, rows, c, n_words)
        parts.append(g.set_index("doc_id").join(f))
    if not parts:
        return pd.DataFrame(columns=[*members.columns, *ORIGIN_FEATURES])
    return pd.concat(parts).reset_index()


def _pair_differences(feats: pd.DataFrame, columns: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """Original minus version (label 1) and version minus original (label 0) for every version of each family."""
    cols = list(columns)
    X = []
    for _, g in feats.groupby("family", sort=True):
        orig = g[g["is_original"]]
        if len(orig) != 1:
            continue
        o = orig[cols].to_numpy(dtype=float)[0]
        for v in g.loc[~g["is_original"], cols].to_numpy(dtype=float):
            X.append(o - v)
    X = np.asarray(X, dtype=float).reshape(-1, len(cols))
    return np.vstack([X, -X]), np.r_[np.ones(len(X)), np.zeros(len(X))]


def fit_origin_model(
    feats: pd.DataFrame, features: Iterable[str] = ORIGIN_FEATURES, C: float = DEFAULT_C, meta: dict | None = None
) -> OriginModel:
    """Pairwise logistic regression on the member features of labelled families (``family``, ``is_original`` and
    the feature columns): the original against each of its versions, features scaled to unit spread, no
    intercept (a family's ranking does not depend on one)."""
    from sklearn.linear_model import LogisticRegression

    cols = list(features)
    X, y = _pair_differences(feats, cols)
    if len(X) == 0:
        raise ValueError("no family with one original and at least one other member to learn from")
    scale = X.std(axis=0)
    scale[scale < 1e-9] = 1.0
    lr = LogisticRegression(C=C, fit_intercept=False, max_iter=1000, random_state=SEED)
    lr.fit(X / scale, y)
    info = {
        "families": int(feats["family"].nunique()),
        "pairs": int(len(X) // 2),
        "C": C,
        "seed": SEED,
        "training_pair_accuracy": round(float(lr.score(X / scale, y)), 4),
        **(meta or {}),
    }
    return OriginModel(tuple(cols), lr.coef_[0] / scale, scale, info)


def origin_accuracy(feats: pd.DataFrame, model: OriginModel) -> pd.Series:
    """Per family: True when its original scores highest (ties count against)."""
    scored = feats.assign(score=model.score(feats).to_numpy())
    out = {}
    for fam, g in scored.groupby("family", sort=True):
        top = g["score"].max()
        best = g[g["score"] == top]
        out[fam] = len(best) == 1 and bool(best["is_original"].iloc[0])
    return pd.Series(out, dtype=bool)
