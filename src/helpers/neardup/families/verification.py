"""Family verification: a family is split where its graph of verified links falls apart.

Average linkage merges documents that are close *as texts*; in a crowded topic (a year of articles on one war,
one celebrity) two reports of different days are as close as that. After clustering, each link inside a family
(an edge of the story-similarity graph between two members) is *verified* when the two documents

- share the story's facts: each has at least ``coverage`` of its sentences supported by the other, or the
  smaller shares at least ``specifics`` of its names and numbers with the other, or they share at least
  ``family_names`` names and numbers that are the family's own (at least ``family_share`` of the corpus's
  documents naming them are in the family: an event's people and figures, not its topic's common names); or
- stand out of their topic: the link's raw similarity is at least ``background_ratio`` times the two documents'
  mean background (their similarity to their ``background_rank``-th nearest document), or one of the two is
  apart from the rest of the corpus (its mean similarity to its family at least ``margin`` times its mean
  similarity to its ``margin_neighbours`` closest non-members).

A link to a text too short to check (under ``min_words`` content words: a headline and a lead) is kept. The
family keeps the connected components of its verified links (a member without any becomes a family of its
own). Lexical copies always pass (their raw similarity is the highest there is); in a corpus too small to
measure a background nothing is split. Settings: :class:`~.params.VerificationParams`.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from ...failures import record
from .context import FamilyContext
from .documents import specifics
from .params import FamilyParams, VerificationParams
from .similarity import StorySimilarity

__all__ = ["EVIDENCE_COLUMNS", "link_evidence", "verified_families", "verify_families"]

EVIDENCE_COLUMNS = [
    "doc_a",
    "doc_b",
    "coverage",
    "specifics",
    "family_names",
    "background_ratio",
    "margin",
    "min_words",
]


def _family_edges(labels: np.ndarray, raw: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, columns and raw similarities of the graph's edges inside families (each pair once)."""
    C = sparse.triu(raw, k=1).tocoo()
    inside = (labels[C.row] == labels[C.col]) & (C.data > 0)
    return C.row[inside], C.col[inside], C.data[inside]


def _margins(labels: np.ndarray, raw: sparse.csr_matrix, k: int) -> np.ndarray:
    """Each document's mean raw similarity to its family over its mean to its ``k`` closest non-members (inf
    when it has no edge outside; 0 for a document alone)."""
    n = len(labels)
    size = np.bincount(labels, minlength=labels.max() + 1 if n else 0)[labels] if n else np.zeros(0, np.int64)
    out = np.zeros(n, dtype=np.float64)
    for i in np.flatnonzero(size > 1):
        cols = raw.indices[raw.indptr[i] : raw.indptr[i + 1]]
        vals = raw.data[raw.indptr[i] : raw.indptr[i + 1]]
        mine = labels[cols] == labels[i]
        inside = vals[mine & (cols != i)].sum() / (size[i] - 1)
        outside = vals[~mine]
        if not len(outside):
            out[i] = np.inf
            continue
        top = outside if len(outside) <= k else np.partition(outside, len(outside) - k)[-k:]
        out[i] = inside / max(float(top.mean()), 1e-9)
    return out


def _family_names(out: pd.DataFrame, todo: np.ndarray, fam: pd.DataFrame, ctx: FamilyContext, share: float):
    """For the links ``todo`` of ``out``: how many names and numbers the two documents share that are the
    family's own (at least ``share`` of the corpus's documents naming them are in the family)."""
    counts = np.full(len(out), np.nan)
    if not len(todo):
        return counts
    names = ctx.names
    spec = [ctx.spec.get(d) for d in ctx.d["doc_id"]]
    spec = [x if x is not None else set(specifics(t, names)) for x, t in zip(spec, ctx.d["full"])]
    df = Counter(s for x in spec for s in x)
    family = dict(zip(fam["doc_id"], fam["family_id"]))
    members = fam.groupby("family_id")["doc_id"].agg(list)
    own: dict = {}
    for i in todo:
        a, b = out.at[i, "doc_a"], out.at[i, "doc_b"]
        f = family[a]
        if f not in own:
            own[f] = Counter(s for d in members[f] for s in ctx.spec.get(d, ()))
        counts[i] = sum(own[f][s] >= share * df[s] for s in ctx.spec.get(a, set()) & ctx.spec.get(b, set()))
    return counts


def _passes(evidence: pd.DataFrame, vp: VerificationParams) -> np.ndarray:
    """Which links are verified (a missing coverage counts as not reached; a link without a measured background
    has an infinite ratio, so it passes even when the ratio test is off, ``background_ratio=inf``)."""
    return (
        (evidence["coverage"] >= vp.coverage)
        | (evidence["specifics"] >= vp.specifics)
        | (evidence["family_names"] >= vp.family_names)
        | (evidence["background_ratio"] >= vp.background_ratio)
        | (evidence["margin"] >= vp.margin)
        | (evidence["min_words"] < vp.min_words)
    ).to_numpy()


