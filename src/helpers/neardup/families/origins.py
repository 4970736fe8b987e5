"""Lineage: the origin of each family and each member's parent.

The origin of a family is its earliest published member; undated, its most original member by
:func:`~.originality.originality` (the learned origin model plus credit-line, summary-cue and scraped-copy cues;
on a tie, as when texts are too short for any feature, the member closest to all the others: several versions of
one text are each closer to it than to each other).
Every other member derives from the origin, unless it carries a more original sibling's additions
(:mod:`.derivation`); so several rewrites of one original point to it, not to each other. A family whose most
original member is a scraped copy (paywall/scraper furniture), or whose members credit a source that is not in the
corpus, derives from that external original: its members' parent is ``external: <source>``, and each is compared
with the family's most original member in the corpus (``compared_with``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .context import FamilyContext
from .derivation import SiblingTest
from .facts import DocumentFacts, document_facts
from .originality import family_originality, load_origin_model
from .pairs import pair_features, relation_evidence, shingle_sets
from .params import FamilyParams

__all__ = ["LINEAGE_COLUMNS", "EXTERNAL", "lineage", "family_members", "family_table"]

LINEAGE_COLUMNS = [
    "doc_id",
    "family_id",
    "parent",
    "relation",
    "is_origin",
    "origin_rank",
    "originality",
    "compared_with",
    "evidence",
]
EXTERNAL = "external: "


def _is_external(credit: str, facts: DocumentFacts, members: list[str]) -> bool:
    """True when ``credit`` names no member's source or site."""
    if not credit:
        return False
    key = re.sub(r"^(https?://)?(www\.)?", "", credit.lower()).split("/")[0]
    key = key.split(".")[0] if "." in key else key
    srcs = ((facts.source[m], facts.url[m]) for m in members)
    return not any(key and (key in s.lower().replace(" ", "") or key in u.lower()) for s, u in srcs)


def _centrality(ids: list[str], pairs: list) -> dict[str, float]:
    """Each member's mean story similarity to the other members."""
    total = dict.fromkeys(ids, 0.0)
    for r in pairs:
        if r.doc_a in total and r.doc_b in total:
            total[r.doc_a] += r.story_sim
            total[r.doc_b] += r.story_sim
    return {m: v / max(len(ids) - 1, 1) for m, v in total.items()}


def _most_original_first(ids: list[str], facts: DocumentFacts, orig: dict, central: dict | None = None) -> list[str]:
    """Members from most to least original: dated ones by date (ties by originality), then undated ones by
    originality (ties by centrality, then id)."""
    last = np.iinfo(np.int64).max
    central = central or {}

    def key(m: str) -> tuple:
        published = facts.published[m]
        dated = pd.notna(published)
        return (not dated, published.value if dated else last, -orig[m], -central.get(m, 0.0), m)

    return sorted(ids, key=key)


def _external_origin(order: list[str], facts: DocumentFacts) -> str:
    """The outside source a family points to: the first credit line naming no member, else the source of a scraped
    most original member; "" when the origin is in the corpus. (A passing "according to <outlet>" cites a source
    without making it the original: news articles cite agencies.)"""
    credits = [facts.credits[m] for m in order if facts.credits[m] and facts.credit_line[m]]
    external = next((cr for cr in credits if _is_external(cr, facts, order)), "")
    if not external and facts.scraped[order[0]]:
        external = facts.source[order[0]] or "unknown original"
    return external


def _row(doc_id, family_id, parent, relation, rank, orig, compared_with, evidence) -> dict:
    return dict(
        doc_id=doc_id,
        family_id=family_id,
        parent=parent,
        relation=relation,
        is_origin=rank == 0,
        origin_rank=rank,
        originality=round(float(orig), 4),
        compared_with=compared_with,
        evidence=evidence,
    )


def _why_origin(m: str, facts: DocumentFacts, orig: dict, external: str) -> str:
    if external:
        return f"most original member in the corpus (originality {orig[m]:.2f}); the original, {external}, is not"
    published = facts.published[m]
    if pd.notna(published):
        return f"earliest published ({published:%Y-%m-%d})"
    return f"most original member (originality {orig[m]:.2f}, next {max(v for k, v in orig.items() if k != m):.2f})"


def _pair_index(pairs: list) -> dict:
    return {(r.doc_a, r.doc_b): r for r in pairs}


def _pair(pidx: dict, a: str, b: str):
    return pidx.get((a, b)) or pidx.get((b, a))


def _closest(m: str, earlier: list[str], pidx: dict, k: int) -> list[str]:
    """The ``k`` more original members closest to ``m`` (story similarity + coverage + containment of ``m``)."""

    def closeness(q: str) -> float:
        r = _pair(pidx, m, q)
        if r is None:
            return -1.0
        flip = r.doc_a != m
        return r.story_sim + (r.coverage_b if flip else r.coverage_a) + (r.containment_b if flip else r.containment_a)

    return sorted(earlier, key=lambda q: (-closeness(q), earlier.index(q)))[:k]


