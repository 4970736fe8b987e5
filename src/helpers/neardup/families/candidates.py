"""Story-graph candidates without all pairs: approximate nearest neighbours, then exact scores.

The exact path of :mod:`.similarity` multiplies every document with every other (dense row blocks: quadratic).
Here, per document, a few candidates are found approximately and scored exactly:

1. **Reduced vectors**: the word and specifics TF-IDF rows weighted as the raw similarity weighs them
   (``[sqrt(1-w) words, sqrt(w) specifics]``, whose dot product *is* the raw similarity), projected on a
   TruncatedSVD fitted on an evenly spaced sample of rows (``svd_sample``, fixed seed).
2. **Search**: an HNSW index (hnswlib, inner product) returns ``search`` neighbours of each document among all
   documents, as the exact path chooses edges by the raw similarity over all time (:func:`search_groups`). With
   ``CandidateParams.choose_after_decay`` there is one index per time window instead: dated documents are
   searched among the documents of their own and the neighbouring windows (and the undated ones); undated
   documents among all. The window is as long as the time decay takes to bring the largest raw similarity (1)
   under ``min_raw``, so a pair further apart cannot be an edge worth keeping.
3. **Exact scores** of the candidate pairs with the real word and specifics cosines (sparse dot products of the
   same TF-IDF rows as the exact path, numba), then ``refine_rounds`` rounds of *neighbours of neighbours*: the
   candidates of a document's ``refine_from`` best are scored too (what SVD misses, a close neighbour finds).
4. Each document keeps its ``search`` best by exact score (after the time decay with
   ``CandidateParams.choose_after_decay``, :mod:`.decay`); the ``knn`` best
   become edges and its background is read from the rest, exactly as the exact path reads them from all
   documents.

Needs the ``scale`` extra (hnswlib, numba); without it the caller falls back to the exact path with a message.
"""

from __future__ import annotations

import importlib.util
import math
import os
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
from scipy import sparse

from ...cluster import current_client
from .decay import epoch_days, pair_decay

_BLOCK_ROWS = 20_000  # documents scored and ranked at a time (bounds the n x candidates temporaries)
_THREADS = os.cpu_count() or 1  # threads of the search: windows searched at once, or one window's queries

__all__ = [
    "CandidateParams",
    "ann_available",
    "combined_rows",
    "reduce_rows",
    "time_groups",
    "search_groups",
    "ann_neighbours",
]


