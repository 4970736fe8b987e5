"""Sentences, tokens, normalised forms and shingles, with character offsets into the document text.

Everything here runs with no NLTK data downloaded: sentence splitting is NLTK's Punkt with abbreviation
parameters shipped in ``helpers/data/abbreviations.txt`` (optionally extended by training Punkt on the
corpus itself), word tokenisation is NLTK's Treebank-style ``NLTKWordTokenizer``, stopwords come from
``helpers/data/stopwords.txt`` and stems from NLTK's Snowball stemmer (pure code, no data).

Offsets are always into the text given: ``text[start:end]`` is the sentence or token.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable

import numpy as np
import pandas as pd
from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTrainer

from ._data import word_list

__all__ = [
    "STOPWORDS",
    "ABBREVIATIONS",
    "sentence_tokenizer",
    "sentence_spans",
    "word_spans",
    "normalise",
    "sentences",
    "tokens",
    "words",
    "shingles",
    "simple_words",
    "document_stats",
    "vocabulary",
    "distinctive_terms",
]

STOPWORDS: frozenset[str] = word_list("stopwords.txt")
ABBREVIATIONS: frozenset[str] = word_list("abbreviations.txt")

# Same-length replacements so that offsets computed on the folded copy hold for the original text.
_QUOTE_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'",
                             "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
                             "\u2013": "-", "\u2014": "-", "\u2212": "-"})
_PARAGRAPH = re.compile(r"[^\n]+")
_WORDISH = re.compile(r"\w", re.UNICODE)
_SIMPLE_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)
_word_tokenizer = NLTKWordTokenizer()
_stemmer = SnowballStemmer("english")


def sentence_tokenizer(train_text: str | None = None, extra_abbreviations: Iterable[str] = ()) -> PunktSentenceTokenizer:
    """A Punkt sentence tokenizer with the shipped abbreviations.

    With ``train_text`` (for example the whole corpus), Punkt also learns the corpus's own abbreviations,
    collocations and sentence starters; the shipped abbreviations are always kept.
    """
    if train_text:
        trainer = PunktTrainer()
        trainer.INCLUDE_ALL_COLLOCS = False
        trainer.train(train_text.translate(_QUOTE_FOLD), finalize=True)
        params = trainer.get_params()
    else:
        params = PunktParameters()
    params.abbrev_types = set(params.abbrev_types) | set(ABBREVIATIONS) | {a.lower().rstrip(".") for a in extra_abbreviations}
    return PunktSentenceTokenizer(params)


@lru_cache(maxsize=1)
def _default_tokenizer() -> PunktSentenceTokenizer:
    return sentence_tokenizer()


def sentence_spans(text: str, tokenizer: PunktSentenceTokenizer | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence. Line breaks always end a sentence (headlines, list items, paragraphs)."""
    tok = tokenizer or _default_tokenizer()
    folded = text.translate(_QUOTE_FOLD)
    spans: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(folded):
        base = para.start()
        for s, e in tok.span_tokenize(para.group()):
            # Trim surrounding whitespace; drop spans with no word characters (stray "**", "###").
            chunk = folded[base + s: base + e]
            ls = len(chunk) - len(chunk.lstrip())
            rs = len(chunk.rstrip())
            if rs > ls and _WORDISH.search(chunk):
                spans.append((base + s + ls, base + s + rs))
    return spans


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each Treebank-style token of one sentence or short text."""
    folded = text.translate(_QUOTE_FOLD)
    try:
        return list(_word_tokenizer.span_tokenize(folded))
    except ValueError:  # alignment can fail on exotic quote sequences; fall back to a simple split
        return [(m.start(), m.end()) for m in re.finditer(r"\w+(?:[-']\w+)*|[^\w\s]", folded)]


def normalise(token: str) -> str:
    """Normalised form: NFKC, case-folded, typographic quotes and dashes folded to ASCII."""
    return unicodedata.normalize("NFKC", token).translate(_QUOTE_FOLD).casefold()


def _is_punct(tok: str) -> bool:
    return not _WORDISH.search(tok)


def sentences(docs: pd.DataFrame, tokenizer: PunktSentenceTokenizer | None = None) -> pd.DataFrame:
    """One row per sentence: ``doc_id``, ``sent_id``, ``start``, ``end``, ``text`` (offsets into ``docs.text``)."""
    rows = []
    for doc_id, text in zip(docs["doc_id"], docs["text"]):
        for i, (s, e) in enumerate(sentence_spans(text, tokenizer)):
            rows.append((doc_id, i, s, e, text[s:e]))
    out = pd.DataFrame(rows, columns=["doc_id", "sent_id", "start", "end", "text"])
    return out.astype({"sent_id": "int64", "start": "int64", "end": "int64"})


def tokens(docs: pd.DataFrame, tokenizer: PunktSentenceTokenizer | None = None) -> pd.DataFrame:
    """One row per token with offsets into ``docs.text`` and its normalised forms.

    Columns: ``doc_id``, ``sent_id``, ``tok_id``, ``start``, ``end``, ``token``, ``norm``, ``stem``,
    ``is_punct``, ``is_stop``.
    """
    rows = []
    for doc_id, text in zip(docs["doc_id"], docs["text"]):
        tok_id = 0
        for sent_id, (ss, se) in enumerate(sentence_spans(text, tokenizer)):
            for ws, we in word_spans(text[ss:se]):
                s, e = ss + ws, ss + we
                tok = text[s:e]
                norm = normalise(tok)
                rows.append((doc_id, sent_id, tok_id, s, e, tok, norm))
                tok_id += 1
    out = pd.DataFrame(rows, columns=["doc_id", "sent_id", "tok_id", "start", "end", "token", "norm"])
    out = out.astype({"sent_id": "int64", "tok_id": "int64", "start": "int64", "end": "int64"})
    out["is_punct"] = np.array([_is_punct(t) for t in out["norm"]], dtype=bool)
    out["is_stop"] = out["norm"].isin(STOPWORDS).to_numpy()
    out["stem"] = [_stem(t) for t in out["norm"]]
    return out


@lru_cache(maxsize=200_000)
def _stem(norm: str) -> str:
    return _stemmer.stem(norm) if _WORDISH.search(norm) else norm


def words(text: str, drop_stopwords: bool = False) -> list[str]:
    """Normalised word tokens of a text (punctuation dropped), Treebank tokenisation."""
    out = []
    for ss, se in sentence_spans(text):
        for ws, we in word_spans(text[ss:se]):
            n = normalise(text[ss + ws: ss + we])
            if _is_punct(n) or (drop_stopwords and n in STOPWORDS):
                continue
            out.append(n)
    return out


def simple_words(text: str) -> list[str]:
    """Fast normalised words by one regular expression: the tokeniser for lexical hashing at scale."""
    return _SIMPLE_WORD.findall(normalise(text))


def shingles(word_seq: list[str], n: int = 5) -> list[str]:
    """Word n-gram shingles (space-joined); a sequence shorter than ``n`` gives itself as one shingle."""
    if not word_seq:
        return []
    if len(word_seq) <= n:
        return [" ".join(word_seq)]
    return [" ".join(word_seq[i: i + n]) for i in range(len(word_seq) - n + 1)]


# ------------------------------------------------------------------------------------------ statistics
def document_stats(docs: pd.DataFrame, toks: pd.DataFrame) -> pd.DataFrame:
    """Per document: characters, sentences, tokens, words (no punctuation), distinct words, type-token
    ratio, mean sentence length in words, share of stopwords."""
    w = toks[~toks["is_punct"]]
    g = w.groupby("doc_id", sort=False)
    out = pd.DataFrame({"doc_id": docs["doc_id"].to_numpy(), "chars": docs["text"].str.len().to_numpy()})
    out["sentences"] = out["doc_id"].map(toks.groupby("doc_id")["sent_id"].nunique()).fillna(0).astype(int)
    out["tokens"] = out["doc_id"].map(toks.groupby("doc_id").size()).fillna(0).astype(int)
    out["words"] = out["doc_id"].map(g.size()).fillna(0).astype(int)
    out["distinct_words"] = out["doc_id"].map(g["norm"].nunique()).fillna(0).astype(int)
    out["type_token_ratio"] = (out["distinct_words"] / out["words"].where(out["words"] > 0)).round(3)
    out["words_per_sentence"] = (out["words"] / out["sentences"].where(out["sentences"] > 0)).round(1)
    out["stopword_share"] = out["doc_id"].map(g["is_stop"].mean()).round(3)
    return out


def vocabulary(toks: pd.DataFrame, drop_stopwords: bool = True) -> pd.DataFrame:
    """Word frequencies over the corpus: ``norm``, ``count``, ``documents`` (how many contain it)."""
    w = toks[~toks["is_punct"]]
    if drop_stopwords:
        w = w[~w["is_stop"]]
    out = w.groupby("norm").agg(count=("norm", "size"), documents=("doc_id", "nunique")).reset_index()
    return out.sort_values(["count", "norm"], ascending=[False, True], ignore_index=True)


def distinctive_terms(toks: pd.DataFrame, n: int = 10, min_count: int = 2) -> pd.DataFrame:
    """The words most characteristic of each document against the rest of the corpus.

    Score: term frequency times IDF, ``log((1 + N) / (1 + df))``, so a word found in every document scores
    zero; content words only (stopwords, punctuation and numbers dropped), seen at least ``min_count``
    times in the document (or once, for short documents). A one-document corpus is ranked by frequency.
    Columns: ``doc_id``, ``rank``, ``term``, ``count``, ``documents``, ``score``.
    """
    w = toks[~toks["is_punct"] & ~toks["is_stop"] & toks["norm"].str.contains(r"[^\W\d_]", regex=True)]
    if w.empty:
        return pd.DataFrame(columns=["doc_id", "rank", "term", "count", "documents", "score"])
    n_docs = toks["doc_id"].nunique()
    tf = w.groupby(["doc_id", "norm"]).size().rename("count").reset_index()
    df = w.groupby("norm")["doc_id"].nunique().rename("documents")
    tf = tf.join(df, on="norm")
    doc_len = w.groupby("doc_id").size()
    idf = np.log((1 + n_docs) / (1 + tf["documents"])) if n_docs > 1 else 1.0
    tf["score"] = (tf["count"] / tf["doc_id"].map(doc_len)) * idf
    short = tf["doc_id"].map(doc_len) < 100
    tf = tf[((tf["count"] >= min_count) | short) & (tf["score"] > 0)]
    tf = tf.sort_values(["doc_id", "score", "norm"], ascending=[True, False, True])
    tf["rank"] = tf.groupby("doc_id").cumcount() + 1
    out = tf[tf["rank"] <= n].rename(columns={"norm": "term"})
    out["score"] = out["score"].round(4)
    return out[["doc_id", "rank", "term", "count", "documents", "score"]].reset_index(drop=True)
