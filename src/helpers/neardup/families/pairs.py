"""Linked pairs inside each family, their scores, and the relation of a derivative to its relative.

Relations (:func:`classify_relation`, cut-offs in :class:`~.params.RelationParams`): ``duplicate`` (same text
under ``comparison_key`` or Jaccard >= 0.9), ``near-verbatim copy`` (Jaccard >= 0.5), ``excerpt`` (containment
of either text >= 0.5, or a scraped, paywall-truncated copy of an external original), ``summary`` (<= 60 % of the
relative's length with at least a quarter of its sentences supported, or a short text crediting its source or
with a summary cue), ``same story`` (both quote named people the other does not carry: independent reporting),
``rewrite`` (the rest). Labels are heuristics: the pair scores are the evidence.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...text import comparison_key
from ..lexical import shingle_hashes
from .context import FamilyContext
from .params import FamilyParams, RelationParams
from .similarity import StorySimilarity

__all__ = ["PAIR_TABLE_COLUMNS", "pair_table", "relation_features", "classify_relation", "label_pairs"]

PAIR_TABLE_COLUMNS = [
    "doc_a",
    "doc_b",
    "family_id",
    "story_sim",
    "scaled_sim",
    "word_cos",
    "specifics_cos",
    "jaccard",
    "containment_a",
    "containment_b",
    "coverage_a",
    "coverage_b",
    "specifics_a",
    "specifics_b",
    "shared_specifics",
]
_SHARED_SPECIFICS_SHOWN = 12  # names and numbers listed in shared_specifics
_DECIMALS = 4


def _shingle_sets(d: pd.DataFrame, ids: list, k: int) -> dict[str, set]:
    """Each document's set of word ``k``-shingle hashes."""
    sub = d.set_index("doc_id").loc[ids, "text"].tolist()
    sh, sd = shingle_hashes(sub, k)
    out = {i: set() for i in ids}
    if len(sh):
        bounds = np.searchsorted(sd, np.arange(len(ids) + 1))
        for j, i in enumerate(ids):
            out[i] = set(sh[bounds[j] : bounds[j + 1]].tolist())
    return out


def _lexical_scores(sa: set, sb: set) -> tuple[float, float, float]:
    """Jaccard and the containment of each set in the other."""
    if not sa or not sb:
        return 0.0, 0.0, 0.0
    inter = len(sa & sb)
    return inter / len(sa | sb), inter / len(sa), inter / len(sb)


def _family_pairs(ids: list, sim: StorySimilarity, pos: dict, max_pairs: int) -> list[tuple]:
    """Every pair of a family, or its k-NN edges when it has more than ``max_pairs`` pairs."""
    if len(ids) * (len(ids) - 1) // 2 <= max_pairs:
        return [(ids[i], ids[j]) for i in range(len(ids)) for j in range(i + 1, len(ids))]
    sub = sim.raw[[pos[x] for x in ids]][:, [pos[x] for x in ids]].tocoo()
    return sorted({(ids[min(a, b)], ids[max(a, b)]) for a, b in zip(sub.row, sub.col) if a != b})


def pair_table(
    fam: pd.DataFrame, sim: StorySimilarity, ctx: FamilyContext, params: FamilyParams | None = None
) -> pd.DataFrame:
    """All pairs inside each family (a family over ``max_family_pairs`` pairs keeps its k-NN edges) with scores:
    ``doc_a, doc_b, family_id, story_sim, scaled_sim, word_cos, specifics_cos, jaccard, containment_a,
    containment_b, coverage_a, coverage_b, specifics_a, specifics_b, shared_specifics`` (``coverage_a``: share
    of a's sentences supported by b; ``specifics_a``: share of a's names and numbers found in b)."""
    p = params or FamilyParams()
    pos = {x: i for i, x in enumerate(sim.doc_ids)}
    matcher, spec = ctx.matcher, ctx.spec
    rows = []
    for fid, members in fam.groupby("family_id", sort=True)["doc_id"]:
        ids = list(members)
        if len(ids) < 2:
            continue
        sh = _shingle_sets(ctx.d, ids, p.shingle_size)
        for a, b in _family_pairs(ids, sim, pos, p.max_family_pairs):
            ia, ib = pos[a], pos[b]
            cov_a, cov_b = matcher.coverage(a, b)
            sa_, sb_ = spec.get(a, set()), spec.get(b, set())
            shared = len(sa_ & sb_)
            rows.append(
                (
                    a,
                    b,
                    fid,
                    float(sim.raw[ia, ib]),
                    float(sim.scaled[ia, ib]),
                    float(sim.words[ia, ib]),
                    float(sim.specifics[ia, ib]),
                    *_lexical_scores(sh[a], sh[b]),
                    cov_a,
                    cov_b,
                    shared / len(sa_) if sa_ else 0.0,
                    shared / len(sb_) if sb_ else 0.0,
                    ", ".join(
                        sorted(spec[a] & spec[b], key=lambda s: (s.startswith("#"), s))[:_SHARED_SPECIFICS_SHOWN]
                    ),
                )
            )
    out = pd.DataFrame(rows, columns=PAIR_TABLE_COLUMNS)
    num = [c for c in out.select_dtypes("number").columns if c != "family_id"]
    out[num] = out[num].round(_DECIMALS)
    return out