@dataclass(frozen=True)
class CandidateParams:
    """How story-graph candidates are found (``FamilyParams.candidates``)."""

    engine: str = "auto"
    """``"exact"`` (all pairs in dense blocks), ``"ann"`` (this module) or ``"auto"``: ANN from ``ann_from``
    documents when the ``scale`` extra is installed."""
    ann_from: int = 20_000
    """Documents from which ``"auto"`` searches approximately. At 10,000 planted-corpus documents the exact
    similarity took 148 s and the approximate 200 s (``benchmarks/story_scale.py``, busy machine); the exact one
    grows with n^2, the approximate one about linearly, so they cross between 10,000 and 20,000 (extrapolated,
    not measured). 20,000 also keeps every development set, and so the shipped settings, on the exact path."""
    dims: int = 1024
    """SVD components of the reduced vectors. Recall of the exact k-NN edges on 5,000 real news documents
    (``benchmarks/real_corpus.py``, no time windows; development numbers, exploratory runs): 0.86 with 128
    components and 60 candidates, 0.96 with 256 and 100, 0.98 with 384 and 120 (one refinement round each; 0.978
    with the final SVD sample settings). 384 lost the rare names and numbers that decide a document's 30 nearest:
    on 10,000 real news searched among all, half the documents missed one of their exact 30 nearest, and the
    families of the two engines agreed at ARI 0.955 (0.985 with 768, 0.988 with 1024, 0.991 with 1024 and
    ``search`` 200; development numbers, ``benchmarks/story_scale.py --agreement``)."""
    svd_sample: int = 10_000
    """Rows the SVD is fitted on (evenly spaced): the projection itself is one sparse product for all rows."""
    svd_iterations: int = 2
    """Power iterations of the randomized SVD."""
    search: int = 200
    """Neighbours asked of the index and kept per document after exact scoring (about seven times ``knn``: the 30th
    neighbour of a news article is one of many nearly as close, so the approximate order needs room; 120 before
    ``dims`` 1024)."""
    refine_rounds: int = 1
    """Rounds of neighbours of neighbours scored exactly."""
    refine_from: int = 15
    """... the candidate lists of this many best neighbours are scored (their ``refine_from`` best each)."""
    hnsw_m: int = 16
    """HNSW graph degree (hnswlib ``M``)."""
    ef_construction: int = 100
    """HNSW build beam (hnswlib suggests 200; 100 builds in about half the time; not tuned further)."""
    ef_search: int = 230
    """HNSW query beam (at least ``search``; 200 with ``search`` 120 before). On 10,000 real news, families against
    the exact engine's (development numbers, ``benchmarks/story_scale.py``): ARI 0.9908 with 230 and with 300,
    0.9902 with 260, 0.9901 with 201; two builds of the index in two threads (a different graph each time) gave
    0.9898 and 0.9912, so these differ by less than the index's own chance. 230 answers the queries in about a
    fifth less time than 300. With 384 dimensions, 140 instead of 200 found 0.979 of the family-forming exact
    edges against 0.981."""
    window_days: float | None = None
    """Length of a time window; None: ``time_window_days + time_halflife_days * log2(1 / min_raw)`` (62.5 days
    with the defaults: the decay brings a raw similarity of 1 under ``min_raw`` beyond it)."""
    choose_after_decay: bool = False
    """Rank each document's edges and background by the similarity *after* the time decay (the approximate search
    then runs per time window, which holds every pair the decay keeps), or by the raw similarity over all time
    (default; both engines then search all documents, :func:`search_groups`). Off by default: on dated same-topic
    news the decayed background is lower, so daily reports of one crisis chain into topic families (the 654 T17
    Syria articles: 318 families with up to 16 articles over two weeks, against 557 with at most 6; planted-story
    ARI 0.934 against 0.941). Undated documents are the same either way."""
    seed: int = 0
    """Seed of the SVD and the HNSW levels (with ``build_threads`` 1 the index is the same on every run)."""
    build_threads: int = 1
    """Threads that build each HNSW index. One (default) builds the same graph on every run, so the same documents
    always give the same families. More build it faster but in an order that varies from run to run, so families
    can differ a little between runs: two 2-thread builds on 10,000 real news gave families at ARI 0.9898 and
    0.9912 against the exact engine's (the 1-thread build: 0.9908); at 100,000 planted documents the similarity
    stage took 124.5 s against 141-143 s (one run each; ``benchmarks/story_scale.py --build-threads 2``)."""


def ann_available() -> bool:
    """True when the ``scale`` extra (hnswlib and numba) is installed."""
    return all(importlib.util.find_spec(m) is not None for m in ("hnswlib", "numba"))


def combined_rows(Xw: sparse.csr_matrix, Xs: sparse.csr_matrix, w: float) -> sparse.csr_matrix:
    """``[sqrt(1-w) Xw, sqrt(w) Xs]``: the dot product of two rows is the raw TF-IDF similarity."""
    return sparse.hstack([math.sqrt(1 - w) * Xw, math.sqrt(w) * Xs], format="csr", dtype=np.float32)


def svd_basis(X: sparse.csr_matrix, cp: CandidateParams) -> np.ndarray:
    """SVD components (``dims`` x features) fitted on an evenly spaced sample of the rows of ``X``, over the
    terms at least two sampled documents share (a term of one document adds nothing to any similarity)."""
    from sklearn.utils.extmath import randomized_svd

    n, f = X.shape
    sample = X[np.linspace(0, n - 1, min(n, cp.svd_sample)).astype(np.int64)] if n > cp.svd_sample else X
    shared = np.flatnonzero(np.bincount(sample.indices, minlength=f) >= 2)
    basis = np.zeros((0, f), dtype=np.float32)
    dims = min(cp.dims, len(shared) - 1, sample.shape[0] - 1)
    if dims < 1:
        return basis
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, "blas"):  # threaded QR stalls on a shared machine (18 s against 1.3 s measured)
        _, _, vt = randomized_svd(sample[:, shared], dims, n_iter=cp.svd_iterations, random_state=cp.seed)
    basis = np.zeros((dims, f), dtype=np.float32)
    basis[:, shared] = vt
    return basis