def link_evidence(
    fam: pd.DataFrame,
    sim: StorySimilarity,
    ctx: FamilyContext,
    params: FamilyParams | None = None,
    all_coverage: bool = True,
    failures: list | None = None,
) -> pd.DataFrame:
    """Every link inside a family of ``fam`` (``doc_id``, ``family_id`` in ``sim.doc_ids`` order) with what
    verifies it: ``coverage`` (the smaller of the two documents' shares of sentences supported by the other),
    ``specifics`` (share of the smaller set of names and numbers found in the other), ``family_names`` (how many
    names and numbers they share that are the family's own: at least ``family_share`` of the corpus's documents
    naming them are in the family, so not the topic's common names), ``background_ratio``
    (raw similarity over the mean background; inf where none is measured), ``margin`` (the larger of the two
    documents' margins) and ``min_words`` (content words of the shorter text). With ``all_coverage=False`` the
    family names and then the sentence coverage (the slow parts) are computed only for links the other tests of
    ``params.verification`` do not pass (NaN for the others). A link whose coverage fails is kept (coverage inf)
    and listed in ``failures`` as ``(step, doc_a, error)``."""
    vp = (params or FamilyParams()).verification
    labels = fam["family_id"].to_numpy()
    raw = sim.raw.tocsr()
    rows, cols, vals = _family_edges(labels, raw)
    ids = np.asarray(sim.doc_ids, dtype=object)
    bg = sim.background if sim.background is not None else np.zeros(len(ids))
    pair_bg = (bg[rows] + bg[cols]) / 2
    with np.errstate(divide="ignore"):
        ratio = np.where(pair_bg > 0, vals / np.where(pair_bg > 0, pair_bg, 1), np.inf)
    margin = _margins(labels, raw, int(vp.margin_neighbours))
    words = ctx.d.set_index("doc_id")["n_words"].reindex(ids).fillna(0).to_numpy(dtype=np.int64)
    spec = [
        len(sa & sb) / max(1, min(len(sa), len(sb)))
        for sa, sb in ((ctx.spec.get(a, set()), ctx.spec.get(b, set())) for a, b in zip(ids[rows], ids[cols]))
    ]
    out = pd.DataFrame(
        {
            "doc_a": ids[rows],
            "doc_b": ids[cols],
            "coverage": np.nan,
            "specifics": np.asarray(spec, dtype=float),
            "family_names": np.nan,
            "background_ratio": ratio,
            "margin": np.maximum(margin[rows], margin[cols]),
            "min_words": np.minimum(words[rows], words[cols]),
        },
        columns=EVIDENCE_COLUMNS,
    )
    todo = np.flatnonzero(np.ones(len(out), bool) if all_coverage else ~_passes(out, vp))
    out["family_names"] = _family_names(out, todo, fam, ctx, vp.family_share)
    todo = todo if all_coverage else np.flatnonzero(~_passes(out, vp))
    cover = out["coverage"].to_numpy(dtype=float, copy=True)
    cover[todo] = pair_coverage(ctx.matcher, ids[rows[todo]], ids[cols[todo]], failures)
    out["coverage"] = cover
    return out


def pair_coverage(matcher, doc_a, doc_b, failures: list | None = None) -> np.ndarray:
    """Per pair: the smaller of the two documents' shares of sentences supported by the other (``matcher``: a
    :class:`~helpers.neardup.semantic.SentenceMatcher` over both); inf where it cannot be computed (the error
    listed in ``failures``: such a link is kept)."""
    cover = np.empty(len(doc_a), dtype=float)
    for k, (a, b) in enumerate(zip(doc_a, doc_b)):
        try:
            cover[k] = min(matcher.coverage(a, b))
        except Exception as exc:  # logged and listed; a link that cannot be checked is kept
            record(failures if failures is not None else [], "family verification", a, exc)
            cover[k] = np.inf
    return cover


def verified_families(
    fam: pd.DataFrame, evidence: pd.DataFrame, params: VerificationParams | None = None
) -> pd.DataFrame:
    """``fam`` with each family split into the connected components of its verified links (``evidence`` from
    :func:`link_evidence`); families renumbered 0..k-1 in order of first document."""
    vp = params or VerificationParams()
    if not vp.enabled or not len(fam):
        return fam
    ok = _passes(evidence, vp)
    pos = {d: i for i, d in enumerate(fam["doc_id"])}
    a = evidence["doc_a"].map(pos).to_numpy()[ok]
    b = evidence["doc_b"].map(pos).to_numpy()[ok]
    return fam.assign(family_id=link_components(len(fam), a, b))


def link_components(n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Connected components of ``n`` documents joined by the links ``rows[k]``-``cols[k]``, numbered 0..k-1 in
    order of first document."""
    graph = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    return numbered_by_first(comp)


def numbered_by_first(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 0..k-1 in order of each label's first document."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    order = np.empty(len(first), dtype=np.int64)
    order[np.argsort(first)] = np.arange(len(first))
    return order[inverse.ravel()]


def verify_families(
    fam: pd.DataFrame,
    sim: StorySimilarity,
    ctx: FamilyContext,
    params: FamilyParams | None = None,
    failures: list | None = None,
) -> pd.DataFrame:
    """Families of ``fam`` split where their links are not verified (see the module doc); a link that cannot be
    checked is kept and listed in ``failures``."""
    p = params or FamilyParams()
    if not p.verification.enabled:
        return fam
    evidence = link_evidence(fam, sim, ctx, p, all_coverage=False, failures=failures)
    return verified_families(fam, evidence, p.verification)
