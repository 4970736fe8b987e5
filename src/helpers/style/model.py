"""The shipped machine-style model: loading it, scoring documents, and the evidence behind each score.

The model is a logistic regression over the stylometric features of ``helpers.style.features`` (each feature
``log1p``-transformed and standardised with the training mean and spread, clipped to ±5) and the tf-idf word and
skeleton n-grams of ``helpers.style.ngrams`` (each vocabulary's vector of unit length), followed by a Platt
calibration fitted on held-out-domain decision values. Its parameters are plain JSON in
``helpers/data/machine_style_model.json`` (written by ``scripts/fit_machine_style.py``); nothing is unpickled.

The score is a style signal, not proof: it says how much a text's style resembles the instruction-tuned model
output it was trained on (a 0-1 probability under equal prior odds of human and machine text), and the evidence
table says which features moved it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache, cached_property, partial
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from .._data import data_path
from ..parallel import in_chunks
from .features import FEATURE_DESCRIPTIONS, as_documents, feature_table, scoring_table
from .ngrams import as_ngram, count_matrix, describe_ngram, ngram_block, word_block

__all__ = ["MODEL_FILE", "StyleModel", "load_model", "machine_style", "machine_style_evidence"]

MODEL_FILE = "machine_style_model.json"
FORMAT = "storytrace-machine-style/1"
CLIP = 5.0
# Documents from which machine_style scores chunks in several processes when helpers.parallel allows more than one (a
# run's kernels: its --jobs; else STORYTRACE_JOBS): a worker's start (about 2.5 CPU s: imports, the model) against 2.2
# ms of CPU per document. Set from those CPU costs, not a measured break-even (benchmarks/parallel_steps.py).
MIN_PARALLEL_DOCS = 3000


@dataclass(frozen=True)
class StyleModel:
    """Logistic regression on standardised ``log1p`` features, with a Platt calibration of its decision value."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    calibration: tuple[float, float] = (1.0, 0.0)  # probability = sigmoid(a * decision + b)
    ngrams: tuple[str, ...] = ()  # n-gram vocabulary (see helpers.style.ngrams)
    idf: np.ndarray = field(default_factory=lambda: np.zeros(0))
    ngram_coef: np.ndarray = field(default_factory=lambda: np.zeros(0))
    human_reference: dict[str, float] = field(default_factory=dict)  # typical (median) human value per feature
    meta: dict = field(default_factory=dict)
    # the all-words part (``t:`` word 1-2-grams, see ``ngrams.word_block``): its own logistic regression, stacked
    words: tuple[str, ...] = ()
    word_idf: np.ndarray = field(default_factory=lambda: np.zeros(0))
    word_coef: np.ndarray = field(default_factory=lambda: np.zeros(0))
    word_intercept: float = 0.0
    # stacking: each part's decision value as a z-score of its training decisions, (mean, s.d.) per part
    stack: tuple[tuple[float, float], tuple[float, float]] = ((0.0, 1.0), (0.0, 1.0))

    # -------------------------------------------------------------------------------------- (de)serialisation
    @classmethod
    def from_dict(cls, data: dict) -> StyleModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a machine-style model file (format {data.get('format')!r}, expected {FORMAT!r})")
        feats = tuple(data["features"])
        arrays = {k: np.asarray(data[k], dtype=float) for k in ("mean", "scale", "coef")}
        for k, arr in arrays.items():
            if arr.shape != (len(feats),):
                raise ValueError(f"model file: '{k}' has {arr.size} values for {len(feats)} features")
        ngram = data.get("ngrams", {"terms": [], "idf": [], "coef": []})
        terms = tuple(ngram["terms"])
        idf, ngram_coef = np.asarray(ngram["idf"], dtype=float), np.asarray(ngram["coef"], dtype=float)
        if idf.shape != (len(terms),) or ngram_coef.shape != (len(terms),):
            raise ValueError(f"model file: n-gram idf/coef do not match its {len(terms)} terms")
        cal = data.get("calibration", {})
        words = data.get("words", {"terms": [], "idf": [], "coef": [], "intercept": 0.0})
        word_terms = tuple(words["terms"])
        word_idf, word_coef = np.asarray(words["idf"], dtype=float), np.asarray(words["coef"], dtype=float)
        if word_idf.shape != (len(word_terms),) or word_coef.shape != (len(word_terms),):
            raise ValueError(f"model file: word idf/coef do not match its {len(word_terms)} words")
        stack = data.get("stack", {"style": [0.0, 1.0], "words": [0.0, 1.0]})
        return cls(
            features=feats,
            mean=arrays["mean"],
            scale=arrays["scale"],
            coef=arrays["coef"],
            intercept=float(data["intercept"]),
            calibration=(float(cal.get("a", 1.0)), float(cal.get("b", 0.0))),
            ngrams=terms,
            idf=idf,
            ngram_coef=ngram_coef,
            human_reference={k: float(v) for k, v in data.get("human_reference", {}).items()},
            meta=dict(data.get("meta", {})),
            words=word_terms,
            word_idf=word_idf,
            word_coef=word_coef,
            word_intercept=float(words.get("intercept", 0.0)),
            stack=(tuple(map(float, stack["style"])), tuple(map(float, stack["words"]))),
        )

    def to_dict(self) -> dict:
        def r(values) -> list[float]:
            return [round(float(v), 6) for v in values]

        return {
            "format": FORMAT,
            "model": "logistic regression on standardised stylometric features and tf-idf n-grams, stacked with a "
            "logistic regression on tf-idf word 1-2-grams (z-scored decision values added), Platt-calibrated",
            "features": list(self.features),
            "mean": r(self.mean),
            "scale": r(self.scale),
            "coef": r(self.coef),
            "intercept": round(self.intercept, 6),
            "calibration": {"a": round(self.calibration[0], 6), "b": round(self.calibration[1], 6)},
            "ngrams": {"terms": list(self.ngrams), "idf": r(self.idf), "coef": r(self.ngram_coef)},
            "words": {
                "terms": list(self.words),
                "idf": r(self.word_idf),
                "coef": r(self.word_coef),
                "intercept": round(self.word_intercept, 6),
            },
            "stack": {"style": r(self.stack[0]), "words": r(self.stack[1])},
            "human_reference": {k: round(v, 4) for k, v in self.human_reference.items()},
            "meta": self.meta,
        }

    @classmethod
    def read(cls, path: str | Path) -> StyleModel:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    def write(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        return path

    # -------------------------------------------------------------------------------------- scoring
    def standardise(self, X) -> np.ndarray:
        """Rows of ``X`` (a table with the model's feature columns, or an array in that order) as clipped
        z-scores of ``log1p(value)``."""
        values = X[list(self.features)].to_numpy(dtype=float) if isinstance(X, pd.DataFrame) else np.asarray(X, float)
        z = (np.log1p(np.clip(values, 0.0, None)) - self.mean) / self.scale
        return np.clip(z, -CLIP, CLIP)

    @cached_property
    def count_terms(self) -> tuple[str, ...]:
        """Every n-gram the model counts (``ngrams`` and the ``w:`` form of ``words``), the columns of the count
        matrix ``contributions`` reads."""
        return tuple(sorted(set(self.ngrams) | {as_ngram(t) for t in self.words}))

    def count_blocks(self, counts) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """The counts of ``ngrams`` and of ``words`` from per-document n-gram ``Counter``s, or from their documents
        x ``count_terms`` count matrix (a pair of blocks is passed through)."""
        if isinstance(counts, tuple):
            return counts
        word_terms = [as_ngram(t) for t in self.words]
        if not sparse.issparse(counts):
            counts = list(counts)
            return count_matrix(counts, self.ngrams), count_matrix(counts, word_terms)
        index = {t: j for j, t in enumerate(self.count_terms)}
        matrix = sparse.csc_matrix(counts)
        ngram = matrix[:, [index[t] for t in self.ngrams]].tocsr()
        return ngram, matrix[:, [index[t] for t in word_terms]].tocsr()

    @property
    def offset(self) -> float:
        """The decision value's constant: each part's intercept on the stacked (z-score) scale."""
        (style_mean, style_sd), (word_mean, word_sd) = self.stack
        words = (self.word_intercept - word_mean) / word_sd if self.words else 0.0
        return (self.intercept - style_mean) / style_sd + words

    def contributions(self, X, counts=None) -> tuple[np.ndarray, sparse.csr_matrix]:
        """Each feature's share of each row's decision value (relative to the average training text): a dense
        part for ``features`` and a sparse part for ``ngrams`` then ``words`` (``counts``: the rows' n-gram
        counts, as ``Counter``s or a documents x ``count_terms`` matrix). On the stacked scale: each part's
        log-odds divided by the spread of its training decisions."""
        (_, style_sd), (_, word_sd) = self.stack
        hand = self.standardise(X) * self.coef / style_sd
        if counts is None or not (self.ngrams or self.words):
            return hand, sparse.csr_matrix((hand.shape[0], len(self.ngrams) + len(self.words)))
        ngram_counts, word_counts = self.count_blocks(counts)
        ngram = ngram_block(ngram_counts, self.ngrams, self.idf).multiply(self.ngram_coef.reshape(1, -1) / style_sd)
        words = word_block(word_counts, self.word_idf).multiply(self.word_coef.reshape(1, -1) / word_sd)
        return hand, sparse.hstack([sparse.csr_matrix(ngram), sparse.csr_matrix(words)]).tocsr()

    def decision(self, X, counts=None) -> np.ndarray:
        """Uncalibrated decision value (stacked log-odds) of machine style."""
        hand, ngram = self.contributions(X, counts)
        return hand.sum(axis=1) + np.asarray(ngram.sum(axis=1)).ravel() + self.offset

    def calibrate(self, decision: np.ndarray) -> np.ndarray:
        a, b = self.calibration
        return 1.0 / (1.0 + np.exp(-(a * np.asarray(decision, dtype=float) + b)))

    def probability(self, X, counts=None) -> np.ndarray:
        """Calibrated 0-1 machine-style score (NaN where a row has a missing feature)."""
        return self.calibrate(self.decision(X, counts))

    def describe(self, index: int) -> tuple[str, str]:
        """(name, description) of feature ``index`` (features first, then n-grams, then words)."""
        if index < len(self.features):
            name = self.features[index]
            return name, FEATURE_DESCRIPTIONS.get(name, name)
        index -= len(self.features)
        name = self.ngrams[index] if index < len(self.ngrams) else self.words[index - len(self.ngrams)]
        return name, describe_ngram(name)


@cache
def _shipped() -> StyleModel:
    with data_path(MODEL_FILE).open("r", encoding="utf-8") as fh:
        return StyleModel.from_dict(json.load(fh))


def load_model(path: str | Path | None = None) -> StyleModel:
    """The shipped model, or the one in ``path`` (a JSON file written by ``scripts/fit_machine_style.py``)."""
    return _shipped() if path is None else StyleModel.read(path)


def _model(model) -> StyleModel:
    if model is None or isinstance(model, (str, Path)):
        return load_model(model)
    return model


BATCH = 2000  # documents scored at a time (bounds memory on large corpora)


def _scored(docs, m: StyleModel, failures: list | None = None):
    """Feature table of ``docs``, and for its judged rows: probability, dense and sparse contributions, values
    (the rows of the table, and their n-gram counts)."""
    if m.count_terms:
        table, counts = scoring_table(docs, m.count_terms, failures=failures)
    else:
        table, counts = feature_table(docs, failures=failures), None
    judged = np.flatnonzero(table["reason"].eq("").to_numpy())
    for start in range(0, len(judged), BATCH):
        rows = judged[start : start + BATCH]
        X = table.iloc[rows]
        block = m.count_blocks(counts[rows]) if counts is not None else None
        hand, ngram = m.contributions(X, block)
        decision = hand.sum(axis=1) + np.asarray(ngram.sum(axis=1)).ravel() + m.offset
        yield table, rows, m.calibrate(decision), hand, ngram, (X, block)
    if not len(judged):
        yield table, judged, np.zeros(0), None, None, None


def _top(hand_row: np.ndarray, ngram_row: sparse.csr_matrix, k: int) -> list[tuple[int, float]]:
    """The ``k`` largest contributions of one row by size: (feature index, contribution)."""
    index = np.concatenate([np.arange(len(hand_row)), len(hand_row) + ngram_row.indices.astype(np.int64)])
    value = np.concatenate([np.asarray(hand_row, dtype=float), ngram_row.data.astype(float)])
    best = np.lexsort((index, -np.abs(value)))[:k]
    return [(int(index[i]), float(value[i])) for i in best]


def _value(m: StyleModel, values: tuple, r: int, j: int) -> float:
    """Row ``r``'s value of feature ``j`` (features first, then n-gram counts); ``values`` as ``_scored`` gives."""
    X, (ngram_counts, word_counts) = values
    if j < len(m.features):
        return float(X[m.features[j]].iat[r])
    j -= len(m.features)
    if j < len(m.ngrams):
        return float(ngram_counts[r, j])
    return float(word_counts[r, j - len(m.ngrams)])


def machine_style(docs, model=None, evidence: int = 3, failures: list | None = None) -> pd.DataFrame:
    """Machine-style score of each document: a style signal, not proof.

    ``docs`` is a documents table (``doc_id``, ``text``), a Series or dict of texts, or a list of texts. Returns
    ``doc_id``, ``machine_style`` (0-1, calibrated under equal prior odds of human and machine text; NaN when the
    document cannot be judged), ``style_evidence`` (the ``evidence`` features that moved the score most, as
    text) and ``reason`` (empty when judged; otherwise why not: empty, too short, not English prose, or the error
    of a document whose analysis failed, which is also appended to ``failures`` as ``(step, doc_id, error)``).

    From :data:`MIN_PARALLEL_DOCS` documents (when :mod:`helpers.parallel` allows more than one process),
    consecutive chunks are scored in processes of their own
    (:func:`helpers.parallel.in_chunks`) and the rows concatenated in input order: a document's score, evidence
    and reason depend on its own text and the model alone, so the table is the one-process table.
    """
    frame = as_documents(docs)
    chunk = partial(_machine_style, model=model, evidence=evidence, record_failures=failures is not None)
    lengths = frame["text"].map(lambda t: len(t) if isinstance(t, str) else 0).to_numpy()
    parts = in_chunks(chunk, frame, lengths, min_items=MIN_PARALLEL_DOCS)
    if failures is not None:
        failures.extend(row for _, chunk_failures in parts for row in chunk_failures)
    tables = [table for table, _ in parts]
    return tables[0] if len(tables) == 1 else pd.concat(tables, ignore_index=True)


def _machine_style(docs: pd.DataFrame, model, evidence: int, record_failures: bool) -> tuple[pd.DataFrame, list]:
    """:func:`machine_style` of one chunk of documents, and its failures."""
    failures: list | None = [] if record_failures else None
    m = _model(model)
    table, score, notes = None, None, None
    for table, rows, prob, hand, ngram, X in _scored(docs, m, failures):
        if score is None:
            score, notes = np.full(len(table), np.nan), [""] * len(table)
        score[rows] = prob
        for r, i in enumerate(rows if evidence > 0 else ()):
            parts = []
            for j, c in _top(hand[r], ngram[r], evidence):
                name, label = m.describe(j)
                ref = m.human_reference.get(name)
                typical = f"typical human {ref:.3g}; " if ref is not None else ""
                points = "machine" if c > 0 else "human"
                parts.append(f"{label}: {_value(m, X, r, j):.3g} ({typical}points {points})")
            notes[i] = "; ".join(parts)
    scored = pd.DataFrame(
        {
            "doc_id": table["doc_id"].to_numpy(),
            "machine_style": score,
            "style_evidence": notes,
            "reason": table["reason"].to_numpy(),
        }
    )
    return scored, failures or []


def machine_style_evidence(docs, top: int = 5, model=None) -> pd.DataFrame:
    """The features that moved each document's machine-style score most: one row per document and feature.

    Columns: ``doc_id``, ``machine_style``, ``rank`` (1 = largest effect), ``feature``, ``description``,
    ``value`` (this document: the feature's value, or an n-gram's count), ``typical_human`` (median over the
    human training texts; NaN for n-grams), ``contribution`` (log-odds added to the score, relative to the
    average training text), ``points_to`` (``machine`` or ``human``). Documents that cannot be judged get no
    rows (``machine_style`` gives their ``reason``).
    """
    m = _model(model)
    out = []
    for table, rows, prob, hand, ngram, X in _scored(docs, m):
        for r, i in enumerate(rows):
            for rank, (j, c) in enumerate(_top(hand[r], ngram[r], top), start=1):
                name, label = m.describe(j)
                out.append(
                    (
                        table["doc_id"].iloc[i],
                        float(prob[r]),
                        rank,
                        name,
                        label,
                        _value(m, X, r, j),
                        m.human_reference.get(name, math.nan),
                        c,
                        "machine" if c > 0 else "human",
                    )
                )
    columns = [
        "doc_id",
        "machine_style",
        "rank",
        "feature",
        "description",
        "value",
        "typical_human",
        "contribution",
        "points_to",
    ]
    return pd.DataFrame(out, columns=columns)
