"""How original each member of a family looks: its features against the rest of the family, and the shipped model
that weighs them (which member is the one the others derive from, when no publication date says so).

Features of a member (``ORIGIN_FEATURES``, each measured against the other members of its family):

- ``machine_style``: log-odds of its machine style (:mod:`helpers.style`; 0 when it cannot be judged). Rewrites
  made by a language model read as machine-written; the original usually does not.
- ``holds_sentences``: mean share of the other members' sentences that it supports (the original holds what each
  version kept) ...
- ``supported_sentences``: ... and mean share of its own sentences that the others support.
- ``specifics_balance``: mean over the others of the share of their names and numbers it holds minus the share of
  its names and numbers they hold (versions drop or generalise specifics; the original has them all).
- ``quotes``, ``named_quotes``: ``log(1 + n)`` direct quotations, and quotations given a named speaker.
- ``attributions``: statements given a source ("said", "told", "according to") per 100 content words.

The model (``helpers/data/lineage_model.json``, fitted by ``scripts/fit_lineage.py``) is a linear score
``sum(coef * feature)``: a pairwise logistic regression (the original against each of its versions, no intercept)
fitted on labelled rewrite families; the member with the highest score is the most original. Cue adjustments
that no development data can fit (credit lines, summary cues, scraped copies) are added from
:class:`~.params.LineageParams`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..._data import data_path
from .facts import DocumentFacts, document_facts
from .params import LineageParams

__all__ = [
    "ORIGIN_FEATURES",
    "OriginModel",
    "load_origin_model",
    "member_features",
    "originality",
    "family_originality",
]

MODEL_FILE = "lineage_model.json"
FORMAT = "storytrace-origin-model/1"
ORIGIN_FEATURES = (
    "machine_style",
    "holds_sentences",
    "supported_sentences",
    "specifics_balance",
    "quotes",
    "named_quotes",
    "attributions",
)
_STYLE_CLIP = 0.01  # machine style is clipped to [0.01, 0.99] before its log-odds (a few texts cannot outvote all)


@dataclass(frozen=True)
class OriginModel:
    """A linear originality score over ``features`` (``coef`` in the features' own units; ``scale`` is the spread
    of each feature's differences in the training pairs, kept to show each feature's weight comparably)."""

    features: tuple[str, ...]
    coef: np.ndarray
    scale: np.ndarray
    meta: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict) -> OriginModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not an origin model file (format {data.get('format')!r}, expected {FORMAT!r})")
        feats = tuple(data["features"])
        unknown = set(feats) - set(ORIGIN_FEATURES)
        if unknown:
            raise ValueError(f"origin model file: unknown features {sorted(unknown)}; known: {list(ORIGIN_FEATURES)}")
        coef, scale = (np.asarray(data[k], dtype=float) for k in ("coef", "scale"))
        if coef.shape != (len(feats),) or scale.shape != (len(feats),):
            raise ValueError(f"origin model file: coef and scale need {len(feats)} values each")
        return cls(feats, coef, scale, dict(data.get("meta", {})))

    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "model": "pairwise logistic regression (original minus version, no intercept) on member features",
            "features": list(self.features),
            "coef": [round(float(v), 6) for v in self.coef],
            "scale": [round(float(v), 6) for v in self.scale],
            "meta": self.meta,
        }

    @classmethod
    def read(cls, path: str | Path) -> OriginModel:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"origin model file {path} cannot be read: {exc}") from exc
        return cls.from_dict(data)

    def write(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")
        return path

    def score(self, features: pd.DataFrame) -> pd.Series:
        """The originality score of each row (higher: more original)."""
        return pd.Series(features[list(self.features)].to_numpy(dtype=float) @ self.coef, index=features.index)

    def weights(self) -> pd.Series:
        """Each feature's weight per typical difference between two members (coef x scale), for reading."""
        return pd.Series(self.coef * self.scale, index=self.features)


@cache
def _shipped() -> OriginModel:
    return OriginModel.from_dict(json.loads(data_path(MODEL_FILE).read_text(encoding="utf-8")))


def load_origin_model(path: str | Path | OriginModel | None = None) -> OriginModel:
    """The shipped origin model, one given, or one read from ``path`` (written by ``scripts/fit_lineage.py``)."""
    if isinstance(path, OriginModel):
        return path
    return _shipped() if not path else OriginModel.read(path)


def _style_log_odds(p) -> float:
    if p is None or not np.isfinite(p):
        return 0.0
    p = min(max(float(p), _STYLE_CLIP), 1 - _STYLE_CLIP)
    return math.log(p / (1 - p))


