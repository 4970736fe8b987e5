"""Frame scores: for each document (or sentence) and each frame of a scheme, a 0-1 score that the text uses the
frame, and the multi-label decision (``frames``: the frames a text uses).

Evidence per frame, from what :func:`helpers.framing.analyse` already has: the frame's lexicon hits (how many,
and per 100 words), the similarity of the text's sentences to the frame's exemplars
(:mod:`helpers.framing.exemplars`: the best sentence, the mean of the best three) and the probability given by
the vocabulary learned from unlabelled news (:mod:`helpers.framing.weak`: mean of the best three sentences, mean
of all). A logistic model with the same weights for every frame (so that it applies to frames no development set
labels), plus the frame's prior (the logit of its base rate in the development labels, so that common frames
rank above rare ones on equal evidence; frames no set labels get the mean rate), turns the evidence into a
probability; its weights, priors and decision threshold are fitted by ``scripts/fit_frame_calibration.py`` on
the development sets (GVFC headlines mapped onto Media Frames dimensions, climate-narratives articles) and
shipped in ``helpers/data/framing_calibration.json`` (refit on your own labels: see that script). A text *uses* a frame
when its score reaches the model's threshold and it has evidence of the frame of its own (:func:`frame_use`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from .._data import data_path

__all__ = [
    "FEATURES",
    "FrameModel",
    "frame_model",
    "frame_features",
    "frame_probabilities",
    "decide_frames",
    "frame_use",
    "fit_frame_model",
    "base_rates",
    "frame_evidence",
    "document_evidence",
    "scheme_scores",
]

CALIBRATION = "framing_calibration.json"
FEATURES = ["lex_log", "lex_rate", "ex_max", "ex_top3", "length", "voc_top3", "voc_mean"]
TOP = 3  # sentences averaged in ex_top3
# the learned vocabulary's probability from which it counts as a document's own evidence of a frame (frame_use):
# "more likely than not", set by hand, not tuned on the development sets
VOCABULARY_EVIDENCE = 0.5


@dataclass(frozen=True)
class FrameModel:
    """A pooled logistic model over :data:`FEATURES` (same weights for every frame) plus each frame's prior
    (the logit of its base rate in the training labels, weighted by ``prior_coef``), and its decision rule."""

    coef: tuple[float, ...]
    intercept: float
    threshold: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    prior_coef: float = 0.0
    priors: dict = field(default_factory=dict)
    default_prior: float = 0.5
    frame_coef: dict = field(default_factory=dict)

    def weights(self, frames: list[str]) -> np.ndarray:
        """``frames x FEATURES`` weights: the pooled ``coef`` plus the frame's own correction (``frame_coef``,
        fitted only for frames the training labels have enough positives of)."""
        pooled = np.asarray(self.coef, dtype=float)
        return np.stack([pooled + np.asarray(self.frame_coef.get(f, 0.0), dtype=float) for f in frames])

    def prior_logits(self, frames: list[str]) -> np.ndarray:
        """The logit of each frame's base rate (``default_prior`` for a frame no training set labels)."""
        rate = np.array([self.priors.get(f, self.default_prior) for f in frames], dtype=float)
        rate = np.clip(rate, 0.01, 0.99)
        return np.log(rate / (1 - rate))

    def to_json(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


@lru_cache(maxsize=8)
def frame_model(scheme: str, method: str) -> FrameModel:
    """The shipped model of ``scheme`` (``mfc`` or ``generic``) for exemplar ``method`` (``tfidf``, ``minilm``)."""
    data = json.loads(data_path(CALIBRATION).read_text(encoding="utf-8"))
    try:
        m = data["models"][scheme][method]
    except KeyError as exc:
        raise KeyError(f"{CALIBRATION} has no model for scheme {scheme!r} and method {method!r}") from exc
    fields = {k: (tuple(v) if isinstance(v, list) else v) for k, v in m["model"].items()}
    return FrameModel(**{k: v for k, v in fields.items() if k in FrameModel.__dataclass_fields__})


def _top_mean(units: pd.DataFrame, sims: np.ndarray, k: int) -> np.ndarray:
    """Per document of ``units`` (in order of first appearance) and frame: mean of its ``k`` best sentences."""
    doc = pd.factorize(units["doc_id"])[0]
    n_docs = doc.max() + 1 if len(doc) else 0
    out = np.zeros((n_docs, sims.shape[1]))
    for j in range(sims.shape[1]):
        order = np.lexsort((-sims[:, j], doc))
        d = doc[order]
        rank = np.arange(len(d)) - np.searchsorted(d, d)
        keep = rank < k
        total = np.bincount(d[keep], weights=sims[order, j][keep], minlength=n_docs)
        out[:, j] = total / np.maximum(np.bincount(d[keep], minlength=n_docs), 1)
    return out


def frame_features(
    counts: pd.DataFrame,
    words: pd.Series,
    sims: pd.DataFrame,
    frames: list[str],
    by: str = "document",
    vocab: np.ndarray | None = None,
) -> np.ndarray:
    """Feature array ``units x frames x FEATURES``.

    ``counts``: lexicon hits per sentence and frame (``doc_id, sent_id`` + one column per frame); ``words``:
    word tokens per sentence (same index as ``sims`` rows); ``sims``: :func:`exemplar_similarity` (``doc_id,
    sent_id`` + frames). ``by``: ``document`` (units in order of first appearance of ``doc_id`` in ``sims``) or
    ``sentence`` (one unit per row of ``sims``). ``vocab``: the learned vocabulary's probability per row of
    ``sims`` and frame (:func:`helpers.framing.weak.vocabulary_probabilities`; zeros when not given)."""
    key = ["doc_id", "sent_id"]
    c = sims[key].merge(counts, on=key, how="left")[frames].fillna(0).to_numpy(float)
    s = sims[frames].to_numpy(float)
    n = np.asarray(words, dtype=float)
    v = np.zeros_like(s) if vocab is None else np.asarray(vocab, dtype=float)
    if by == "sentence":
        cnt, nw, smax, stop, vtop, vmean = c, n, s, s, v, v
    else:
        doc = pd.factorize(sims["doc_id"])[0]
        n_docs = doc.max() + 1 if len(doc) else 0
        cnt = np.stack([np.bincount(doc, weights=c[:, j], minlength=n_docs) for j in range(len(frames))], 1)
        nw = np.bincount(doc, weights=n, minlength=n_docs)
        smax = np.stack([pd.Series(s[:, j]).groupby(doc).max().to_numpy() for j in range(len(frames))], 1)
        stop = _top_mean(sims, s, TOP)
        vtop = _top_mean(sims, v, TOP)
        vmean = np.stack([np.bincount(doc, weights=v[:, j], minlength=n_docs) for j in range(len(frames))], 1)
        vmean /= np.maximum(np.bincount(doc, minlength=n_docs), 1)[:, None]
    nw = nw.reshape(-1, 1)
    feats = [
        np.log1p(cnt),
        np.log1p(100 * cnt / np.maximum(nw, 1)),
        smax,
        stop,
        np.broadcast_to(np.log1p(nw), cnt.shape),
        vtop,
        vmean,
    ]
    return np.stack(feats, axis=2)


def frame_probabilities(features: np.ndarray, model: FrameModel, frames: list[str]) -> np.ndarray:
    """``units x frames`` probabilities from a feature array (:func:`frame_features`) of ``frames``."""
    z = (features - np.asarray(model.mean)) / np.asarray(model.scale)
    logit = np.einsum("ufk,fk->uf", z, model.weights(frames)) + model.intercept
    logit = logit + model.prior_coef * model.prior_logits(frames)
    return 1 / (1 + np.exp(-logit))


def frame_use(prob: np.ndarray, features: np.ndarray, model: FrameModel) -> np.ndarray:
    """``units x frames`` booleans: the unit uses the frame when its score reaches the model's ``threshold`` and
    the unit has evidence of the frame of its own (a lexicon hit, or the learned vocabulary at least
    :data:`VOCABULARY_EVIDENCE`), so that a frame's prior alone never makes a text use it."""
    lexicon = features[..., FEATURES.index("lex_log")] > 0
    own = lexicon | (features[..., FEATURES.index("voc_top3")] >= VOCABULARY_EVIDENCE)
    return (prob >= model.threshold) & own


def decide_frames(prob: np.ndarray, frames: list[str], uses: np.ndarray) -> list[str]:
    """The frames each unit uses (``uses``: :func:`frame_use`), joined by "; " from the highest score down."""
    out = []
    for row, used in zip(prob, uses):
        order = np.argsort(-row, kind="stable")
        out.append("; ".join(frames[j] for j in order if used[j]))
    return out


def base_rates(labels: np.ndarray, known: np.ndarray, frames: list[str]) -> dict[str, float]:
    """Each labelled frame's share of positive cells (frames without a labelled cell are left out)."""
    n = known.sum(axis=0)
    pos = (labels * known).sum(axis=0)
    return {f: round(float(pos[j] / n[j]), 4) for j, f in enumerate(frames) if n[j]}


def fit_frame_model(
    features: np.ndarray,
    labels: np.ndarray,
    known: np.ndarray,
    frames: list[str],
    seed: int = 0,
    priors: bool = True,
    use: list[str] | None = None,
    per_frame: int = 0,
) -> FrameModel:
    """A pooled logistic model fitted on the labelled cells (``known``: units x frames booleans; ``labels``:
    0/1) with standardised features, and the decision threshold that maximises micro-F1 of the decision rule on
    the same cells. ``priors``: each frame's base rate in these labels enters as the logit offset of the frame
    (weighted by a fitted coefficient; frames never labelled get the mean rate). ``use``: the features used
    (default all of :data:`FEATURES`; the others get weight 0). ``per_frame``: a frame with at least this many
    positive cells also gets its own correction of the weights (0: pooled weights only). Deterministic
    (liblinear, fixed ``seed``)."""
    from sklearn.linear_model import LogisticRegression

    cols = [FEATURES.index(f) for f in (use or FEATURES)]
    rates = base_rates(labels, known, frames) if priors else {}
    default = float(np.mean(list(rates.values()))) if rates else 0.5
    X = features[known]
    y = labels[known].astype(int)
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    Z = ((X - mean) / scale)[:, cols]
    frame_of = np.broadcast_to(np.arange(len(frames)), known.shape)[known]
    positives = (labels * known).sum(axis=0)
    own = [j for j in range(len(frames)) if per_frame and positives[j] >= per_frame]
    Z = np.column_stack([Z, *[Z * (frame_of == j)[:, None] for j in own]])
    if priors:
        probe = FrameModel((), 0.0, 0.5, (), (), priors=rates, default_prior=default)
        offsets = np.broadcast_to(probe.prior_logits(frames), known.shape)[known]
        Z = np.column_stack([Z, offsets])
    lr = LogisticRegression(C=1.0, solver="liblinear", random_state=seed).fit(Z, y)
    w = lr.coef_[0]
    coef = np.zeros(len(FEATURES))
    coef[cols] = w[: len(cols)]
    frame_coef = {}
    for k, j in enumerate(own):
        delta = np.zeros(len(FEATURES))
        delta[cols] = w[len(cols) * (k + 1) : len(cols) * (k + 2)]
        frame_coef[frames[j]] = [round(float(x), 6) for x in delta]
    model = FrameModel(
        coef=tuple(float(x) for x in coef),
        intercept=float(lr.intercept_[0]),
        threshold=0.5,
        mean=tuple(float(x) for x in mean),
        scale=tuple(float(x) for x in scale),
        prior_coef=float(lr.coef_[0][-1]) if priors else 0.0,
        priors=rates,
        default_prior=round(default, 4),
        frame_coef=frame_coef,
    )
    prob = frame_probabilities(features, model, frames)

    def f1(t: float) -> float:
        return _micro_f1(frame_use(prob, features, FrameModel(**{**model.__dict__, "threshold": t})), labels, known)

    best = max(np.arange(0.05, 0.95, 0.01), key=lambda t: (f1(t), -abs(t - 0.5)))
    return FrameModel(**{**model.__dict__, "threshold": round(float(best), 2)})


def _micro_f1(uses: np.ndarray, labels: np.ndarray, known: np.ndarray) -> float:
    pred = uses & known
    tp = float((pred & (labels == 1)).sum())
    fp = float((pred & (labels == 0)).sum())
    fn = float((~pred & (labels == 1) & known).sum())
    return 2 * tp / max(2 * tp + fp + fn, 1)


def frame_evidence(
    toks: pd.DataFrame,
    hits: pd.DataFrame,
    frames: list[str],
    scheme: str,
    method: str = "tfidf",
    texts=None,
    exemplars=None,
    content: tuple | None = None,
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame, np.ndarray]:
    """The evidence :func:`frame_features` reads: lexicon hits per sentence and frame (from ``hits``, negated
    ones left out), word tokens per sentence, exemplar similarity per sentence and frame, and the learned
    vocabulary's probability per sentence (row of the similarity table) and frame. ``content``:
    :func:`helpers.framing.exemplars.content_rows` of ``toks`` when already made."""
    from .exemplars import content_rows, exemplar_similarity
    from .weak import vocabulary_probabilities

    content = content_rows(toks) if content is None else content
    sims = exemplar_similarity(toks, scheme, frames, method=method, texts=texts, exemplars=exemplars, content=content)
    words = content[0]["words"].reset_index(drop=True)
    scored = hits[~hits["negated"].astype(bool).to_numpy()] if len(hits) else hits
    scored = scored[scored["category"].isin(set(frames))] if len(scored) else scored
    if len(scored):
        counts = scored.groupby(["doc_id", "sent_id", "category"]).size().unstack(fill_value=0).reset_index()
    else:
        counts = pd.DataFrame(columns=["doc_id", "sent_id"])
    counts = counts.reindex(columns=["doc_id", "sent_id", *frames], fill_value=0)
    vocab = pd.concat(
        [
            content[0][["doc_id", "sent_id"]],
            pd.DataFrame(vocabulary_probabilities(content, frames, scheme), columns=frames, index=content[0].index),
        ],
        axis=1,
    )
    vocab = sims[["doc_id", "sent_id"]].merge(vocab, on=["doc_id", "sent_id"], how="left")[frames]
    return counts, words, sims, vocab.fillna(0.0).to_numpy(float)


def document_evidence(docs: pd.DataFrame, scheme: str, frames: list[str], method: str = "tfidf", lexicon=None):
    """:func:`frame_evidence` of a documents table read as headline-less texts with the shipped lexicon of
    ``scheme`` (or ``lexicon``): what the calibration script and the validity benchmark score."""
    from .documents import document_view, view_tokens
    from .lexicon import GENERIC_LEXICON, MFC_LEXICON, as_lexicon, match_terms

    view = document_view(docs, include_title=False)
    toks = view_tokens(view)
    texts = dict(zip(view["doc_id"], view["text"]))
    lex = as_lexicon(lexicon, default=MFC_LEXICON if scheme == "mfc" else GENERIC_LEXICON)
    return frame_evidence(toks, match_terms(toks, lex, texts), frames, scheme, method, texts)


def scheme_scores(toks, hits, frames, scheme, method, texts, index, content) -> tuple[pd.DataFrame, pd.DataFrame]:
    """0-1 scores of ``frames`` per document (rows ``index``, plus ``frames``: the frames each uses) and per
    sentence (``doc_id, sent_id`` + frames), from the word tokens ``toks``, the lexicon ``hits`` of the scheme,
    the exemplar ``method`` and :func:`~helpers.framing.exemplars.content_rows` of the tokens (``content``)."""
    if not frames:  # a replaced lexicon without any modelled frame: nothing to score
        return pd.DataFrame({"frames": ""}, index=index), pd.DataFrame(columns=["doc_id", "sent_id"])
    model = frame_model(scheme, method)
    counts, words, sims, vocab = frame_evidence(toks, hits, frames, scheme, method, texts, content=content)
    docs = pd.factorize(sims["doc_id"])[1]
    doc_features = frame_features(counts, words, sims, frames, vocab=vocab)
    by_doc = frame_probabilities(doc_features, model, frames)
    by_sent = frame_probabilities(
        frame_features(counts, words, sims, frames, by="sentence", vocab=vocab), model, frames
    )
    decided = pd.Series(decide_frames(by_doc, frames, frame_use(by_doc, doc_features, model)), index=docs)
    doc_scores = pd.DataFrame(by_doc, index=docs, columns=frames).reindex(index).fillna(0.0)
    doc_scores["frames"] = decided.reindex(index).fillna("")
    sent_scores = pd.concat([sims[["doc_id", "sent_id"]], pd.DataFrame(by_sent, columns=frames)], axis=1)
    return doc_scores, sent_scores
