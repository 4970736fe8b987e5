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
- ``sentence_spans`` is Punkt with the shipped abbreviations; line breaks always end a sentence, and an overlong
  paragraph is cut into bounded pieces first (``bounded_pieces``), so no regular expression sees megabytes.
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
    "bounded_pieces",
    "MAX_PIECE_CHARS",
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


def _as_re(pattern) -> re.Pattern:
    """An NLTK rule pattern (a ``nltk.redos`` timed pattern or an ``re`` pattern) compiled by ``re``."""
    flags = getattr(pattern, "flags", 0) & (re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE | re.VERBOSE)
    return re.compile(pattern.pattern, flags)


# When a Treebank rule can match ASCII text at all: one of these substrings must be in it (case-folded for the
# contraction rules, which are case-insensitive). A rule not listed here always runs; non-ASCII text runs every rule.
_RULE_NEEDS = {
    r"([«“‘„]|[`]+)": ("`",),
    r"^\"": ('"',),
    r"(``)": ("``",),
    r"([ \(\[{<])(\"|\'{2})": ('"', "''"),
    r"(?i)(?<!\w)(\')(?!(?:re|ve|ll|m|t|s|d|n)\b)(?=\w)": ("'",),
    r"""([^\.])(\.)([\]\)}>"\'»”’ ]*+)\s*$""": (".",),
    r"([:,])([^\d])": (":", ","),
    r"([:,])$": (":", ","),
    r"\.{2,}": ("..",),
    r"[;@#$%&]": tuple(";@#$%&"),
    r"[\u2012-\u2015]": (),
    r"""([^\.])(\.)([\]\)}>"\']*)\s*$""": (".",),
    r"[?!]": ("?", "!"),
    r"([^'])' ": ("' ",),
    r"[*]": ("*",),
    r"[\]\[\(\)\{\}\<\>]": tuple("[](){}<>"),
    r"--": ("--",),
    r"([»”’])": (),
    r"''": ("''",),
    r'"': ('"',),
    r"\s+": tuple("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"),  # turns other whitespace into spaces
    r"([^' ])('[sS]|'[mM]|'[dD]|') ": ("'",),
    r"([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ": ("'",),
    r"(?i)\b(can)(?#X)(not)\b": ("cannot",),
    r"(?i)\b(d)(?#X)('ye)\b": ("d'ye",),
    r"(?i)\b(gim)(?#X)(me)\b": ("gimme",),
    r"(?i)\b(gon)(?#X)(na)\b": ("gonna",),
    r"(?i)\b(got)(?#X)(ta)\b": ("gotta",),
    r"(?i)\b(lem)(?#X)(me)\b": ("lemme",),
    r"(?i)\b(more)(?#X)('n)\b": ("more'n",),
    r"(?i)\b(wan)(?#X)(na)(?=\s)": ("wanna",),
    r"(?i) ('t)(?#X)(is)\b": (" 'tis",),
    r"(?i) ('t)(?#X)(was)\b": (" 'twas",),
}


def _treebank_rules() -> tuple[list, list]:
    """NLTK's Treebank rules, in the order ``NLTKWordTokenizer.tokenize`` applies them, split where it pads the
    text with a space on each side: ``(before, after)``, each a list of (pattern, replacement, needs, folded)
    (``needs``: substrings one of which ASCII text must hold for the rule to match, None when unknown;
    ``folded``: look for them in the case-folded text)."""
    tb = NLTKWordTokenizer
    before = [*tb.STARTING_QUOTES, *tb.PUNCTUATION, tb.PARENS_BRACKETS, tb.DOUBLE_DASHES]
    after = [*tb.ENDING_QUOTES, *((rx, r" \1 \2 ") for rx in (*tb.CONTRACTIONS2, *tb.CONTRACTIONS3))]

    def rule(rx, sub):
        compiled = _as_re(rx)
        return compiled, sub, _RULE_NEEDS.get(rx.pattern), bool(compiled.flags & re.IGNORECASE)

    return [rule(rx, sub) for rx, sub in before], [rule(rx, sub) for rx, sub in after]


def _apply(rules: list, text: str, ascii_only: bool) -> str:
    folded = None
    for rx, sub, needs, case_folded in rules:
        if ascii_only and needs is not None:
            if case_folded:
                folded = text.lower() if folded is None else folded
            where = folded if case_folded else text
            for n in needs:
                if n in where:
                    break
            else:  # none of the rule's trigger substrings is in the text: it cannot match
                continue
        text = rx.sub(sub, text)
        folded = None
    return text


# NLTK 3.10 runs every Treebank pattern through the ``regex`` module under a wall-clock timeout (its guard for
# caller-supplied patterns). These fixed patterns are linear and ``sentence_spans`` bounds what they see, so the
# same rules run through ``re`` here, and on ASCII text only the rules whose trigger characters occur: about
# three times as fast, with identical spans (tests/test_tokenise.py compares them with NLTK's).
_TREEBANK_BEFORE, _TREEBANK_AFTER = _treebank_rules()
_DOUBLE_QUOTES = re.compile(r"``|'{2}|\"")