def _family_rows(fid, ids: list[str], ctx: FamilyContext, pairs: list, facts: DocumentFacts, p: FamilyParams, model):
    """The lineage rows of one family of two or more members (``pairs``: its rows of the pairs table)."""
    pidx = _pair_index(pairs)
    orig = family_originality(ids, pairs, facts, p.lineage, model)
    order = _most_original_first(ids, facts, orig, _centrality(ids, pairs))
    external = _external_origin(order, facts)
    top = order[0]
    root = "" if external else top
    test = SiblingTest(ctx, order, root, shingle_sets(ctx.texts, order, p.shingle_size), p.lineage)
    rows = []
    for rank, m in enumerate(order):
        if rank == 0 and not external:
            rows.append(_row(m, fid, "", "origin", 0, orig[m], "", _why_origin(m, facts, orig, external)))
            continue
        carried = test.sibling_parent(m, _closest(m, order[1:rank], pidx, p.lineage.parent_candidates))
        parent = carried.sibling if carried else (root or EXTERNAL + external)
        ref = carried.sibling if carried else (root or (top if m != top else ""))
        known = [o for o in order if o != m] if external and not carried else None
        feats = pair_features(ctx, _pair(pidx, m, ref) if ref else None, m, ref, facts, known)
        relation, evidence = relation_evidence(feats, p.relations)
        if rank == 0:
            evidence = _why_origin(m, facts, orig, external) + "; " + evidence
        elif carried:
            evidence = carried.evidence() + "; " + evidence
        elif external:
            evidence = f"derives from {external} (not in the corpus), compared with {top}; " + evidence
        rows.append(_row(m, fid, parent, relation, rank, orig[m], ref, evidence))
    return rows


def lineage(
    ctx: FamilyContext,
    fam: pd.DataFrame,
    pairs: pd.DataFrame,
    cues: pd.DataFrame,
    params: FamilyParams | None = None,
    model=None,
) -> pd.DataFrame:
    """Each document's parent with the relation label and evidence.

    Columns: ``doc_id, family_id, parent, relation, is_origin, origin_rank, originality, compared_with,
    evidence``. ``parent`` is ``""`` for the origin, ``"external: <source>"`` for members of a family whose
    original is not in the corpus (unless they derive from a sibling), else a member; ``compared_with`` is the
    member whose text the relation and added content are measured against (the parent, or the family's most
    original member when the parent is external); ``is_origin`` marks the most original member in the corpus
    (``origin_rank`` 0); ``originality`` is its score (higher: more original). ``model``: an origin model or its
    file (None: ``params.lineage.model``, else the shipped one).
    """
    p = params or FamilyParams()
    model = load_origin_model(model if model is not None else p.lineage.model)
    facts = document_facts(ctx.d.set_index("doc_id"), cues.set_index("doc_id"))
    by_family: dict = {}
    for r in pairs.itertuples(index=False):
        by_family.setdefault(r.family_id, []).append(r)
    rows = []
    for fid, members in fam.groupby("family_id", sort=True)["doc_id"]:
        ids = list(members)
        if len(ids) == 1:
            rows.append(_row(ids[0], fid, "", "", 0, 0.0, "", "no relative in the corpus"))
            continue
        rows.extend(_family_rows(fid, ids, ctx, by_family.get(fid, []), facts, p, model))
    return pd.DataFrame(rows, columns=LINEAGE_COLUMNS)


def family_members(fam: pd.DataFrame) -> list[str]:
    """The documents of families with two or more members (the ones lineage compares)."""
    size = fam.groupby("family_id")["doc_id"].transform("size")
    return fam.loc[size > 1, "doc_id"].tolist()


def family_table(fam: pd.DataFrame, lin: pd.DataFrame, cues: pd.DataFrame) -> pd.DataFrame:
    """``doc_id, family_id, role, machine_style``: ``role`` is ``single`` for a family of one, else the member's
    relation to its parent (``origin`` for the root); ``machine_style`` (0-1, NaN when not judged) is a style
    signal, not proof (:func:`helpers.style.machine_style`)."""
    size = fam.groupby("family_id")["doc_id"].transform("size")
    relation = lin.set_index("doc_id")["relation"]
    style = cues.set_index("doc_id")["machine_style"] if "machine_style" in cues else pd.Series(dtype=float)
    return fam[["doc_id", "family_id"]].assign(
        role=["single" if n == 1 else (relation[d] or "origin") for d, n in zip(fam["doc_id"], size)],
        machine_style=fam["doc_id"].map(style).astype(float).round(4).to_numpy(),
    )
