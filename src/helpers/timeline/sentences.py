"""Sentences of the documents table: where each one is, and how alike two are (TF-IDF cosine)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse

from ..text import sentence_spans, tfidf_matrix

__all__ = ["SentenceIndex", "sentence_vectors", "similar_pairs"]


@lru_cache(maxsize=20_000)
def _split(text: str) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Sentence spans of a non-empty text (the whole text when none is found) and their starts, split once per
    process: the steps of notebook 03 each keep an index of the same documents."""
    found = sentence_spans(text) or [(0, len(text))]
    return found, np.fromiter((a for a, _ in found), dtype=np.int64, count=len(found))


class SentenceIndex:
    """Sentence spans of each document, split lazily (only documents that are asked for) and cached."""

    def __init__(self, docs: pd.DataFrame):
        self.texts = dict(zip(docs["doc_id"].astype(str), docs["text"]))
        self._cache: dict[str, tuple[list[tuple[int, int]], np.ndarray]] = {}

    def spans(self, doc_id: str) -> tuple[list[tuple[int, int]], np.ndarray]:
        """(start, end) of each sentence of a document, and the starts as an array."""
        if doc_id not in self._cache:
            text = self.texts.get(doc_id)
            self._cache[doc_id] = _split(text) if isinstance(text, str) and text else ([], np.zeros(0, np.int64))
        return self._cache[doc_id]

    def locate(self, doc_id: str, offset: int) -> tuple[int, int, int] | None:
        """(sentence index, start, end) of the sentence holding ``offset``; None for an unknown/empty document."""
        found, starts = self.spans(doc_id)
        if not found:
            return None
        i = max(int(np.searchsorted(starts, int(offset), side="right")) - 1, 0)
        return i, found[i][0], found[i][1]


def sentence_vectors(texts: list[str]) -> sparse.csr_matrix | None:
    """Row-normalised TF-IDF vectors of short texts (the text layer's set-up: content words), or None when there
    is no vocabulary. In float64, not the text layer's float32: float32 flips a near-tie between two
    representative sentences of a key date on Timeline17 Syria (the sample's tables are the same either way)."""
    vectors = tfidf_matrix(texts, dtype=np.float64)
    return vectors if vectors.nnz else None


def similar_pairs(vectors, idx: np.ndarray, threshold: float, labels: np.ndarray, block_rows: int = 1000):
    """Positions (i, j), i < j, within ``idx`` whose rows of ``vectors`` have cosine >= ``threshold`` and whose
    ``labels`` (documents) differ, with the similarity; computed in blocks of rows to bound memory."""
    if vectors is None or len(idx) < 2:
        return np.array([], dtype=int), np.array([], dtype=int), np.array([], dtype=float)
    out_i, out_j, out_s = [], [], []
    rows = vectors[idx]
    for s0 in range(0, len(idx), block_rows):
        block = (rows[s0 : s0 + block_rows] @ rows.T).toarray()
        ii, jj = np.nonzero(block >= threshold)
        sims = block[ii, jj]
        ii = ii + s0
        keep = (jj > ii) & (labels[ii] != labels[jj])
        out_i.append(ii[keep])
        out_j.append(jj[keep])
        out_s.append(sims[keep])
    return np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_s)
