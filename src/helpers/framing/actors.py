"""Actors: the people, places and organisations a document talks about, merged by alias, and their salience."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..text import STOPWORDS, normalise
from .lexicon import shipped_honorifics
from .names import WordArrays, clean_name, phrase_spans

__all__ = [
    "ActorParams",
    "ACTOR_COLUMNS",
    "SALIENCE_COLUMNS",
    "demonym_table",
    "aliases_from_text",
    "actors",
    "actor_mentions",
    "merge_actors",
    "actor_salience",
]

ACTOR_COLUMNS = ["doc_id", "sent_id", "start", "end", "mention", "actor"]
SALIENCE_COLUMNS = ["doc_id", "actor", "mentions", "per_1k", "first_sentence", "rank"]
DEMONYM_SUFFIXES = ("n", "an", "ian", "i", "ese", "ish", "ns", "ans", "ians", "is")
SENTENCE_END = re.compile(r"[*_\s]*[.!?\"\u201d']")  # within the 4 characters after a line's last word


@dataclass(frozen=True)
class ActorParams:
    """Settings of actor extraction. Set by hand in the first version of the framing stage and checked on
    BBC/Reuters Syria news (commit daa97d8); not tuned on labelled data.

    - ``headline_word_length``, ``headline_min_words``, ``headline_capitalised_share``: a line with at least
      ``headline_min_words`` words of ``headline_word_length`` letters or more (stopwords aside), this share of
      them capitalised and no sentence-final punctuation is a title-case headline; its words are not mentions.
    - ``min_name_length``: shorter names (after cleaning) are not actors.
    - ``min_acronym_length``: an all-capitals word this long or longer may stand for a multi-word name
      ("IRGC" for "Islamic Revolutionary Guard Corps").
    """

    headline_word_length: int = 4
    headline_min_words: int = 2
    headline_capitalised_share: float = 0.75
    min_name_length: int = 2
    min_acronym_length: int = 2


def demonym_table(bases: set) -> dict[str, str]:
    """Demonym form -> base name for every base ("iranian" -> "iran", "lebanese" -> "lebanon").

    Forms are the base (or the base without a final vowel, or without a final "on"/"ey" when longer than five
    letters) plus a demonym suffix; bases shorter than three letters get none."""
    out: dict[str, str] = {}
    for b in sorted(bases):
        if len(b) < 3:
            continue
        stems = {b}
        if b[-1] in "aeiouy":
            stems.add(b[:-1])
        if len(b) > 5 and b[-2:] in ("on", "ey"):
            stems.add(b[:-2])
        for st in stems:
            for suf in DEMONYM_SUFFIXES:
                form = st + suf
                if len(form) > len(b):
                    out.setdefault(form, b)
    return out


def aliases_from_text(text: str) -> dict[str, str]:
    """``{mention: actor}`` from ``"mention:actor; mention:actor"`` (the notebook's ``actor_aliases``); parts
    without a colon are an error."""
    parts = [part.strip() for part in (text or "").split(";") if part.strip()]
    bad = [part for part in parts if ":" not in part]
    if bad:
        raise ValueError(f"actor aliases are 'mention:actor' pairs separated by ';', got {bad}")
    return {k.strip(): v.strip() for k, v in (part.split(":", 1) for part in parts)}


def _headlines(view: pd.DataFrame, W: WordArrays, p: ActorParams) -> np.ndarray:
    """Whether each sentence (``W.bounds``) is a title-case headline: at least ``headline_min_words`` long content
    words, at least ``headline_capitalised_share`` of them capitalised, and no sentence-final punctuation."""
    lo = W.first_words
    last = np.r_[lo[1:], W.n] - 1
    long_ = W.per_word("tok", lambda t: len(t) >= p.headline_word_length) & ~W.per_word("norm", STOPWORDS.__contains__)
    n_long = np.add.reduceat(long_.astype(np.int64), lo)
    n_capitalised = np.add.reduceat((long_ & W.cap).astype(np.int64), lo)
    out = n_long >= p.headline_min_words
    out[out] &= n_capitalised[out] / n_long[out] >= p.headline_capitalised_share
    texts = dict(zip(view["doc_id"], view["text"]))
    for k in np.flatnonzero(out):  # ended by punctuation: not a headline
        text, end = texts.get(W.doc[lo[k]], ""), int(W.end[last[k]])
        out[k] = not SENTENCE_END.match(text[end : end + 4])
    return out


def _mentions(view: pd.DataFrame, W: WordArrays, titles: frozenset, p: ActorParams) -> tuple[pd.DataFrame, set]:
    """Name mentions outside headlines, and the names seen after a title ("Mr. al-Assad": persons)."""
    start, end, honorific = phrase_spans(W, titles)
    sentence = np.repeat(np.arange(len(W.first_words)), np.diff(np.r_[W.first_words, W.n]))
    keep = ~_headlines(view, W, p)[sentence[start]]
    rows = []
    titled: set[str] = set()
    for a, b, h in zip(start[keep].tolist(), end[keep].tolist(), honorific[keep].tolist()):
        name = clean_name(W.tok[a:b].tolist())
        if len(name) < p.min_name_length:
            continue
        if h:
            titled.add(name)
        rows.append((W.doc[a], int(W.sent[a]), int(W.start[a]), int(W.end[b - 1]), name))
    return pd.DataFrame(rows, columns=ACTOR_COLUMNS[:-1]), titled


def _surname(name: str) -> str:
    return re.sub(r"^(?:al|el)-", "", name, flags=re.I).casefold()


def _canonical(freq: Counter, titled: set, p: ActorParams) -> dict[str, str]:
    """Each mention key -> its actor: a lone surname or acronym joins a full name, a demonym its country."""
    canon = {k: k for k in freq}
    multi = [k for k in freq if len(k.split()) >= 2]
    single = [k for k in freq if len(k.split()) == 1]
    by_surname: dict[str, list[str]] = {}
    by_initials: dict[str, list[str]] = {}
    for name in multi:
        by_surname.setdefault(_surname(name.split()[-1]), []).append(name)
        by_initials.setdefault("".join(x[0] for x in name.split() if x[0].isupper()), []).append(name)
    demonyms = demonym_table({x.casefold() for x in single})
    base_of: dict[str, str] = {}  # each casefolded name's most frequent form (ties by name: not by input order)
    for x in sorted(single, key=lambda x: (freq[x], x)):
        base_of[x.casefold()] = x
    titled_surnames = {_surname(x.split()[-1]) for x in titled}
    for k in single:
        # a lone word joins a full name only when that surname is used with a title somewhere ("President Assad"):
        # "Syria" must not join "New York Syria"
        cands = [n for n in by_surname.get(_surname(k), []) if _surname(k) in titled_surnames or n in titled]
        if not cands and k.isupper() and len(k) >= p.min_acronym_length:
            cands = by_initials.get(k, [])
        if cands:
            canon[k] = max(cands, key=lambda c: (freq[c], len(c), c))  # ties by name: not by input order
            continue
        base = demonyms.get(k.casefold())
        if base is not None and base != k.casefold():
            canon[k] = base_of[base]
    for k in list(canon):  # chains (a demonym of a surname etc.) resolve to a fixed point
        seen = {k}
        while canon[canon[k]] != canon[k] and canon[k] not in seen:
            seen.add(canon[k])
            canon[k] = canon[canon[k]]
    return canon


def actor_mentions(
    view: pd.DataFrame,
    toks: pd.DataFrame,
    honorifics: frozenset | None = None,
    params: ActorParams | None = None,
    arrays: WordArrays | None = None,
) -> tuple[pd.DataFrame, set]:
    """Name mentions outside title-case headlines (``doc_id, sent_id, start, end, mention``: each document on its
    own), and the names seen after a title (persons), before :func:`merge_actors` merges them across the corpus."""
    p = params or ActorParams()
    titles = shipped_honorifics() if honorifics is None else honorifics
    W = WordArrays(toks) if arrays is None else arrays  # ``arrays``: WordArrays(toks) already made
    if W.n == 0:
        return pd.DataFrame(columns=ACTOR_COLUMNS[:-1]), set()
    return _mentions(view, W, titles, p)


def merge_actors(
    mentions: pd.DataFrame,
    titled: set,
    aliases: Mapping[str, str] | None = None,
    params: ActorParams | None = None,
) -> pd.DataFrame:
    """:func:`actor_mentions` (of the whole corpus) with their ``actor``: aliases given as ``{mention: actor}``
    first (case-insensitive), then a lone surname or acronym joins the full name, a demonym its country."""
    if mentions.empty:
        return pd.DataFrame(columns=ACTOR_COLUMNS)
    p = params or ActorParams()
    m = mentions.copy()
    alias = {normalise(k): v for k, v in (aliases or {}).items()}
    names = m["mention"].tolist()  # plain strings: read three times below
    aliased = {x: normalise(x) in alias for x in dict.fromkeys(names)} if alias else {}  # once per name
    key = [alias[normalise(x)] if aliased.get(x) else x for x in names]
    forced = [aliased.get(x, False) for x in names]
    canon = _canonical(Counter(key), titled, p)
    m["actor"] = [k if f else canon.get(k, k) for k, f in zip(key, forced)]
    return m


def actors(
    view: pd.DataFrame,
    toks: pd.DataFrame,
    aliases: Mapping[str, str] | None = None,
    honorifics: frozenset | None = None,
    params: ActorParams | None = None,
    arrays: WordArrays | None = None,
) -> pd.DataFrame:
    """Actor mentions: proper-noun phrases merged by alias. ``doc_id, sent_id, start, end, mention, actor``.

    Merging (after any ``aliases`` given as ``{mention: actor}``, case-insensitive): titles dropped ("Mr.",
    "President"), a surname alone joins the full name ("Mr. al-Assad", "Assad" -> "Bashar al-Assad"), an acronym
    joins the name it abbreviates, a demonym joins its country ("Iranian" -> "Iran"). Title-case lines
    (headlines) are skipped. ``view`` is :func:`~helpers.framing.documents.document_view`, ``toks`` its tokens.
    """
    mentions, titled = actor_mentions(view, toks, honorifics, params, arrays)
    return merge_actors(mentions, titled, aliases, params)


def actor_salience(mentions: pd.DataFrame, n_words: Mapping[str, int], top: int | None = None) -> pd.DataFrame:
    """Per document and actor: ``mentions``, ``per_1k`` (per 1,000 words), ``first_sentence``, ``rank`` (1 = most
    mentioned, ties by first mention); only the ``top`` ranks of each document when given."""
    if mentions.empty:
        return pd.DataFrame(columns=SALIENCE_COLUMNS)
    g = mentions.groupby(["doc_id", "actor"], sort=False).agg(
        mentions=("actor", "size"), first_sentence=("sent_id", "min")
    )
    g = g.reset_index()
    g["per_1k"] = g["mentions"] / g["doc_id"].map(n_words).replace(0, np.nan) * 1000
    g = g.sort_values(["doc_id", "mentions", "first_sentence"], ascending=[True, False, True], kind="stable")
    g["rank"] = g.groupby("doc_id").cumcount() + 1
    if top:
        g = g[g["rank"] <= top]
    return g[SALIENCE_COLUMNS].reset_index(drop=True)
