"""The learned story similarity: a calibrated probability that two documents tell the same story.

Scored on the candidate pairs (the edges of :func:`~.similarity.story_similarity`'s k-NN graph) from evidence the
project already computes: the word, names/numbers, scaled and raw cosines (the raw one as a log, beside the log of
each document's background, the level of "same topic" around it); length ratio and a both-snippets flag; shared
verbatim 8-word passages and lexical copies; the date gap where both are dated; names and numbers the two share that
are rare in the corpus (an event's own people and figures, not an outlet's dateline);
:func:`~.verification.link_evidence`'s sentence coverage and specifics share; and the cosines and backgrounds again
relative to the corpus (minus their median over its candidate pairs), so that a corpus of snippets and one of long
articles read alike. A logistic regression on standardised features (``scripts/fit_story_model.py``, on the labelled
development sets, each weighing the same; shipped as ``helpers/data/story_model.json``, no pickle) turns them into
P(same story), so a cut at 0.5 means "more likely the same story than not". No feature reads a document's neighbour
list (its rank of the other was one until stop 24: it made P depend on which candidates an engine found, and the
model without it does as well held out, see the README). Two uses (``FamilyParams.story_use``): split the
hand-weighted families where a link is unlikely (:func:`split_unlikely_links`; then a family that holds two stories
is cut where the links between them are unlikely on average, :mod:`.story_cut`), or cluster on the probabilities
(:func:`story_probability`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import expit

from ...text import simple_words, tfidf_matrix
from ..semantic import sentence_matcher
from .decay import epoch_days
from .documents import prepared, specifics
from .params import STORY_THRESHOLDS, FamilyParams
from .similarity import StorySimilarity, story_similarity
from .story_cut import cut_two_story_families
from .verification import link_components, pair_coverage

__all__ = [
    "FEATURES",
    "StoryModel",
    "load_story_model",
    "pair_features",
    "story_probability",
    "fit_story_model",
    "labelled_pairs",
    "split_unlikely_links",
    "story_threshold",
]

FORMAT = "storytrace-story-model/1"
FEATURES = [
    "log_raw",
    "scaled",
    "words",
    "specifics",
    "log_background_min",
    "log_background_max",
    "log_length_ratio",
    "both_short",
    "log_min_words",
    "passage8",
    "lexical_copy",
    "dated",
    "log_gap_days",
    "rare_shared",
    "rare_specificity",
    "specifics_share",
    "coverage",
    "log_raw_rel",
    "scaled_rel",
    "words_rel",
    "specifics_rel",
    "log_background_min_rel",
    "log_background_max_rel",
]
RELATIVE = ["log_raw", "scaled", "words", "specifics", "log_background_min", "log_background_max"]
"""Features also given relative to the corpus (minus their median over its candidate pairs): a cosine means more
in a corpus of snippets than in one of long articles on one topic, so held-out corpora of another kind transfer."""
PASSAGE_WORDS = 8  # a shared verbatim passage: this many words in a row (captions, background paragraphs, copies)
RARE_DF = 10  # a name or number named by at most this many documents of the corpus is rare (an event's own)
BACKGROUND_FLOOR = 0.10  # a background under this (or unmeasured, in a small corpus) counts as this


@dataclass(frozen=True)
class StoryModel:
    """A logistic regression over :data:`FEATURES`: ``P = sigmoid(intercept + coef . (x - mean) / scale)``."""

    features: list
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    meta: dict = field(default_factory=dict)

    def probability(self, X: pd.DataFrame) -> np.ndarray:
        """P(same story) for each row of a feature table (columns :attr:`features`)."""
        Z = (X[self.features].to_numpy(dtype=float) - self.mean) / self.scale
        return expit(Z @ self.coef + self.intercept)

    def logit_range(self, X: pd.DataFrame, unknown: dict) -> tuple[np.ndarray, np.ndarray]:
        """Lowest and highest logit of each row of ``X`` over the features of ``unknown`` (name -> (low, high));
        the others are read from ``X``."""
        w = self.coef / self.scale
        lo = np.full(len(X), self.intercept, dtype=float)
        hi = lo.copy()
        for k, f in enumerate(self.features):
            if f in unknown:
                a, b = (np.asarray(unknown[f], dtype=float) - self.mean[k]) * w[k]
                lo, hi = lo + min(a, b), hi + max(a, b)
            else:
                v = (X[f].to_numpy(dtype=float) - self.mean[k]) * w[k]
                lo, hi = lo + v, hi + v
        return lo, hi

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "model": "logistic regression on standardised pair features, P(same story)",
            "features": list(self.features),
            "mean": [round(float(x), 6) for x in self.mean],
            "scale": [round(float(x), 6) for x in self.scale],
            "coef": [round(float(x), 6) for x in self.coef],
            "intercept": round(float(self.intercept), 6),
            "meta": self.meta,
        }

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")


def _from_json(data: dict, where: str) -> StoryModel:
    if data.get("format") != FORMAT:
        raise ValueError(f"{where}: not a story model (format {data.get('format')!r}, expected {FORMAT!r})")
    feats = list(data["features"])
    unknown = set(feats) - set(FEATURES)
    if unknown:
        raise ValueError(
            f"{where}: features this version does not compute {sorted(unknown)} (a model fitted before they were "
            "dropped, e.g. the rank features before stop 24): refit it with scripts/fit_story_model.py"
        )
    arr = {k: np.asarray(data[k], dtype=float) for k in ("mean", "scale", "coef")}
    if any(len(v) != len(feats) for v in arr.values()):
        raise ValueError(f"{where}: mean, scale and coef must have one value per feature")
    return StoryModel(feats, arr["mean"], arr["scale"], arr["coef"], float(data["intercept"]), data.get("meta", {}))


def load_story_model(path: str | None = None) -> StoryModel:
    """The shipped model (``path`` None or ``"shipped"``) or one refitted by ``scripts/fit_story_model.py``."""
    if path in (None, "", "shipped"):
        return _shipped_model()
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"story model {path!r} not found (write one with scripts/fit_story_model.py)")
    return _model_file(str(p.resolve()), p.stat().st_mtime_ns)


@lru_cache(maxsize=1)
def _shipped_model() -> StoryModel:
    text = resources.files("helpers.data").joinpath("story_model.json").read_text(encoding="utf-8")
    return _from_json(json.loads(text), "helpers/data/story_model.json")


@lru_cache(maxsize=8)
def _model_file(path: str, mtime_ns: int) -> StoryModel:
    """A model file, read again when it changes (a refit in the same session)."""
    return _from_json(json.loads(Path(path).read_text(encoding="utf-8")), path)


def _edges(sim: StorySimilarity) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs: the raw graph's edges, each once (row < column)."""
    C = sparse.triu(sim.raw, k=1).tocoo()
    ok = C.data > 0
    return C.row[ok].astype(np.int64), C.col[ok].astype(np.int64)


