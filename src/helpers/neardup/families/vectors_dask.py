"""Story vectors on Dask: the same :class:`~.vectors.StoryVectors` as :func:`~.vectors.story_vectors`, with the
tokenising (the slow, pure-Python part) on the workers.

1. **Map**, per partition of the prepared documents: counts of content stems (a local vocabulary) and the
   capitalised / lower-case counts of every word (:func:`~.documents.name_counts`).
2. **Reduce** in the client: the corpus's vocabulary (sorted, as scikit-learn sorts it) and name lexicon.
3. **Map** again: counts of each partition's specifics under the corpus's names.
4. In the client: the count rows stacked in corpus order and weighted by scikit-learn's own ``TfidfTransformer``
   (sublinear term frequency, l2 rows), the very transform :func:`helpers.text.tfidf_matrix` applies, so both
   engines give the same values (a row may list its terms in another order; the approximate candidates, the
   only user of these vectors, sort them first).

What travels back is O(non-zeros): the count matrices, not the texts. MiniLM embeddings (``method="embeddings"``)
are computed in the client.
"""

from __future__ import annotations

from collections import Counter
from functools import partial

import numpy as np
import pandas as pd
from scipy import sparse

from ...cluster import compute, current_client
from ...text import content_stems
from .documents import name_counts, names_from_counts, specifics
from .vectors import StoryVectors, document_embeddings

__all__ = ["story_vectors_dask", "stem_counts", "specifics_counts", "tfidf_of_counts"]

_PARTITION_ROWS = 5000


def _counts(texts: list[str], analyzer) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Term counts (float32, CSR) and the sorted local vocabulary of ``texts``."""
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(analyzer=analyzer, dtype=np.float32)
    try:
        return vec.fit_transform(texts).tocsr(), vec.get_feature_names_out().astype(object)
    except ValueError:  # no term at all
        return sparse.csr_matrix((len(texts), 0), dtype=np.float32), np.empty(0, dtype=object)


def stem_counts(texts: list[str]):
    """Map step 1 of a batch of texts: content-stem counts, vocabulary and the name counts."""
    C, vocab = _counts(texts, content_stems)
    cap, low = name_counts(texts)
    return C, vocab, cap, low


def specifics_counts(texts: list[str], names: frozenset):
    """Map step 3 of a batch of texts: counts of its names and numbers under the corpus's ``names``."""
    return _counts(texts, partial(specifics, names=names))


def _stack(parts: list[tuple[sparse.csr_matrix, np.ndarray]]) -> sparse.csr_matrix:
    """Count matrices of consecutive batches over one sorted vocabulary (their union)."""
    vocab = np.array(sorted(set().union(*(v.tolist() for _, v in parts))), dtype=object)
    rows = []
    for C, v in parts:
        C = C.tocsr().copy()
        if len(v):
            C.indices = np.searchsorted(vocab, v)[C.indices].astype(C.indices.dtype)
        rows.append(sparse.csr_matrix((C.data, C.indices, C.indptr), shape=(C.shape[0], len(vocab))))
    return sparse.vstack(rows, format="csr", dtype=np.float32) if rows else sparse.csr_matrix((0, 0), np.float32)


def tfidf_of_counts(C: sparse.csr_matrix) -> sparse.csr_matrix:
    """The TF-IDF of :func:`helpers.text.tfidf_matrix` from the counts it starts from (all-zero ``n x 1``
    when no text has a term)."""
    from sklearn.feature_extraction.text import TfidfTransformer

    if C.shape[1] == 0:
        return sparse.csr_matrix((C.shape[0], 1), dtype=np.float32)
    return TfidfTransformer(sublinear_tf=True, norm="l2").fit_transform(C).astype(np.float32).tocsr()


def story_vectors_dask(d: pd.DataFrame, method: str = "tfidf", partition_rows: int = _PARTITION_ROWS) -> StoryVectors:
    """:func:`~.vectors.story_vectors` of a prepared documents table, tokenised on the active Dask cluster
    (``partition_rows`` documents a task)."""
    import dask

    n = len(d)
    batches = [d["full"].iloc[i : i + partition_rows].tolist() for i in range(0, n, partition_rows)]
    client = current_client()
    if client is not None:  # sent to the workers once, read there by both passes (not inside each task graph);
        # one batch at a time, so the client serialises one batch's texts at once, not all of them
        batches = [client.scatter([b], hash=False)[0] for b in batches]
    first = compute(*[dask.delayed(stem_counts)(b) for b in batches], label="story vectors: stems and names")
    cap, low = Counter(), Counter()
    for _, _, c, lo in first:
        cap.update(c)
        low.update(lo)
    words = [(C, v) for C, v, _, _ in first]
    del first  # each batch's word counters: freed before the second pass
    names = names_from_counts(cap, low)
    del cap, low
    # one future for the whole set (scatter would send a bare set's elements one by one)
    shared_names = client.scatter([names], broadcast=True, hash=False)[0] if client is not None else names
    second = compute(
        *[dask.delayed(specifics_counts)(b, shared_names) for b in batches], label="story vectors: specifics"
    )
    del batches, shared_names  # the workers drop the texts
    Xw = tfidf_of_counts(_stack(words))
    del words
    Xs = tfidf_of_counts(_stack(list(second)))
    if not n:
        Xw = Xs = sparse.csr_matrix((0, 1), dtype=np.float32)
    E = document_embeddings(d["full"].tolist(), method) if method != "tfidf" else None
    return StoryVectors(Xw, Xs, names, E)
