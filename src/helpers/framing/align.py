"""Which sentence of a derivative tells what which sentence of its parent told: the families matcher's pairs
(``helpers.neardup.match_sentences``) and a frame-aware aligner that also pairs rewrites sharing few words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from ..text import STOPWORDS, is_punct, stem
from ..tokenise import sentences, tokens
from .actors import demonym_table
from .documents import resolve_doc, sentence_table, word_tokens
from .lexicon import match_terms, optional_lexicon
from .names import CAPITALISED

__all__ = ["AlignParams", "ALIGN_COLUMNS", "align_sentences", "families_matcher", "aligned_pairs"]

ALIGN_COLUMNS = ["a_sent_id", "b_sent_id", "a_start", "a_end", "b_start", "b_end", "a_text", "b_text", "score", "kind"]


@dataclass(frozen=True)
class AlignParams:
    """Settings of the frame-aware aligner. ``threshold``, ``event_bonus`` and ``per_sentence`` were set by hand
    on the sample in the first version of the framing stage, ``min_content`` when alignment came to need some
    overlap of content words (commit 9884d0e); none is tuned on labelled data.

    - ``threshold``: a pair needs this score (cosine plus any event bonus).
    - ``event_bonus``: added when both sentences hold a story-frame term (only with story frames given), so that
      sentences telling the event in different frame words ("abandoning", "distancing itself") still align.
    - ``min_content``: a pair needs this cosine of content stems, whatever the bonus.
    - ``per_sentence``: each derivative sentence keeps this many best parents (a rewrite often merges two).
    """

    threshold: float = 0.2
    event_bonus: float = 0.15
    min_content: float = 0.05
    per_sentence: int = 2


def _content_stems(w: pd.DataFrame) -> dict[tuple, list[str]]:
    """Content stems of each ``(doc_id, sent_id)``; a demonym counts as its country ("Iranian officials" ~
    "Iran"), so rewrites that switch between them align."""
    norms = w["norm"].tolist()
    caps = {n for t, n in zip(w["token"], norms) if CAPITALISED.match(t) and "-" not in n}
    fold = demonym_table(caps)
    stems = [stem(fold[n]) if n in fold else st for n, st in zip(norms, w["stem"].tolist())]
    content = {n: n not in STOPWORDS and len(n) > 1 and not is_punct(n) for n in set(norms)}
    out: dict[tuple, list[str]] = {}
    for key, st, n in zip(zip(w["doc_id"], w["sent_id"]), stems, norms):
        bag = out.setdefault(key, [])
        if content[n]:
            bag.append(st)
    return out


def _tfidf_rows(bags: list[list[str]]) -> sparse.csr_matrix:
    """Raw-count TF-IDF (smooth IDF over these bags), rows l2-normalised; sparse (two long documents have
    thousands of sentences and tens of thousands of stems: dense, that matrix alone took gigabytes)."""
    vocab: dict[str, int] = {}
    rows = [i for i, bag in enumerate(bags) for _ in bag]
    cols = [vocab.setdefault(t, len(vocab)) for bag in bags for t in bag]
    X = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(bags), max(1, len(vocab))))
    X.sum_duplicates()
    df = np.bincount(X.indices, minlength=X.shape[1])
    X = X.multiply(np.log((1 + len(bags)) / (1 + df)) + 1).tocsr()
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    X.data /= np.repeat(norms, np.diff(X.indptr))
    return X


def _pairs_table(cells: tuple, sa: pd.DataFrame, sb: pd.DataFrame, p: AlignParams) -> pd.DataFrame:
    """The aligned pairs of ``cells`` (``rows, columns, scores`` of the candidate cells, see :func:`_best_cells`)."""
    cols = ("sent_id", "start", "end", "text")
    a_id, a_start, a_end, a_text = (sa[c].tolist() for c in cols)
    b_id, b_start, b_end, b_text = (sb[c].tolist() for c in cols)
    rows = []
    for i, j, score in zip(*_best_cells(*cells, p.per_sentence, p.threshold)):
        rows.append(
            (int(a_id[i]), int(b_id[j]), int(a_start[i]), int(a_end[i]), int(b_start[j]), int(b_end[j]))
            + (a_text[i], b_text[j], round(float(score), 4), "frame-aligned")
        )
    return pd.DataFrame(rows, columns=ALIGN_COLUMNS)


def _best_cells(i: np.ndarray, j: np.ndarray, score: np.ndarray, k: int, threshold: float) -> tuple:
    """``(rows, columns, scores)`` of each column's ``k`` highest cells at or above ``threshold``, column by column,
    highest first and ties in row order, as a stable sort of every column of the score matrix would give (``i, j,
    score``: its cells that may qualify, each once; the cells not given score below ``threshold``)."""
    ok = score >= threshold
    i, j, score = i[ok], j[ok], score[ok]
    order = np.lexsort((i, -score, j))
    i, j, score = i[order], j[order], score[order]
    keep = np.arange(len(j)) - np.searchsorted(j, j) < k  # its place within its column
    return i[keep], j[keep], score[keep]


def _scored_cells(X: sparse.csr_matrix, ia: np.ndarray, ib: np.ndarray, ev: np.ndarray, p: AlignParams) -> tuple:
    """The cells of the parent x child score matrix (cosine, zero below ``min_content``, plus ``event_bonus`` where
    both sentences hold a story-frame term) that may reach the threshold: ``rows, columns, scores``."""
    cos = X[ia] @ X[ib].T
    if ev.any() or p.threshold <= 0:  # dense: the bonus or a zero score can qualify a cell with no cosine
        sim = cos.toarray()  # (two long documents: 10^7 cells)
        too_far = sim < p.min_content
        sim[np.ix_(ev[ia], ev[ib])] += p.event_bonus
        sim[too_far] = 0.0
        i, j = np.nonzero(sim >= p.threshold)
        return i, j, sim[i, j]
    cos = cos.tocoo()  # only cells with a cosine can: the same values as the dense matrix's, without making it
    cos.sum_duplicates()
    ok = cos.data >= p.min_content
    return cos.row[ok].astype(np.int64), cos.col[ok].astype(np.int64), cos.data[ok]


def align_sentences(
    docs: pd.DataFrame,
    doc_a: str,
    doc_b: str,
    story_frames=None,
    params: AlignParams | None = None,
    toks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Frame-aware sentence alignment: for each sentence of ``doc_b``, its best matches in ``doc_a``.

    Sentences are TF-IDF vectors of content stems (IDF over the two documents); the score is their cosine, plus
    ``event_bonus`` when both sentences contain a story-frame term (``story_frames``: path, dict or DataFrame;
    none by default, then no bonus). Settings: :class:`AlignParams`. ``toks``: the token table of the documents'
    texts when already made. Same columns as ``helpers.neardup.match_sentences`` (``kind`` = ``frame-aligned``).
    """
    p = params or AlignParams()
    doc_a, doc_b = resolve_doc(docs, doc_a), resolve_doc(docs, doc_b)
    sub = docs[docs["doc_id"].astype(str).isin([doc_a, doc_b])][["doc_id", "text"]]
    if toks is not None:  # the corpus's token table: its sentences, without tokenising again
        toks = toks[toks["doc_id"].isin([doc_a, doc_b])]
        sents = sentence_table(sub, toks)
    else:
        sents = sentences(sub)
    if sents.empty:
        return pd.DataFrame(columns=ALIGN_COLUMNS)
    toks = tokens(sub) if toks is None else toks
    story = optional_lexicon(story_frames)
    events = match_terms(toks, story) if len(story) else pd.DataFrame(columns=["doc_id", "sent_id"])
    event_sents = set(zip(events["doc_id"], events["sent_id"]))
    bags = _content_stems(word_tokens(toks))
    keys = list(zip(sents["doc_id"], sents["sent_id"]))
    X = _tfidf_rows([bags.get(k, []) for k in keys])
    ev = np.array([k in event_sents for k in keys])
    ia = np.array([d == doc_a for d, _ in keys])
    ib = np.array([d == doc_b for d, _ in keys])
    if not ia.any() or not ib.any():
        return pd.DataFrame(columns=ALIGN_COLUMNS)
    cells = _scored_cells(X, ia, ib, ev, p)
    return _pairs_table(cells, sents[ia].reset_index(drop=True), sents[ib].reset_index(drop=True), p)


