"""Word and function-word-skeleton n-grams for the machine-style model, and how they are chosen.

Two vocabularies, both read from a document's body (``features.split_body``):

- ``w:`` word unigrams and bigrams (normalised words of ``helpers.text.simple_words``);
- ``s:`` 1- to 3-grams of the text's *skeleton*: stopwords and punctuation kept, every other word replaced by its
  shape (``x`` lower case, ``C`` capitalised, ``0`` a number). The skeleton keeps syntax and drops topic (after
  Stamatatos 2017, "Authorship attribution using text distortion"), so ``s:, x x`` or ``s:not only x`` carry
  style without naming anything a story is about.

``select_ngrams`` keeps the n-grams that lean the same way for *every* training generator (the smallest
log-odds z-score over generators against the human texts), spread over several domains: a term typical of one
generator, or of one domain's topic, is not chosen. Selection runs on training folds only.
``ngram_block`` turns counts into the representation the model reads: ``log1p(count) * idf``, each vocabulary's
vector scaled to unit length.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain

import numpy as np
import pandas as pd
from scipy import sparse

from ..text import STOPWORDS, normalise, simple_words

__all__ = [
    "skeleton",
    "ngram_counts",
    "VocabularyCounter",
    "count_matrix",
    "select_ngrams",
    "ngram_block",
    "word_block",
    "as_ngram",
    "describe_ngram",
]

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


@lru_cache(maxsize=200_000)
def _shape(token: str) -> str:
    norm = normalise(token)
    if norm in STOPWORDS:
        return norm
    if token[0].isdigit():
        return "0"
    if token[0].isalpha() or token[0] == "_":
        return "C" if token[0].isupper() else "x"
    return norm


def skeleton(text: str) -> list[str]:
    """The text's tokens with stopwords and punctuation kept and other words reduced to their shape."""
    return [_shape(t) for t in _TOKEN.findall(text)]


def _gram_counts(seq: Sequence[str], sizes: Sequence[int]) -> Counter:
    """Counts of the ``sizes``-grams of ``seq`` as tuples of tokens."""
    counts: Counter = Counter()
    for k in sizes:
        counts.update(zip(*(seq[i:] for i in range(k))))
    return counts


def ngram_counts(body: str) -> Counter:
    """Counts of the body's ``w:`` word 1-2-grams and ``s:`` skeleton 1-3-grams."""
    out: Counter = Counter()
    for prefix, seq, sizes in (("w:", simple_words(body), (1, 2)), ("s:", skeleton(body), (1, 2, 3))):
        out.update({prefix + " ".join(g): c for g, c in _gram_counts(seq, sizes).items()})
    return out


def count_matrix(counts: Sequence[Counter], vocabulary: Sequence[str]) -> sparse.csr_matrix:
    """Documents x vocabulary counts."""
    index = {t: j for j, t in enumerate(vocabulary)}
    rows, cols, vals = [], [], []
    for i, c in enumerate(counts):
        for term, n in c.items():
            j = index.get(term)
            if j is not None:
                rows.append(i)
                cols.append(j)
                vals.append(n)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(counts), len(vocabulary)), dtype=np.float64)


