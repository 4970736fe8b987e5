"""Linked pairs inside each family, their scores, and the relation of a derivative to its relative.

Relations (:func:`classify_relation`, first rule that holds; cut-offs in :class:`~.params.RelationParams`):

- ``copy``: the same text (under ``comparison_key``) or word 5-gram Jaccard >= 0.9;
- ``excerpt``: nearly all its 5-grams are the relative's and it is clearly shorter (or a scraped,
  paywall-truncated copy of an external original);
- ``near-verbatim copy``: Jaccard >= 0.5;
- ``summary``: at most half the relative's length, its sentences drawn from the relative (or short, crediting its
  source or with a summary cue);
- ``near-verbatim copy`` also: words shuffled, swapped or dropped (of comparable length, nearly all its words and
  many of its word pairs found in the relative);
- ``same story``: independent reporting: little of its content and few of its names and numbers come from the
  relative, and it does not read machine-written (a generated text that tells the story in its own words is a
  rewrite, not reporting);
- ``expanded rewrite``: keeps the relative's content and adds material: several sentences bringing names and
  numbers that the relative (when the original is outside the corpus: the rest of the family) never mentions;
- ``paraphrase``: sentence by sentence: nearly every sentence supported both ways, in the same order, at similar
  length;
- ``rewrite``: the rest (reworded and reorganised).

Labels are heuristics: ``relation_evidence`` gives the scores that decided each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd

from ...failures import record
from ...text import comparison_key, simple_words
from ..lexical import shingle_hashes
from ..semantic import COPY_OVERLAP, copy_overlap
from .context import FamilyContext
from .documents import specific_phrases
from .facts import DocumentFacts, document_facts
from .params import FamilyParams, RelationParams
from .similarity import StorySimilarity

__all__ = [
    "PAIR_TABLE_COLUMNS",
    "pair_table",
    "shingle_sets",
    "relation_features",
    "pair_features",
    "classify_relation",
    "relation_evidence",
    "label_pairs",
]

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


def shingle_sets(d: pd.DataFrame | Mapping, ids: list, k: int) -> dict[str, set]:
    """Each document's set of word ``k``-shingle hashes (``d``: the documents table, or texts by ``doc_id``)."""
    sub = [d[i] for i in ids] if isinstance(d, Mapping) else d.set_index("doc_id").loc[ids, "text"].tolist()
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
    fam: pd.DataFrame,
    sim: StorySimilarity,
    ctx: FamilyContext,
    params: FamilyParams | None = None,
    failures: list | None = None,
) -> pd.DataFrame:
    """All pairs inside each family (a family over ``max_family_pairs`` pairs keeps its k-NN edges) with scores:
    ``doc_a, doc_b, family_id, story_sim, scaled_sim, word_cos, specifics_cos, jaccard, containment_a,
    containment_b, coverage_a, coverage_b, specifics_a, specifics_b, shared_specifics`` (``coverage_a``: share
    of a's sentences supported by b; ``specifics_a``: share of a's names and numbers found in b). A pair whose
    sentence coverage cannot be computed keeps NaN coverage and is listed in ``failures`` (step ``pair scores``)."""
    p = params or FamilyParams()
    pos = {x: i for i, x in enumerate(sim.doc_ids)}
    matcher, spec = ctx.matcher, ctx.spec
    rows, at = [], []
    for fid, members in fam.groupby("family_id", sort=True)["doc_id"]:
        ids = list(members)
        if len(ids) < 2:
            continue
        sh = shingle_sets(ctx.texts, ids, p.shingle_size)
        for a, b in _family_pairs(ids, sim, pos, p.max_family_pairs):
            at.append((pos[a], pos[b]))
            try:
                cov_a, cov_b = matcher.coverage(a, b)
            except Exception as exc:  # logged and listed; the pair stays, its coverage unknown
                record(failures if failures is not None else [], "pair scores", f"{a} / {b}", exc)
                cov_a = cov_b = float("nan")
            sa_, sb_ = spec.get(a, set()), spec.get(b, set())
            shared = len(sa_ & sb_)
            rows.append(
                (
                    a,
                    b,
                    fid,
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
    # the four story similarities of all pairs in one lookup each (a sparse matrix read element by element is slow)
    ia, ib = (np.array(x, dtype=np.int64) for x in zip(*at)) if at else ((), ())
    story = (sim.raw, sim.scaled, sim.words, sim.specifics)
    scores = [np.asarray(m[ia, ib], dtype=float).ravel().tolist() if at else [] for m in story]
    rows = [(*r[:3], *values, *r[3:]) for r, *values in zip(rows, *scores)]
    out = pd.DataFrame(rows, columns=PAIR_TABLE_COLUMNS)
    num = [c for c in out.select_dtypes("number").columns if c != "family_id"]
    out[num] = out[num].round(_DECIMALS)
    return out


def _order(sim: np.ndarray, thr: float) -> float:
    """Kendall's tau between the positions of a's supported sentences and of their best matches in b (NaN under
    three supported sentences): 1 = the same order."""
    if sim.shape[1] == 0:
        return float("nan")
    best, j = sim.max(axis=1), sim.argmax(axis=1)
    pos_b = j[best >= thr]
    n = len(pos_b)
    if n < 3:
        return float("nan")
    i, k = np.triu_indices(n, 1)
    sign = np.sign(pos_b[k] - pos_b[i])
    return float(sign.sum() / len(sign))


@lru_cache(maxsize=4096)
def _word_profile(text: str) -> tuple[int, Counter, set]:
    """Running words, the count of each word and the distinct word pairs of a text (a document is compared in
    several pairs, family by family: recent ones are kept)."""
    w = simple_words(text)
    return len(w), Counter(w), set(zip(w, w[1:]))


@lru_cache(maxsize=4096)
def _comparison_key(text: str) -> str:
    return comparison_key(text)


def _word_shares(a: str, b: str) -> tuple[float, float]:
    """Share of a's words (running words) and of its distinct word pairs found in b."""
    (n_a, counts_a, pairs_a), (_, counts_b, pairs_b) = _word_profile(a), _word_profile(b)
    if not n_a:
        return 0.0, 0.0
    words = sum(c for w, c in counts_a.items() if w in counts_b) / n_a
    return words, (len(pairs_a & pairs_b) / len(pairs_a) if pairs_a else 0.0)


def _additions(ctx: FamilyContext, a: str, best_known: np.ndarray, known_spec: set) -> tuple[int, list[str]]:
    """Sentences of ``a`` that nothing known supports and that bring names or numbers nothing known has, and
    those names and numbers as the sentences write them, in order."""
    new_spec: dict[str, None] = {}
    new_sentences = 0
    texts = ctx.matcher.texts[ctx.matcher.rows(a)]
    for sentence_spec, sup, text in zip(ctx.sentence_specifics(a), best_known, texts):
        fresh = {s for s in sentence_spec if s not in known_spec}
        if sup < ctx.matcher.threshold and fresh:
            new_sentences += 1
            new_spec.update(dict.fromkeys(specific_phrases(text, set(sentence_spec), fresh)))
    return new_sentences, list(new_spec)


def _copied_share(ctx: FamilyContext, a: str, b: str, sim: np.ndarray) -> float:
    """Share of a's sentences whose best match in b shares most of its word pairs (copied)."""
    m = ctx.matcher
    if not sim.shape[0] or not sim.shape[1]:
        return 0.0
    best, j = sim.max(axis=1), sim.argmax(axis=1)
    texts_a, texts_b = m.texts[m.rows(a)], m.texts[m.rows(b)]
    copied = sum(s >= m.threshold and copy_overlap(t, texts_b[k]) >= COPY_OVERLAP for t, s, k in zip(texts_a, best, j))
    return copied / len(texts_a)


def _cue_features(a: str, b: str, f: DocumentFacts) -> dict:
    line = bool(f.credit_line[a])
    style = f.machine_style[a]
    return {
        "a_scraped": bool(f.scraped[a]),
        "a_credits": f.credits[a] if line else "",
        "a_cites": "" if line else f.credits[a],
        "a_summary_cue": bool(f.summary_cue[a]),
        "a_quotes": int(f.named_quotes[a]),
        "a_machine_style": float(style) if style is not None else float("nan"),
        "b_quotes": int(f.named_quotes[b]) if b else 0,
    }


def relation_features(
    ctx: FamilyContext, pair, a: str, b: str, info: pd.DataFrame, cues: pd.DataFrame, novelty_against=None
) -> dict:
    """The features :func:`classify_relation` reads, of derivative ``a`` against relative ``b``: their row of the
    pairs table (``pair``, either orientation; None: no pair, zero scores), sentence matches and specifics from
    the trace context, the prepared documents (``info``) and the cues (both indexed by ``doc_id``).

    ``novelty_against``: the members whose content counts as known (default ``[b]``). With an external original
    it is the rest of the family: then what ``a`` adds, and how much of its sentences and specifics are
    supported (``cover_a``, ``specifics_a``), are measured against all of them. ``b`` may be "" (no relative in
    the corpus): only the cues and the additions are read then."""
    ids = [x for x in (a, b) if x]
    facts = document_facts(info.loc[ids], cues.loc[ids])
    return pair_features(ctx, pair, a, b, facts, novelty_against)


def pair_features(ctx: FamilyContext, pair, a: str, b: str, facts: DocumentFacts, novelty_against=None) -> dict:
    """:func:`relation_features` with the documents' facts looked up once for the corpus (``facts``)."""
    flip = pair is not None and pair.doc_a != a

    def oriented(mine: str, theirs: str) -> float:
        return 0.0 if pair is None else float(getattr(pair, theirs if flip else mine))

    m = ctx.matcher
    known = [x for x in (novelty_against if novelty_against is not None else [b]) if x and x != a]
    external = bool(b) and known != [b]
    n_sent = len(m.rows(a))
    sim = m.similarity(a, b) if b else np.zeros((n_sent, 0), dtype=np.float32)
    best_known = np.zeros(n_sent, dtype=np.float32)
    for x in known:
        best_known = np.maximum(best_known, sim.max(axis=1) if x == b and sim.shape[1] else m.support(a, x)[0])
    known_spec = set().union(*(ctx.spec.get(x, set()) for x in known))
    new_sentences, new_spec = _additions(ctx, a, best_known, known_spec)
    spec_a = ctx.spec.get(a, set())
    cover_a, specifics_a = oriented("coverage_a", "coverage_b"), oriented("specifics_a", "specifics_b")
    if external:
        cover_a = float((best_known >= m.threshold).mean()) if n_sent else 0.0
        specifics_a = len(spec_a & known_spec) / len(spec_a) if spec_a else 0.0
    text = facts.text
    words_a, bigrams_a = _word_shares(text[a], text[b]) if b else (0.0, 0.0)
    return {
        "same_text": bool(b) and _comparison_key(text[a]) == _comparison_key(text[b]),
        "jaccard": float(pair.jaccard) if pair is not None else 0.0,
        "containment_a": oriented("containment_a", "containment_b"),
        "containment_b": oriented("containment_b", "containment_a"),
        "words_a": words_a,
        "bigrams_a": bigrams_a,
        "len_a": int(facts.n_words[a]),
        "len_b": int(facts.n_words[b]) if b else 0,
        "cover_a": cover_a,
        "cover_b": oriented("coverage_b", "coverage_a"),
        "specifics_a": specifics_a,
        "order": _order(sim, m.threshold),
        "copied_a": _copied_share(ctx, a, b, sim) if b else 0.0,
        "sentences_a": n_sent,
        "new_sentences": new_sentences,
        "new_specifics": ", ".join(new_spec[:8]),
        "external": external,
        **_cue_features(a, b, facts),
    }


def classify_relation(f: dict, params: RelationParams | None = None) -> str:
    """Relation of a derivative ``a`` to a relative ``b`` from :func:`relation_features` (rules in the module
    docstring, cut-offs in :class:`~.params.RelationParams`)."""
    r = params or RelationParams()
    la, lb = max(f["len_a"], 1), max(f["len_b"], 1)
    ratio = la / lb
    if f.get("same_text") or f["jaccard"] >= r.duplicate_jaccard:
        return "copy"
    if f.get("a_scraped") and f["len_b"] == 0:
        return "excerpt"
    if f["containment_a"] >= r.excerpt_containment and ratio <= r.excerpt_length_ratio:
        return "excerpt"
    if f["jaccard"] >= r.copy_jaccard:
        return "near-verbatim copy"
    condensed = f["len_b"] and ratio <= r.summary_length_ratio and f["cover_a"] >= r.summary_coverage
    credited = (
        (f.get("a_summary_cue") or f.get("a_credits"))
        and (f["len_b"] == 0 or ratio <= r.credited_length_ratio)
        and la <= r.credited_max_words
        and not f.get("a_quotes")
    )
    if condensed or credited:
        return "summary"
    if (
        r.shuffled_length <= ratio <= 1 / r.shuffled_length
        and f["words_a"] >= r.shuffled_words
        and f["bigrams_a"] >= r.shuffled_bigrams
    ):
        return "near-verbatim copy"
    style = f.get("a_machine_style", float("nan"))
    reported = not style >= r.same_story_max_style  # NaN (not judged) counts as reported
    if f["len_b"] and reported and f["cover_a"] < r.same_story_coverage and f["specifics_a"] < r.same_story_specifics:
        return "same story"
    adds = f["new_sentences"] >= r.expanded_sentences and f["new_sentences"] >= r.expanded_share * f["sentences_a"]
    keeps = f.get("external") or (ratio >= r.expanded_length_ratio and f["cover_b"] >= r.expanded_keeps)
    if adds and keeps:
        return "expanded rewrite"
    order = f["order"]
    if (
        r.paraphrase_length <= ratio <= 1 / r.paraphrase_length
        and min(f["cover_a"], f["cover_b"]) >= r.paraphrase_coverage
        and order == order  # NaN: too few matched sentences to tell
        and order >= r.paraphrase_order
    ):
        return "paraphrase"
    return "rewrite"


def relation_evidence(f: dict, params: RelationParams | None = None) -> tuple[str, str]:
    """The relation label and the scores behind it, as one line of evidence."""
    label = classify_relation(f, params)
    ev = []
    if f["len_b"]:
        ev += [
            f"{f['cover_a']:.0%} of its sentences supported by the relative, {f['cover_b']:.0%} of the relative's "
            "by it",
            f"{f['len_a']} vs {f['len_b']} content words",
            f"5-gram Jaccard {f['jaccard']:.2f}, containment {f['containment_a']:.2f}",
            f"{f['words_a']:.0%} of its words in the relative",
        ]
        if f["copied_a"] >= 0.05:
            ev.append(f"{f['copied_a']:.0%} of its sentences copied")
        if f["order"] == f["order"]:
            ev.append(f"sentence order {f['order']:.2f}")
        ev.append(f"{f['specifics_a']:.0%} of its names and numbers in the relative")
    if f["new_sentences"]:
        whose = "the rest of the family" if f.get("external") or not f["len_b"] else "the relative"
        ev.append(f"{f['new_sentences']} sentence(s) with names or numbers {whose} lacks ({f['new_specifics']})")
    if f.get("a_scraped"):
        ev.append("scraped page (paywall/scraper furniture)")
    if f.get("a_credits"):
        ev.append(f"credits {f['a_credits']}")
    if f.get("a_cites"):
        ev.append(f"cites {f['a_cites']}")
    if f.get("a_summary_cue"):
        ev.append("summary cue")
    if f.get("a_machine_style", float("nan")) == f.get("a_machine_style"):
        ev.append(f"machine style {f['a_machine_style']:.2f}")
    if f.get("a_quotes"):
        ev.append(f"{f['a_quotes']} quote(s) of named people")
    return label, "; ".join(ev)


def label_pairs(
    pairs: pd.DataFrame, lin: pd.DataFrame, ctx: FamilyContext, cues: pd.DataFrame, params: RelationParams | None = None
) -> pd.DataFrame:
    """``pairs`` with ``relation`` (after ``family_id``), ``derivative`` (the less original member of each pair:
    higher ``origin_rank`` in the lineage ``lin``; ties: ``doc_a``), labelled against the other, and
    ``evidence``."""
    facts = document_facts(ctx.d.set_index("doc_id"), cues.set_index("doc_id"))
    rank = dict(zip(lin["doc_id"], lin["origin_rank"]))
    derivative, relation, evidence = [], [], []
    for r in pairs.itertuples(index=False):
        a, b = (r.doc_a, r.doc_b) if rank.get(r.doc_a, 0) >= rank.get(r.doc_b, 0) else (r.doc_b, r.doc_a)
        label, why = relation_evidence(pair_features(ctx, r, a, b, facts), params)
        derivative.append(a)
        relation.append(label)
        evidence.append(why)
    out = pairs.copy()
    out.insert(3, "relation", pd.Series(relation, dtype=object, index=out.index))
    out["derivative"] = derivative
    out["evidence"] = pd.Series(evidence, dtype=object, index=out.index)
    return out