def families_matcher() -> Callable:
    """``helpers.neardup.match_sentences``: the sentence matcher of notebook 02 (imported when needed)."""
    from helpers.neardup import match_sentences

    return match_sentences


def aligned_pairs(
    docs, parent: str, child: str, matcher="auto", story_frames=None, params=None, toks=None
) -> pd.DataFrame:
    """Aligned sentences (a = parent, b = child). ``matcher``: ``"auto"`` (the families matcher's pairs plus the
    frame-aware aligner's, which finds rewrites of the event that share few words; a pair found by both is kept
    once, the matcher's row), ``"families"``, ``"frame"`` or a callable ``(docs, parent, child) -> pairs``."""
    found = []
    if matcher in ("auto", "families"):
        got = families_matcher()(docs, parent, child)
        if got is not None and len(got):
            found.append(got[ALIGN_COLUMNS])
    if matcher in ("auto", "frame") or (matcher == "families" and not found):
        found.append(align_sentences(docs, parent, child, story_frames=story_frames, params=params, toks=toks))
    elif callable(matcher):
        found.append(matcher(docs, parent, child)[ALIGN_COLUMNS])
    if not found:
        return pd.DataFrame(columns=ALIGN_COLUMNS)
    out = pd.concat(found, ignore_index=True).drop_duplicates(["a_sent_id", "b_sent_id"])
    return out.sort_values(["b_sent_id", "a_sent_id"], kind="stable").reset_index(drop=True)
