"""Proper-noun phrases: the capitalised runs of a sentence that name a person, a place or an organisation.

Attribution (who said it) and actors (who is talked about) both read names through :class:`WordArrays`, the
word tokens of a token table as arrays, with what the whole table says about capitalisation: words seen
capitalised mid-sentence are names, words also seen in lower case are common words that start a sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from ..text import STOPWORDS, normalise
from .documents import word_tokens

__all__ = [
    "CAPITALISED",
    "CALENDAR",
    "NAME_PARTICLES",
    "WordArrays",
    "name_sets",
    "proper_noun_phrases",
    "phrase_spans",
    "clean_name",
]

CAPITALISED = re.compile(r"^(?:[a-z]{1,3}-)?[A-Z]")  # "Tehran", "al-Assad"
CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
NAME_PARTICLES = frozenset({"al", "el", "bin", "ibn", "de", "van", "von", "der", "da", "di", "of", "for", "du", "la"})


def _initial(w: pd.DataFrame, doc: np.ndarray | None = None) -> np.ndarray:
    """Word tokens that start a sentence, a speaker turn ("Host: Welcome") or a quotation. ``doc``: the document
    codes of the rows (:func:`pandas.factorize` of ``doc_id``), when already made."""
    doc = pd.factorize(w["doc_id"])[0] if doc is None else doc
    sent = w["sent_id"].to_numpy(np.int64)
    # the first row of each (doc_id, sent_id): its code, numbered in order of appearance, is above all before it
    seen = pd.factorize(doc.astype(np.int64) * (int(sent.max()) + 1 if len(sent) else 1) + sent)[0]
    first = seen > np.r_[-1, np.maximum.accumulate(seen)[:-1]] if len(seen) else np.zeros(0, bool)
    tid = w["tok_id"].to_numpy()
    gap = np.r_[True, tid[1:] != tid[:-1] + 1]  # punctuation right before this word
    return first | (gap & w["after_opener"].to_numpy(bool)) if "after_opener" in w else first


def _per_distinct(values: np.ndarray, test) -> np.ndarray:
    """``test(value)`` of every value as a boolean array, computed once per distinct value (a corpus of
    millions of tokens has a few hundred thousand distinct ones)."""
    codes, uniques = pd.factorize(values)
    return np.array([bool(test(u)) for u in uniques], dtype=bool)[codes] if len(values) else np.zeros(0, bool)


def _capitalised(tok: np.ndarray) -> np.ndarray:
    return _per_distinct(tok, CAPITALISED.match)


def _known_capitals(w: pd.DataFrame, caps: np.ndarray | None = None, first: np.ndarray | None = None) -> set:
    """Words seen capitalised somewhere other than the start of a sentence (so they are names, not starters).
    ``caps``, ``first``: :func:`_capitalised` and :func:`_initial` of the tokens, when already made."""
    first = _initial(w) if first is None else first
    tok = w["token"].to_numpy(object)
    caps = _capitalised(tok) if caps is None else caps
    return set(tok[caps & ~first])


def name_sets(toks: pd.DataFrame) -> tuple[frozenset, frozenset]:
    """``known_caps`` and ``lower_seen`` of :class:`WordArrays` for a token table, without the rest."""
    w = word_tokens(toks)
    if w.empty:
        return frozenset(), frozenset()
    tok = w["token"].to_numpy(object)
    lower = _per_distinct(tok, str.islower)
    return frozenset(_known_capitals(w)), frozenset(w["norm"].to_numpy(object)[lower])


class WordArrays:
    """Word-token arrays of a tokens table, with sentence slices (for the per-sentence loops).

    ``bounds``: ``(lo, hi)`` word rows of each sentence; ``index``: ``(doc_id, sent_id) -> (lo, hi)``;
    ``wpos``: word index within the document (as ``match_terms``' ``pos``); ``init``: sentence or utterance
    openers; ``known_caps``: words capitalised mid-sentence somewhere; ``lower_seen``: words also written in
    lower case (common words, not names). Both are read off ``toks`` unless given (:func:`name_sets` of a larger
    table, so that a part of a corpus tells names from other words as the whole corpus does).
    """

    def __init__(self, toks: pd.DataFrame, known_caps: frozenset | None = None, lower_seen: frozenset | None = None):
        w = word_tokens(toks)
        self.n = n = len(w)
        self.tok = w["token"].to_numpy(object)
        self.norm = w["norm"].to_numpy(object)
        self.tid = w["tok_id"].to_numpy()
        self.start = w["start"].to_numpy()
        self.end = w["end"].to_numpy()
        self.doc = w["doc_id"].to_numpy(object)
        self.sent = w["sent_id"].to_numpy()
        self._forms: dict[str, tuple] = {}
        self.cap = self.per_word("tok", CAPITALISED.match)  # capitalised ("Tehran", "al-Assad")
        if n == 0:
            self.init = np.zeros(0, bool)
            self.bounds, self.index, self.wpos = [], {}, np.zeros(0, int)
            self.first_words = np.zeros(0, np.int64)
            self.known_caps = set() if known_caps is None else known_caps
            self.lower_seen = set() if lower_seen is None else lower_seen
            return
        codes = pd.factorize(self.doc)[0]
        self.init = _initial(w, codes)
        starts = np.flatnonzero(np.r_[True, (codes[1:] != codes[:-1]) | (self.sent[1:] != self.sent[:-1])])
        self.first_words = starts  # the first word row of each sentence
        self.bounds = list(zip(starts, np.r_[starts[1:], n]))
        self.index = {(self.doc[lo], self.sent[lo]): (lo, hi) for lo, hi in self.bounds}
        doc_change = np.r_[True, codes[1:] != codes[:-1]]
        self.wpos = np.arange(n) - np.maximum.accumulate(np.where(doc_change, np.arange(n), 0))
        self.known_caps = _known_capitals(w, self.cap, self.init) if known_caps is None else known_caps
        self.lower_seen = set(self.norm[self.per_word("tok", str.islower)]) if lower_seen is None else lower_seen

    def per_word(self, column: str, test) -> np.ndarray:
        """``test`` of each word's ``tok`` or ``norm`` as a boolean array, computed once per distinct form (each
        column is factorised once)."""
        if column not in self._forms:
            self._forms[column] = pd.factorize(getattr(self, column))
        codes, uniques = self._forms[column]
        return np.array([bool(test(u)) for u in uniques], dtype=bool)[codes] if self.n else np.zeros(0, bool)


def _is_title(norm: str, honorifics: frozenset) -> bool:
    return norm.rstrip(".") in honorifics


def _name_end(toks, norms, tid, cap, i: int) -> int:
    """End (exclusive) of the capitalised run starting at ``i``, name particles inside ("Bashar al-Assad")."""
    n, j = len(toks), i + 1
    while (
        j < n
        and tid[j] == tid[j - 1] + 1
        and (cap[j] or (norms[j] in NAME_PARTICLES and j + 1 < n and tid[j + 1] == tid[j] + 1 and cap[j + 1]))
    ):
        j += 1
    return j


def proper_noun_phrases(
    words: WordArrays, lo: int, hi: int, honorifics: frozenset, known_caps: set, lower_seen: set | None = None
) -> list[dict]:
    """Proper-noun phrases of one sentence (words ``lo:hi``): capitalised runs with name particles.

    Each phrase: ``start_w``/``end_w`` (relative to ``lo``), ``words``, ``honorific`` (a title preceded it),
    ``person`` (titled, or two words or more). A capitalised sentence opener that is a stopword, or a word
    otherwise seen in lower case and never capitalised mid-sentence ("Despite", "Activists"), is not a name.
    """
    lower_seen = words.lower_seen if lower_seen is None else lower_seen
    toks, norms, tid, init = words.tok[lo:hi], words.norm[lo:hi], words.tid[lo:hi], words.init[lo:hi]
    cap = words.cap[lo:hi].tolist()
    out, i, n = [], 0, len(toks)
    while i < n:
        t = toks[i]
        if not cap[i] or norms[i].rstrip(".") in CALENDAR or t == "I":
            i += 1
            continue
        if init[i] and (norms[i] in STOPWORDS or (norms[i] in lower_seen and t not in known_caps)):
            i += 1
            continue
        j = _name_end(toks, norms, tid, cap, i)
        run = list(toks[i:j])
        if init[i] and j - i == 1 and run[0] not in known_caps and not _is_title(norms[i], honorifics):
            i = j
            continue
        # a title anywhere before the last word ("Syrian President Bashar al-Assad") starts the name after it
        cut = max([k + 1 for k, x in enumerate(norms[i : j - 1]) if _is_title(x, honorifics)], default=0)
        run = run[cut:]
        if run and not _is_title(norms[i + cut], honorifics):
            out.append(
                {"start_w": i + cut, "end_w": j, "words": run, "honorific": cut > 0, "person": cut > 0 or len(run) >= 2}
            )
        i = j
    return out


def phrase_spans(words: WordArrays, honorifics: frozenset) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`proper_noun_phrases` of every sentence at once (``known_caps`` and ``lower_seen`` of ``words``): word
    rows ``start`` and ``end`` (exclusive) and ``honorific`` of each phrase, in text order.

    The same reading on arrays: a word continues the run before it when it directly follows it in the sentence and
    is capitalised (or is a name particle before a capitalised word); a phrase starts at the first word of such a
    chain that may start a name, and ends with the chain."""
    n = words.n
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, bool)
    cap, init = words.cap, words.init
    sent_start = np.zeros(n, bool)
    sent_start[words.first_words] = True
    contig = np.r_[False, words.tid[1:] == words.tid[:-1] + 1] & ~sent_start
    particle = words.per_word("norm", NAME_PARTICLES.__contains__)
    cont = contig & (cap | (particle & np.r_[contig[1:] & cap[1:], False]))
    title = words.per_word("norm", lambda x: _is_title(x, honorifics))
    known = words.per_word("tok", words.known_caps.__contains__)
    stop = words.per_word("norm", STOPWORDS.__contains__)
    common = words.per_word("norm", words.lower_seen.__contains__)
    skip = words.per_word("norm", lambda x: x.rstrip(".") in CALENDAR) | words.per_word("tok", "I".__eq__)
    may_start = cap & ~skip & ~(init & (stop | (common & ~known)))
    chain = np.cumsum(~cont) - 1
    chain_end = np.r_[np.flatnonzero(~cont)[1:], n]
    candidates = np.flatnonzero(may_start)
    of_chain = chain[candidates]  # in order
    start = candidates[np.r_[True, of_chain[1:] != of_chain[:-1]][: len(of_chain)]]  # each chain's first possible start
    end = chain_end[chain[start]]
    lone = init[start] & (end - start == 1) & ~known[start] & ~title[start]
    start, end = start[~lone], end[~lone]
    last_title = np.maximum.accumulate(np.where(title, np.arange(n), -1))
    before_last = last_title[np.maximum(end - 2, 0)]
    cut = (end - start >= 2) & (before_last >= start)  # a title before the last word: the name starts after it
    named = np.where(cut, before_last + 1, start)
    keep = ~title[named]
    return named[keep], end[keep], cut[keep]


def clean_name(words: list[str]) -> str:
    """A name as displayed: possessive "'s" dropped, a lower-case hyphen suffix dropped ("Iranian-backed" ->
    "Iranian", but "Bennett-Jones" stays), the original capitalisation kept."""
    return _clean_name(tuple(words))


@lru_cache(maxsize=65536)
def _clean_name(words: tuple[str, ...]) -> str:  # the same names recur in every document of a story
    shown = []
    for original in words:
        w = re.sub(r"'s$", "", normalise(original).replace("\u2019", "'"))
        parts, orig_parts = w.split("-"), original.split("-")
        if len(parts) > 1 and all(p.islower() for p in orig_parts[1:]) and parts[0] not in ("al", "el"):
            w = parts[0]
        shown.append(original[: len(w)] if original.casefold().startswith(w) else original)
    return " ".join(shown).strip()