class VocabularyCounter:
    """Counts of a fixed n-gram vocabulary over many bodies at once (the scoring path; the same counts as
    ``count_matrix([ngram_counts(b) for b in bodies], vocabulary)``). Each body's tokens become integer codes
    (0 for a token that no vocabulary term contains), all bodies are joined with a 0 between them, and every
    n-gram of the joined codes is looked up in a hash index of the vocabulary's codes in one vectorised step."""

    _KINDS = (("w:", (1, 2)), ("s:", (1, 2, 3)))

    def __init__(self, vocabulary: Sequence[str]):
        self.vocabulary = list(vocabulary)
        self._tokens: dict[str, dict[str, int]] = {}
        self._codes: dict[str, tuple[pd.Index, np.ndarray]] = {}
        for prefix, sizes in self._KINDS:
            terms = [(j, t[2:].split(" ")) for j, t in enumerate(self.vocabulary) if t[:2] == prefix]
            terms = [(j, g) for j, g in terms if len(g) in sizes]
            ids: dict[str, int] = {}
            for _, g in terms:
                for token in g:
                    ids.setdefault(token, len(ids) + 1)
            self._tokens[prefix] = ids
            codes = np.array([self._code([ids[x] for x in g], len(ids) + 1) for _, g in terms], dtype=np.int64)
            columns = np.array([j for j, _ in terms], dtype=np.int64)
            self._codes[prefix] = (pd.Index(codes), columns)

    @staticmethod
    def _code(ids: Sequence[int], base: int) -> int:
        """One integer per n-gram: its token codes as digits in ``base``, offset by length (no two lengths
        share a code)."""
        code = 0
        for i in ids:
            code = code * base + i
        return code + sum(base**k for k in range(1, len(ids)))

    def token_codes(self, body: str) -> tuple[list[int], list[int]]:
        """The codes of one body's words and skeleton tokens."""
        w, s = self._tokens["w:"], self._tokens["s:"]
        tokens = _TOKEN.findall(body)
        shapes = {t: s.get(_shape(t), 0) for t in set(tokens)}
        return [w.get(t, 0) for t in simple_words(body)], [shapes[t] for t in tokens]

    def matrix(self, codes: Sequence[tuple[list[int], list[int]]]) -> sparse.csr_matrix:
        """Documents x vocabulary counts from each document's ``token_codes`` (an empty pair for none)."""
        n_docs = len(codes)
        rows, cols = [], []
        for part, (prefix, sizes) in enumerate(self._KINDS):
            base = len(self._tokens[prefix]) + 1
            seqs = [c[part] for c in codes]
            lengths = np.array([len(x) + 1 for x in seqs], dtype=np.int64)
            joined = np.zeros(int(lengths.sum()), dtype=np.int64)
            flat = np.fromiter(chain.from_iterable(seqs), dtype=np.int64, count=int(lengths.sum()) - n_docs)
            joined[np.repeat(np.arange(n_docs), lengths - 1) + np.arange(len(flat))] = flat
            doc_of = np.repeat(np.arange(n_docs), lengths)
            vocab_codes, vocab_cols = self._codes[prefix]
            for k in sizes:
                if len(joined) < k or not len(vocab_codes):
                    continue
                span = len(joined) - k + 1
                code = np.zeros(span, dtype=np.int64)
                inside = np.ones(span, dtype=bool)
                for j in range(k):
                    code = code * base + joined[j : j + span]
                    inside &= joined[j : j + span] > 0
                code += sum(base**m for m in range(1, k))
                where = np.flatnonzero(inside)
                pos = vocab_codes.get_indexer(code[where])  # a hash lookup; -1 for an n-gram not in the vocabulary
                hit = pos >= 0
                rows.append(doc_of[where[hit]])
                cols.append(vocab_cols[pos[hit]])
        r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        out = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(n_docs, len(self.vocabulary)), dtype=np.float64)
        out.sum_duplicates()
        return out