def _passage_hashes(words: list[str], vocab: dict) -> np.ndarray:
    """The distinct verbatim ``PASSAGE_WORDS``-word passages of a word sequence as 64-bit hashes (of the words'
    ids in ``vocab``, which grows); a shorter sequence is one passage, as in :func:`helpers.text.shingles`."""
    ids = np.fromiter((vocab.setdefault(w, len(vocab)) for w in words), dtype=np.uint64, count=len(words))
    h = np.zeros(max(0, len(ids) - PASSAGE_WORDS) + 1 if len(ids) else 0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(min(PASSAGE_WORDS, len(ids))):
            h = h * np.uint64(1_000_003) + ids[k : k + len(h)] + np.uint64(1)
    return np.unique(h)


def _passage_share(texts: list[str], rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Share of the smaller document's verbatim 8-word passages found in the other (each document's passages
    hashed once)."""
    vocab: dict = {}
    sh = {i: _passage_hashes(simple_words(texts[i]), vocab) for i in np.unique(np.concatenate([rows, cols])).tolist()}
    out = np.zeros(len(rows))
    for e, (i, j) in enumerate(zip(rows.tolist(), cols.tolist())):
        a, b = sh[i], sh[j]
        if len(a) and len(b):
            out[e] = len(np.intersect1d(a, b, assume_unique=True)) / min(len(a), len(b))
    return out


def _specifics_sets(d: pd.DataFrame, sim: StorySimilarity) -> sparse.csr_matrix:
    """Each document's set of names and numbers as a binary documents x specifics matrix (``sim.doc_ids`` order):
    the pattern of the story vectors' specifics TF-IDF, or built from the texts when ``sim`` has none."""
    X = sim.specifics_tfidf
    if X is None or X.shape[0] != len(sim.doc_ids):
        X = tfidf_matrix(d["full"].tolist(), partial(specifics, names=sim.names))
    B = sparse.csr_matrix(X, copy=True)
    B.eliminate_zeros()
    B.data = np.ones(len(B.data), dtype=np.float64)
    return B


_PAIR_CHUNK = 200_000  # pairs per sparse product (bounds the temporaries: ~50 names and numbers a document)


def _specifics_features(B: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> dict:
    """Per pair, from the binary specifics matrix ``B``: ``specifics_share`` (share of the smaller set found in
    the other), ``rare_shared`` (log(1 + shared names/numbers at most ``RARE_DF`` documents name)) and
    ``rare_specificity`` (share of the smaller document's specificity, the sum of the IDF of its names and
    numbers, that the two share)."""
    n = max(1, B.shape[0])
    df = np.asarray(B.sum(axis=0)).ravel()
    idf = np.log(n / np.maximum(df, 1))
    size, mass = np.diff(B.indptr), B @ idf
    weights = np.stack([np.ones_like(idf), (df <= RARE_DF).astype(float), idf], axis=1)
    shared = np.zeros((len(rows), 3))
    for s in range(0, len(rows), _PAIR_CHUNK):
        r, c = rows[s : s + _PAIR_CHUNK], cols[s : s + _PAIR_CHUNK]
        shared[s : s + _PAIR_CHUNK] = B[r].multiply(B[c]) @ weights
    least = np.minimum(mass[rows], mass[cols])
    return {
        "specifics_share": shared[:, 0] / np.maximum(1, np.minimum(size[rows], size[cols])),
        "rare_shared": np.log1p(shared[:, 1]),
        "rare_specificity": np.divide(shared[:, 2], least, out=np.zeros(len(rows)), where=least > 0),
    }


def _similarity_features(d: pd.DataFrame, sim: StorySimilarity, p: FamilyParams, rows, cols) -> pd.DataFrame:
    """The cheap features of the pairs ``rows``, ``cols``: cosines, backgrounds, lengths, dates."""
    ids = np.asarray(sim.doc_ids, dtype=object)
    out = pd.DataFrame({"doc_a": ids[rows], "doc_b": ids[cols], "i": rows, "j": cols})
    raw = np.asarray(sim.raw[rows, cols]).ravel()
    bg = np.log(np.maximum(sim.background if sim.background is not None else np.zeros(len(ids)), BACKGROUND_FLOOR))
    bg_pair = np.stack([bg[rows], bg[cols]])
    words = d["n_words"].to_numpy(dtype=float)
    out["log_raw"] = np.log(np.maximum(raw, 1e-3))  # with the log backgrounds: log(raw / background) is linear
    out["scaled"] = np.asarray(sim.scaled[rows, cols]).ravel()
    out["words"] = np.asarray(sim.words[rows, cols]).ravel()
    out["specifics"] = np.asarray(sim.specifics[rows, cols]).ravel()
    out["log_background_min"], out["log_background_max"] = bg_pair.min(axis=0), bg_pair.max(axis=0)
    out["log_length_ratio"] = np.abs(np.log((words[rows] + 1) / (words[cols] + 1)))
    out["both_short"] = ((words[rows] < p.snippet_words) & (words[cols] < p.snippet_words)).astype(float)
    out["log_min_words"] = np.log1p(np.minimum(words[rows], words[cols]))
    days = epoch_days(d["published"])
    gap = np.abs(days[rows] - days[cols])
    out["dated"] = (~np.isnan(gap)).astype(float)
    out["log_gap_days"] = np.log1p(np.nan_to_num(gap))
    for f in RELATIVE:  # relative to all candidate pairs of the corpus
        out[f + "_rel"] = out[f] - float(out[f].median())
    return out


def _inside_pairs(d, sim, p, labels):
    """Feature table of the candidate pairs inside one family of ``labels`` with the cheap features (all but
    ``passage8`` and ``coverage``), and their positions ``rows``, ``cols``."""
    rows, cols = _edges(sim)
    out = _similarity_features(d, sim, p, rows, cols)  # the relative features: against all candidate pairs
    inside = labels[rows] == labels[cols]
    out, rows, cols = out[inside].reset_index(drop=True), rows[inside], cols[inside]
    out["lexical_copy"] = _lexical_copy(sim, rows, cols, p.copy_link)
    for name, values in _specifics_features(_specifics_sets(d, sim), rows, cols).items():
        out[name] = values
    return out, rows, cols


def _coverage_matcher(d: pd.DataFrame, keep: np.ndarray, p: FamilyParams, spans: dict | None = None):
    """A sentence matcher (its IDF fitted on their sentences) over the documents at positions ``keep``;
    ``spans``: sentence spans by text shared by the matchers of one split."""
    docs = d.iloc[np.sort(keep)][["doc_id", "text"]]
    return sentence_matcher(docs, p.sentence_method, keep=False, spans=spans)


def pair_features(
    docs: pd.DataFrame,
    sim: StorySimilarity,
    params: FamilyParams | None = None,
    families: pd.DataFrame | None = None,
    failures: list | None = None,
) -> pd.DataFrame:
    """The candidate pairs of ``sim`` (``doc_a``, ``doc_b``, positions ``i``, ``j``) with :data:`FEATURES` and
    ``unchecked`` (the sentence coverage failed: counted as 1, the error listed in ``failures``); with
    ``families`` (``doc_id``, ``family_id`` in ``sim.doc_ids`` order) only the pairs inside a family (the
    sentence coverage, the slow part, is then computed for those only, its IDF fitted on the members of
    families of two or more)."""
    p = params or FamilyParams()
    d = prepared(docs).set_index("doc_id").reindex(sim.doc_ids).reset_index()
    labels = np.zeros(len(d), np.int64) if families is None else families["family_id"].to_numpy()
    if not len(_edges(sim)[0]):
        return pd.DataFrame(columns=["doc_a", "doc_b", "i", "j", *FEATURES, "unchecked"])
    out, rows, cols = _inside_pairs(d, sim, p, labels)
    out["passage8"] = _passage_share(d["text"].tolist(), rows, cols)
    members = np.flatnonzero(np.bincount(labels)[labels] > 1)
    cover = pair_coverage(_coverage_matcher(d, members, p), out["doc_a"], out["doc_b"], failures)
    out["unchecked"] = np.isinf(cover)  # coverage failed (listed in failures)
    out["coverage"] = np.clip(cover, 0, 1)
    return out[["doc_a", "doc_b", "i", "j", *FEATURES, "unchecked"]]


def _lexical_copy(sim: StorySimilarity, rows: np.ndarray, cols: np.ndarray, copy_link: float) -> np.ndarray:
    """1 for the pairs that are lexical copies (shingle Jaccard or containment >= ``copy_link``)."""
    lex = sim.lexical
    if not len(lex):
        return np.zeros(len(rows))
    strong = lex[["jaccard", "containment_a", "containment_b"]].max(axis=1).to_numpy() >= copy_link
    pos = {x: k for k, x in enumerate(sim.doc_ids)}
    n = len(sim.doc_ids)
    a = lex["doc_a"].map(pos).to_numpy()[strong]
    b = lex["doc_b"].map(pos).to_numpy()[strong]
    keys = np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b)
    return np.isin(rows * n + cols, keys).astype(float)


def story_probability(
    docs: pd.DataFrame,
    sim: StorySimilarity,
    model: StoryModel | str | None = None,
    params: FamilyParams | None = None,
    failures: list | None = None,
) -> sparse.csr_matrix:
    """Symmetric sparse matrix of P(same story) on the candidate pairs of ``sim`` (``model``: a
    :class:`StoryModel`, a model file, or None / ``"shipped"``)."""
    m = model if isinstance(model, StoryModel) else load_story_model(model)
    X = pair_features(docs, sim, params, failures=failures)
    n = len(sim.doc_ids)
    if not len(X):
        return sparse.csr_matrix((n, n), dtype=np.float64)
    P = sparse.csr_matrix((m.probability(X), (X["i"].to_numpy(), X["j"].to_numpy())), shape=(n, n))
    return (P + P.T).tocsr()


def story_threshold(p: FamilyParams) -> float:
    """``p.story_threshold``, or the one of its ``story_use`` (``STORY_THRESHOLDS``)."""
    return STORY_THRESHOLDS[p.story_use] if p.story_threshold is None else float(p.story_threshold)


EXPENSIVE = {"passage8": (0.0, 1.0), "coverage": (0.0, 1.0)}
"""The features :func:`split_unlikely_links` computes only for links whose decision depends on them (in this
order), with the range each can take."""


def split_unlikely_links(
    labels: np.ndarray,
    docs: pd.DataFrame,
    sim: StorySimilarity,
    params: FamilyParams | None = None,
    model: StoryModel | str | None = None,
    failures: list | None = None,
) -> np.ndarray:
    """Families ``labels`` (in ``sim.doc_ids`` order) split into the connected components of their links with
    P(same story) >= :func:`story_threshold`; a link between two snippets (both under ``snippet_words`` content
    words: a headline and a lead each) is kept, too short to judge, but a snippet's link to an article is judged
    (the article has enough to check the snippet's names and numbers against); a lexical copy is kept (copies are
    one story, as in the cut below); a link whose evidence cannot be computed is kept too (listed in
    ``failures``). Families of ``story_cut_min`` or more documents are then cut where they hold two stories
    (:mod:`.story_cut`). Returns labels numbered 0..k-1 in order of first document.

    Bounded: the cheap features are computed for every link; each :data:`EXPENSIVE` one only for the links whose
    decision it can still change (the model's logit over the feature's whole range reaches both sides of the
    threshold) and whose two documents are not already joined by links kept so far (a component does not
    change by one more link inside it)."""
    p = params or FamilyParams()
    m = model if isinstance(model, StoryModel) else load_story_model(model or p.story_model)
    labels = np.asarray(labels)
    n = len(labels)
    d = prepared(docs).set_index("doc_id").reindex(sim.doc_ids).reset_index()
    if not len(_edges(sim)[0]):
        return labels
    X, rows, cols = _inside_pairs(d, sim, p, labels)
    if not len(X):
        return labels
    thr = story_threshold(p)
    # two snippets: too short to judge; a lexical copy: one story whatever the model says (its weight is fitted
    # beside the cosines it goes with, and on its own can read as evidence against)
    keep = (X["both_short"].to_numpy() > 0) | (X["lexical_copy"].to_numpy() > 0)
    open_ = ~keep
    unknown = dict(EXPENSIVE)
    cut = np.log(thr / (1 - thr)) if 0 < thr < 1 else None
    spans: dict = {}  # each text split into sentences once, for the split's and the cut's coverage
    for name in EXPENSIVE:
        if cut is not None:
            lo, hi = m.logit_range(X[open_], unknown)
            keep[np.flatnonzero(open_)[lo >= cut + 1e-9]] = True
            open_[np.flatnonzero(open_)[(lo >= cut + 1e-9) | (hi < cut - 1e-9)]] = False
        comp = link_components(n, rows[keep], cols[keep])
        open_ &= comp[rows] != comp[cols]
        todo = np.flatnonzero(open_)
        X[name] = np.nan  # not computed
        keep[todo[_expensive_feature(name, X, todo, d, rows, cols, p, failures, spans)]] = True  # unchecked: kept
        del unknown[name]
    todo = np.flatnonzero(open_)
    keep[todo] |= m.probability(X.iloc[todo]) >= thr
    split = link_components(n, rows[keep], cols[keep])
    return _cut_two_story_families(split, X, rows, cols, d, p, m, failures, spans)


def _expensive_feature(name, X, todo, d, rows, cols, p, failures, spans=None) -> np.ndarray:
    """Fills the :data:`EXPENSIVE` feature ``name`` of the links ``todo`` (positions in ``X``); returns which of
    them could not be checked (their coverage failed, listed in ``failures``; counted as 1). ``spans``: sentence
    spans by text, shared with the other calls of one split."""
    if name == "passage8":
        X.loc[todo, name] = _passage_share(d["text"].tolist(), rows[todo], cols[todo])
        return np.zeros(len(todo), bool)
    matcher = _coverage_matcher(d, np.unique(np.concatenate([rows[todo], cols[todo]])), p, spans)
    cover = pair_coverage(matcher, X["doc_a"].to_numpy()[todo], X["doc_b"].to_numpy()[todo], failures)
    X.loc[todo, name] = np.clip(cover, 0, 1)
    return np.isinf(cover)


def _cut_two_story_families(
    labels, X, rows, cols, d, p: FamilyParams, m: StoryModel, failures, spans: dict | None = None
) -> np.ndarray:
    """:func:`~.story_cut.cut_two_story_families` on the links inside the families of ``p.story_cut_min`` or more
    documents, their expensive features computed where the split did not need them; a lexical copy counts as
    P = 1 (copies are always one story: fifty copies of one snippet are not cut apart)."""
    size = np.bincount(labels)
    need = np.flatnonzero((labels[rows] == labels[cols]) & (size[labels[rows]] >= max(p.story_cut_min, 1)))
    if p.story_cut_min <= 0 or not len(need):
        return labels
    copy = X["lexical_copy"].to_numpy()[need] > 0
    judged = need[~copy]  # a copy's P is 1 whatever its features: they are not computed for it
    for name in EXPENSIVE:
        todo = judged[np.isnan(X[name].to_numpy()[judged])]  # not computed by the split
        if len(todo):
            _expensive_feature(name, X, todo, d, rows, cols, p, failures, spans)
    prob = np.ones(len(need))
    prob[~copy] = m.probability(X.iloc[judged])
    return cut_two_story_families(labels, rows[need], cols[need], prob, story_threshold(p), p.story_cut_min)


def fit_story_model(
    X: pd.DataFrame, y: np.ndarray, groups=None, C: float = 1.0, seed: int = 0, meta: dict | None = None
) -> StoryModel:
    """A :class:`StoryModel` fitted on a feature table (:func:`pair_features`) and same-story labels ``y``.

    ``groups`` (one corpus name per row): each corpus weighs the same in the fit, however many candidate pairs it
    has (AllSides' 8,277 snippets would otherwise outweigh four sets of articles)."""
    from sklearn.linear_model import LogisticRegression

    A = X[FEATURES].to_numpy(dtype=float)
    mean, scale = A.mean(axis=0), A.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)  # a constant feature (no dated pair in the data) gets no weight
    g = pd.Series(np.zeros(len(A)) if groups is None else np.asarray(groups))
    weight = (len(g) / g.nunique() / g.map(g.value_counts())).to_numpy(dtype=float)
    lr = LogisticRegression(C=C, max_iter=2000, random_state=seed)
    lr.fit((A - mean) / scale, np.asarray(y, int), sample_weight=weight)
    info = {
        "pairs": int(len(y)),
        "same_story_pairs": int(np.sum(y)),
        "corpora": int(g.nunique()),
        "C": C,
        "seed": seed,
        **(meta or {}),
    }
    return StoryModel(list(FEATURES), mean, scale, lr.coef_[0], float(lr.intercept_[0]), info)


def labelled_pairs(docs: pd.DataFrame, story: str = "story_id", params: FamilyParams | None = None) -> pd.DataFrame:
    """The candidate pairs of a labelled documents table (``doc_id``, ``text``, a story column[, ``published``])
    with their :data:`FEATURES` and ``same_story`` (1 when both documents carry the same label)."""
    p = params or FamilyParams()
    d = prepared(docs)
    sim = story_similarity(d, p)
    X = pair_features(d, sim, p)
    label = pd.Series(docs[story].astype(str).to_numpy(), index=d["doc_id"].to_numpy())
    return X.assign(same_story=(label[X["doc_a"]].to_numpy() == label[X["doc_b"]].to_numpy()).astype(int))
