"""Story similarity: how close two documents are as *stories*, not as topics.

Each document (title + text) becomes two TF-IDF vectors over the corpus: stemmed content words, and *specifics*
(names - words the corpus writes capitalised mid-sentence more often than lower-case - and numbers). The raw
similarity of two documents is ``(1 - w) * words + w * specifics`` (``w`` = ``specifics_weight``; with
``method="embeddings"``, mixed with the MiniLM document cosine), kept on each document's ``knn`` best *mutual*
neighbours. It is then *locally scaled*: ``s / sqrt(m_a * m_b)`` where ``m`` is a document's mean similarity to
its ``local_k`` nearest neighbours (floored at ``scale_floor``), so that "unusually close for this document"
counts, not "same topic" (every Syria article is similar to every other). Lexical copies (shingle Jaccard or
containment >= ``copy_link``, from :func:`helpers.neardup.near_duplicate_pairs`, on Dask inside a cluster) are
always linked; when both documents are dated, the similarity decays with the days between them; two snippets
(under ``snippet_words`` content words: a headline and a lead) whose leads name different weekdays report
different days' events, and their similarity is multiplied by ``weekday_conflict``. Each document's
*background* (its similarity to its ``background_rank``-th nearest document) is kept for the clustering's
background test.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import sparse

from ...cluster import current_client
from ..api import near_duplicate_pairs
from ..lexical import empty_pairs
from ..lexical_dask import as_dask
from .candidates import CandidateParams, ann_available, ann_neighbours
from .decay import decay_factor, epoch_days
from .documents import prepared
from .params import FamilyParams
from .vectors import StoryVectors, story_vectors
from .vectors_dask import story_vectors_dask

__all__ = ["StorySimilarity", "story_similarity", "lead_weekday"]

log = logging.getLogger(__name__)

_ROW_BLOCK = 512  # documents per dense block of the similarity computation


@dataclass
class StorySimilarity:
    """Result of :func:`story_similarity`: ``scaled`` (sparse, used for clustering), ``raw``, the word and
    specifics cosines (sparse, k-NN edges only), the lexical pairs and the document order ``doc_ids``."""

    doc_ids: list
    scaled: sparse.csr_matrix
    raw: sparse.csr_matrix
    words: sparse.csr_matrix
    specifics: sparse.csr_matrix
    lexical: pd.DataFrame
    embeddings: sparse.csr_matrix | None = None
    names: frozenset = frozenset()
    background: np.ndarray | None = None  # each document's raw similarity to its background_rank-th neighbour
    specifics_tfidf: sparse.csr_matrix | None = None  # each document's names and numbers (the vectors' TF-IDF)

    def dense(self, which: str = "raw", ids=None) -> pd.DataFrame:
        """A doc x doc table of one similarity (``raw``, ``scaled``, ``words``, ``specifics``) for ``ids``."""
        pos = {d: i for i, d in enumerate(self.doc_ids)}
        ids = list(self.doc_ids if ids is None else ids)
        idx = [pos[d] for d in ids]
        M = getattr(self, which)[idx][:, idx].toarray()
        np.fill_diagonal(M, 1.0)
        return pd.DataFrame(M, index=ids, columns=ids)


def _exact_edges(Xw, Xs, E, p: FamilyParams, days: np.ndarray | None = None):
    """All pairs in dense row blocks: each document's ``p.knn`` best edges whose time-decayed raw similarity is
    >= ``p.min_raw`` as arrays ``(rows, cols, raw, words, specifics, embedding)`` (``raw`` before the decay), and
    each document's background (decayed); ``days``: :func:`.decay.epoch_days` of the documents, or None."""
    n = Xw.shape[0]
    dated = days is not None and bool(np.isfinite(days).any())
    w = float(p.specifics_weight)
    k = max(1, min(int(p.knn), n - 1)) if n > 1 else 0
    XwT, XsT = Xw.T.tocsc(), Xs.T.tocsc()
    rows, cols, vals, vw, vs, ve = [], [], [], [], [], []
    rb = int(p.background_rank)
    background = np.zeros(n, dtype=np.float32)  # 0 when the corpus has fewer than rb other documents
    for start in range(0, n if k else 0, _ROW_BLOCK):
        stop = min(n, start + _ROW_BLOCK)
        sw = np.asarray((Xw[start:stop] @ XwT).todense(), dtype=np.float32)
        ss = np.asarray((Xs[start:stop] @ XsT).todense(), dtype=np.float32)
        s = (1 - w) * sw + w * ss
        se = None
        if E is not None:
            se = np.clip(E[start:stop] @ E.T, 0, 1)
            s = (1 - p.embedding_weight) * s + p.embedding_weight * se
        idx = np.arange(stop - start)
        s[idx, idx + start] = -1.0
        key = s * decay_factor(np.abs(days[start:stop, None] - days[None, :]), p) if dated else s
        if 0 < rb <= n - 1:  # near-identical texts are not background: fifty copies do not raise the bar
            background[start:stop] = -np.partition(-np.where(s >= p.background_copy, -1.0, key), rb - 1, axis=1)[
                :, rb - 1
            ]
        top = np.argpartition(-key, k - 1, axis=1)[:, :k] if k < n else np.argsort(-key, axis=1)[:, :k]
        r = np.repeat(idx, top.shape[1])
        c = top.ravel()
        ok = key[r, c] >= p.min_raw
        r, c = r[ok], c[ok]
        v = s[r, c]
        rows.append(r + start)
        cols.append(c)
        vals.append(v)
        vw.append(sw[r, c])
        vs.append(ss[r, c])
        ve.append(se[r, c] if se is not None else np.zeros(len(r), np.float32))
    return (rows, cols, vals, vw, vs, ve), background