def select_ngrams(
    counts: Sequence[Counter],
    label: np.ndarray,
    generator: np.ndarray,
    group: np.ndarray,
    per_side: int = 1500,
    min_docs: int = 20,
    min_groups: int = 4,
) -> list[str]:
    """Up to ``per_side`` machine-leaning and ``per_side`` human-leaning n-grams of each vocabulary (``w:``, ``s:``).

    Candidates occur in at least ``min_docs`` documents and ``min_groups`` groups (domains; with fewer groups in
    the data, in all of them). Each is scored, for each machine generator against the human texts, by the z-score
    of its log odds ratio of document frequency; the machine-leaning score is the smallest z over generators,
    the human-leaning one the smallest -z. Ties break by the term (deterministic).
    """
    label = np.asarray(label)
    generator = np.asarray(generator)
    group = np.asarray(group)
    df_all: Counter = Counter()
    for c in counts:
        df_all.update(c.keys())
    vocab = sorted(t for t, n in df_all.items() if n >= min_docs)
    if not vocab:
        return []
    presence = count_matrix(counts, vocab)
    presence.data[:] = 1.0
    presence = presence.tocsc()
    groups = sorted(set(group.tolist()))
    need = min(min_groups, len(groups))
    member = sparse.csr_matrix((np.ones(len(group)), (np.arange(len(group)), [groups.index(g) for g in group])))
    coverage = np.asarray(((presence.T @ member) > 0).sum(axis=1)).ravel()
    human = label == 0
    dfh, nh = np.asarray(presence[human].sum(axis=0)).ravel(), human.sum()
    zs = []
    for g in sorted(set(generator[~human].tolist())):
        m = (generator == g) & ~human
        dfg, ng = np.asarray(presence[m].sum(axis=0)).ravel(), m.sum()
        a, b, c, d = dfg + 0.5, ng - dfg + 0.5, dfh + 0.5, nh - dfh + 0.5
        zs.append((np.log(a / b) - np.log(c / d)) / np.sqrt(1 / a + 1 / b + 1 / c + 1 / d))
    z = np.vstack(zs)
    machine_z, human_z = z.min(axis=0), (-z).min(axis=0)
    terms = np.array(vocab)
    chosen: list[str] = []
    for prefix in sorted({t[:2] for t in terms.tolist()}):
        ok = (coverage >= need) & np.char.startswith(terms, prefix)
        for score in (machine_z, human_z):
            idx = np.flatnonzero(ok & (score > 0))
            idx = idx[np.lexsort((terms[idx], -score[idx]))][:per_side]
            chosen.extend(terms[idx].tolist())
    return sorted(set(chosen))


def ngram_block(matrix: sparse.spmatrix, vocabulary: Sequence[str], idf: np.ndarray) -> sparse.csr_matrix:
    """``log1p(count) * idf``, each vocabulary's part (``w:``, ``s:``) of each row scaled to unit length."""
    X = sparse.coo_matrix(matrix, dtype=np.float64)
    idf = np.asarray(idf, dtype=float)
    prefixes = sorted({t[:2] for t in vocabulary})
    part = np.array([prefixes.index(t[:2]) for t in vocabulary], dtype=int)
    data = np.log1p(X.data) * idf[X.col]
    square = np.zeros((X.shape[0], max(len(prefixes), 1)))
    np.add.at(square, (X.row, part[X.col]), data**2)
    norm = np.sqrt(square)
    norm[norm == 0] = 1.0
    data = data / norm[X.row, part[X.col]]
    return sparse.csr_matrix((data, (X.row, X.col)), shape=X.shape)


def word_block(matrix: sparse.spmatrix, idf: np.ndarray) -> sparse.csr_matrix:
    """The all-words part: ``(1 + log(count)) * idf`` (sublinear tf-idf), each row scaled to unit length."""
    X = sparse.csr_matrix(matrix, dtype=np.float64, copy=True)
    X.data = (1.0 + np.log(X.data)) * np.asarray(idf, dtype=float)[X.indices]
    norm = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norm[norm == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norm) @ X)


def as_ngram(word_term: str) -> str:
    """The ``w:`` n-gram counted for an all-words term (``t:``)."""
    return "w:" + word_term[2:]


def idf_of(matrix: sparse.spmatrix) -> np.ndarray:
    """Smoothed inverse document frequency, ``log((1 + n) / (1 + df)) + 1``."""
    df = np.asarray((sparse.csr_matrix(matrix) > 0).sum(axis=0)).ravel()
    return np.log((1 + matrix.shape[0]) / (1 + df)) + 1.0


def describe_ngram(term: str) -> str:
    """Reader-facing name of an n-gram feature."""
    kind, text = term[:2], term[2:]
    if kind == "w:":
        return f"wording '{text}'"
    if kind == "t:":
        return f"wording '{text}' (all-words part)"
    if set(text.split()) <= {"x", "C", "0"}:
        return f"run of content words '{text}' (x = a lower-case word, C = a capitalised word, 0 = a number)"
    return f"sentence pattern '{text}' (x = a lower-case content word, C = a capitalised word, 0 = a number)"