@lru_cache(maxsize=100_000)
def _treebank_spans(folded: str) -> tuple[tuple[int, int], ...]:
    """``NLTKWordTokenizer().span_tokenize(folded)`` computed faster (cached: copies repeat their sentences)."""
    ascii_only = folded.isascii()
    text = _apply(_TREEBANK_BEFORE, folded, ascii_only)
    text = _apply(_TREEBANK_AFTER, " " + text + " ", ascii_only)
    tokens = text.split()
    if '"' in folded or "''" in folded:  # the tokenizer turned double quotes into `` and '': put them back
        quotes = iter(m.group() for m in _DOUBLE_QUOTES.finditer(folded))
        tokens = [next(quotes) if t in ('"', "``", "''") else t for t in tokens]
    spans, point = [], 0
    for token in tokens:
        start = folded.index(token, point)
        point = start + len(token)
        spans.append((start, point))
    return tuple(spans)


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each Treebank-style token of one sentence or short text."""
    folded = text.translate(QUOTE_FOLD)
    try:
        return list(_treebank_spans(folded))
    except ValueError:  # alignment can fail on exotic quote sequences; fall back to a simple split
        return [(m.start(), m.end()) for m in re.finditer(r"\w+(?:[-']\w+)*|[^\w\s]", folded)]


@lru_cache(maxsize=500_000)
def stem(word: str) -> str:
    """Snowball (English) stem of a normalised word; a token with no word character is returned as it is."""
    return _stemmer.stem(word) if _WORDISH.search(word) else word


def _is_content(word: str, min_length: int = 2) -> bool:
    """A normalised word that is no stopword and has at least ``min_length`` characters."""
    return word not in STOPWORDS and len(word) >= min_length


def content_words(text: str, min_length: int = 2) -> list[str]:
    """Normalised words of a text without stopwords and words shorter than ``min_length``."""
    return [w for w in simple_words(text) if _is_content(w, min_length)]


@lru_cache(maxsize=500_000)
def _content_stem(word: str) -> str | None:
    """What :func:`content_stems` makes of one normalised word (None: dropped)."""
    if not _is_content(word):
        return None
    return stem(word) if len(word) > 3 and word.isalpha() else word


def content_stems(text: str) -> list[str]:
    """Stemmed content words (stopwords and one-letter words dropped); words of up to three letters, and words
    with digits or inner punctuation, are kept as written (stemming them merges unrelated short words)."""
    return [s for s in map(_content_stem, simple_words(text)) if s is not None]


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


# Punkt's regular expressions run on one paragraph at a time; a paragraph longer than this (a scraped page with no
# line breaks, a binary blob that decoded as text) is first cut into pieces of at most this many characters, after
# the last sentence-ending punctuation of each piece (else its last space), so that no expression ever sees
# megabytes at once (NLTK abandons such a match after 5 s with a TimeoutError) and time stays linear. Real
# paragraphs are shorter: the longest in the 14,070 development articles of ../shared is 31,409 characters (a
# DUC article without line breaks; Punkt takes about 0.1 s on 50,000), so pieces change no real article.
MAX_PIECE_CHARS = 50_000
_CUT_AFTER = re.compile(r"[.!?][\"')\]]*\s+")


def bounded_pieces(text: str, start: int, end: int, limit: int = MAX_PIECE_CHARS) -> list[tuple[int, int]]:
    """``text[start:end]`` as consecutive ``(start, end)`` pieces of at most ``limit`` characters, each cut after
    its last sentence-ending punctuation and the spaces after it, else after its last space, else at ``limit``."""
    pieces = []
    while end - start > limit:
        window = text[start : start + limit]
        sentence_ends = [m.end() for m in _CUT_AFTER.finditer(window)]
        cut = sentence_ends[-1] if sentence_ends else window.rfind(" ") + 1
        cut = cut if cut > 0 else limit
        pieces.append((start, start + cut))
        start += cut
    pieces.append((start, end))
    return pieces


def sentence_spans(text: str, tokenizer: PunktSentenceTokenizer | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence. Line breaks always end a sentence (headlines, list items, paragraphs); a
    paragraph over ``MAX_PIECE_CHARS`` is split into bounded pieces first (:func:`bounded_pieces`)."""
    tok = tokenizer or _default_tokenizer()
    folded = text.translate(QUOTE_FOLD)
    ends = _sentence_ends(tuple(tok._lang_vars.sent_end_chars))
    spans: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(folded):
        for start, end in bounded_pieces(folded, para.start(), para.end()):
            piece = folded[start:end]
            # Punkt ends sentences only at its sentence-ending characters: without one, the piece is one sentence.
            parts = tok.span_tokenize(piece) if ends.search(piece) else [(0, len(piece))]
            for s, e in parts:
                # Trim surrounding whitespace; drop spans with no word characters (stray "**", "###").
                chunk = piece[s:e]
                ls = len(chunk) - len(chunk.lstrip())
                rs = len(chunk.rstrip())
                if rs > ls and _WORDISH.search(chunk):
                    spans.append((start + s + ls, start + s + rs))
    return spans


@lru_cache(maxsize=8)
def _sentence_ends(chars: tuple[str, ...]) -> re.Pattern:
    return re.compile("[" + re.escape("".join(chars)) + "]")


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
