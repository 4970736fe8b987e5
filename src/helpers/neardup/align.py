"""Passage alignment between two texts: which passages of ``text_a`` reuse which passages of ``text_b``.

Seed, extend, filter, after Sanchez-Perez, Sidorov & Gelbukh (PAN 2014), the best PAN text-alignment design:

1. **Units.** Both texts are split into sentences (:func:`helpers.text.sentence_spans`); each sentence
   becomes a bag of stemmed content words (:func:`helpers.text.simple_words` without stopwords, every word
   stemmed by :func:`helpers.text.stem`, one-letter words kept when alphabetic: the rule tuned on PAN13, unlike
   :func:`helpers.text.content_stems`, which leaves short words unstemmed); sentences with fewer than
   ``min_sentence_words`` content words are merged into their neighbour; with ``join_wrapped``, a sentence cut by
   a single line break (hard-wrapped text: the line does not end a sentence, the next starts in lower case) is
   one unit.
2. **Seeds.** A sentence pair is a seed when it is similar by both tf-isf cosine (isf over the sentences of
   both texts) and Dice overlap of word sets (>= ``seed_cosine`` and ``seed_dice``), or when the two sentences
   share a run of ``ngram`` consecutive content words (verbatim reuse of short sentences).
3. **Extension.** Seeds are clustered: a cluster is split wherever consecutive seeds are more than
   ``max_gap`` sentences apart in ``a``, then in ``b``, repeated until stable (so reordered passages become
   separate clusters). Each cluster spans a passage in each text; it is kept when the tf-isf cosine of the two
   passages is >= ``validate``, otherwise its seeds are re-clustered with a smaller gap.
4. **Filtering.** Passages that overlap in ``a`` are resolved in favour of the higher score times the square
   root of the ``a`` length (``overlap_length_weight``: a long passage beats a short one inside it); passages shorter
   than ``min_chars`` characters (either side), or whose two sides share fewer than ``min_shared`` distinct
   content words (a topical coincidence, not reuse), are dropped.
5. **Summaries.** A second pass with ``summary_max_gap`` catches a short passage of ``a`` that condenses a long
   passage of ``b``; its output replaces the first pass when the ``b`` side is at least ``summary_ratio`` times
   longer than the ``a`` side, the summary pass covers more of ``a``, and the first pass found no near-verbatim
   passage (a copied passage next to topical sentences is not a summary). Summary passages grow on the ``b`` side
   over the source sentences they draw on. Otherwise first-pass passages that are adjacent in ``a`` but come from
   scattered places of ``b`` (a summary made of copied sentences) are merged into one; short pieces count here
   (``adjacent_min_chars``) because several of them together are evidence that one alone is not.

Offsets are character offsets into the texts given; ``score`` is the passages' tf-isf cosine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd
from scipy import sparse

from ..text import STOPWORDS, sentence_spans, simple_words, stem

__all__ = ["align", "prepare_text", "AlignParams", "ALIGN_COLUMNS"]

ALIGN_COLUMNS = ["a_start", "a_end", "b_start", "b_end", "score"]


@dataclass(frozen=True)
class AlignParams:
    """Tunable, general parameters of :func:`align` (defaults tuned on PAN13 training data).

    Seeds: ``seed_cosine``/``seed_dice`` (sentence tf-isf cosine and word Dice), ``ngram`` (shared run of content
    words, 0 = off), ``seed_margin`` (keep seeds within this cosine of the best match of both sentences; < 0 = off).
    Extension: ``max_gap`` (sentences), ``validate`` (passage cosine), ``trim_cosine`` (drop weak edge sentences,
    relative to the passage score; 0 = off). Filtering: ``min_chars`` (both sides), ``min_sentence_words``
    (shorter sentences merge with the next), ``edge_share`` (drop merged edge sentences sharing less than this
    share of words with the other passage), ``edge_ngram`` (snap edges to shared word n-grams; 0 = off).
    Evidence: ``min_shared`` (distinct content words both sides of a passage must share; 0 = off). Units:
    ``join_wrapped`` (join sentences cut by a single line break). Overlaps: ``overlap_length_weight`` (passages
    overlapping in ``a`` compete on score x ``a`` length ** weight; 0 = score alone).
    Summaries: ``summary_max_gap``, ``summary_seed_cosine``/``summary_seed_dice``, chosen when the ``b`` side is
    ``summary_ratio`` times longer and the pass covers more than ``summary_gain`` x the normal ``a`` coverage, or
    as much in fewer passages, or the best normal score is below ``summary_below_score``, unless a normal passage
    scores >= ``summary_max_score`` (near-verbatim copy); passages grow over neighbours with cosine >=
    ``summary_grow_cosine`` (skipping up to ``summary_grow_gap`` units in ``b``, ``summary_grow_gap_a`` in ``a``;
    < 0 = not grown) and merge within ``summary_merge_gap``. Without a summary, passages at most ``adjacent_gap``
    units apart in ``a`` from separate places of ``b`` merge when the merged ``b`` side is ``adjacent_ratio``
    times longer than its ``a`` side (< 0 = off); pieces from ``adjacent_min_chars`` characters with a score of
    at least ``adjacent_min_score`` take part (the merged passage must still reach ``min_chars``).
    """

    seed_cosine: float = 0.3
    seed_dice: float = 0.3
    ngram: int = 4
    max_gap: int = 4
    summary_max_gap: int = 24
    validate: float = 0.34
    min_chars: int = 150
    min_sentence_words: int = 3
    summary_ratio: float = 3.0
    summary_gain: float = 1.0
    summary_below_score: float = 0.5
    seed_margin: float = 0.25
    summary_seed_cosine: float = 0.33
    summary_seed_dice: float = 0.33
    trim_cosine: float = 0.0
    summary_merge_gap: int = 24
    edge_share: float = 0.3
    edge_ngram: int = 0
    summary_grow_cosine: float = 0.1
    summary_grow_gap: int = 12
    summary_grow_gap_a: int = -1
    summary_max_score: float = 0.95
    adjacent_gap: int = 3
    adjacent_ratio: float = 2.0
    adjacent_min_chars: int = 100
    adjacent_min_score: float = 0.5
    join_wrapped: bool = True
    overlap_length_weight: float = 0.5
    min_shared: int = 8


def _unit_words(sentence: str) -> list[str]:
    """A sentence's stemmed content words: every non-stopword stemmed, one-letter words kept when alphabetic."""
    return [stem(w) for w in simple_words(sentence) if w not in STOPWORDS and (len(w) > 1 or w.isalpha())]


