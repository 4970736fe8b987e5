"""What each derivative kept, dropped and added against its parent, passage by passage and sentence by sentence.

Added content: sentences of a derivative with no support in its parent, with the new names and numbers they bring
(those no earlier family member mentions); dropped content: the parent's sentences the derivative left out;
coverage: each member's sentences copied / paraphrased / novel with respect to the rest of its family; aligned
passages (:func:`helpers.neardup.align.align`) and sentence matches between each derivative and its parent.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from ..align import ALIGN_COLUMNS, align
from ..semantic import COPY_OVERLAP, MATCH_COLUMNS, copy_overlap
from .context import FamilyContext
from .documents import specific_phrases
from .origins import EXTERNAL
from .params import FamilyParams

log = logging.getLogger(__name__)

__all__ = ["added_dropped", "coverage_table", "passages", "sentence_links"]

ADDED_COLUMNS = [
    "doc_id",
    "parent",
    "family_id",
    "sent_id",
    "start",
    "end",
    "sentence",
    "best_support",
    "new_specifics",
]
DROPPED_COLUMNS = ["doc_id", "parent", "family_id", "parent_sent_id", "start", "end", "sentence", "best_support"]
COVERAGE_COLUMNS = ["doc_id", "family_id", "n_sentences", "copied", "paraphrased", "novel"]
PASSAGE_COLUMNS = ["doc_id", "parent", "kind", "a_start", "a_end", "b_start", "b_end", "score", "a_text", "b_text"]
LINK_COLUMNS = ["doc_id", "parent", *MATCH_COLUMNS]


def _sentences(ctx: FamilyContext, doc_id: str):
    """``(sent_id, start, end, text)`` of each sentence of a family member."""
    m = ctx.matcher
    r = m.rows(doc_id)
    return zip(m.sent_ids[r], m.starts[r], m.ends[r], m.texts[r])


def _is_external(parent: str) -> bool:
    return parent.startswith(EXTERNAL)


def _added_rows(ctx: FamilyContext, r, known_ids: list[str], known_spec: set, parent_support=None) -> list[tuple]:
    """Sentences of member ``r.doc_id`` that no member in ``known_ids`` supports (``parent_support``: their best
    support in the parent, computed already), with the names and numbers none of ``known_spec`` has."""
    m = ctx.matcher
    best = parent_support if parent_support is not None else np.zeros(len(m.rows(r.doc_id)), dtype=np.float32)
    for o in known_ids if parent_support is None else ():
        best = np.maximum(best, m.support(r.doc_id, o)[0])
    rows = []
    per_sentence = ctx.sentence_specifics(r.doc_id)
    for (sid, st, en, text), sc, sentence_spec in zip(_sentences(ctx, r.doc_id), best, per_sentence):
        if sc < m.threshold:
            new = specific_phrases(text, set(sentence_spec), {s for s in sentence_spec if s not in known_spec})
            rows.append((r.doc_id, r.parent, r.family_id, int(sid), int(st), int(en), text, float(sc), ", ".join(new)))
    return rows


def added_dropped(ctx: FamilyContext, lin: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Added (sentences of each derivative with no support in its parent) and dropped (sentences of the member it is
    compared with that it does not carry) content. Added rows carry ``new_specifics``: names and numbers that
    appear in neither the parent nor any more original family member, as the sentence writes them
    (:func:`~.documents.specific_phrases`). When the parent is an external original (not in the corpus), a
    sentence is added only if no other family member supports it, and its new specifics are those no other member
    mentions: what the others share most likely came from the original."""
    matcher, spec = ctx.matcher, ctx.spec
    add_rows, drop_rows = [], []
    earlier: dict = {}
    members = lin.groupby("family_id")["doc_id"].agg(list).to_dict()
    for r in lin.sort_values(["family_id", "origin_rank"], kind="stable").itertuples(index=False):
        seen = earlier.setdefault(r.family_id, set())
        mine = spec.get(r.doc_id, set())
        if r.origin_rank == 0 or r.doc_id not in spec:
            seen |= mine
            continue
        if _is_external(r.parent):
            others = [o for o in members[r.family_id] if o != r.doc_id and o in spec]
            known = set().union(*(spec[o] for o in others)) if others else set()
            add_rows += _added_rows(ctx, r, others, known)
        elif r.parent in spec:
            best_a, best_b = matcher.support(r.doc_id, r.parent)
            add_rows += _added_rows(ctx, r, [r.parent], spec[r.parent] | seen, best_a)
        seen |= mine
        ref = r.compared_with
        if ref and ref in spec:
            best_b = matcher.support(r.doc_id, ref)[1]
            for (sid, st, en, text), sc in zip(_sentences(ctx, ref), best_b):
                if sc < matcher.threshold:
                    drop_rows.append((r.doc_id, ref, r.family_id, int(sid), int(st), int(en), text, float(sc)))
    return pd.DataFrame(add_rows, columns=ADDED_COLUMNS), pd.DataFrame(drop_rows, columns=DROPPED_COLUMNS)


