"""The text layer every stage shares: cleaning, normal forms, words, stems, sentences, shingles and TF-IDF.

One place for each piece of text logic, so that two stages never disagree on what a word or a sentence is:

- ``clean_text`` tidies a document body (Unicode NFKC, line ends, zero-width and control characters, spaces);
  ``comparison_key`` is the case-folded, whitespace-collapsed key under which two texts count as identical;
  ``normalise`` is the normal form of one token (NFKC, quotes and dashes folded, case-folded).
- ``fold_quotes`` replaces typographic quotes and dashes by ASCII ones of the same length, so offsets computed
  on the folded copy hold for the original.
- ``simple_words`` (one regular expression: ``\\w+`` joined by inner ``'`` or ``-``) is the fast word list;
  ``word_spans`` is NLTK's Treebank tokenisation of one sentence, with offsets.
- ``stem`` is the one Snowball stemmer (cached); ``content_words`` and ``content_stems`` drop stopwords.
- ``sentence_spans`` is Punkt with the shipped abbreviations; line breaks always end a sentence.
- ``shingles`` gives word n-grams; ``tfidf_matrix`` is the one TF-IDF set-up (sublinear, l2, float32).

Nothing here needs an NLTK download: abbreviations and stopwords ship in ``helpers/data``, Punkt's parameters
are built in code, and the Snowball stemmer is pure code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import numpy as np
from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTrainer
from scipy import sparse

from ._data import word_list

__all__ = [
    "STOPWORDS",
    "ABBREVIATIONS",
    "QUOTE_FOLD",
    "WORD",
    "fold_quotes",
    "clean_text",
    "comparison_key",
    "normalise",
    "is_punct",
    "simple_words",
    "word_spans",
    "stem",
    "content_words",
    "content_stems",
    "sentence_tokenizer",
    "sentence_spans",
    "shingles",
    "tfidf_matrix",
]

STOPWORDS: frozenset[str] = word_list("stopwords.txt")
ABBREVIATIONS: frozenset[str] = word_list("abbreviations.txt")

# Same-length replacements, so that offsets computed on the folded copy hold for the original text.
QUOTE_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)
WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)  # a word: \w+ joined by inner apostrophes or hyphens
_WORDISH = re.compile(r"\w", re.UNICODE)
_PARAGRAPH = re.compile(r"[^\n]+")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_word_tokenizer = NLTKWordTokenizer()
_stemmer = SnowballStemmer("english")


# ------------------------------------------------------------------------------------------ normal forms
def fold_quotes(text: str) -> str:
    """Typographic quotes, primes and dashes as ASCII, character for character (offsets unchanged)."""
    return text.translate(QUOTE_FOLD)


def clean_text(text: str) -> str:
    """A document body tidied: Unicode NFKC; line endings to ``\\n``; zero-width and control characters dropped;
    runs of spaces collapsed; lines stripped; at most one blank line in a row. Quotes are kept as written."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _ZERO_WIDTH.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    text = CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def comparison_key(text: str | None) -> str:
    """The key under which two texts are identical: NFKC, case-folded, whitespace collapsed, stripped."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def normalise(token: str) -> str:
    """Normal form of a token (or short text): NFKC, quotes and dashes folded to ASCII, case-folded."""
    return unicodedata.normalize("NFKC", token).translate(QUOTE_FOLD).casefold()


def is_punct(token: str) -> bool:
    """True for a token with no word character."""
    return not _WORDISH.search(token)


# ------------------------------------------------------------------------------------------ words
def simple_words(text: str) -> list[str]:
    """Normalised words by one regular expression: fast, and the same tokens the lexical hashing reads."""
    return WORD.findall(normalise(text))


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each Treebank-style token of one sentence or short text."""
    folded = text.translate(QUOTE_FOLD)
    try:
        return list(_word_tokenizer.span_tokenize(folded))
    except ValueError:  # alignment can fail on exotic quote sequences; fall back to a simple split
        return [(m.start(), m.end()) for m in re.finditer(r"\w+(?:[-']\w+)*|[^\w\s]", folded)]


@lru_cache(maxsize=500_000)
def stem(word: str) -> str:
    """Snowball (English) stem of a normalised word; a token with no word character is returned as it is."""
    return _stemmer.stem(word) if _WORDISH.search(word) else word


def content_words(text: str, min_length: int = 2) -> list[str]:
    """Normalised words of a text without stopwords and words shorter than ``min_length``."""
    return [w for w in simple_words(text) if w not in STOPWORDS and len(w) >= min_length]


def content_stems(text: str) -> list[str]:
    """Stemmed content words (stopwords and one-letter words dropped); words of up to three letters, and words
    with digits or inner punctuation, are kept as written (stemming them merges unrelated short words)."""
    return [stem(w) if len(w) > 3 and w.isalpha() else w for w in content_words(text)]


# ------------------------------------------------------------------------------------------ sentences
def sentence_tokenizer(
    train_text: str | None = None, extra_abbreviations: Iterable[str] = ()
) -> PunktSentenceTokenizer:
    """A Punkt sentence tokenizer with the shipped abbreviations.

    With ``train_text`` (for example the whole corpus), Punkt also learns the corpus's own abbreviations,
    collocations and sentence starters; the shipped abbreviations are always kept.
    """
    if train_text:
        trainer = PunktTrainer()
        trainer.INCLUDE_ALL_COLLOCS = False
        trainer.train(train_text.translate(QUOTE_FOLD), finalize=True)
        params = trainer.get_params()
    else:
        params = PunktParameters()
    params.abbrev_types = (
        set(params.abbrev_types) | set(ABBREVIATIONS) | {a.lower().rstrip(".") for a in extra_abbreviations}
    )
    return PunktSentenceTokenizer(params)


@lru_cache(maxsize=1)
def _default_tokenizer() -> PunktSentenceTokenizer:
    return sentence_tokenizer()


def sentence_spans(text: str, tokenizer: PunktSentenceTokenizer | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence. Line breaks always end a sentence (headlines, list items, paragraphs)."""
    tok = tokenizer or _default_tokenizer()
    folded = text.translate(QUOTE_FOLD)
    spans: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(folded):
        base = para.start()
        for s, e in tok.span_tokenize(para.group()):
            # Trim surrounding whitespace; drop spans with no word characters (stray "**", "###").
            chunk = folded[base + s : base + e]
            ls = len(chunk) - len(chunk.lstrip())
            rs = len(chunk.rstrip())
            if rs > ls and _WORDISH.search(chunk):
                spans.append((base + s + ls, base + s + rs))
    return spans


# ------------------------------------------------------------------------------------------ n-grams, vectors
def shingles(word_seq: Sequence[str], n: int = 5) -> list[str]:
    """Word n-gram shingles (space-joined); a sequence shorter than ``n`` gives itself as one shingle."""
    if not word_seq:
        return []
    if len(word_seq) <= n:
        return [" ".join(word_seq)]
    return [" ".join(word_seq[i : i + n]) for i in range(len(word_seq) - n + 1)]


def tfidf_matrix(
    texts: Sequence[str], analyzer: Callable[[str], list[str]] = content_words, dtype=np.float32
) -> sparse.csr_matrix:
    """Row-normalised TF-IDF (sublinear term frequency, l2 rows) of ``texts`` under ``analyzer``.

    An empty vocabulary (no text has a term) gives an all-zero ``len(texts) x 1`` matrix, never an error.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, norm="l2", dtype=dtype)
    try:
        return vec.fit_transform(list(texts)).tocsr()
    except ValueError:  # empty vocabulary
        return sparse.csr_matrix((len(texts), 1), dtype=dtype)