@dataclass
class _Prepared:
    spans: list  # (start, end) character span of each unit
    words: list  # list of stemmed content words of each unit
    subs: list  # per unit, the (start, end, words) of the sentences merged into it

    @cached_property
    def starts(self) -> np.ndarray:
        return np.array([s for s, _ in self.spans], dtype=np.int64)


_END = re.compile(r"[.!?:;\"'”’)\]]\s*$")


def _join_wrapped(text: str, sents: list) -> list:
    """Join a sentence cut by a single line break (hard-wrapped text): the line does not end a sentence and the
    next one starts in lower case."""
    out: list = []
    for s, e in sents:
        if out:
            ps, pe = out[-1]
            sep = text[pe:s]
            if sep.count("\n") == 1 and not sep.strip() and text[s : s + 1].islower() and not _END.search(text[ps:pe]):
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


@lru_cache(maxsize=256)
def prepare_text(text: str, min_sentence_words: int = 3, join_wrapped: bool = False) -> _Prepared:
    """Sentence units of ``text`` with their stemmed content words (cached: reuse across many pairs)."""
    spans, words = [], []
    if text and text.strip():
        try:
            sents = sentence_spans(text)
        except Exception:  # pragma: no cover - tokenizer failure on exotic input: fall back to lines
            sents = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
        if join_wrapped:
            sents = _join_wrapped(text, sents)
        for s, e in sents:
            spans.append((s, e))
            words.append(_unit_words(text[s:e]))
    # merge units with too few content words into the following unit (the last one into the previous)
    out_s, out_w, out_sub = [], [], []
    carry: list = []
    for (s, e), ws in zip(spans, words):
        carry.append((s, e, ws))
        if sum(len(c[2]) for c in carry) < min_sentence_words:
            continue
        out_s.append((carry[0][0], e))
        out_w.append([w for c in carry for w in c[2]])
        out_sub.append(carry)
        carry = []
    if carry and any(c[2] for c in carry):
        if out_s:
            out_s[-1] = (out_s[-1][0], carry[-1][1])
            out_w[-1] = out_w[-1] + [w for c in carry for w in c[2]]
            out_sub[-1] = out_sub[-1] + carry
        else:
            out_s.append((carry[0][0], carry[-1][1]))
            out_w.append([w for c in carry for w in c[2]])
            out_sub.append(carry)
    return _Prepared(out_s, out_w, out_sub)


