"""Fitting and validating the machine-style model.

- ``load_machine_text(root)`` reads the development set (one folder per domain: ``human.json`` and one JSON list
  per generator); ``load_labelled(path)`` reads a user's own labelled JSONL/CSV (a text and a 0/1 label column).
- ``fit_model(frame)`` fits the logistic regression on every labelled row and calibrates it on decision values
  held out by group, returning a ``StyleModel`` ready to ``write``.
- ``generator_splits`` / ``domain_splits`` and ``held_out_scores`` validate any scorer with generators and
  domains held out.

Human and machine texts are paired (each machine text rewrites a human one) and pairs share a domain, so every
split is by domain (``group``): a pair never straddles training and test.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from .features import MODEL_FEATURES, feature_matrix
from .model import CLIP, StyleModel
from .ngrams import count_matrix, idf_of, ngram_block, select_ngrams, word_block

__all__ = [
    "GENERATORS",
    "load_machine_text",
    "load_labelled",
    "with_features",
    "two_sided_domains",
    "fit_logistic",
    "fit_model",
    "platt",
    "domain_folds",
    "generator_splits",
    "domain_splits",
    "held_out_scores",
    "roc_auc",
    "logistic_fit_predict",
]

GENERATORS = ("GPT-3-Turbo", "GPT-4o", "Gemini-1.5-Pro", "Llama-3-70B")
SEED = 0
DEFAULT_C = 1.0  # L2 strength of the logistic regression
PER_SIDE = 1500  # n-grams chosen per vocabulary (words, skeleton) and side (machine-, human-leaning)
HAND_WEIGHT = 0.1  # scale of the standardised stylometric features beside the unit-length n-gram vectors
# The all-words part (stacked): every body word 1-2-gram in at least WORD_MIN_DF training texts (about 10,000 on
# the development set: a bound on the model file's size, set before measuring), logistic regression with
# WORD_C = 4, the TF-IDF peer's setting in benchmarks/machine_style.py (not tuned here).
WORD_MIN_DF = 20
WORD_C = 4.0


# ------------------------------------------------------------------------------------------ data
def load_machine_text(root: str | Path, exclude_domains: tuple[str, ...] = ()) -> pd.DataFrame:
    """The development set as one table: ``text``, ``label`` (1 = machine), ``generator`` (``human`` for human
    texts), ``domain``, ``group`` (= domain), ``item`` (position in the domain's file).

    A domain whose ``human.json`` repeats an earlier domain's byte for byte is skipped (in L2R,
    ``TravelTourism`` repeats ``TechnicalWriting``): keeping it would put the same texts on both sides of a split.
    The table's ``attrs['skipped_domains']`` lists what was left out and why.
    """
    root = Path(root)
    frames, seen, skipped = [], {}, []
    for folder in sorted(p for p in root.iterdir() if (p / "human.json").is_file()):
        domain = folder.name
        if domain in exclude_domains:
            skipped.append((domain, "excluded"))
            continue
        digest = hashlib.sha256((folder / "human.json").read_bytes()).hexdigest()
        if digest in seen:
            skipped.append((domain, f"human.json identical to {seen[digest]}'s"))
            continue
        seen[digest] = domain
        for name in ("human", *GENERATORS):
            path = folder / f"{name}.json"
            if not path.is_file():
                continue
            texts = [t for t in json.loads(path.read_text(encoding="utf-8")) if isinstance(t, str)]
            frames.append(
                pd.DataFrame(
                    {
                        "text": texts,
                        "label": int(name != "human"),
                        "generator": name,
                        "domain": domain,
                        "item": range(len(texts)),
                    }
                )
            )
    if not frames:
        raise FileNotFoundError(f"no <domain>/human.json under {root}")
    frame = pd.concat(frames, ignore_index=True)
    frame["group"] = frame["domain"]
    frame.attrs["skipped_domains"] = skipped
    return frame


_TEXT_COLUMNS = ("text", "body", "content")
_LABEL_COLUMNS = ("label", "machine", "is_machine", "generated")


def load_labelled(
    path: str | Path, text_column: str | None = None, label_column: str | None = None, group_column: str | None = None
) -> pd.DataFrame:
    """A user's labelled texts (``.jsonl``, ``.json`` list of records, ``.csv``, ``.tsv``): ``text``, ``label``
    (1 = machine, 0 = human; also ``true``/``false``, ``machine``/``human``, ``ai``/``human``), ``group``.

    Give paired texts (a machine rewrite and its original) the same ``group_column`` value, so validation and
    calibration never split a pair; without a group column each row is its own group.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        raw = pd.read_json(path, lines=True)
    elif suffix == ".json":
        raw = pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))
    elif suffix in (".csv", ".tsv"):
        raw = pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",")
    else:
        raise ValueError(f"{path}: expected .jsonl, .json, .csv or .tsv")
    text_column = text_column or next((c for c in _TEXT_COLUMNS if c in raw.columns), None)
    label_column = label_column or next((c for c in _LABEL_COLUMNS if c in raw.columns), None)
    if text_column not in raw.columns or label_column not in raw.columns:
        raise ValueError(f"{path}: needs a text column and a label column (found {list(raw.columns)})")
    frame = pd.DataFrame({"text": raw[text_column].fillna("").astype(str), "label": _labels(raw[label_column])})
    frame["generator"] = np.where(frame["label"] == 1, "machine", "human")
    frame["domain"] = ""
    frame["group"] = raw[group_column].astype(str) if group_column else [f"row{i}" for i in range(len(raw))]
    if frame["label"].nunique() < 2:
        raise ValueError(f"{path}: both labels (human and machine) are needed")
    return frame