def member_features(ids: list[str], pairs: pd.DataFrame, cues: pd.DataFrame, n_words: pd.Series) -> pd.DataFrame:
    """``ORIGIN_FEATURES`` of each member of one family (index ``doc_id``), from the family's rows of the pairs
    table, the cues (with ``machine_style``, indexed by ``doc_id``) and content-word counts (by ``doc_id``)."""
    facts = document_facts(pd.DataFrame({"n_words": n_words}), cues.loc[ids])
    columns = _feature_columns(ids, list(pairs.itertuples(index=False)), facts)
    return pd.DataFrame(columns, index=pd.Index(ids, name="doc_id"))[list(ORIGIN_FEATURES)]


def _feature_columns(ids: list[str], pairs: list, facts: DocumentFacts) -> dict:
    """The columns of :func:`member_features` from the family's pair rows and the documents' facts."""
    holds = dict.fromkeys(ids, 0.0)
    supported = dict.fromkeys(ids, 0.0)
    balance = dict.fromkeys(ids, 0.0)
    inside = set(ids)
    for r in pairs:
        if r.doc_a in inside and r.doc_b in inside:
            holds[r.doc_a] += r.coverage_b
            holds[r.doc_b] += r.coverage_a
            supported[r.doc_a] += r.coverage_a
            supported[r.doc_b] += r.coverage_b
            balance[r.doc_a] += r.specifics_b - r.specifics_a
            balance[r.doc_b] += r.specifics_a - r.specifics_b
    others = max(len(ids) - 1, 1)
    words = np.array([max(float(facts.n_words.get(m, 0)), 1.0) for m in ids])
    return {
        "machine_style": [_style_log_odds(facts.machine_style[m]) for m in ids],
        "holds_sentences": [holds[m] / others for m in ids],
        "supported_sentences": [supported[m] / others for m in ids],
        "specifics_balance": [balance[m] / others for m in ids],
        "quotes": np.log1p(np.array([facts.quotes[m] for m in ids], dtype=float)),
        "named_quotes": np.log1p(np.array([facts.named_quotes[m] for m in ids], dtype=float)),
        "attributions": 100 * np.array([facts.attributions[m] for m in ids], dtype=float) / words,
    }


def originality(
    ids: list[str],
    pairs: pd.DataFrame,
    cues: pd.DataFrame,
    n_words: pd.Series,
    params: LineageParams | None = None,
    model: OriginModel | None = None,
) -> pd.Series:
    """The originality score of each member of one family (higher: more original): the model's score of its
    features plus the cue adjustments. ``cues`` and ``n_words`` are indexed by ``doc_id``."""
    p = params or LineageParams()
    m = load_origin_model(model if model is not None else p.model)
    if len(ids) < 2:
        return pd.Series(0.0, index=ids)
    facts = document_facts(pd.DataFrame({"n_words": n_words}), cues.loc[ids])
    scores = family_originality(ids, list(pairs.itertuples(index=False)), facts, p, m)
    return pd.Series([scores[i] for i in ids], index=pd.Index(ids, name="doc_id"))


def family_originality(
    ids: list[str], pairs: list, facts: DocumentFacts, p: LineageParams, model: OriginModel
) -> dict[str, float]:
    """:func:`originality` of one family of two or more members from its pair rows (named tuples of the pairs
    table) and the corpus's :class:`~.facts.DocumentFacts`: the same arithmetic on plain values, since a few small
    pandas tables per family cost more than the scores at 10,000 documents."""
    columns = _feature_columns(ids, pairs, facts)
    # rows x features in the layout pandas gives (features stored as rows, transposed): the same product
    values = np.array([columns[f] for f in model.features], dtype=float).T @ model.coef
    excerpt = _excerpt_members(pairs, facts.n_words, p)
    out = {}
    for m, v in zip(ids, values):
        credits = float(str(facts.credits[m]) != "")
        line = float(facts.credit_line[m])
        adjustment = (
            p.scraped_bonus * float(facts.scraped[m])
            - p.credits_penalty * credits * line
            - p.cites_penalty * credits * (1 - line)
            - p.summary_cue_penalty * float(facts.summary_cue[m])
        )
        out[m] = float(v + adjustment - (p.excerpt_penalty if m in excerpt else 0.0))
    return out


def _excerpt_members(pairs, n_words: dict, p: LineageParams) -> set[str]:
    """Members that are a verbatim part of a longer member (most of their word 5-grams in it): they were cut from
    that text, not the other way round (``excerpt_penalty``)."""
    out = set()
    for r in pairs:
        for a, b, contained in ((r.doc_a, r.doc_b, r.containment_a), (r.doc_b, r.doc_a, r.containment_b)):
            if contained >= p.excerpt_containment and n_words.get(a, 0) < n_words.get(b, 0):
                out.add(a)
    return out
