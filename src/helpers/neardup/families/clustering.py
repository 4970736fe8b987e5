"""Story families from story similarity: average linkage over the sparse k-NN graph, with a background test.

Average-linkage agglomeration merges the two clusters with the best mean scaled similarity while it is >=
``threshold`` and the raw similarity passes a background test: on average over the two clusters' pairs it
reaches ``background_ratio`` (1.7) times the pair's background (each document's similarity to its 30th nearest
document: the level of "same topic" around it, so crowded topics need stronger evidence), and at least
``background_floor`` (0.10; ``raw_threshold``, per method in ``DEFAULTS``, in a corpus too small to measure a
background). No number of stories needed; average linkage does not chain the way single-link does.
"""

from __future__ import annotations

import heapq

import numpy as np
import pandas as pd
from scipy import sparse

from .documents import prepared
from .params import DEFAULTS, FamilyParams
from .similarity import StorySimilarity, story_similarity
from .story_model import split_unlikely_links, story_probability, story_threshold

__all__ = ["average_linkage", "story_clusters"]

_STALE = 1e-9  # a heap entry whose link differs from the current one by more than this is stale
_MIN_NEED = 1e-6  # what a pair must reach is never zero (it divides)


class _Links:
    """Summed similarities between clusters (and, optionally, a second summed matrix), for average linkage."""

    def __init__(self, W: sparse.spmatrix, W2: sparse.spmatrix | None):
        n = W.shape[0]
        C = sparse.triu(sparse.csr_matrix(W), k=1).tocoo()
        v2s = np.asarray(sparse.csr_matrix(W2)[C.row, C.col]).ravel() if W2 is not None and C.nnz else np.zeros(C.nnz)
        self.nb: list[dict[int, list]] = [{} for _ in range(n)]
        for i, j, v, v2 in zip(C.row.tolist(), C.col.tolist(), C.data.tolist(), v2s.tolist()):
            if i != j and v > 0:
                e = self.nb[i].setdefault(j, [0.0, 0.0])
                e[0] += v
                e[1] += v2
                self.nb[j][i] = e

    def merge(self, i: int, j: int) -> None:
        """Cluster ``j`` joins cluster ``i``: its links are added to ``i``'s."""
        nb = self.nb
        for k, v in nb[j].items():
            if k == i:
                continue
            del nb[k][j]
            mine = nb[i].get(k)
            if mine is None:
                mine = [0.0, 0.0]
                nb[i][k] = mine
                nb[k][i] = mine
            mine[0] += v[0]
            mine[1] += v[1]
        nb[i].pop(j, None)
        nb[j] = {}


def _labels(parent: list[int]) -> np.ndarray:
    """Cluster label of each node from merge parents, numbered 0..k-1 in order of first node."""
    n = len(parent)
    first: dict[int, int] = {}
    out = np.empty(n, dtype=np.int64)
    for x in range(n):
        r = x
        while parent[r] != r:
            r = parent[r]
        out[x] = first.setdefault(r, len(first))
    return out


def average_linkage(
    W: sparse.spmatrix, threshold: float, W2: sparse.spmatrix | None = None, threshold2: float = 0.0
) -> np.ndarray:
    """Average-linkage agglomeration on a sparse similarity graph (absent edges count as 0).

    Merges the two clusters with the highest mean pairwise similarity ``W`` while it is >= ``threshold`` (and,
    with ``W2``, while their mean pairwise ``W2`` is >= ``threshold2`` too). Returns a cluster label per node
    (0..k-1, numbered in order of first node). Deterministic.
    """
    n = W.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    links = _Links(W, W2)
    nb = links.nb
    size = [1] * n
    alive = [True] * n
    parent = list(range(n))

    def passes(e, si, sj):
        return W2 is None or e[1] / (si * sj) >= threshold2

    heap = [
        (-e[0], i, j) for i in range(n) for j, e in nb[i].items() if i < j and e[0] >= threshold and passes(e, 1, 1)
    ]
    heapq.heapify(heap)
    while heap:
        negl, i, j = heapq.heappop(heap)
        if not (alive[i] and alive[j]) or j not in nb[i]:
            continue
        e = nb[i][j]
        cur = e[0] / (size[i] * size[j])
        if abs(cur + negl) > _STALE or not passes(e, size[i], size[j]):
            continue
        if cur < threshold:
            break
        if len(nb[i]) < len(nb[j]):
            i, j = j, i
        alive[j] = False
        parent[j] = i
        links.merge(i, j)
        size[i] += size[j]
        for k, v in nb[i].items():
            link = v[0] / (size[i] * size[k])
            if link >= threshold and passes(v, size[i], size[k]):
                heapq.heappush(heap, (-link, min(i, k), max(i, k)))
    return _labels(parent)


