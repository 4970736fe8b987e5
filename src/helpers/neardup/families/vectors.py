"""The vectors story similarity reads: TF-IDF of content stems, TF-IDF of specifics (names and numbers), and
optionally MiniLM document embeddings, for the documents in table order."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
from scipy import sparse

from ...text import content_stems, tfidf_matrix
from ..semantic import EMBEDDING_DIM, embed
from .documents import name_lexicon, specifics

__all__ = ["StoryVectors", "story_vectors", "document_embeddings"]

_EMBEDDING_BATCH = 32


@dataclass
class StoryVectors:
    """``words`` and ``specifics`` (row-normalised TF-IDF, CSR), the corpus's ``names`` and ``embeddings`` (or
    None)."""

    words: sparse.csr_matrix
    specifics: sparse.csr_matrix
    names: frozenset
    embeddings: np.ndarray | None = None


def document_embeddings(texts: list[str], method: str) -> np.ndarray | None:
    """MiniLM embeddings with ``method="embeddings"``, None with ``"tfidf"``; another method is an error."""
    if method == "embeddings":
        return embed(texts, _EMBEDDING_BATCH) if texts else np.zeros((0, EMBEDDING_DIM), np.float32)
    if method != "tfidf":
        raise ValueError(f"method must be 'tfidf' or 'embeddings', got {method!r}")
    return None


def story_vectors(d: pd.DataFrame, method: str = "tfidf") -> StoryVectors:
    """The vectors of a prepared documents table (``full``), in one process."""
    texts = d["full"].tolist()
    E = document_embeddings(texts, method)
    Xw = tfidf_matrix(texts, content_stems)
    names = name_lexicon(texts)
    Xs = tfidf_matrix(texts, partial(specifics, names=names))
    return StoryVectors(Xw, Xs, names, E)