def _ann_edges(Xw, Xs, E, published: pd.Series, p: FamilyParams):
    """The same as :func:`_exact_edges` from approximate candidates scored exactly (:mod:`.candidates`)."""
    n = Xw.shape[0]
    cands, key, s, sw, ss, se = ann_neighbours(Xw, Xs, E, published, p)
    k = max(1, min(int(p.knn), n - 1, cands.shape[1]))
    rb = int(p.background_rank)
    background = np.zeros(n, dtype=np.float32)
    if 0 < rb <= min(n - 1, cands.shape[1]):  # copies are skipped as in the exact path
        background = -np.partition(-np.where(s >= p.background_copy, -1.0, key), rb - 1, axis=1)[:, rb - 1]
    r = np.repeat(np.arange(n), k)
    c = cands[:, :k].ravel()
    ok = (c >= 0) & (key[:, :k].ravel() >= p.min_raw)
    flat = [x[:, :k].ravel()[ok] for x in (s, sw, ss, se)]
    return ([r[ok]], [c[ok]], *([x] for x in flat)), background.astype(np.float32)


def _candidate_engine(n: int, p: FamilyParams) -> str:
    """``"exact"`` or ``"ann"`` for ``n`` documents (``"auto"``: ANN from ``ann_from`` documents when installed)."""
    engine = p.candidates.engine
    if engine not in ("exact", "ann", "auto"):
        raise ValueError(f"candidates must be 'exact', 'ann' or 'auto', got {engine!r}")
    wanted = engine == "ann" or (engine == "auto" and n >= p.candidates.ann_from)
    if wanted and not ann_available():
        log.warning(
            "approximate story candidates need the 'scale' extra (pip install 'storytrace[scale]': hnswlib, "
            "numba); comparing all %d documents pairwise instead (slow beyond tens of thousands)",
            n,
        )
        return "exact"
    return "ann" if wanted and n > 2 else "exact"


