"""VADER sentiment (Hutto & Gilbert 2014) for many sentences at once: NLTK's rules, vectorised.

NLTK's ``SentimentIntensityAnalyzer`` scores one sentence at a time in Python (about 1 ms a sentence: most of the
framing step's time on a large corpus). This module applies the same rules to every word of every sentence at
once with NumPy, reading the lexicon file shipped in the ``vaderSentiment`` package, and gives NLTK's compound
scores (the test compares them on real and constructed sentences). Words are NLTK-VADER's own: the sentence split
on whitespace, one leading or trailing punctuation mark (``PUNC_LIST``) removed from a word that is otherwise in
the sentence. The rules, each applied per word from the three words before it: lexicon valence; ALL-CAPS
emphasis; booster and dampener words (scaled 1, 0.95, 0.9 by distance); negation (``N_SCALAR``); "never so/this";
idioms and "kind of"/"sort of"; "least"; then "but" (halves what comes before it, and adds half to what comes
after) and "!"/"?" emphasis per sentence. Like NLTK, a word repeated in a sentence is read in the context of its
first occurrence.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["VaderScores", "vader_lexicon", "vader_scores", "vader_compound"]

B_INCR, B_DECR, C_INCR, N_SCALAR = 0.293, -0.293, 0.733, -0.74
PUNC_LIST = frozenset(
    [".", "!", "?", ",", ";", ":", "-", "'", '"', "!!", "!!!", "??", "???", "?!?", "!?!", "?!?!", "!?!?"]
)
_PUNCT_CHARS = frozenset(string.punctuation)
_PUNCT = re.compile(f"[{re.escape(string.punctuation)}]")
_EDGE = re.compile(f"^([{re.escape(string.punctuation)}]*)(.*?)([{re.escape(string.punctuation)}]*)$", re.S)


@lru_cache(maxsize=1)
def _constants():
    from nltk.sentiment.vader import VaderConstants

    c = VaderConstants()
    return c.NEGATE, c.BOOSTER_DICT, c.SPECIAL_CASE_IDIOMS


@lru_cache(maxsize=1)
def vader_lexicon() -> dict[str, float]:
    """The VADER lexicon of the ``vaderSentiment`` package (word -> mean valence, -4 to 4), read as NLTK reads it;
    raises when the package or its lexicon file is missing."""
    import vaderSentiment

    path = Path(vaderSentiment.__file__).resolve().parent / "vader_lexicon.txt"
    if not path.is_file():
        raise FileNotFoundError(f"vaderSentiment ships no lexicon at {path}")
    lex = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        parts = line.strip().split("\t")
        if len(parts) >= 2:
            lex[parts[0]] = float(parts[1])
    return lex


def _vader_word(w: str) -> str:
    """One whitespace-separated word as NLTK-VADER reads it (``SentiText._words_and_emoticons``): it loses one
    leading or trailing mark of ``PUNC_LIST`` when what remains (two characters or more) has no punctuation in it
    (NLTK checks that it is a word of the sentence with punctuation removed, which it then always is)."""
    if w[0] in _PUNCT_CHARS or w[-1] in _PUNCT_CHARS:
        lead, core, trail = _EDGE.match(w).groups()
        if len(core) > 1 and bool(lead) != bool(trail) and (lead or trail) in PUNC_LIST and not _PUNCT.search(core):
            return core
    return w


_SEPARATOR = "\x01"  # between the texts split at once (a text that contains it is split on its own)


def _split_all(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The whitespace-separated words of all ``texts`` in one array, and each text's number of them: one
    ``str.split`` of the texts joined by a separator word (several times faster than a split per text)."""
    if not texts or any(_SEPARATOR in t for t in texts):
        split = [t.split() for t in texts]
        return np.array([w for ws in split for w in ws], dtype=object), np.array([len(ws) for ws in split], np.int64)
    words = np.array(f" {_SEPARATOR} ".join(texts).split(), dtype=object)
    ends = np.r_[np.flatnonzero(words == _SEPARATOR), len(words)]  # the separators, then the end
    n_split = np.diff(np.r_[-1, ends]) - 1
    return np.delete(words, ends[:-1]), n_split.astype(np.int64)