def relation_features(pair, a: str, b: str, info: pd.DataFrame, cues: pd.DataFrame) -> dict:
    """The features :func:`classify_relation` reads, of derivative ``a`` against relative ``b``: from their row
    of the pairs table (``pair``, either orientation; None: no pair, zero scores), the prepared documents
    (``info``, indexed by ``doc_id``) and the cues (indexed by ``doc_id``)."""
    flip = pair is not None and pair.doc_a != a

    def oriented(mine: str, theirs: str) -> float:
        return 0.0 if pair is None else getattr(pair, theirs if flip else mine)

    return {
        "same_text": comparison_key(info.at[a, "text"]) == comparison_key(info.at[b, "text"]),
        "jaccard": pair.jaccard if pair is not None else 0.0,
        "containment_a": oriented("containment_a", "containment_b"),
        "containment_b": oriented("containment_b", "containment_a"),
        "len_a": int(info.at[a, "n_words"]),
        "len_b": int(info.at[b, "n_words"]),
        "cover_a": oriented("coverage_a", "coverage_b"),
        "a_scraped": bool(cues.at[a, "scraped"]),
        "a_credits": cues.at[a, "credits"],
        "a_summary_cue": bool(cues.at[a, "summary_cue"]),
        "a_quotes": int(cues.at[a, "named_quotes"]),
        "b_quotes": int(cues.at[b, "named_quotes"]),
    }


def classify_relation(f: dict, params: RelationParams | None = None) -> str:
    """Relation of a derivative ``a`` to a relative ``b`` from pair features (see the module docstring).

    ``f`` keys: same_text, jaccard, containment_a, containment_b, len_a, len_b, cover_a (share of a's sentences
    supported by b), a_credits, a_summary_cue, a_quotes, b_quotes (:func:`relation_features`).
    """
    r = params or RelationParams()
    if f.get("same_text") or f["jaccard"] >= r.duplicate_jaccard:
        return "duplicate"
    if f["jaccard"] >= r.copy_jaccard:
        return "near-verbatim copy"
    if max(f["containment_a"], f["containment_b"]) >= r.excerpt_containment:
        return "excerpt"
    la, lb = max(f["len_a"], 1), max(f["len_b"], 1)
    condensed = la <= r.summary_length_ratio * lb and f["cover_a"] >= r.summary_coverage
    credited = (
        (f.get("a_summary_cue") or f.get("a_credits"))
        and la <= r.credited_length_ratio * lb
        and la <= r.credited_max_words
        and not f.get("a_quotes")
    )
    if condensed or credited:
        return "summary"
    if f.get("a_quotes", 0) >= 1 and f.get("b_quotes", 0) >= 1 and f["cover_a"] < r.same_story_coverage:
        return "same story"
    return "rewrite"


def label_pairs(
    pairs: pd.DataFrame, origin_rank: dict, d: pd.DataFrame, cues: pd.DataFrame, params: RelationParams | None = None
) -> pd.DataFrame:
    """``pairs`` with ``relation`` (after ``family_id``) and ``derivative``: the less original member of each pair
    (higher ``origin_rank``; ties: ``doc_a``) is the derivative, labelled against the other."""
    info = d.set_index("doc_id")
    c = cues.set_index("doc_id")
    derivative, relation = [], []
    for r in pairs.itertuples(index=False):
        a, b = (r.doc_a, r.doc_b) if origin_rank.get(r.doc_a, 0) >= origin_rank.get(r.doc_b, 0) else (r.doc_b, r.doc_a)
        derivative.append(a)
        relation.append(classify_relation(relation_features(r, a, b, info, c), params))
    out = pairs.copy()
    out.insert(3, "relation", pd.Series(relation, dtype=object, index=out.index))
    out["derivative"] = derivative
    return out