def _labels(column: pd.Series) -> pd.Series:
    words = {"1": 1, "0": 0, "true": 1, "false": 0, "machine": 1, "human": 0, "ai": 1, "llm": 1, "generated": 1}
    out = column.map(lambda v: words.get(str(v).strip().casefold().removesuffix(".0")))
    if out.isna().any():
        bad = column[out.isna()].iloc[0]
        raise ValueError(f"unreadable label {bad!r} (use 1/0, true/false or machine/human)")
    return out.astype(int)


def with_features(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the model features, ``reason`` and ``ngrams`` (n-gram counts) added, rows that cannot be
    judged dropped (their count in ``attrs['unjudged']``)."""
    feats = feature_matrix(frame["text"].tolist(), ngrams=True)
    feats.index = frame.index
    out = pd.concat([frame, feats], axis=1)
    keep = out["reason"].eq("")
    out = out[keep].reset_index(drop=True)
    out.attrs = {**frame.attrs, "unjudged": int((~keep).sum())}
    return out


def two_sided_domains(frame: pd.DataFrame, min_per_class: int = 20) -> pd.DataFrame:
    """Rows of the domains with at least ``min_per_class`` judged human and machine texts each. A domain with
    machine texts only (in L2R, ``Environmental``'s human texts have no sentence punctuation and cannot be
    judged) would teach the model its topic, not machine style. Dropped domains in ``attrs['one_sided']``."""
    counts = frame.groupby(["domain", "label"]).size().unstack(fill_value=0)
    good = counts.index[(counts.get(0, 0) >= min_per_class) & (counts.get(1, 0) >= min_per_class)]
    out = frame[frame["domain"].isin(good)].reset_index(drop=True)
    out.attrs = {**frame.attrs, "one_sided": sorted(set(counts.index) - set(good))}
    return out


# ------------------------------------------------------------------------------------------ fitting
def fit_logistic(
    frame: pd.DataFrame,
    C: float = DEFAULT_C,
    per_side: int = PER_SIDE,
    hand_weight: float = HAND_WEIGHT,
    ngrams: bool = True,
    words: bool = True,
) -> StyleModel:
    """An uncalibrated model fitted on ``frame`` (rows with features, see ``with_features``): logistic regression
    (balanced class weights, L2, ``C``) on the standardised ``log1p`` stylometric features (scaled by
    ``hand_weight``) and, with ``ngrams``, the tf-idf n-grams chosen on ``frame`` (``ngrams.select_ngrams``);
    with ``words`` (and ``ngrams``), stacked with a second logistic regression on the sublinear tf-idf of every
    word 1-2-gram in at least ``WORD_MIN_DF`` texts (``ngrams.word_block``): the two decision values, each as a
    z-score of its training values, are added."""
    from sklearn.linear_model import LogisticRegression

    y = frame["label"].to_numpy()
    X = np.log1p(np.clip(frame[MODEL_FEATURES].to_numpy(dtype=float), 0.0, None))
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.clip((X - mean) / scale, -CLIP, CLIP) * hand_weight
    terms: list[str] = []
    idf = np.zeros(0)
    design = sparse.csr_matrix(z)
    counts = frame["ngrams"].tolist() if ngrams else []
    if ngrams:
        terms = select_ngrams(counts, y, frame["generator"].to_numpy(), frame["group"].to_numpy(), per_side=per_side)
        if terms:
            M = count_matrix(counts, terms)
            idf = idf_of(M)
            design = sparse.hstack([design, ngram_block(M, terms, idf)]).tocsr()
    lr = LogisticRegression(C=C, class_weight="balanced", max_iter=5000, random_state=SEED)
    lr.fit(design, y)
    coef = lr.coef_[0]
    n = len(MODEL_FEATURES)
    model = StyleModel(
        tuple(MODEL_FEATURES),
        mean,
        scale,
        coef[:n] * hand_weight,
        float(lr.intercept_[0]),
        ngrams=tuple(terms),
        idf=idf,
        ngram_coef=coef[n:].copy(),
    )
    return _with_words(model, frame, counts) if words and ngrams else model


def _with_words(model: StyleModel, frame: pd.DataFrame, counts: list) -> StyleModel:
    """``model`` stacked with the all-words part fitted on ``frame`` (see ``fit_logistic``)."""
    from sklearn.linear_model import LogisticRegression

    y = frame["label"].to_numpy()
    df: Counter = Counter()
    for c in counts:
        df.update(t for t in c if t.startswith("w:"))
    vocabulary = sorted(t for t, k in df.items() if k >= WORD_MIN_DF)
    if not vocabulary:
        return model
    M = count_matrix(counts, vocabulary)
    idf = idf_of(M)
    lr = LogisticRegression(C=WORD_C, class_weight="balanced", max_iter=5000, random_state=SEED)
    lr.fit(word_block(M, idf), y)
    word_terms = tuple("t:" + t[2:] for t in vocabulary)
    style = model.decision(frame, counts)
    words = lr.decision_function(word_block(M, idf))
    return replace(
        model,
        words=word_terms,
        word_idf=idf,
        word_coef=lr.coef_[0].copy(),
        word_intercept=float(lr.intercept_[0]),
        stack=((float(style.mean()), float(style.std())), (float(words.mean()), float(words.std()))),
    )


def _decision(model: StyleModel, frame: pd.DataFrame) -> np.ndarray:
    return model.decision(frame, frame["ngrams"].tolist() if model.count_terms else None)


def platt(decision: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling ``sigmoid(a * decision + b)`` fitted with balanced class weights (equal prior odds)."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e4, class_weight="balanced", max_iter=1000)
    lr.fit(np.asarray(decision, dtype=float).reshape(-1, 1), np.asarray(y))
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def domain_folds(groups: pd.Series, k: int = 5) -> dict[str, int]:
    """Each group's fold (0..k-1): groups sorted by size, dealt to the currently smallest fold (deterministic)."""
    sizes = groups.value_counts()
    order = sorted(sizes.index, key=lambda g: (-sizes[g], str(g)))
    k = max(1, min(k, len(order)))
    load = [0] * k
    fold = {}
    for g in order:
        f = min(range(k), key=lambda i: (load[i], i))
        fold[g] = f
        load[f] += int(sizes[g])
    return fold


def fit_model(frame: pd.DataFrame, folds: int = 5, meta: dict | None = None, **settings) -> StyleModel:
    """The model for ``frame`` (with features, see ``with_features``): ``fit_logistic`` (with ``settings``:
    ``C``, ``per_side``, ``hand_weight``) on every row, calibrated (Platt) on decision values of models fitted
    with each of ``folds`` group folds held out (n-grams chosen again each time)."""
    settings = {"C": DEFAULT_C, "per_side": PER_SIDE, "hand_weight": HAND_WEIGHT, "words": True, **settings}
    y = frame["label"].to_numpy()
    fold_of = domain_folds(frame["group"], folds)
    fold = frame["group"].map(fold_of).to_numpy()
    held_out = np.full(len(frame), np.nan)
    for f in sorted(set(fold)):
        train = fold != f
        if len(set(y[train])) < 2 or train.all():
            continue
        part = fit_logistic(frame[train], **settings)
        held_out[~train] = _decision(part, frame[~train])
    full = fit_logistic(frame, **settings)
    ok = ~np.isnan(held_out)
    calibration = platt(held_out[ok], y[ok]) if ok.sum() > 1 and len(set(y[ok])) == 2 else (1.0, 0.0)
    human = frame.loc[frame["label"] == 0, MODEL_FEATURES]
    reference = {f: float(v) for f, v in human.median().items()}
    info = {
        "training_texts": int(len(frame)),
        "machine_texts": int(y.sum()),
        "human_texts": int((y == 0).sum()),
        "unjudged_texts_dropped": int(frame.attrs.get("unjudged", 0)),
        "groups": int(frame["group"].nunique()),
        **settings,
        "ngrams": len(full.ngrams),
        "words_min_df": WORD_MIN_DF,
        "words_C": WORD_C,
        "word_terms": len(full.words),
        "calibration_folds": int(len(set(fold))),
        "seed": SEED,
        **(meta or {}),
    }
    return replace(full, calibration=calibration, human_reference=reference, meta=info)


# ------------------------------------------------------------------------------------------ validation
Split = tuple[str, np.ndarray, np.ndarray]  # (held-out name, train mask, test mask)


def generator_splits(frame: pd.DataFrame, k: int = 5) -> Iterator[Split]:
    """Leave one generator out, crossed with ``k`` domain folds: train on human texts and the other generators'
    texts of the training domains, test on the held-out generator's and the human texts of the test domains."""
    fold_of = domain_folds(frame["group"], k)
    fold = frame["group"].map(fold_of).to_numpy()
    gen = frame["generator"].to_numpy()
    human = frame["label"].to_numpy() == 0
    for g in sorted(set(gen[~human])):
        for f in sorted(set(fold)):
            train = (fold != f) & (human | (gen != g))
            test = (fold == f) & (human | (gen == g))
            yield g, train, test


def domain_splits(frame: pd.DataFrame) -> Iterator[Split]:
    """Leave one domain (group) out, every generator on both sides."""
    groups = frame["group"].to_numpy()
    for d in sorted(set(groups)):
        yield d, groups != d, groups == d


def held_out_scores(
    frame: pd.DataFrame, splits: Iterator[Split], fit_predict: Callable[[np.ndarray, np.ndarray], np.ndarray]
) -> pd.DataFrame:
    """Scores of every test row of every split: ``held_out``, ``row`` (index into ``frame``), ``label``,
    ``generator``, ``domain``, ``score``. ``fit_predict(train_mask, test_mask)`` fits on the training rows and
    scores the test rows."""
    parts = []
    for name, train, test in splits:
        score = fit_predict(train, test)
        idx = np.flatnonzero(test)
        parts.append(
            pd.DataFrame(
                {
                    "held_out": name,
                    "row": idx,
                    "label": frame["label"].to_numpy()[idx],
                    "generator": frame["generator"].to_numpy()[idx],
                    "domain": frame["domain"].to_numpy()[idx],
                    "score": score,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def roc_auc(label, score) -> float:
    """ROC AUC (NaN when one class is missing)."""
    from sklearn.metrics import roc_auc_score

    label = np.asarray(label)
    if len(set(label.tolist())) < 2:
        return float("nan")
    return float(roc_auc_score(label, np.asarray(score, dtype=float)))


def logistic_fit_predict(frame: pd.DataFrame, **settings) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """A ``fit_predict`` for ``held_out_scores``: ``fit_logistic`` (with ``settings``) on the training rows,
    decision values of the test rows."""

    def fit_predict(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        return _decision(fit_logistic(frame[train], **settings), frame[test])

    return fit_predict