def _background_test(sim: StorySimilarity, tau_raw: float, p: FamilyParams):
    """The raw-similarity condition of a merge, as (matrix, threshold) for :func:`average_linkage`.

    Each raw similarity is divided by what the pair must reach: ``max(floor, background_ratio * mean of the two
    documents' backgrounds)`` (a document's background is its similarity to its ``background_rank``-th nearest
    document: the level of "same topic" around it). Two clusters merge only if the mean of this ratio over their
    pairs is >= 1. Where topics are crowded (short snippets about one debate) the bar rises; where they are
    sparse it falls to ``background_floor``; in a corpus too small to measure a background the floor is
    ``tau_raw``. Returns ``(None, 0)`` when there is no condition.
    """
    bg = sim.background
    c = float(p.background_ratio)
    if bg is None or c <= 0 or not sim.raw.nnz or not (bg > 0).any():
        return (sim.raw, tau_raw) if tau_raw > 0 else (None, 0.0)
    C = sim.raw.tocoo()
    pair_bg = (bg[C.row] + bg[C.col]) / 2
    floor = np.where((bg[C.row] > 0) & (bg[C.col] > 0), min(tau_raw, p.background_floor), tau_raw)
    need = np.maximum(np.maximum(floor, c * pair_bg), _MIN_NEED)
    ratio = C.data / need
    lex = sim.lexical
    if len(lex):  # lexical copies always pass
        strong = lex[["jaccard", "containment_a", "containment_b"]].max(axis=1).to_numpy() >= p.copy_link
        if strong.any():
            pos = {x: i for i, x in enumerate(sim.doc_ids)}
            a = lex["doc_a"].map(pos).to_numpy()[strong]
            b = lex["doc_b"].map(pos).to_numpy()[strong]
            n = len(sim.doc_ids)
            key = set((np.minimum(a, b) * n + np.maximum(a, b)).tolist())
            pair = np.minimum(C.row, C.col).astype(np.int64) * n + np.maximum(C.row, C.col)
            ratio = np.where(np.isin(pair, list(key)), np.maximum(ratio, 1.0), ratio)
    return sparse.csr_matrix((ratio, (C.row, C.col)), shape=sim.raw.shape), 1.0


def story_clusters(
    docs: pd.DataFrame,
    params: FamilyParams | None = None,
    method: str = "tfidf",
    similarity: StorySimilarity | None = None,
    probability: sparse.spmatrix | None = None,
    failures: list | None = None,
) -> pd.DataFrame:
    """Story clusters only (no lineage): ``doc_id``, ``family_id`` (0..k-1). Empty documents stay alone.

    With ``params.story_model``, families are split where a link is unlikely the same story, or (``story_use``
    ``"cluster"``) the linkage runs on P(same story) (``probability`` when already computed); a link whose
    evidence cannot be computed is kept and listed in ``failures``."""
    p = params or FamilyParams()
    d = prepared(docs)
    sim = similarity or story_similarity(d, p, method)
    dflt = DEFAULTS.get(method, DEFAULTS["tfidf"])
    tau = dflt["threshold"] if p.threshold is None else float(p.threshold)
    tau_raw = dflt["raw_threshold"] if p.raw_threshold is None else float(p.raw_threshold)
    if p.story_model is not None and p.story_use not in ("split", "cluster"):
        raise ValueError(f"story_use must be 'split' or 'cluster', got {p.story_use!r}")
    W2, tau2 = _background_test(sim, tau_raw, p)
    if p.story_model is not None and p.story_use == "cluster":
        P = probability if probability is not None else story_probability(d, sim, p.story_model, p, failures)
        W2, tau2 = (W2, tau2) if p.story_background else (None, 0.0)
        labels = average_linkage(P, story_threshold(p), W2, tau2)
    else:
        labels = average_linkage(sim.scaled, tau, W2, tau2)
        if p.story_model is not None:
            labels = split_unlikely_links(labels, d, sim, p, failures=failures)
    return pd.DataFrame({"doc_id": d["doc_id"].to_numpy(), "family_id": labels})