def _matrices(pa: _Prepared, pb: _Prepared):
    vocab: dict[str, int] = {}

    def rows(units):
        r, c = [], []
        for i, ws in enumerate(units):
            for w in ws:
                r.append(i)
                c.append(vocab.setdefault(w, len(vocab)))
        return r, c

    ra, ca = rows(pa.words)
    rb, cb = rows(pb.words)
    V = max(len(vocab), 1)
    A = sparse.csr_matrix((np.ones(len(ra)), (ra, ca)), shape=(len(pa.words), V))
    B = sparse.csr_matrix((np.ones(len(rb)), (rb, cb)), shape=(len(pb.words), V))
    A.sum_duplicates()
    B.sum_duplicates()
    n_units = A.shape[0] + B.shape[0]
    df = np.asarray((A > 0).sum(axis=0)).ravel() + np.asarray((B > 0).sum(axis=0)).ravel()
    isf = np.log(n_units / np.maximum(df, 1))
    isf = np.maximum(isf, 1e-3)
    return A, B, isf, vocab


def _unit_ngrams(units: list, vocab: dict, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the word n-grams inside each unit and their unit index."""
    ids, unit = [], []
    for u, ws in enumerate(units):
        ids.extend(vocab.setdefault(w, len(vocab) + 1) for w in ws)
        unit.extend([u] * len(ws))
    ids = np.array(ids, dtype=np.uint64)
    unit = np.array(unit, dtype=np.int64)
    m = len(ids) - n + 1
    if m <= 0:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    h = np.zeros(m, dtype=np.uint64)
    for k in range(n):
        h = h * np.uint64(0x100000001B3) + ids[k : k + m]
    ok = unit[:m] == unit[n - 1 :]
    return h[ok], unit[:m][ok]


def _ngram_seeds(pa: _Prepared, pb: _Prepared, n: int) -> set:
    """Unit pairs sharing a run of ``n`` consecutive content words."""
    if n <= 0:
        return set()
    vocab: dict[str, int] = {}
    ha, ua = _unit_ngrams(pa.words, vocab, n)
    hb, ub = _unit_ngrams(pb.words, vocab, n)
    if not len(ha) or not len(hb):
        return set()
    order = np.argsort(hb, kind="stable")
    hb, ub = hb[order], ub[order]
    lo = np.searchsorted(hb, ha, side="left")
    hi = np.searchsorted(hb, ha, side="right")
    cnt = hi - lo
    if not cnt.any():
        return set()
    ia = np.repeat(ua, cnt)
    jb = ub[np.repeat(lo, cnt) + (np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt))]
    pairs = np.unique(np.stack([ia, jb], axis=1), axis=0)
    return set(map(tuple, pairs.tolist()))


def _seeds(A, B, isf, pa, pb, p: AlignParams):
    """Seed unit pairs (m, 2), their tf-isf cosines, and the sparse unit cosine matrix."""
    Aw = A.multiply(isf[None, :]).tocsr()
    Bw = B.multiply(isf[None, :]).tocsr()
    na = np.sqrt(np.asarray(Aw.multiply(Aw).sum(axis=1)).ravel())
    nb = np.sqrt(np.asarray(Bw.multiply(Bw).sum(axis=1)).ravel())
    cos = (Aw @ Bw.T).tocoo()
    i, j, v = cos.row, cos.col, cos.data
    with np.errstate(divide="ignore", invalid="ignore"):
        cosv = v / (na[i] * nb[j])
    Ab = (A > 0).astype(np.float64).tocsr()
    Bb = (B > 0).astype(np.float64).tocsr()
    inter = (Ab @ Bb.T).tocsr()
    sa = np.asarray(Ab.sum(axis=1)).ravel()
    sb = np.asarray(Bb.sum(axis=1)).ravel()
    # the Dice overlap only of the pairs whose cosine passes (two long texts have millions of nonzero cosines)
    ok = cosv >= p.seed_cosine
    ci, cj = i[ok], j[ok]
    iv = np.asarray(inter[ci, cj]).ravel() if len(ci) else np.empty(0)
    ok[ok] = 2 * iv / np.maximum(sa[ci] + sb[cj], 1) >= p.seed_dice
    seeds = set(zip(i[ok].tolist(), j[ok].tolist()))
    seeds |= _ngram_seeds(pa, pb, p.ngram)
    cos_matrix = sparse.csr_matrix((cosv, (i, j)), shape=(A.shape[0], B.shape[0]))
    if not seeds:
        return np.empty((0, 2), np.int64), np.empty(0), cos_matrix
    pairs = np.array(sorted(seeds), dtype=np.int64)
    return pairs, _values_at(i, j, cosv, pairs, B.shape[0]), cos_matrix


def _values_at(i: np.ndarray, j: np.ndarray, values: np.ndarray, pairs: np.ndarray, width: int) -> np.ndarray:
    """``values`` at the cells ``pairs`` (m, 2) of the sparse entries ``(i, j)``; 0 where there is none."""
    keys = i.astype(np.int64) * width + j.astype(np.int64)
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    wanted = pairs[:, 0] * width + pairs[:, 1]
    at = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
    found = (keys[at] == wanted) if len(keys) else np.zeros(len(wanted), bool)
    return np.where(found, values[at] if len(keys) else 0.0, 0.0)


def _row_max(C, r: int, lo: int, hi: int) -> float:
    """Largest entry of CSR row ``r`` within columns [lo, hi]."""
    s, e = C.indptr[r], C.indptr[r + 1]
    cols = C.indices[s:e]
    m = (cols >= lo) & (cols <= hi)
    return float(C.data[s:e][m].max()) if m.any() else 0.0


def _trim(frags, C, CT, rel: float):
    """Drop edge units of each passage whose best unit match inside the other passage is below ``rel`` times
    the passage similarity (strict for near-verbatim passages, lenient for obfuscated ones)."""
    if rel <= 0:
        return frags
    out = []
    for (a0, a1), (b0, b1), sim in frags:
        thr = rel * sim
        changed = True
        while changed:
            changed = False
            while a0 < a1 and _row_max(C, a0, b0, b1) < thr:
                a0, changed = a0 + 1, True
            while a1 > a0 and _row_max(C, a1, b0, b1) < thr:
                a1, changed = a1 - 1, True
            while b0 < b1 and _row_max(CT, b0, a0, a1) < thr:
                b0, changed = b0 + 1, True
            while b1 > b0 and _row_max(CT, b1, a0, a1) < thr:
                b1, changed = b1 - 1, True
        out.append(((a0, a1), (b0, b1), sim))
    return out


def _mutual(seeds: np.ndarray, cs: np.ndarray, margin: float) -> np.ndarray:
    """Seeds within ``margin`` of the best seed of both their sentences (drops neighbours of a true match)."""
    if margin is None or margin < 0 or not len(seeds):
        return seeds
    ra = np.full(seeds[:, 0].max() + 1, -np.inf)
    rb = np.full(seeds[:, 1].max() + 1, -np.inf)
    np.maximum.at(ra, seeds[:, 0], cs)
    np.maximum.at(rb, seeds[:, 1], cs)
    keep = (cs >= ra[seeds[:, 0]] - margin) & (cs >= rb[seeds[:, 1]] - margin)
    return seeds[keep]


def _split(seeds: np.ndarray, col: int, gap: int) -> list[np.ndarray]:
    s = seeds[np.argsort(seeds[:, col], kind="stable")]
    cut = np.flatnonzero(np.diff(s[:, col]) > gap + 1) + 1
    return np.split(s, cut)


def _cluster(seeds: np.ndarray, gap: int) -> list[np.ndarray]:
    clusters = [seeds]
    while True:
        new = []
        for c in clusters:
            for c2 in _split(c, 0, gap):
                new.extend(_split(c2, 1, gap))
        if len(new) == len(clusters):
            return new
        clusters = new


def _span_sum(M, lo: int, hi: int) -> np.ndarray:
    """The sum of rows ``lo..hi`` of a CSR matrix: its stored values added in storage order, as the sparse
    ``M[lo:hi + 1].sum(axis=0)`` adds them (the same numbers), without building a matrix per span."""
    if M.dtype != np.float64 or not sparse.isspmatrix_csr(M):
        return np.asarray(M[lo : hi + 1].sum(axis=0)).ravel()
    start, end = M.indptr[lo], M.indptr[hi + 1]
    return np.bincount(M.indices[start:end], weights=M.data[start:end], minlength=M.shape[1])


def _frag_cos(Aw, Bw, ia: tuple[int, int], ib: tuple[int, int]) -> float:
    va = _span_sum(Aw, ia[0], ia[1])
    vb = _span_sum(Bw, ib[0], ib[1])
    d = np.linalg.norm(va) * np.linalg.norm(vb)
    return float(va @ vb / d) if d > 0 else 0.0


def _extend(seeds: np.ndarray, gap: int, Aw, Bw, validate: float) -> list[tuple]:
    out = []
    stack = [(c, gap) for c in _cluster(seeds, gap)]
    while stack:
        c, g = stack.pop()
        ia = (int(c[:, 0].min()), int(c[:, 0].max()))
        ib = (int(c[:, 1].min()), int(c[:, 1].max()))
        sim = _frag_cos(Aw, Bw, ia, ib)
        if sim >= validate:
            out.append((ia, ib, sim))
        elif g > 0 and len(c) > 1:
            stack.extend((c2, g - 1) for c2 in _cluster(c, g - 1))
    return out


def _unit_cos(M, v: np.ndarray) -> np.ndarray:
    num = M @ v
    den = np.sqrt(np.asarray(M.multiply(M).sum(axis=1)).ravel()) * (np.linalg.norm(v) or 1.0)
    return np.where(den > 0, num / np.maximum(den, 1e-12), 0.0)


def _grow_span(lo: int, hi: int, cos: np.ndarray, thr: float, gap: int) -> tuple[int, int]:
    """Extend [lo, hi] outwards over units with ``cos >= thr``, skipping at most ``gap`` weaker units."""
    n = len(cos)
    for step in (1, -1):
        pos, miss = (hi if step == 1 else lo), 0
        j = pos + step
        while 0 <= j < n and miss <= gap:
            if cos[j] >= thr:
                pos, miss = j, 0
            else:
                miss += 1
            j += step
        if step == 1:
            hi = pos
        else:
            lo = pos
    return lo, hi


def _grow(frags, Aw, Bw, thr: float, gap: int, gap_a: int | None = None):
    """Summary passages: grow each side over neighbouring units similar to the whole other passage (the ``a``
    side skipping at most ``gap_a`` weaker units, < 0: not grown)."""
    gap_a = gap if gap_a is None else gap_a
    out = []
    for ia, ib, _ in frags:
        va = _span_sum(Aw, ia[0], ia[1])
        ib = _grow_span(ib[0], ib[1], _unit_cos(Bw, va), thr, gap)
        vb = _span_sum(Bw, ib[0], ib[1])
        if gap_a >= 0:
            ia = _grow_span(ia[0], ia[1], _unit_cos(Aw, vb), thr, gap_a)
        out.append((ia, ib, _frag_cos(Aw, Bw, ia, ib)))
    return out


def _merge_close(dets: list[list], pa: _Prepared, gap_units: int, ratio: float = 0.0) -> list[list]:
    """Merge summary passages whose ``a`` sides are at most ``gap_units`` units apart (one summary, one case).
    With ``ratio`` > 0, only pieces from separate places of ``b`` whose merged ``b`` side is at least ``ratio``
    times longer than its ``a`` side."""
    if len(dets) < 2 or gap_units < 0:
        return dets
    starts = pa.starts
    dets = sorted(dets, key=lambda d: d[0])
    out = [list(dets[0])]
    prev = dets[0]
    for d in dets[1:]:
        k = out[-1]
        between = np.searchsorted(starts, d[0]) - np.searchsorted(starts, k[1])
        like = ratio <= 0 or (
            max(k[3], d[3]) - min(k[2], d[2]) >= ratio * (max(k[1], d[1]) - k[0])
            and (d[2] >= prev[3] or prev[2] >= d[3])
        )
        if between <= gap_units and like:
            k[1], k[2], k[3] = max(k[1], d[1]), min(k[2], d[2]), max(k[3], d[3])
            k[4] = max(k[4], d[4])
        else:
            out.append(list(d))
        prev = d
    return out


def _edge(subs: list, other: set, share: float, first: bool) -> int:
    """Character start (``first``) or end of the unit, skipping merged sentences unrelated to ``other``."""
    seq = subs if first else subs[::-1]
    for s, e, ws in seq:
        if ws and sum(w in other for w in ws) >= share * len(ws):
            return s if first else e
    return seq[0][0] if first else seq[0][1]


_RAW_WORD = re.compile(r"\w+", re.UNICODE)


def _snap(dets: list[list], frags, pa: _Prepared, pb: _Prepared, text_a: str, text_b: str, n: int) -> list[list]:
    """Move each passage's start (end) inside its first (last) sentence to the first (last) word n-gram that
    also occurs in the other passage: a reused passage pasted mid-sentence does not pull in its neighbours.
    Never moves past the first (last) sentence, so obfuscated passages lose at most an edge sentence part."""
    if n <= 0:
        return dets
    out = []
    for (a0, a1, b0, b1, sim), (ia, ib, _) in zip(dets, frags):
        ra = [(m.start() + a0, m.end() + a0, m.group().lower()) for m in _RAW_WORD.finditer(text_a[a0:a1])]
        rb = [(m.start() + b0, m.end() + b0, m.group().lower()) for m in _RAW_WORD.finditer(text_b[b0:b1])]
        ga = {tuple(w[2] for w in ra[k : k + n]) for k in range(len(ra) - n + 1)}
        gb = {tuple(w[2] for w in rb[k : k + n]) for k in range(len(rb) - n + 1)}

        def edges(ws, other, lo, hi):
            grams = [tuple(w[2] for w in ws[k : k + n]) in other for k in range(len(ws) - n + 1)]
            if not any(grams):
                return lo, hi
            first = grams.index(True)
            last = len(grams) - 1 - grams[::-1].index(True)
            return ws[first][0], ws[last + n - 1][1]

        na0, na1 = edges(ra, gb, a0, a1)
        nb0, nb1 = edges(rb, ga, b0, b1)
        na0 = na0 if na0 < pa.spans[ia[0]][1] else a0
        na1 = na1 if na1 > pa.spans[ia[1]][0] else a1
        nb0 = nb0 if nb0 < pb.spans[ib[0]][1] else b0
        nb1 = nb1 if nb1 > pb.spans[ib[1]][0] else b1
        out.append([na0, na1, nb0, nb1, sim])
    return out


def _to_chars(frags, pa: _Prepared, pb: _Prepared, share: float = 0.0) -> list[list]:
    out = []
    for ia, ib, sim in frags:
        if share > 0:
            wa = {w for u in range(ia[0], ia[1] + 1) for w in pa.words[u]}
            wb = {w for u in range(ib[0], ib[1] + 1) for w in pb.words[u]}
            out.append(
                [
                    _edge(pa.subs[ia[0]], wb, share, True),
                    _edge(pa.subs[ia[1]], wb, share, False),
                    _edge(pb.subs[ib[0]], wa, share, True),
                    _edge(pb.subs[ib[1]], wa, share, False),
                    sim,
                ]
            )
        else:
            out.append([pa.spans[ia[0]][0], pa.spans[ia[1]][1], pb.spans[ib[0]][0], pb.spans[ib[1]][1], sim])
    return out


def _words_in(prep: _Prepared, start: int, end: int) -> set:
    """Content words of the sentences of ``prep`` that overlap characters [start, end)."""
    out: set = set()
    lo = max(int(np.searchsorted(prep.starts, start, side="right")) - 1, 0)
    for u in range(lo, len(prep.spans)):
        if prep.spans[u][0] >= end:
            break
        for s, e, ws in prep.subs[u]:
            if s < end and start < e:
                out.update(ws)
    return out


def _evidence(dets: list[list], pa: _Prepared, pb: _Prepared, k: int, share: float = 0.8) -> list[list]:
    """Drop passages whose two sides share fewer than ``k`` distinct content words (topical coincidences); a side
    with fewer than ``k`` distinct words (unspaced scripts) needs ``share`` of them shared instead."""
    if k <= 0:
        return dets
    out = []
    for d in dets:
        wa, wb = _words_in(pa, d[0], d[1]), _words_in(pb, d[2], d[3])
        n = len(wa & wb)
        small = min(len(wa), len(wb))
        if n >= k or (0 < small < k and n >= share * small):
            out.append(d)
    return out


def _filter(dets: list[list], min_chars: int, length_weight: float = 0.0) -> list[list]:
    """Resolve passages overlapping in ``a`` (merge when they overlap in ``b`` too, else keep the stronger: higher
    score x ``a`` length ** ``length_weight``), then drop passages shorter than ``min_chars`` on either side."""

    def weight(d):
        return d[4] * max(d[1] - d[0], 1) ** length_weight

    dets = sorted(dets, key=lambda d: (d[0], d[1]))
    kept: list[list] = []
    for d in dets:
        merged = False
        for k in kept:
            if d[0] < k[1] and k[0] < d[1]:  # overlap in a
                if d[2] < k[3] and k[2] < d[3]:  # overlap in b too: merge
                    k[0], k[1] = min(k[0], d[0]), max(k[1], d[1])
                    k[2], k[3] = min(k[2], d[2]), max(k[3], d[3])
                    k[4] = max(k[4], d[4])
                elif weight(d) > weight(k):
                    k[:] = d
                merged = True
                break
        if not merged:
            kept.append(list(d))
    return [d for d in kept if d[1] - d[0] >= min_chars and d[3] - d[2] >= min_chars]


def align(text_a: str, text_b: str, params: AlignParams | None = None, **overrides) -> pd.DataFrame:
    """Reused passages between two texts: ``a_start``, ``a_end``, ``b_start``, ``b_end``, ``score``.

    One row per passage of ``text_a`` that reuses (copies, edits, reorders or summarises) a passage of
    ``text_b``; offsets index the texts given (``text_a[a_start:a_end]``). Parameters: :class:`AlignParams`
    fields, as ``params`` or keyword overrides. Empty or wordless texts give an empty table.
    """
    p = params or AlignParams()
    if overrides:
        p = AlignParams(**{**p.__dict__, **overrides})
    empty = pd.DataFrame({c: pd.Series(dtype=float if c == "score" else np.int64) for c in ALIGN_COLUMNS})
    if not isinstance(text_a, str) or not isinstance(text_b, str):
        raise TypeError("align expects two strings")
    pa = prepare_text(text_a, p.min_sentence_words, p.join_wrapped)
    pb = prepare_text(text_b, p.min_sentence_words, p.join_wrapped)
    if not pa.words or not pb.words:
        return empty
    A, B, isf, _ = _matrices(pa, pb)
    seeds, cs, C = _seeds(A, B, isf, pa, pb, p)
    if not len(seeds):
        return empty
    Aw = A.multiply(isf[None, :]).tocsr()
    Bw = B.multiply(isf[None, :]).tocsr()
    CT = C.T.tocsr()
    strict = _mutual(seeds, cs, p.seed_margin)
    frags = _trim(_extend(strict, p.max_gap, Aw, Bw, p.validate), C, CT, p.trim_cosine)
    dets = _to_chars(frags, pa, pb, p.edge_share)
    raw = _snap(dets, frags, pa, pb, text_a, text_b, p.edge_ngram)
    dets = _evidence(_filter([list(d) for d in raw], p.min_chars, p.overlap_length_weight), pa, pb, p.min_shared)
    if p.summary_max_gap > p.max_gap:
        sseeds = seeds
        if (p.summary_seed_cosine, p.summary_seed_dice) != (p.seed_cosine, p.seed_dice):
            loose = AlignParams(
                **{**p.__dict__, "seed_cosine": p.summary_seed_cosine, "seed_dice": p.summary_seed_dice}
            )
            sseeds, _, _ = _seeds(A, B, isf, pa, pb, loose)
        frags = _extend(sseeds, p.summary_max_gap, Aw, Bw, p.validate) if len(sseeds) else []
        summ = _evidence(_filter(_to_chars(frags, pa, pb), p.min_chars), pa, pb, p.min_shared)
        len_a = sum(d[1] - d[0] for d in summ)
        len_b = sum(d[3] - d[2] for d in summ)
        norm_a = sum(d[1] - d[0] for d in dets)
        # a summary: the b side is much longer, and the summary pass covers more of a than the normal pass, or
        # joins its pieces, or the normal pass found only weak similarity (a near-verbatim passage is not one)
        norm_score = max((d[4] for d in dets), default=0.0)
        if (
            summ
            and norm_score < p.summary_max_score
            and len_b >= p.summary_ratio * len_a
            and (
                len_a > p.summary_gain * norm_a
                or norm_score < p.summary_below_score
                or (len(summ) < len(dets) and len_a >= norm_a)
            )
        ):
            if p.summary_grow_cosine > 0:
                frags = _grow(frags, Aw, Bw, p.summary_grow_cosine, p.summary_grow_gap, p.summary_grow_gap_a)
                summ = _filter(_to_chars(frags, pa, pb), p.min_chars)
            dets = _merge_close(summ, pa, p.summary_merge_gap)
        else:
            if 0 < p.adjacent_min_chars < p.min_chars:  # short pieces count when they join into a summary
                pieces = _filter([list(d) for d in raw], p.adjacent_min_chars, p.overlap_length_weight)
                pieces = [
                    d for d in pieces if d[4] >= p.adjacent_min_score or min(d[1] - d[0], d[3] - d[2]) >= p.min_chars
                ]
                merged = _merge_close(pieces, pa, p.adjacent_gap, p.adjacent_ratio)
                dets = _evidence(_filter(merged, p.min_chars, p.overlap_length_weight), pa, pb, p.min_shared)
            else:
                dets = _merge_close(dets, pa, p.adjacent_gap, p.adjacent_ratio)
    if not dets:
        return empty
    out = pd.DataFrame(dets, columns=ALIGN_COLUMNS).sort_values(["a_start", "b_start"]).reset_index(drop=True)
    for c in ALIGN_COLUMNS[:4]:
        out[c] = out[c].astype(np.int64)
    out["score"] = out["score"].astype(float).round(4)
    return out
