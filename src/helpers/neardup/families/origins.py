"""Lineage: the origin of each family and each member's parent.

The origin of a family is its earliest published document; undated, the one whose sentences and specifics best
support the others' (:class:`~.params.LineageParams`: scraped copies and quotes of named people count for it,
credit lines and summary cues against it). Each other member links to its most similar more-original relative,
with a relation label and evidence. A family whose most original member is a scraped copy (paywall/scraper
furniture) or whose members credit a source that is not in the corpus gets an external origin.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .pairs import classify_relation, relation_features
from .params import FamilyParams, LineageParams

__all__ = ["LINEAGE_COLUMNS", "lineage"]

LINEAGE_COLUMNS = ["doc_id", "family_id", "parent", "relation", "is_origin", "origin_rank", "evidence"]


def _originality(members: list[str], pairs: pd.DataFrame, cues: pd.DataFrame, p: LineageParams) -> pd.Series:
    """How much of the other members each member holds (its sentences, shingles and specifics cover theirs),
    averaged over them, plus the originality cues."""
    score = pd.Series(0.0, index=members)
    if len(members) < 2:
        return score
    for r in pairs.itertuples(index=False):
        if r.doc_a in score.index and r.doc_b in score.index:
            # coverage_b / specifics_b: how much of b's sentences and specifics a holds: a "contains" b
            score[r.doc_a] += r.coverage_b + r.containment_b + r.specifics_b
            score[r.doc_b] += r.coverage_a + r.containment_a + r.specifics_a
    score /= len(members) - 1
    c = cues.set_index("doc_id")
    for m in members:
        if c.at[m, "scraped"]:
            score[m] += p.scraped_bonus
        if c.at[m, "named_quotes"]:
            score[m] += p.named_quotes_bonus
        if c.at[m, "credits"]:
            score[m] -= p.credits_penalty
        if c.at[m, "summary_cue"]:
            score[m] -= p.summary_cue_penalty
    return score


def _is_external(credit: str, info: pd.DataFrame, members: list[str]) -> bool:
    """True when ``credit`` names no member's source or site."""
    if not credit:
        return False
    key = re.sub(r"^(https?://)?(www\.)?", "", credit.lower()).split("/")[0]
    key = key.split(".")[0] if "." in key else key
    srcs = info.loc[members, ["source", "url"]]
    return not any(key and (key in s.lower().replace(" ", "") or key in u.lower()) for s, u in srcs.itertuples(False))


def _most_original_first(ids: list[str], info: pd.DataFrame, orig: pd.Series) -> list[str]:
    """Members from most to least original: dated ones by date (ties by originality), then undated ones by
    originality."""
    pub = info.loc[ids, "published"]
    dated = pub.notna().to_numpy()
    pub_ns = np.where(dated, pub.to_numpy(dtype="datetime64[ns]").astype("int64"), np.iinfo(np.int64).max)
    key = pd.DataFrame({"undated": ~dated, "pub": pub_ns, "orig": -orig.reindex(ids).to_numpy()}, index=ids)
    return key.sort_values(["undated", "pub", "orig"], kind="stable").index.tolist()


def _external_origin(order: list[str], info: pd.DataFrame, c: pd.DataFrame) -> str:
    """The outside source a family points to: the first credit naming no member, else the source of a scraped
    most original member; "" when the origin is in the corpus."""
    credits = [c.at[m, "credits"] for m in order if c.at[m, "credits"]]
    external = next((cr for cr in credits if _is_external(cr, info, order)), "")
    if not external and c.at[order[0], "scraped"]:
        external = info.at[order[0], "source"] or "unknown original"
    return external


def _row(doc_id, family_id, parent, relation, rank, evidence) -> dict:
    return dict(
        doc_id=doc_id,
        family_id=family_id,
        parent=parent,
        relation=relation,
        is_origin=rank == 0,
        origin_rank=rank,
        evidence=evidence,
    )


