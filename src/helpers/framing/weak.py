"""Frame vocabulary learned from unlabelled news: a linear model per frame over a sentence's content-word
unigrams and bigrams, fitted on sentences the lexicon labels (weak supervision).

``scripts/fit_frame_vocabulary.py`` labels the sentences of ~13,000 real news articles (Timeline17, AllSides,
DUC, ECB+) with the shipped lexicon: a sentence is a positive for a frame when the frame dominates its lexicon
hits, a negative when it has none of them. The frame's own lexicon terms are left out of its features, so the
model learns the words that come *with* the frame beyond the lexicon ("senate" and "vote" with Political,
"shares" and "quarter" with Economic). No development label is used. The model's heaviest terms per frame and
its intercept are shipped in ``helpers/data/framing_vocabulary.csv`` (``scheme, frame, term, weight``; the row
with an empty term is the intercept). A sentence's features are binary, scaled to unit length; its score for
a frame is the logistic of intercept + the sum of its terms' weights over the square root of its number of
features.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse

from .._data import data_path

__all__ = ["VOCABULARY", "sentence_terms", "term_matrix", "load_vocabulary", "vocabulary_probabilities"]

VOCABULARY = "framing_vocabulary.csv"


def sentence_terms(content: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Per term occurrence, its sentence row and the term: each content stem, and each pair of consecutive
    content stems of one sentence (``"stem stem"``). ``content``: :func:`exemplars.content_rows`."""
    _, rows, stems = content
    rows = np.asarray(rows, dtype=np.int64)
    stems = np.asarray(stems, dtype=object)
    same = rows[1:] == rows[:-1] if len(rows) > 1 else np.zeros(0, bool)
    pairs = stems[:-1][same] + " " + stems[1:][same] if same.any() else np.zeros(0, object)
    return np.concatenate([rows, rows[:-1][same]]), np.concatenate([stems, pairs])


def term_matrix(rows: np.ndarray, terms: np.ndarray, vocab: dict[str, int], n_rows: int) -> sparse.csr_matrix:
    """Binary sentence x ``vocab`` matrix, each row scaled by 1/sqrt(its number of distinct terms, known to
    ``vocab`` or not)."""
    if not len(rows):
        return sparse.csr_matrix((n_rows, max(len(vocab), 1)))
    codes, uniques = pd.factorize(terms)
    col_of = np.array([vocab.get(u, -1) for u in uniques], dtype=np.int64)
    return _scaled_matrix(rows, codes, col_of, len(vocab), n_rows)


def _scaled_matrix(rows, codes, col_of, n_cols: int, n_rows: int) -> sparse.csr_matrix:
    """:func:`term_matrix` from term codes (numbered in order of first appearance) and each code's column."""
    first = np.unique(rows * np.int64(len(col_of)) + codes, return_index=True)[1]
    rows, codes = rows[first], codes[first]
    n_terms = np.bincount(rows, minlength=n_rows).astype(float)
    cols = col_of[codes]
    known = cols >= 0
    scale = 1 / np.sqrt(np.maximum(n_terms, 1))
    data = scale[rows[known]]
    return sparse.csr_matrix((data, (rows[known], cols[known])), shape=(n_rows, max(n_cols, 1)))


def _content_term_matrix(content: tuple, vocab: dict[str, int]) -> sparse.csr_matrix:
    """``term_matrix(*sentence_terms(content), vocab, ...)`` without making a string per bigram: a bigram is the
    pair of its stems' codes, and only the vocabulary's terms are looked up (the same codes, so the same matrix)."""
    n_rows = len(content[0])
    rows = np.asarray(content[1], dtype=np.int64)
    stems = np.asarray(content[2], dtype=object)
    if not len(rows):
        return sparse.csr_matrix((n_rows, max(len(vocab), 1)))
    codes, uniques = pd.factorize(stems)
    if any(" " in u for u in uniques):  # a stem with a space could read as a bigram: the string path
        return term_matrix(*sentence_terms(content), vocab, n_rows)
    same = rows[1:] == rows[:-1]
    n_stems = np.int64(len(uniques))
    pair_codes, pairs = pd.factorize(codes[:-1][same].astype(np.int64) * n_stems + codes[1:][same])
    stem_code = {u: k for k, u in enumerate(uniques)}
    col_of = np.full(len(uniques) + len(pairs), -1, dtype=np.int64)
    bigrams: dict[int, int] = {}  # pair key -> column
    for term, col in vocab.items():
        parts = [stem_code.get(x, -1) for x in term.split(" ")]
        if min(parts) < 0 or len(parts) > 2:
            continue
        if len(parts) == 1:
            col_of[parts[0]] = col
        else:
            bigrams[int(parts[0] * n_stems + parts[1])] = col
    at = pd.Index(pairs).get_indexer(np.array(list(bigrams), dtype=np.int64))
    col_of[len(uniques) + at[at >= 0]] = np.array(list(bigrams.values()), dtype=np.int64)[at >= 0]
    terms = np.concatenate([codes, len(uniques) + pair_codes])
    return _scaled_matrix(np.concatenate([rows, rows[:-1][same]]), terms, col_of, len(vocab), n_rows)


@lru_cache(maxsize=4)
def load_vocabulary(scheme: str) -> tuple[dict[str, int], np.ndarray, dict[str, float], tuple[str, ...]]:
    """The shipped model of ``scheme``: term -> column, the column x frame weight matrix, each frame's
    intercept, and the frames (empty when the file has no rows for ``scheme``)."""
    with data_path(VOCABULARY).open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, comment="#", keep_default_na=False, dtype={"term": str})
    df = df[df["scheme"] == scheme]
    frames = tuple(dict.fromkeys(df["frame"]))
    bias = df[df["term"] == ""].set_index("frame")["weight"].astype(float).to_dict()
    terms = df[df["term"] != ""]
    vocab = {t: k for k, t in enumerate(dict.fromkeys(terms["term"]))}
    W = np.zeros((max(len(vocab), 1), len(frames)))
    col = {f: j for j, f in enumerate(frames)}
    W[terms["term"].map(vocab).to_numpy(), terms["frame"].map(col).to_numpy()] = terms["weight"].astype(float)
    return vocab, W, bias, frames


def vocabulary_probabilities(content: tuple, frames: list[str], scheme: str = "mfc") -> np.ndarray:
    """Per sentence of ``content`` (:func:`exemplars.content_rows`) and frame, the learned vocabulary's
    probability that the sentence uses the frame (0.0 for a frame the shipped model does not know)."""
    vocab, W, bias, known = load_vocabulary(scheme)
    n = len(content[0])
    out = np.zeros((n, len(frames)))
    if not known or n == 0:
        return out
    z = _content_term_matrix(content, vocab) @ W
    for j, f in enumerate(frames):
        if f in known:
            k = known.index(f)
            out[:, j] = 1 / (1 + np.exp(-(z[:, k] + bias[f])))
    return out