def _nearest_members(pairs: pd.DataFrame | None, max_partners: int) -> dict:
    """Each document's ``max_partners`` most similar family members, from the pairs table."""
    if pairs is None or not len(pairs):
        return {}
    both = pd.concat(
        [
            pairs[["doc_a", "doc_b", "story_sim"]],
            pairs[["doc_b", "doc_a", "story_sim"]].set_axis(["doc_a", "doc_b", "story_sim"], axis=1),
        ]
    )
    both = both.sort_values(["doc_a", "story_sim"], ascending=[True, False], kind="stable")
    return {k: list(g["doc_b"])[:max_partners] for k, g in both.groupby("doc_a", sort=False)}


def _member_coverage(ctx: FamilyContext, m: str, partners: list[str]) -> tuple[int, float, float, float]:
    """``(sentences, copied, paraphrased, novel)`` of member ``m``: each sentence's best support among
    ``partners``, copied when it also shares most word bigrams with that best partner sentence."""
    matcher = ctx.matcher
    ra = matcher.rows(m)
    if len(ra) == 0:
        return 0, 0.0, 0.0, 0.0
    best = np.zeros(len(ra), dtype=np.float32)
    partner = [""] * len(ra)
    for o in partners:
        if o == m:
            continue
        sim = matcher.similarity(m, o)
        if sim.shape[1] == 0:
            continue
        j = sim.argmax(axis=1)
        s = sim[np.arange(len(j)), j]
        texts = matcher.texts[matcher.rows(o)[j]]
        for i in np.flatnonzero(s > best):
            partner[i] = texts[i]
        best = np.maximum(best, s)
    own = matcher.texts[ra]
    sup = best >= matcher.threshold
    copied = np.array([bool(ok) and copy_overlap(a, b) >= COPY_OVERLAP for a, b, ok in zip(own, partner, sup)])
    n = len(ra)
    return n, copied.sum() / n, (sup & ~copied).sum() / n, (~sup).sum() / n


def coverage_table(
    ctx: FamilyContext, fam: pd.DataFrame, pairs: pd.DataFrame | None = None, params: FamilyParams | None = None
) -> pd.DataFrame:
    """Per document in a family of two or more: share of its sentences copied / paraphrased from / novel with
    respect to the rest of its family (best support over the other members; in a family bigger than
    ``max_coverage_partners + 1``, over its ``max_coverage_partners`` most similar members, from ``pairs``)."""
    k = (params or FamilyParams()).max_coverage_partners
    near = _nearest_members(pairs, k)
    rows = []
    for fid, members in fam.groupby("family_id", sort=True)["doc_id"]:
        ids = list(members)
        if len(ids) < 2:
            continue
        for m in ids:
            partners = ids if len(ids) <= k + 1 else near.get(m, [])
            rows.append((m, fid, *_member_coverage(ctx, m, partners)))
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def passages(d: pd.DataFrame, lin: pd.DataFrame, params: FamilyParams | None = None) -> pd.DataFrame:
    """Aligned passages between each derivative and the member it is compared with (its parent, or with an external
    original the family's most original member; :func:`helpers.neardup.align.align`; at most ``max_passage_pairs``
    pairs): ``doc_id, parent, kind, a_start, a_end, b_start, b_end, score, a_text, b_text`` (a = the derivative,
    ``parent`` = the member compared with). A pair whose alignment fails is logged and left out."""
    max_pairs = (params or FamilyParams()).max_passage_pairs
    text = dict(zip(d["doc_id"], d["text"]))
    rows = []
    derivatives = lin[[bool(p) and p in text for p in lin["compared_with"]]]
    for r in derivatives.head(max_pairs).itertuples(index=False):
        ta, tb = text[r.doc_id], text[r.compared_with]
        try:
            al = align(ta, tb)
        except Exception:  # alignment is evidence only: one failing pair must not stop the trace
            log.exception("passage alignment of %s against %s failed; no passages", r.doc_id, r.compared_with)
            al = pd.DataFrame(columns=ALIGN_COLUMNS)
        for x in al.itertuples(index=False):
            span_a, span_b = (int(x.a_start), int(x.a_end)), (int(x.b_start), int(x.b_end))
            rows.append(
                (
                    r.doc_id,
                    r.compared_with,
                    "passage",
                    *span_a,
                    *span_b,
                    float(x.score),
                    ta[slice(*span_a)],
                    tb[slice(*span_b)],
                )
            )
    return pd.DataFrame(rows, columns=PASSAGE_COLUMNS)


def sentence_links(ctx: FamilyContext, lin: pd.DataFrame) -> pd.DataFrame:
    """Sentence matches (copied / paraphrase) between each derivative and the member it is compared with (column
    ``parent``: its parent, or with an external original the family's most original member), offsets into
    ``text``."""
    parts = []
    for r in lin.itertuples(index=False):
        if not r.compared_with or r.compared_with not in ctx.spec:
            continue
        m = ctx.matcher.match_columns(r.doc_id, r.compared_with)
        if m is not None:
            n = len(m["kind"])
            parts.append(
                {"doc_id": np.full(n, r.doc_id, dtype=object), "parent": np.full(n, r.compared_with, dtype=object), **m}
            )
    if not parts:
        return pd.DataFrame(columns=LINK_COLUMNS)
    return pd.DataFrame({c: np.concatenate([p[c] for p in parts]) for c in LINK_COLUMNS})