def _origin_row(m: str, fid, external: str, orig: float, info: pd.DataFrame, c: pd.DataFrame, p: FamilyParams):
    """The row of a family's most original member."""
    if not external:
        published = info.at[m, "published"]
        why = (
            f"earliest published ({published:%Y-%m-%d})"
            if pd.notna(published)
            else f"its content best supports the others' (originality {orig:.2f})"
        )
        return _row(m, fid, "", "origin", 0, why)
    if c.at[m, "scraped"]:
        rel = "excerpt"
        why = "most original member; scraped copy (paywall/scraper furniture) of an original not in the corpus"
    else:  # against an unseen original: only the cues of the text speak
        cues_only = dict(jaccard=0, containment_a=0, containment_b=0, len_a=1, len_b=1, cover_a=0, b_quotes=1)
        cues_only.update(
            a_credits=c.at[m, "credits"], a_summary_cue=c.at[m, "summary_cue"], a_quotes=c.at[m, "named_quotes"]
        )
        rel = classify_relation(cues_only, p.relations)
        why = f"most original member; the family credits {external}, which is not in the corpus"
    return _row(m, fid, f"external: {external}", rel, 0, why)


def _closest_earlier(m: str, earlier: list[str], pidx: dict):
    """The more-original relative ``m`` is closest to (story similarity + coverage + containment of ``m``), and
    their pair row; the most original member when ``m`` has no pair with any."""
    best, best_r, best_s = None, None, -1.0
    for q in earlier:
        r = pidx.get((m, q)) or pidx.get((q, m))
        if r is None:
            continue
        flip = r.doc_a != m
        s = r.story_sim + (r.coverage_b if flip else r.coverage_a) + (r.containment_b if flip else r.containment_a)
        if s > best_s:
            best, best_r, best_s = q, r, s
    if best is None:
        best = earlier[0]
        best_r = pidx.get((m, best)) or pidx.get((best, m))
    return best, best_r


def _derivative_row(m: str, parent: str, r, fid, rank: int, info: pd.DataFrame, c: pd.DataFrame, p: FamilyParams):
    """The row of a member that derives from ``parent`` (their pair row ``r``, or None)."""
    feats = relation_features(r, m, parent, info, c)
    ev = [
        f"story similarity {r.story_sim:.2f}" if r is not None else "",
        f"{feats['cover_a']:.0%} of its sentences supported by the parent",
        f"shingle containment {feats['containment_a']:.2f}, Jaccard {feats['jaccard']:.2f}",
        f"{feats['len_a']} vs {feats['len_b']} content words",
    ]
    if r is not None and r.shared_specifics:
        ev.append(f"shared specifics: {r.shared_specifics}")
    if feats["a_credits"]:
        ev.append(f"credits {feats['a_credits']}")
    if pd.notna(info.at[m, "published"]) and pd.notna(info.at[parent, "published"]):
        ev.append(f"published {(info.at[m, 'published'] - info.at[parent, 'published']).days} days after")
    relation = classify_relation(feats, p.relations)
    return _row(m, fid, parent, relation, rank, "; ".join(e for e in ev if e))


def lineage(
    d: pd.DataFrame, fam: pd.DataFrame, pairs: pd.DataFrame, cues: pd.DataFrame, params: FamilyParams | None = None
) -> pd.DataFrame:
    """Each document's parent (its closest more-original relative) with the relation label and evidence.

    Columns: ``doc_id, family_id, parent, relation, is_origin, origin_rank, evidence``. The family root has
    ``parent`` = ``"external: <source>"`` when the family's text points to an original that is not in the
    corpus, else ``""``.
    """
    p = params or FamilyParams()
    c = cues.set_index("doc_id")
    info = d.set_index("doc_id")
    pidx = {(r.doc_a, r.doc_b): r for r in pairs.itertuples(index=False)}
    rows = []
    for fid, members in fam.groupby("family_id", sort=True)["doc_id"]:
        ids = list(members)
        if len(ids) == 1:
            rows.append(_row(ids[0], fid, "", "", 0, "no relative in the corpus"))
            continue
        orig = _originality(ids, pairs[pairs["family_id"] == fid], cues, p.lineage)
        order = _most_original_first(ids, info, orig)
        rows.append(_origin_row(order[0], fid, _external_origin(order, info, c), orig[order[0]], info, c, p))
        for rank in range(1, len(order)):
            m = order[rank]
            parent, r = _closest_earlier(m, order[:rank], pidx)
            rows.append(_derivative_row(m, parent, r, fid, rank, info, c, p))
    return pd.DataFrame(rows, columns=LINEAGE_COLUMNS)