def _knn_graph(Xw, Xs, E, p: FamilyParams, published: pd.Series | None = None):
    """Raw similarity ``(1-w)*cos_words + w*cos_specifics`` (mixed with the embedding cosine when ``E``), keeping
    each document's ``p.knn`` best edges >= ``p.min_raw`` (with ``p.mutual``, only edges in both documents'
    best), from all pairs or approximate candidates (``p.candidates``). Returns the raw graph (symmetric), the
    word, specifics and embedding cosines on its edges, and each document's background."""
    n = Xw.shape[0]
    if _candidate_engine(n, p) == "ann":
        dates = published if published is not None else pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns, UTC]")
        (rows, cols, vals, vw, vs, ve), background = _ann_edges(Xw, Xs, E, dates, p)
    else:
        decayed = published is not None and p.candidates.choose_after_decay
        days = epoch_days(published) if decayed else None
        (rows, cols, vals, vw, vs, ve), background = _exact_edges(Xw, Xs, E, p, days)

    def symmetric(values):
        if not rows:
            return sparse.csr_matrix((n, n), dtype=np.float32)
        M = sparse.csr_matrix((np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
        return (M.minimum(M.T) if p.mutual else M.maximum(M.T)).tocsr()

    embeddings = symmetric(ve) if E is not None else None
    return symmetric(vals), symmetric(vw), symmetric(vs), embeddings, np.maximum(background, 0)


def _local_scale(S: sparse.csr_matrix, k: int, floor: float, mode: str = "geo") -> sparse.csr_matrix:
    """Each similarity over the two documents' mean similarity to their ``k`` nearest (floored at ``floor``)."""
    n = S.shape[0]
    m = np.full(n, floor, dtype=np.float64)
    counts = np.diff(S.indptr)
    for i in np.flatnonzero(counts):
        d = S.data[S.indptr[i] : S.indptr[i + 1]]
        top = d if len(d) <= k else np.partition(d, len(d) - k)[-k:]
        m[i] = max(floor, float(top.mean()))
    C = S.tocoo()
    v = C.data / (np.sqrt(m[C.row] * m[C.col]) if mode == "geo" else np.maximum(m[C.row], m[C.col]))
    return sparse.csr_matrix((v.astype(np.float32), (C.row, C.col)), shape=S.shape)


def _time_decay(raw: sparse.csr_matrix, published: pd.Series, p: FamilyParams) -> sparse.csr_matrix:
    """Dated pairs lose similarity with the days between them: none within ``time_window_days``, then halved
    every ``time_halflife_days``; a pair with an undated document keeps it."""
    if not published.notna().any() or not raw.nnz:
        return raw
    days = epoch_days(published)
    C = raw.tocoo()
    decay = decay_factor(np.abs(days[C.row] - days[C.col]), p)
    return sparse.csr_matrix((C.data * decay, (C.row, C.col)), shape=raw.shape)


def _lexical_pairs(d: pd.DataFrame, p: FamilyParams) -> pd.DataFrame:
    """Lexical copies among the non-empty documents (on the Dask cluster when one is active)."""
    nonempty = d.loc[d["text"].str.strip().str.len() > 0, ["doc_id", "text"]]
    if len(nonempty) < 2:
        return empty_pairs()
    table = as_dask(nonempty) if current_client() is not None else nonempty
    return near_duplicate_pairs(
        table, threshold=p.copy_link, shingle_size=p.shingle_size, containment_threshold=p.copy_link
    )


def _lexical_beside(d: pd.DataFrame, p: FamilyParams):
    """The lexical copies as a future computed in a thread beside the approximate graph, or None (then they are
    computed after it). The copy step is Python; the index build beside it (one thread, hnswlib) leaves the
    interpreter free, so on two cores the copies cost no wall time. Only without a Dask cluster (there they run
    on the workers) and with approximate candidates (the exact graph is numpy on every core)."""
    if current_client() is not None or p.candidates.engine != "ann":
        return None
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(1, thread_name_prefix="lexical-copies")
    future = pool.submit(_lexical_pairs, d, p)
    pool.shutdown(wait=False)  # the thread ends with its one task
    return future


def _copy_links(d: pd.DataFrame, lex: pd.DataFrame, p: FamilyParams) -> sparse.csr_matrix | None:
    """Symmetric 0/1 matrix of the lexical copies (Jaccard or containment >= ``copy_link``), or None."""
    if not len(lex):
        return None
    n = len(d)
    pos = {x: i for i, x in enumerate(d["doc_id"])}
    a = lex["doc_a"].map(pos).to_numpy()
    b = lex["doc_b"].map(pos).to_numpy()
    strong = np.maximum(lex[["jaccard", "containment_a", "containment_b"]].max(axis=1).to_numpy(), 0) >= p.copy_link
    a, b = a[strong], b[strong]
    if not len(a):
        return None
    links = sparse.csr_matrix((np.ones(len(a), np.float32), (a, b)), shape=(n, n))
    return links.maximum(links.T)


_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)


def lead_weekday(text: str, lead_words: int = FamilyParams.lead_words) -> str:
    """The first weekday named in a text's lead (lower case), or "" (news style: "Trump on Monday said ...")."""
    m = _WEEKDAY.search(" ".join(text.split()[:lead_words]))
    return m.group(1).lower() if m else ""


def _snippet_weekdays(d: pd.DataFrame, p: FamilyParams) -> np.ndarray:
    """Lead weekday of each snippet (a text under ``p.snippet_words`` content words), "" otherwise."""
    short = d["n_words"].to_numpy() < p.snippet_words
    return np.array([lead_weekday(t, p.lead_words) if s else "" for t, s in zip(d["full"], short)], dtype=object)


def _weekday_penalty(M: sparse.csr_matrix, days: np.ndarray, p: FamilyParams) -> sparse.csr_matrix:
    """Multiply by ``p.weekday_conflict`` the similarity of two snippets whose leads name different weekdays.

    A headline and a lead report one day's event, so such a pair is the same topic on another day (on AllSides
    2 % of such candidate pairs are one story, against 12 % of all candidate pairs). Long articles are left
    alone: they name many days, and a story told over several days names several.
    """
    if not M.nnz or p.weekday_conflict >= 1 or (days != "").sum() < 2:
        return M
    C = M.tocoo()
    a, b = days[C.row], days[C.col]
    conflict = (a != "") & (b != "") & (a != b)
    if not conflict.any():
        return M
    v = np.where(conflict, C.data * p.weekday_conflict, C.data).astype(np.float32)
    return sparse.csr_matrix((v, (C.row, C.col)), shape=M.shape)


def _with_engine(n: int, p: FamilyParams, candidates: str | None) -> FamilyParams:
    """``p`` with ``candidates.engine`` resolved to ``"exact"`` or ``"ann"`` for ``n`` documents."""
    if isinstance(p.candidates, str):  # families(docs, candidates="ann")
        p = replace(p, candidates=CandidateParams(engine=p.candidates))
    if candidates is not None:
        p = replace(p, candidates=replace(p.candidates, engine=candidates))
    return replace(p, candidates=replace(p.candidates, engine=_candidate_engine(n, p)))


def story_similarity(
    docs: pd.DataFrame,
    params: FamilyParams | None = None,
    method: str = "tfidf",
    candidates: str | None = None,
    vectors: StoryVectors | None = None,
) -> StorySimilarity:
    """Pairwise story similarity of all documents (sparse: each document's ``knn`` best edges); see module doc.

    ``candidates`` (default ``params.candidates.engine``): ``"exact"`` compares all pairs, ``"ann"`` scores
    approximate neighbours exactly (:mod:`.candidates`, the ``scale`` extra), ``"auto"`` chooses by size.
    ``vectors``: the documents' :class:`~.vectors.StoryVectors` when already computed (on Dask:
    :func:`~.vectors_dask.story_vectors_dask`); by default computed here, on the active Dask cluster when the
    candidates are approximate.
    """
    d = prepared(docs)
    n = len(d)
    p = _with_engine(n, params or FamilyParams(), candidates)
    if vectors is None:
        on_cluster = current_client() is not None and p.candidates.engine == "ann"
        vectors = story_vectors_dask(d, method) if on_cluster else story_vectors(d, method)
    Xw, Xs, names, E = vectors.words, vectors.specifics, vectors.names, vectors.embeddings
    vectors = None  # the words' TF-IDF and the embeddings are freed after the graph unless the caller keeps them
    lexical = _lexical_beside(d, p)
    raw, Sw, Ss, Se, background = _knn_graph(Xw, Xs, E, p, d["published"])
    del Xw, E
    if n:
        raw = _time_decay(raw, d["published"], p)
    # lexical copies always link (and count as close neighbours in the local scale)
    lex = lexical.result() if lexical is not None else _lexical_pairs(d, p)
    links = _copy_links(d, lex, p)
    if links is not None:
        raw = raw.maximum(links * p.copy_link_raw).tocsr()
    scaled = _local_scale(raw, p.local_k, p.scale_floor, p.scale_mode) if n else raw
    # snippets naming different weekdays: weaker link (after the local scale, which stays a property of the text)
    lead_days = _snippet_weekdays(d, p)
    raw, scaled = _weekday_penalty(raw, lead_days, p), _weekday_penalty(scaled, lead_days, p)
    if links is not None:
        raw = raw.maximum(links * p.copy_link_raw).tocsr()
        scaled = scaled.maximum(links * p.copy_link_scaled).tocsr()
    return StorySimilarity(list(d["doc_id"]), scaled.tocsr(), raw.tocsr(), Sw, Ss, lex, Se, names, background, Xs)
