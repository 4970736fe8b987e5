"""Tone: how sensational a text is, from eight visible parts, per document and per sentence.

Parts (each a rate; words from ``helpers/data/framing_tone.csv`` unless said otherwise):

* ``intensifiers`` ("extremely", "utterly", "unprecedented") and ``superlatives`` ("worst", "deadliest",
  "record"), per 100 words;
* ``exclamations`` ("!") per sentence, and ``capitals``: words in capitals for emphasis per 100 words (an
  all-capitals word of three letters or more whose lower-case form is an ordinary word: in the VADER lexicon, the
  stopwords, or written in lower case elsewhere in the corpus; "SHOCKING", not "NATO");
* ``emotive``: words of strong feeling per 100 words (VADER lexicon valence of magnitude ``emotive_valence`` or
  more, either sign: "horrific", "thrilled", "slaughter");
* ``alarm``: crisis and catastrophe words per 100 words ("chaos", "meltdown", "bombshell");
* ``clickbait``: clickbait headline forms in the headline (the title, or the first sentence when there is
  none): a number opening a list, "you", a forward reference ("this is why", "here's what"), a question, "won't
  believe", "what happened next", "BREAKING" ... (Chakraborty et al. 2016; Blom & Hansen 2015);
* ``loaded_verbs``: verbs that judge a statement instead of reporting it ("slams", "admits", "claims"), per 100
  words.

Each part is divided by its ``reference`` level, the 90th percentile of the part in ordinary news (:class:`ToneParams`
says which documents), and ``sensationalism = 1 - exp(-mean of the divided parts)``: 0 for flat prose, about 0.63
when the parts sit at the reference level on average, near 1 for text loaded on several parts at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..text import STOPWORDS
from .documents import word_tokens
from .lexicon import as_lexicon, match_terms
from .vader import vader_lexicon

__all__ = ["ToneParams", "TONE_PARTS", "CLICKBAIT", "SHOUTED", "tone_table", "sensationalism"]

TONE_LEXICON = "framing_tone.csv"
TONE_PARTS = [
    "intensifiers",
    "superlatives",
    "exclamations",
    "capitals",
    "emotive",
    "alarm",
    "clickbait",
    "loaded_verbs",
]
_LEXICON_PARTS = {"intensifier": "intensifiers", "superlative": "superlatives", "alarm": "alarm"}
_LEXICON_PARTS["loaded_verb"] = "loaded_verbs"
CLICKBAIT = re.compile(
    r"^\s*\d+\s+(?:things|ways|reasons|times|signs|facts|photos|pictures|tips|secrets|people|questions)\b"
    r"|\byou(?:r|'re|'ll|’re|’ll)?\b"
    r"|^\s*(?:this|these|here'?s|here is|here are|that's why|this is why|this is what)\b"
    r"|\?\s*$"
    r"|\b(?:won'?t|won’t) believe\b|\bwhat happened next\b|\bwill (?:make you|blow your)\b|\bmust[- ]see\b"
    r"|\bneed to know\b|\bjaw[- ]dropping\b|\bmind[- ]blowing\b|\bomg\b|\bgoes viral\b",
    re.IGNORECASE,
)
SHOUTED = re.compile(r"\b(?:BREAKING|EXCLUSIVE|WATCH|SHOCKING|REVEALED|URGENT)\b")  # in capitals only


@dataclass(frozen=True)
class ToneParams:
    """Settings of the sensationalism score.

    - ``emotive_valence``: a VADER lexicon word of at least this magnitude (-4..4 scale) is emotive. 2.0 is the
      lexicon's "strong" band ("good" 1.9 is not, "horrible" -2.5 is).
    - ``min_capitals_length``: shorter all-capitals words ("US", "UN") are never emphasis.
    - ``reference``: each part's level in ordinary news: the 90th percentile of its per-document rate over 1,500
      real news documents of ``../shared`` (Timeline17 BBC/Guardian/Reuters/Washington Post/Fox News articles, DUC
      2004 newswire and ECB+ articles, from ``benchmarks/real_corpus.py``; ``benchmarks/tone_validity.py
      --reference`` measures them). Except ``clickbait``: those documents carry no headlines (their first
      sentence stood in, which is no headline), so its level is one clickbait form per headline, set by hand.
    """

    emotive_valence: float = 2.0
    min_capitals_length: int = 3
    reference: dict = field(
        default_factory=lambda: {
            "intensifiers": 1.18,
            "superlatives": 0.73,
            "exclamations": 0.048,
            "capitals": 0.89,
            "emotive": 3.71,
            "alarm": 1.02,
            "clickbait": 1.0,
            "loaded_verbs": 0.48,
        }
    )


def _counts(units: pd.MultiIndex, rows: pd.DataFrame) -> np.ndarray:
    """Rows per unit of ``units`` (``doc_id, sent_id``), 0 for units without one."""
    if rows.empty:
        return np.zeros(len(units))
    c = rows.groupby(["doc_id", "sent_id"]).size()
    return c.reindex(units).fillna(0).to_numpy(float)


def _emphasis_capitals(
    w: pd.DataFrame, known: set, p: ToneParams, corpus_of: Mapping | None = None, lower_seen: set | None = None
) -> np.ndarray:
    """Words written in capitals whose lower-case form is a known word: of ``known``, or written in lower case in the
    table (in the same corpus, with ``corpus_of``; in ``lower_seen`` when given)."""
    tok = w["token"].to_numpy(object)
    codes, uniques = pd.factorize(tok)
    shouted = np.array([len(u) >= p.min_capitals_length and u.isalpha() and u.isupper() for u in uniques], dtype=bool)
    low = np.array([u.islower() for u in uniques], dtype=bool)[codes] if len(codes) else np.zeros(0, bool)
    if corpus_of is None:
        lower = set(w["norm"].to_numpy(object)[low]) if lower_seen is None else lower_seen
        ok = shouted & np.array([u.lower() in known or u.lower() in lower for u in uniques], dtype=bool)
        return ok[codes] if len(codes) else np.zeros(0, bool)
    corpus = w["doc_id"].map(corpus_of).to_numpy(object)
    lower_in = set(zip(corpus[low], w["norm"].to_numpy(object)[low]))
    out = np.zeros(len(tok), bool)
    for k in np.flatnonzero(shouted[codes] if len(codes) else np.zeros(0, bool)):
        form = tok[k].lower()
        out[k] = form in known or (corpus[k], form) in lower_in
    return out


def tone_table(
    toks: pd.DataFrame,
    texts: dict,
    headline_sentences: pd.MultiIndex | None = None,
    tone_lexicon=None,
    params: ToneParams | None = None,
    codes: dict | None = None,
    corpus_of: Mapping | None = None,
    words: pd.DataFrame | None = None,
    lower_seen: set | None = None,
) -> pd.DataFrame:
    """Per sentence of ``toks`` (``doc_id, sent_id``): word count, the count behind every part of
    :data:`TONE_PARTS`, and ``headline`` (the sentence is in ``headline_sentences``; clickbait forms count only
    there, and in every sentence when ``headline_sentences`` is None). ``texts``: ``{doc_id: text}`` the tokens
    index (for exclamation marks and headline patterns). ``codes``: :func:`~helpers.framing.lexicon.form_codes`
    of the word tokens, when already made. ``corpus_of``: ``{doc_id: corpus}`` when the table holds several corpora
    read at once (a capitalised word is emphasis when its corpus writes it in lower case; default one corpus).
    ``words``: ``word_tokens(toks)``, when already made. ``lower_seen``: the words written in lower case in the whole
    corpus when ``toks`` is part of it (:func:`~helpers.framing.names.name_sets`; default: those of ``toks``)."""
    p = params or ToneParams()
    lex = as_lexicon(tone_lexicon, default=TONE_LEXICON)
    allw = toks.groupby(["doc_id", "sent_id"], sort=False).agg(start=("start", "min"), end=("end", "max"))
    units = allw.index
    w = word_tokens(toks) if words is None else words
    out = pd.DataFrame(index=units)
    out["words"] = w.groupby(["doc_id", "sent_id"], sort=False).size().reindex(units).fillna(0).to_numpy()
    hits = match_terms(w, lex, overlap="category", negation=False, codes=codes)
    for cat, part in _LEXICON_PARTS.items():
        out[part] = _counts(units, hits[hits["category"] == cat])
    punct = toks[toks["is_punct"].to_numpy(bool)]
    out["exclamations"] = _counts(units, punct[punct["norm"].str.contains("!", regex=False)])
    vl = vader_lexicon()
    out["capitals"] = _counts(units, w[_emphasis_capitals(w, set(vl) | set(STOPWORDS), p, corpus_of, lower_seen)])
    if codes:  # the word tokens' norms already numbered
        norm_codes, norms = codes["norm"][0], list(codes["norm"][1])
    else:
        norm_codes, norms = pd.factorize(w["norm"].to_numpy(object))
    strong = np.array([abs(vl.get(x, 0.0)) >= p.emotive_valence for x in norms], dtype=bool)
    out["emotive"] = _counts(units, w[strong[norm_codes]] if len(w) else w)
    out["headline"] = True if headline_sentences is None else units.isin(headline_sentences)
    heads = np.flatnonzero(out["headline"].to_numpy(bool))
    clickbait = np.zeros(len(units))
    starts, ends = allw["start"].to_numpy(), allw["end"].to_numpy()
    clickbait[heads] = [_clickbait(texts[units[k][0]][starts[k] : ends[k]]) for k in heads]
    out["clickbait"] = clickbait
    return out[["words", *TONE_PARTS, "headline"]].reset_index()


def _clickbait(sentence: str) -> int:
    """Clickbait forms in one headline sentence (each pattern occurrence counts)."""
    return len(CLICKBAIT.findall(sentence)) + len(SHOUTED.findall(sentence))


def sensationalism(table: pd.DataFrame, by: str = "document", params: ToneParams | None = None) -> pd.DataFrame:
    """Part rates and the 0-1 ``sensationalism`` score per document (``by="document"``) or per sentence, from
    :func:`tone_table`: word parts per 100 words, exclamations per sentence, clickbait forms per headline."""
    p = params or ToneParams()
    t = table
    if by == "document":
        g = t.groupby("doc_id", sort=False)
        agg = g[["words", *TONE_PARTS]].sum()
        agg["sentences"] = g.size()
        agg["headlines"] = g["headline"].sum()
    else:
        agg = t.set_index(["doc_id", "sent_id"])[["words", *TONE_PARTS]].copy()
        agg["sentences"] = 1
        agg["headlines"] = t["headline"].to_numpy(int)
    words = np.maximum(agg["words"].to_numpy(float), 1)
    rates = pd.DataFrame(index=agg.index)
    for part in TONE_PARTS:
        if part == "exclamations":
            rates[part] = agg[part] / np.maximum(agg["sentences"], 1)
        elif part == "clickbait":
            rates[part] = agg[part] / np.maximum(agg["headlines"], 1)
        else:
            rates[part] = 100 * agg[part] / words
    ref = np.array([p.reference[k] for k in TONE_PARTS])
    load = (rates[TONE_PARTS].to_numpy(float) / ref).mean(axis=1)
    rates["sensationalism"] = np.where(agg["words"].to_numpy() > 0, 1 - np.exp(-load), np.nan)
    return rates.reset_index()