def reduce_rows(X: sparse.csr_matrix, basis: np.ndarray) -> np.ndarray:
    """Rows of ``X`` projected on the SVD ``basis`` (float32, C order for hnswlib); blocks of rows in threads
    (SciPy's sparse-dense product releases the GIL; each row is computed alone, so the result is the same)."""
    if not basis.shape[0]:
        return np.zeros((X.shape[0], 1), dtype=np.float32)
    from concurrent.futures import ThreadPoolExecutor

    bt = np.ascontiguousarray(basis.T)
    step = -(-X.shape[0] // _THREADS) or 1
    with ThreadPoolExecutor(_THREADS) as pool:
        blocks = list(pool.map(lambda a: X[a : a + step] @ bt, range(0, X.shape[0], step)))
    if not blocks:
        return np.zeros((0, basis.shape[0]), dtype=np.float32)
    return np.ascontiguousarray(np.vstack(blocks).astype(np.float32))


def window_days(p) -> float:
    """Length of a time window for :class:`~.params.FamilyParams` ``p`` (see ``CandidateParams.window_days``)."""
    cp = p.candidates
    if cp.window_days is not None:
        return float(cp.window_days)
    return float(p.time_window_days + p.time_halflife_days * math.log2(1.0 / max(p.min_raw, 1e-6)))


def time_groups(published: pd.Series, window: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(queries, index)`` position arrays: dated documents of one window against their own and the neighbouring
    windows plus the undated; the undated against all. One group of all when nothing is dated or the dates span
    under three windows."""
    n = len(published)
    dated = published.notna().to_numpy()
    everyone = np.arange(n)
    days = epoch_days(published)
    if not dated.any() or np.nanmax(days) - np.nanmin(days) < 3 * window:
        return [(everyone, everyone)] if n else []
    bucket = np.full(n, -1, dtype=np.int64)
    bucket[dated] = np.floor((days[dated] - np.nanmin(days)) / window).astype(np.int64)
    undated = np.flatnonzero(~dated)
    groups = []
    for b in np.unique(bucket[dated]):
        queries = np.flatnonzero(bucket == b)
        near = np.flatnonzero(dated & (np.abs(bucket - b) <= 1))
        groups.append((queries, np.union1d(near, undated)))
    if len(undated):
        groups.append((undated, everyone))
    return groups


def search_groups(published: pd.Series, p) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(queries, index)`` groups of the search for :class:`~.params.FamilyParams` ``p``: the time windows
    (:func:`time_groups`) when edges are chosen after the time decay, where a window holds every pair the decay
    leaves above ``min_raw``; otherwise every document against all, as the exact path chooses each document's
    edges and background by the raw similarity over all time (inside windows a dated document would find the
    nearest documents of its weeks, not of all time, and the two engines would read different graphs)."""
    if p.candidates.choose_after_decay:
        return time_groups(published, window_days(p))
    everyone = np.arange(len(published))
    return [(everyone, everyone)] if len(everyone) else []


def search_group(
    Vq: np.ndarray, Vi: np.ndarray, queries: np.ndarray, index: np.ndarray, cp: CandidateParams, threads: int = 2
):
    """Approximate neighbours of the documents ``queries`` (reduced vectors ``Vq``) among ``index`` (``Vi``) by
    inner product: positions, ``search`` columns, -1 padded, the query itself removed. The index is built in
    ``cp.build_threads`` threads (one: the same graph on every run); ``threads`` answer the queries (each query
    alone: any number gives the same answers)."""
    import hnswlib

    out = np.full((len(queries), cp.search), -1, dtype=np.int64)
    if len(index) < 2 or not len(queries):
        return out
    ix = hnswlib.Index(space="ip", dim=Vi.shape[1])
    ix.init_index(max_elements=len(index), ef_construction=cp.ef_construction, M=cp.hnsw_m, random_seed=cp.seed)
    ix.set_num_threads(max(1, cp.build_threads))  # one thread: the same graph on every run
    ix.add_items(Vi, index)
    ix.set_ef(max(cp.ef_search, cp.search + 1))
    ix.set_num_threads(threads)
    k = min(cp.search + 1, len(index))
    labels, _ = ix.knn_query(Vq, k=k)
    labels = labels.astype(np.int64)
    labels[labels == queries[:, None]] = -1
    keep = np.argsort(labels < 0, axis=1, kind="stable")[:, : cp.search]  # valid ids first, in index order
    got = np.take_along_axis(labels, keep, axis=1)
    out[:, : got.shape[1]] = got
    return out


def _stream_groups(client, V: np.ndarray, groups, cp: CandidateParams):
    """``(group, candidates)`` of each time group searched on the Dask workers, as they finish; at most two groups
    a worker are in flight, so the client holds a few groups' vectors at a time, not every window's slice."""
    from distributed import as_completed

    print("story candidates", flush=True)
    limit = 2 * max(1, len(client.scheduler_info().get("workers", {})))
    running, order = as_completed(), {}
    todo = iter(enumerate(groups))

    def submit():
        for g, (q, i) in todo:
            f = client.submit(search_group, V[q], V[i], q, i, cp, pure=False)
            order[f.key] = g
            running.add(f)
            return

    for _ in range(limit):
        submit()
    for f in running:
        yield groups[order.pop(f.key)], f.result()
        f.release()
        submit()


def _search(V: np.ndarray, groups, cp: CandidateParams) -> np.ndarray:
    """The candidates of every document: one index per time group, built and queried on the Dask workers when a
    cluster is active and there are several groups (streamed: :func:`_stream_groups`)."""
    cands = np.full((V.shape[0], cp.search), -1, dtype=np.int64)
    client = current_client()
    if client is not None and len(groups) > 1:
        for (q, _), f in _stream_groups(client, V, groups, cp):
            cands[q] = f
        return cands
    if len(groups) > 1:  # hnswlib releases the GIL: two windows at a time, each index built in one thread
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(_THREADS) as pool:
            found = list(pool.map(lambda g: search_group(V[g[0]], V[g[1]], g[0], g[1], cp, threads=1), groups))
    else:
        found = [search_group(V[q], V[i], q, i, cp, threads=_THREADS) for q, i in groups]
    for (q, _), f in zip(groups, found):
        cands[q] = f  # each document is a query of one group
    return cands


def _dots_kernel():
    """The numba kernel: ``out[q, m] = X[queries[q]] . X[cands[q, m]]`` (0 where ``cands`` is -1)."""
    from numba import njit, prange

    @njit(cache=True)
    def row_dots(indptr, indices, data, buf, i, cand_row, out_row):  # pragma: no cover - compiled
        for t in range(indptr[i], indptr[i + 1]):
            buf[indices[t]] = data[t]
        for j in range(cand_row.shape[0]):
            d = cand_row[j]
            if d >= 0:
                acc = np.float32(0.0)
                for t in range(indptr[d], indptr[d + 1]):
                    acc += buf[indices[t]] * data[t]
                out_row[j] = acc
        for t in range(indptr[i], indptr[i + 1]):
            buf[indices[t]] = 0.0

    @njit(parallel=True, cache=True)
    def dots(indptr, indices, data, ncols, queries, cands, chunks):  # pragma: no cover - compiled
        nq = cands.shape[0]
        out = np.zeros(cands.shape, dtype=np.float32)
        step = (nq + chunks - 1) // chunks
        for c in prange(chunks):  # one scatter buffer per chunk (an inner += would pass for a reduction)
            buf = np.zeros(ncols, dtype=np.float32)
            for q in range(c * step, min(nq, (c + 1) * step)):
                row_dots(indptr, indices, data, buf, queries[q], cands[q], out[q])
        return out

    return dots


def _rank_kernels():
    """The numba kernels of :func:`_best` and :func:`_repeats` (one row per thread, the same stable sorts)."""
    from numba import njit, prange

    @njit(cache=True)
    def first_of_id(row, by_id, t):  # pragma: no cover - compiled
        """True when the ``t``-th candidate in id order is a real one, not a repeat of the one before."""
        c = row[by_id[t]]
        return c >= 0 and (t == 0 or c != row[by_id[t - 1]])

    @njit(parallel=True, cache=True)
    def best_picks(cands, s, keep):  # pragma: no cover - compiled
        n, m = cands.shape
        w = min(keep, m)
        pick = np.empty((n, w), dtype=np.int64)
        valid = np.empty((n, w), dtype=np.bool_)
        for q in prange(n):
            by_id = np.argsort(cands[q], kind="mergesort")
            key = np.empty(m, dtype=np.float32)  # minus the score, in id order; 2 for no candidate or a repeat
            for t in range(m):
                key[t] = -s[q, by_id[t]] if first_of_id(cands[q], by_id, t) else np.float32(2.0)
            top = np.argsort(key, kind="mergesort")
            for t in range(w):
                pick[q, t] = by_id[top[t]]
                valid[q, t] = key[top[t]] < 2.0
        return pick, valid

    @njit(parallel=True, cache=True)
    def repeats(cands):  # pragma: no cover - compiled
        n, m = cands.shape
        out = np.zeros((n, m), dtype=np.bool_)
        for q in prange(n):
            by_id = np.argsort(cands[q], kind="mergesort")
            for t in range(1, m):
                out[q, by_id[t]] = cands[q, by_id[t]] >= 0 and not first_of_id(cands[q], by_id, t)
        return out

    return best_picks, repeats


_KERNEL = None
_RANK = None


def _rank():
    global _RANK
    if _RANK is None:
        _RANK = _rank_kernels()
    return _RANK


def pair_dots(X: sparse.csr_matrix, queries: np.ndarray, cands: np.ndarray) -> np.ndarray:
    """Exact dot products of each query row of ``X`` with its candidate rows (``cands``: positions, -1 padded)."""
    global _KERNEL
    if _KERNEL is None:
        _KERNEL = _dots_kernel()
    X = X.tocsr()
    return _KERNEL(  # the matrix's own arrays (no int64 copies of its indices: numba compiles for int32 too)
        X.indptr,
        X.indices,
        np.asarray(X.data, dtype=np.float32),
        X.shape[1],
        np.ascontiguousarray(queries, dtype=np.int64),
        np.ascontiguousarray(cands, dtype=np.int64),
        4,
    )


def score_pairs(Xw, Xs, E, queries, cands, p):
    """Exact raw similarity of candidate pairs and its parts: ``(raw, words, specifics, embedding)``; -1 where
    there is no candidate."""
    w = float(p.specifics_weight)
    sw, ss = pair_dots(Xw, queries, cands), pair_dots(Xs, queries, cands)
    s = (1 - w) * sw + w * ss
    se = np.zeros_like(s)
    if E is not None:
        safe = np.where(cands < 0, 0, cands)
        for a in range(0, len(queries), 2048):  # rows in chunks: E[safe] is rows x candidates x 384 floats
            b = a + 2048
            se[a:b] = np.clip(np.einsum("qd,qmd->qm", E[queries[a:b]], E[safe[a:b]]), 0, 1)
        s = (1 - p.embedding_weight) * s + p.embedding_weight * se
    s = np.where(cands < 0, -1.0, s).astype(np.float32)
    return s, sw, ss, se


def _best(cands, parts, keep):
    """Each row's ``keep`` best candidates by ``parts[0]`` (the decayed raw score), duplicates removed, best first
    (equal scores in id order)."""
    pick, valid = _rank()[0](np.ascontiguousarray(cands), np.ascontiguousarray(parts[0], dtype=np.float32), keep)
    out_c = np.where(valid, np.take_along_axis(cands, pick, axis=1), -1)
    out_parts = [
        np.where(valid, np.take_along_axis(x, pick, axis=1), -1.0 if i == 0 else 0.0).astype(np.float32)
        for i, x in enumerate(parts)
    ]
    return out_c, out_parts


def _repeats(cands: np.ndarray) -> np.ndarray:
    """True where a row's candidate id appeared in an earlier column of the row (-1 entries are no candidate)."""
    return _rank()[1](np.ascontiguousarray(cands))


def _scored(Xw, Xs, E, queries, cands, days, p):
    """``[key, raw, words, specifics, embedding]`` of candidate pairs: :func:`score_pairs` with the ranking key in
    front: the raw similarity, after the time decay with ``choose_after_decay`` (:mod:`.decay`; -1 where there is
    no candidate)."""
    parts = score_pairs(Xw, Xs, E, queries, cands, p)
    decay = pair_decay(days, queries[:, None], cands, p) if p.candidates.choose_after_decay else None
    key = parts[0] if decay is None else np.where(cands < 0, -1.0, parts[0] * decay).astype(np.float32)
    return [key, *parts]


def _refine_rows(cands, parts, Xw, Xs, E, days, p, a: int, b: int):
    """One round of neighbours of neighbours for the rows ``a:b``: score the best candidates of each document's
    best candidates (read from the whole ``cands`` of the round before)."""
    cp = p.candidates
    m = cands.shape[1]
    r = min(cp.refine_from, m)
    first = cands[a:b, :r]
    second = cands[np.where(first < 0, 0, first), :r].reshape(b - a, r * r)
    second = np.where(np.repeat(first < 0, r, axis=1), -1, second)
    second[second == np.arange(a, b)[:, None]] = -1
    allc = np.concatenate([cands[a:b], second], axis=1)
    second[_repeats(allc)[:, m:]] = -1  # scored already: the same score, kept once by _best anyway
    new_parts = _scored(Xw, Xs, E, np.arange(a, b), second, days, p)
    allc = np.concatenate([cands[a:b], second], axis=1)
    allp = [np.concatenate([x[a:b], y], axis=1) for x, y in zip(parts, new_parts)]
    return _best(allc, allp, cp.search)


def _in_row_blocks(n: int, width: int, step):
    """``step(a, b) -> (cands, parts)`` over blocks of ``_BLOCK_ROWS`` rows, gathered into ``n``-row arrays of
    ``width`` columns: a round's temporaries (candidates x parts x neighbours of neighbours) stay one block's."""
    out_c, out_p = np.full((n, width), -1, dtype=np.int64), None
    for a in range(0, n, _BLOCK_ROWS):
        b = min(n, a + _BLOCK_ROWS)
        c, parts = step(a, b)
        if out_p is None:
            out_p = [np.zeros((n, width), dtype=np.float32) for _ in parts]
        out_c[a:b, : c.shape[1]] = c
        for o, x in zip(out_p, parts):
            o[a:b, : x.shape[1]] = x
            o[a:b, x.shape[1] :] = -1.0 if o is out_p[0] else 0.0
    return out_c, out_p or []


def ann_neighbours(Xw, Xs, E, published: pd.Series, p):
    """Each document's ``search`` best neighbours by exact raw score after the time decay among approximate
    candidates: ``(cands, decayed, raw, words, specifics, embedding)``, rows in document order, best first, -1 /
    -1.0 padded (``raw`` 0-padded)."""
    cp = p.candidates
    n = Xw.shape[0]
    # terms in column order: every sum below depends on the values only, not on how a matrix was assembled
    # (the Dask engine's rows hold the same values in another order)
    Xw.sort_indices()  # in place: the same matrix in canonical order (a sorted copy would double its memory)
    Xs.sort_indices()
    X = combined_rows(Xw, Xs, float(p.specifics_weight))
    V = reduce_rows(X, svd_basis(X, cp))
    del X
    cands = _search(V, search_groups(published, p), cp)
    del V
    days = epoch_days(published)
    width = min(cp.search, cands.shape[1])

    def scored_best(a, b):
        return _best(cands[a:b], _scored(Xw, Xs, E, np.arange(a, b), cands[a:b], days, p), cp.search)

    cands, parts = _in_row_blocks(n, width, scored_best)
    for _ in range(cp.refine_rounds):
        width = min(cp.search, cands.shape[1] + min(cp.refine_from, cands.shape[1]) ** 2)
        cands, parts = _in_row_blocks(n, width, partial(_refine_rows, cands, parts, Xw, Xs, E, days, p))
    return (cands, *parts)