def _words(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """NLTK-VADER's words of every text, each distinct whitespace-separated word read once: each word's text
    index, its code among the distinct words read, those words, and each text's number of whitespace-separated
    words (words of one character are dropped)."""
    flat, n_split = _split_all(texts)
    text_of = np.repeat(np.arange(len(texts)), n_split)
    if not len(flat):
        return text_of, np.zeros(0, np.int64), np.zeros(0, object), n_split
    codes, uniques = pd.factorize(flat)
    keep = np.array([len(u) > 1 for u in uniques], dtype=bool)[codes]
    read_codes, read = pd.factorize(np.array([_vader_word(u) for u in uniques], dtype=object))
    return text_of[keep], read_codes[codes[keep]], np.asarray(read, dtype=object), n_split


@dataclass
class VaderScores:
    """Per sentence ``compound`` (NLTK's, rounded to 4 places) and ``n_split`` (its whitespace-separated words); per
    word the sentence index ``sentence``, the word ``word`` and its final ``valence`` (0 for words outside the
    lexicon)."""

    compound: np.ndarray
    sentence: np.ndarray
    word: np.ndarray
    valence: np.ndarray
    n_split: np.ndarray


def _negated(words_lower: np.ndarray, negate: frozenset) -> np.ndarray:
    return np.array([w in negate or "n't" in w for w in words_lower], dtype=bool)


def vader_scores(texts: Sequence[str]) -> VaderScores:
    """VADER for every text (sentence) of ``texts``: NLTK's compound per text, and the valence of every word.

    Words are compared as codes of the distinct words (``none``, one code past them, stands for "no word")."""
    negate, booster, idioms = _constants()
    lex = vader_lexicon()
    n_texts = len(texts)
    sent, codes, uniques, n_split = _words(texts)
    n = len(codes)
    if n == 0:
        return VaderScores(np.zeros(n_texts), sent, np.zeros(0, object), np.zeros(0), n_split)
    words = uniques[codes]
    none = len(uniques)
    u_low = np.array([w.lower() for w in uniques], dtype=object)

    def is_(*forms, lower=False) -> np.ndarray:  # per distinct word (and "no word": False): one of ``forms``
        of = u_low if lower else uniques
        return np.r_[np.array([w in forms for w in of], dtype=bool), False]

    size = np.bincount(sent, minlength=n_texts)
    pos = np.arange(n) - np.repeat(np.cumsum(size) - size, size)
    # NLTK reads a repeated word at its first occurrence in the sentence: codes of (sentence, word) in order of
    # appearance, so a code met for the first time is above every code before it
    seen = pd.factorize(sent * np.int64(none) + codes)[0]
    at = np.flatnonzero(seen > np.r_[-1, np.maximum.accumulate(seen)[:-1]])[seen]
    i = pos[at]  # the index NLTK uses for each word
    upper = np.array([w.isupper() for w in uniques], dtype=bool)[codes]
    caps = np.bincount(sent, weights=upper, minlength=n_texts)
    cap_diff = ((size - caps) > 0) & ((size - caps) < size)
    in_lex = np.array([w in lex for w in u_low], dtype=bool)[codes]
    val0 = np.array([lex.get(w, 0.0) for w in u_low])[codes]
    boost = np.array([booster.get(w, 0.0) for w in u_low])[codes]
    neg = _negated(u_low, negate)[codes]

    def back(arr, k, fill):  # the value k words before each word's NLTK index, within its sentence
        src = at - k
        ok = i >= k
        return np.where(ok, arr[np.clip(src, 0, n - 1)], fill), ok

    valence = val0.copy()
    cd = cap_diff[sent]
    emph = upper[at] & cd
    valence = np.where(emph & (valence > 0), valence + C_INCR, np.where(emph, valence - C_INCR, valence))
    w1, _ = back(codes, 1, none)
    w2, _ = back(codes, 2, none)
    w3, _ = back(codes, 3, none)
    never, so_this = is_("never"), is_("so", "this")
    for start_i, scale in ((0, 1.0), (1, 0.95), (2, 0.9)):
        k = start_i + 1
        prev_in_lex, ok = back(in_lex, k, True)
        live = ok & ~prev_in_lex & in_lex
        b, _ = back(boost, k, 0.0)
        b_up, _ = back(upper, k, False)
        s = np.where(valence < 0, -b, b)
        s = np.where((b != 0) & b_up & cd, np.where(valence > 0, s + C_INCR, s - C_INCR), s)
        valence = np.where(live, valence + s * scale, valence)
        pneg, _ = back(neg, k, False)
        if start_i == 0:
            valence = np.where(live & pneg, valence * N_SCALAR, valence)
        elif start_i == 1:
            never_so = never[w2] & so_this[w1]
            valence = np.where(live & never_so, valence * 1.5, np.where(live & pneg, valence * N_SCALAR, valence))
        else:
            never_so = (never[w3] & so_this[w2]) | so_this[w1]
            valence = np.where(live & never_so, valence * 1.25, np.where(live & pneg, valence * N_SCALAR, valence))
            valence = _idioms(valence, live, codes, uniques, at, sent, (w1, w2, w3), idioms, booster)
    prev_in_lex, _ = back(in_lex, 1, True)
    least = in_lex & ~prev_in_lex & is_("least", lower=True)[w1]
    valence = np.where(least & (i > 1) & ~is_("at", "very", lower=True)[w2], valence * N_SCALAR, valence)
    valence = np.where(least & (i == 1), valence * N_SCALAR, valence)
    # "kind of" and booster words score 0 (as NLTK: checked at the word's first occurrence)
    nxt = np.where(at + 1 < n, codes[np.clip(at + 1, 0, n - 1)], none)
    same_next = (at + 1 < n) & (sent[np.clip(at + 1, 0, n - 1)] == sent)
    kind_of = is_("kind", lower=True)[codes] & same_next & is_("of", lower=True)[nxt]
    valence = np.where(kind_of | (boost != 0) | ~in_lex, 0.0, valence)
    valence = _but(valence, is_("but", lower=True)[codes], sent, pos, n_texts)
    return VaderScores(_compound(valence, sent, texts), sent, words, valence, n_split)


def _idioms(valence, live, codes, uniques, at, sent, before, idioms, booster):
    """NLTK's ``_idioms_check`` (run with the third preceding word, so only where ``live`` at distance 3).
    ``before``: the codes of the words 1, 2 and 3 before each word's NLTK index (``len(uniques)``: none)."""
    n = len(codes)
    word = np.r_[uniques, np.array([""], dtype=object)]  # by code, "" for none
    c0 = codes[at]
    nxt1 = np.where((at + 1 < n) & (sent[np.clip(at + 1, 0, n - 1)] == sent), codes[np.clip(at + 1, 0, n - 1)], -1)
    nxt2 = np.where((at + 2 < n) & (sent[np.clip(at + 2, 0, n - 1)] == sent), codes[np.clip(at + 2, 0, n - 1)], -1)
    out = valence.copy()
    vocab = {x for key in list(idioms) + [b for b in booster if " " in b] for x in key.split()}
    in_vocab = np.array([w in vocab for w in word], dtype=bool)
    near = in_vocab[c0] | in_vocab[before[0]] | in_vocab[before[1]] | in_vocab[before[2]]
    for k in np.flatnonzero(live & near):
        w0, w1, w2, w3 = word[c0[k]], word[before[0][k]], word[before[1][k]], word[before[2][k]]
        seqs = [f"{w1} {w0}", f"{w2} {w1} {w0}", f"{w2} {w1}", f"{w3} {w2} {w1}", f"{w3} {w2}"]
        v = out[k]
        for seq in seqs:
            if seq in idioms:
                v = idioms[seq]
                break
        if nxt1[k] >= 0 and f"{w0} {word[nxt1[k]]}" in idioms:
            v = idioms[f"{w0} {word[nxt1[k]]}"]
        if nxt2[k] >= 0 and f"{w0} {word[nxt1[k]]} {word[nxt2[k]]}" in idioms:
            v = idioms[f"{w0} {word[nxt1[k]]} {word[nxt2[k]]}"]
        if f"{w3} {w2}" in booster or f"{w2} {w1}" in booster:
            v = v + B_DECR
        out[k] = v
    return out


def _but(valence: np.ndarray, is_but: np.ndarray, sent: np.ndarray, pos: np.ndarray, n_sent: int) -> np.ndarray:
    """Before a sentence's first "but": half; after it: one and a half."""
    if not is_but.any():
        return valence
    first_but = np.full(n_sent, -1)
    b = np.flatnonzero(is_but)
    order = np.unique(sent[b], return_index=True)
    first_but[order[0]] = pos[b[order[1]]]
    fb = first_but[sent]
    factor = np.where(fb < 0, 1.0, np.where(pos < fb, 0.5, np.where(pos > fb, 1.5, 1.0)))
    return valence * factor


def _compound(valence: np.ndarray, sent: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    total = np.bincount(sent, weights=valence, minlength=len(texts))
    count = np.bincount(sent, minlength=len(texts))
    ep = np.array([min(t.count("!"), 4) * 0.292 for t in texts])
    qm = np.array([t.count("?") for t in texts])
    qa = np.where(qm > 3, 0.96, np.where(qm > 1, qm * 0.18, 0.0))
    amp = ep + qa
    total = np.where(total > 0, total + amp, np.where(total < 0, total - amp, total))
    compound = total / np.sqrt(total * total + 15)
    return np.where(count > 0, np.round(compound, 4), 0.0)


def vader_compound(texts: Sequence[str]) -> np.ndarray:
    """NLTK's VADER compound score of each text (sentence), -1 to 1."""
    return vader_scores(list(texts)).compound
