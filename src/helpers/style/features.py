"""Stylometric features of one document, for the machine-style score.

Every feature is a rate or a ratio, so a long and a short text are comparable. Two groups:

- **Model features** (``MODEL_FEATURES``) are computed on the document's *body* read as running text: heading and
  label lines dropped, line breaks joined, markdown emphasis stripped, and a final unfinished sentence cut off.
  They are blind to layout on purpose: the human side of the training data lost its line breaks when it was
  collected, so any feature that sees paragraphs would learn "has paragraphs, so machine" rather than style.
  Markdown markup (``**bold**``, ``## heading``) is the exception: its characters survive any flattening.
- **Layout features** (``LAYOUT_FEATURES``) describe paragraphs, headings and lists. They are reported beside the
  score as description; the model does not use them.

The vocabulary and construction classes come from ``helpers/data/style_markers.csv`` and the function words from
``helpers/data/style_function_words.txt`` (both documented there). A document with fewer than ``MIN_WORDS`` words,
fewer than ``MIN_SENTENCES`` sentences, or too few English function words is not judged: its ``reason`` says why.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import islice

import numpy as np
import pandas as pd

from .._data import data_path, word_list
from ..failures import record
from ..text import STOPWORDS, WORD, clean_text, normalise, sentence_spans, stem
from .ngrams import VocabularyCounter, ngram_counts

__all__ = [
    "MIN_WORDS",
    "MIN_SENTENCES",
    "MAX_CHARS",
    "MODEL_FEATURES",
    "LAYOUT_FEATURES",
    "FEATURE_DESCRIPTIONS",
    "Body",
    "split_body",
    "document_features",
    "analyse",
    "feature_matrix",
    "feature_table",
    "scoring_table",
    "as_documents",
]

MIN_WORDS = 50  # fewer words: rates are too noisy to judge
MIN_SENTENCES = 3
MIN_FUNCTION_SHARE = 0.2  # English prose has 40-55 % stopwords; below this the text is not English prose
MAX_CHARS = 20_000  # only the first 20,000 characters (about 3,300 words) are read: rates are stable long before
MATTR_WINDOW = 50

FUNCTION_WORDS: tuple[str, ...] = tuple(sorted(word_list("style_function_words.txt")))

# ------------------------------------------------------------------------------------------ markers
_PHRASE_MAX = 6


@dataclass(frozen=True)
class _Markers:
    classes: tuple[str, ...]
    exact: dict[tuple[str, ...], str]  # word sequence -> class
    stems: dict[tuple[str, ...], str]  # stem sequence -> class
    regex: dict[str, re.Pattern]  # class -> alternation
    exact_starts: frozenset[str]  # first words of the exact terms
    stem_firsts: frozenset[str]  # first stems of the stem terms
    stem_starts: frozenset[str]  # their first three letters (a cheap test before stemming a word)
    exact_lengths: dict[str, frozenset[int]]  # first word -> the lengths of the exact terms it opens
    stem_lengths: dict[str, frozenset[int]]  # first stem -> the lengths of the stem terms it opens


@cache
def _markers() -> _Markers:
    text = data_path("style_markers.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if line.strip() and not line.startswith("#")))
    classes: list[str] = []
    exact: dict[tuple[str, ...], str] = {}
    stems: dict[tuple[str, ...], str] = {}
    patterns: dict[str, list[str]] = {}
    for row in rows:
        cls, term, kind = row["class"].strip(), row["term"].strip(), (row.get("match") or "stem").strip()
        if cls not in classes:
            classes.append(cls)
        if kind == "regex":
            patterns.setdefault(cls, []).append(f"(?:{term})")
            continue
        words = tuple(WORD.findall(normalise(term)))
        if not words or len(words) > _PHRASE_MAX:
            raise ValueError(f"style_markers.csv: bad term {term!r}")
        if kind == "exact":
            exact[words] = cls
        elif kind == "stem":
            stems[tuple(stem(w) for w in words)] = cls
        else:
            raise ValueError(f"style_markers.csv: unknown match kind {kind!r} for {term!r}")
    regex = {cls: re.compile("|".join(p)) for cls, p in patterns.items()}
    firsts = frozenset(t[0] for t in stems)
    return _Markers(
        tuple(classes),
        exact,
        stems,
        regex,
        frozenset(t[0] for t in exact),
        firsts,
        frozenset(f[:3] for f in firsts),
        _lengths(exact),
        _lengths(stems),
    )


def _lengths(terms: dict[tuple[str, ...], str]) -> dict[str, frozenset[int]]:
    out: dict[str, set[int]] = {}
    for t in terms:
        out.setdefault(t[0], set()).add(len(t))
    return {k: frozenset(v) for k, v in out.items()}


def _count_markers(words: list[str], flat_lower: str) -> Counter:
    m = _markers()
    counts: Counter = Counter()
    n = len(words)
    # the words that can open a term, decided once per distinct word (stemming only plausible openers)
    # and the lengths of the terms each opens (only those are looked up)
    openers = {}
    for word in set(words):
        first_stem = stem(word) if word[:3] in m.stem_starts else None
        if word in m.exact_starts or first_stem in m.stem_firsts:
            lengths = m.exact_lengths.get(word, frozenset()) | m.stem_lengths.get(first_stem, frozenset())
            openers[word] = (first_stem, sorted(lengths))
    for i in [i for i, word in enumerate(words) if word in openers]:
        first_stem, lengths = openers[words[i]]
        stems: list[str] | None = None
        for k in lengths:
            if k > n - i:
                break
            cls = m.exact.get(tuple(words[i : i + k]))
            if cls is None and first_stem in m.stem_firsts:
                stems = stems or [stem(w) for w in words[i : i + _PHRASE_MAX]]
                cls = m.stems.get(tuple(stems[:k]))
            if cls:
                counts[cls] += 1
    for cls, rx in m.regex.items():
        counts[cls] += sum(1 for _ in rx.finditer(flat_lower))
    return counts


# ------------------------------------------------------------------------------------------ feature names
_PUNCT = {
    "comma": re.compile(r","),
    "semicolon": re.compile(r";"),
    "colon": re.compile(r":(?!\d)"),  # not the colon of a clock time
    "exclamation": re.compile(r"!"),
    "question": re.compile(r"\?"),
    "parenthesis": re.compile(r"\("),
    "double_quote": re.compile(r"[\"“”„]"),
    # a dash between words, however it is typed (em dash, en or hyphen between spaces, doubled hyphen): one mark
    # whose typography is a writer's or a generator's habit (GPT-4o types "—", the others " - ")
    "dash": re.compile(r"—|(?<=\w)--(?=\w)|\w-{2}\s|\s--\s|\s[-–]\s"),
    "ellipsis": re.compile(r"…|\.\.\."),
}
# the punctuation classes that are single characters, counted without a regular expression
_PUNCT_CHARS = {
    "comma": ",",
    "semicolon": ";",
    "exclamation": "!",
    "question": "?",
    "parenthesis": "(",
    "double_quote": '"“”„',
}
_MARKDOWN = re.compile(r"\*\*[^*\n]{1,200}\*\*|__[^_\n]{1,200}__|(?:^|\s)#{1,6} \S", re.MULTILINE)
_CONTRACTION = re.compile(r"\b\w+(?:n['’]t|['’](?:re|ve|ll|m|d))\b|\b(?:it|that|there|here|what|who|let)['’]s\b", re.I)
_NOMINAL = re.compile(r"^\w{3,}(?:tion|sion|ment|ness|ity|ance|ence)s?$")
_PARTICIPLE = re.compile(r",\s+(?:\w+ly\s+)?([a-z]{3,}ing)\b")
_NOT_PARTICIPLE = frozenset(
    "including according during something nothing anything everything morning evening bring thing king "
    "spring string building meeting wedding ring wing ceiling".split()
)
_TERMINAL = re.compile(r"[.!?][\"'”’)\]]*$")

MARKER_FEATURES = [f"{c}_rate" for c in _markers().classes]
FUNCTION_FEATURES = [f"fw_{w}" for w in FUNCTION_WORDS]
MODEL_FEATURES: list[str] = [
    "sent_len_mean",
    "sent_len_sd",
    "sent_len_cv",
    "sent_len_jump",
    "sent_short_share",
    "sent_long_share",
    "word_len_mean",
    "long_word_share",
    "mattr",
    "nominal_rate",
    "participle_clause_rate",
    "contraction_rate",
    "number_rate",
    "proper_name_rate",
    "acronym_rate",
    "hyphen_word_rate",
    "quoted_sentence_share",
    "markdown_rate",
    *[f"{p}_rate" for p in _PUNCT],
    *MARKER_FEATURES,
    *FUNCTION_FEATURES,
]
LAYOUT_FEATURES: list[str] = [
    "n_words",
    "n_sentences",
    "n_paragraphs",
    "sentences_per_paragraph",
    "one_sentence_paragraph_share",
    "heading_lines",
    "titlecase_headings",
    "bullet_lines",
    "function_word_share",
]

_DESCRIBE = {
    "sent_len_mean": "mean sentence length (words)",
    "sent_len_sd": "spread of sentence length (words, s.d.)",
    "sent_len_cv": "burstiness: sentence-length s.d. / mean",
    "sent_len_jump": "mean change in length from one sentence to the next / mean length",
    "sent_short_share": "share of short sentences (under 8 words)",
    "sent_long_share": "share of long sentences (over 30 words)",
    "word_len_mean": "mean word length (characters)",
    "long_word_share": "share of long words (8+ letters)",
    "mattr": "type-token ratio (moving average over 50 words)",
    "nominal_rate": "nominalisations (-tion, -ment, -ity ...) per 100 words",
    "participle_clause_rate": "clauses opened by ', -ing' (', highlighting ...') per sentence",
    "contraction_rate": "contractions (don't, it's ...) per 100 words",
    "number_rate": "numbers per 100 words",
    "proper_name_rate": "capitalised words inside sentences (names) per 100 words",
    "acronym_rate": "acronyms (all capitals) per 100 words",
    "hyphen_word_rate": "hyphenated words per 100 words",
    "quoted_sentence_share": "share of sentences with a quotation mark",
    "markdown_rate": "markdown bold/heading markup per 100 words",
    "n_words": "words in the body",
    "n_sentences": "sentences in the body",
    "n_paragraphs": "paragraphs",
    "sentences_per_paragraph": "sentences per paragraph",
    "one_sentence_paragraph_share": "share of one-sentence paragraphs",
    "heading_lines": "heading or label lines",
    "titlecase_headings": "title-case heading lines",
    "bullet_lines": "bullet or numbered list lines",
    "function_word_share": "share of words on the stopword list",
}
_MARKER_DESCRIBE = {
    "additive_connective": "additive connectives (moreover, furthermore, additionally ...)",
    "contrast_connective": "contrast connectives (however, nevertheless ...)",
    "summarising_closer": "summarising connectives (overall, ultimately, in conclusion ...)",
    "signposting": "signposting ('it is important to note', 'when it comes to' ...)",
    "outlook_closer": "hedged outlook closers ('remains to be seen', 'paving the way' ...)",
    "excess_vocabulary": "LLM-typical vocabulary (delve, pivotal, underscore, landscape ...)",
    "formal_common": "register-inflating words (significant, numerous, ensure, highlight ...)",
    "construction": "LLM-typical constructions ('not only ... but', 'plays a crucial role' ...)",
    "plain_attribution": "plain attribution (said, told, according to)",
}
FEATURE_DESCRIPTIONS: dict[str, str] = {
    **_DESCRIBE,
    **{f"{p}_rate": f"{p.replace('_', ' ')} per 100 words" for p in _PUNCT},
    **{f"{c}_rate": _MARKER_DESCRIBE.get(c, c.replace("_", " ")) + " per 100 words" for c in _markers().classes},
    **{f"fw_{w}": f"'{w}' per 100 words" for w in FUNCTION_WORDS},
}


# ------------------------------------------------------------------------------------------ body and layout
_HEADING_MD = re.compile(r"^(?:#{1,6}\s|\*\*[^*]+\*\*:?$|__[^_]+__:?$)")
_BULLET = re.compile(r"^(?:[-*•·]\s+|\d{1,2}[.)]\s+)")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
_FINISHED_END = re.compile(r"[.!?;\"'”’)]$")
_SENTENCE_INSIDE = re.compile(r"[.!?]\s")
_SMALL = frozenset("a an and as at but by for from in into nor of on or per the to vs via with".split())


def _is_titlecase(line: str) -> bool:
    words = [w for w in WORD.findall(line) if w[0].isalpha()]
    if len(words) < 2:
        return False
    caps = [w[0].isupper() for w in words if w.casefold() not in _SMALL]
    return bool(caps) and sum(caps) / len(caps) >= 0.8


@dataclass(frozen=True)
class Body:
    """A document split into its running text and its layout."""

    body: str  # heading and label lines dropped, lines joined, markdown emphasis stripped, last fragment cut
    raw: str  # the cleaned text as read (at most MAX_CHARS)
    paragraphs: int
    heading_lines: int
    titlecase_headings: int
    bullet_lines: int
    spans: list[tuple[int, int]] | None = None  # the body's sentence spans, when splitting it needed them


def split_body(text: str) -> Body:
    """Running text and layout counts of one document (see the module docstring)."""
    raw = clean_text(text or "")
    if len(raw) > MAX_CHARS:
        cut = raw.rfind(" ", 0, MAX_CHARS)
        raw = raw[: cut if cut > MAX_CHARS // 2 else MAX_CHARS]
    kept: list[str] = []
    headings = titled = bullets = 0
    for line in raw.split("\n"):
        line = line.strip()
        if not line:
            continue
        plain = _EMPHASIS.sub("", line).strip() if "*" in line or "__" in line else line
        unfinished = not _FINISHED_END.search(plain) and not _SENTENCE_INSIDE.search(plain)
        heading = bool(_HEADING_MD.match(line))
        n_words = len(WORD.findall(plain)) if heading or unfinished else None
        if heading or (unfinished and n_words <= 15):
            if n_words:
                headings += 1
                titled += _is_titlecase(plain.lstrip("#").strip())
            continue
        if _BULLET.match(line):
            bullets += 1
            plain = _BULLET.sub("", plain)
        kept.append(plain)
    body = " ".join(kept)
    spans = None
    if body and not _TERMINAL.search(body):
        # an unfinished last sentence (a truncated scrape) is dropped when something finished precedes it
        spans = sentence_spans(body)
        last = next((i for i in range(len(spans) - 1, -1, -1) if _TERMINAL.search(body, 0, spans[i][1])), None)
        if last is not None:
            body = body[: spans[last][1]]
            spans = spans[: last + 1]
    return Body(body, raw, len(kept), headings, titled, bullets, spans)


# ------------------------------------------------------------------------------------------ features
def _mattr(words: list[str], window: int = MATTR_WINDOW) -> float:
    """Moving-average type-token ratio. Counted without sliding a window: a word adds one type to every window
    in which it is the first occurrence of itself, i.e. the windows that start after its previous occurrence
    and at or before it (and within the text)."""
    n = len(words)
    if n <= window:
        return len(set(words)) / max(n, 1)
    ids = {w: i for i, w in enumerate(dict.fromkeys(words))}
    codes = np.array([ids[w] for w in words], dtype=np.int64)
    order = np.argsort(codes, kind="stable")
    previous = np.full(n, -1, dtype=np.int64)
    same = codes[order[1:]] == codes[order[:-1]]
    previous[order[1:][same]] = order[:-1][same]
    position = np.arange(n)
    first = np.maximum(previous + 1, position - window + 1)
    last = np.minimum(position, n - window)
    total = int(np.clip(last - first + 1, 0, None).sum())
    return total / ((n - window + 1) * window)


def _empty(reason: str) -> dict:
    row = dict.fromkeys(MODEL_FEATURES, math.nan)
    row.update(dict.fromkeys(LAYOUT_FEATURES, math.nan))
    row["reason"] = reason
    return row


def document_features(text: str) -> dict:
    """Every feature of one document (``MODEL_FEATURES`` + ``LAYOUT_FEATURES``) and ``reason``: empty when the
    document can be judged, otherwise why not (then the model features are NaN)."""
    return analyse(text)[0]


def analyse(text: str, ngrams: Callable[[str], object] = ngram_counts) -> tuple[dict, object]:
    """``document_features`` and ``ngrams`` of the body (default: its n-gram counts, ``ngrams.ngram_counts``;
    of an empty body when the document is not judged)."""
    row, body = _analyse(text)
    return row, ngrams(body if body is not None else "")


_DIGIT = re.compile(r"\d")


def _word_rates(words: list[str], n: int) -> dict:
    """The word-level features, counted once per distinct word."""
    counts = Counter(words)
    per100 = 100.0 / n
    length = long = nominal = number = hyphen = 0
    for w, c in counts.items():
        length += len(w) * c
        if len(w) >= 8 and w.isalpha():
            long += c
        if _NOMINAL.match(w):
            nominal += c
        if _DIGIT.search(w):
            number += c
        if "-" in w:
            hyphen += c
    row = {
        "word_len_mean": length / n,
        "long_word_share": long / n,
        "nominal_rate": nominal * per100,
        "number_rate": number * per100,
        "hyphen_word_rate": hyphen * per100,
    }
    for w in FUNCTION_WORDS:
        row[f"fw_{w}"] = counts.get(w, 0) * per100
    return row


def _contractions(token_counts: Counter) -> int:
    """Contractions among the body's ``WORD`` tokens (a contraction never spans two of them), each distinct token
    read once."""
    return sum(len(_CONTRACTION.findall(t)) * c for t, c in token_counts.items() if "'" in t or "’" in t)


def _sentence_profile(body: str, spans: list[tuple[int, int]]) -> tuple[np.ndarray, int]:
    """Words in each sentence with any (``WORD`` tokens), and capitalised words after each sentence's first."""
    lengths, names = [], 0
    for s, e in spans:
        tokens = WORD.findall(body, s, e)
        if tokens:
            lengths.append(len(tokens))
            names += sum(t[0].isupper() for t in tokens[1:])
    return np.array(lengths, dtype=float), names


def _analyse(text: str) -> tuple[dict, str | None]:
    doc = split_body(text)
    body = doc.body
    raw_tokens = WORD.findall(body)
    raw_counts = Counter(raw_tokens)
    normal = {t: normalise(t) for t in raw_counts}
    words = [normal[t] for t in raw_tokens]
    n = len(words)
    spans = (doc.spans if doc.spans is not None else sentence_spans(body)) if n else []
    lengths, names = _sentence_profile(body, spans)
    function_share = sum(w in STOPWORDS for w in words) / n if n else math.nan
    layout = {
        "n_words": float(n),
        "n_sentences": float(len(lengths)),
        "n_paragraphs": float(doc.paragraphs),
        "sentences_per_paragraph": len(lengths) / doc.paragraphs if doc.paragraphs else math.nan,
        "one_sentence_paragraph_share": _one_sentence_share(doc.raw),
        "heading_lines": float(doc.heading_lines),
        "titlecase_headings": float(doc.titlecase_headings),
        "bullet_lines": float(doc.bullet_lines),
        "function_word_share": function_share,
    }
    if not doc.raw.strip():
        return {**_empty("empty text"), **layout}, None
    if n < MIN_WORDS:
        return {**_empty(f"too short to judge: {n} words in the body (at least {MIN_WORDS} needed)"), **layout}, None
    if len(lengths) < MIN_SENTENCES:
        return {**_empty(f"too few sentences: {len(lengths)} (at least {MIN_SENTENCES} needed)"), **layout}, None
    if function_share < MIN_FUNCTION_SHARE:
        return {
            **_empty(f"does not read as English prose ({function_share:.0%} English function words)"),
            **layout,
        }, None

    per100 = 100.0 / n
    mean = float(lengths.mean())
    quote = _PUNCT["double_quote"]
    row: dict = {
        "sent_len_mean": mean,
        "sent_len_sd": float(lengths.std()),
        "sent_len_cv": float(lengths.std() / mean),
        "sent_len_jump": float(np.abs(np.diff(lengths)).mean() / mean) if len(lengths) > 1 else 0.0,
        "sent_short_share": float((lengths < 8).mean()),
        "sent_long_share": float((lengths > 30).mean()),
        "mattr": _mattr(words),
        "participle_clause_rate": sum(m.group(1) not in _NOT_PARTICIPLE for m in _PARTICIPLE.finditer(body.lower()))
        / len(lengths),
        "contraction_rate": _contractions(raw_counts) * per100,
        "proper_name_rate": names * per100,
        "acronym_rate": sum(c for t, c in raw_counts.items() if len(t) >= 2 and t.isupper() and t.isalpha()) * per100,
        "quoted_sentence_share": sum(bool(quote.search(body, s, e)) for s, e in spans) / max(len(spans), 1),
        "markdown_rate": len(_MARKDOWN.findall(doc.raw)) * per100,
    }
    row.update(_word_rates(words, n))
    for name, rx in _PUNCT.items():
        chars = _PUNCT_CHARS.get(name)
        found = sum(body.count(c) for c in chars) if chars else len(rx.findall(body))
        row[f"{name}_rate"] = found * per100
    markers = _count_markers(words, normalise(body))
    for cls in _markers().classes:
        row[f"{cls}_rate"] = markers.get(cls, 0) * per100
    row.update(layout)
    row["reason"] = ""
    return row, body


_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+[\"“'‘(]?[A-Z0-9]")


def _one_sentence_share(raw: str) -> float:
    """Share of paragraphs (lines of more than 15 words) with no sentence break inside (a quick test, not Punkt:
    this is description, not a model feature)."""
    paras = [p for p in raw.split("\n") if next(islice(WORD.finditer(p), 15, None), None) is not None]
    if not paras:
        return math.nan
    return sum(not _SENTENCE_BREAK.search(p.strip()) for p in paras) / len(paras)


# ------------------------------------------------------------------------------------------ tables
def as_documents(docs) -> pd.DataFrame:
    """``doc_id`` and ``text`` from a documents table, a Series or mapping of texts, or a list of texts."""
    if isinstance(docs, pd.DataFrame):
        if "text" not in docs.columns:
            raise ValueError("the documents table needs a 'text' column")
        ids = docs["doc_id"] if "doc_id" in docs.columns else docs.index
        return pd.DataFrame({"doc_id": list(ids), "text": list(docs["text"])})
    if isinstance(docs, pd.Series):
        return pd.DataFrame({"doc_id": list(docs.index), "text": list(docs)})
    if isinstance(docs, dict):
        return pd.DataFrame({"doc_id": list(docs), "text": list(docs.values())})
    if isinstance(docs, str):
        raise TypeError("pass a list of texts, not one string")
    texts = list(docs)
    return pd.DataFrame({"doc_id": list(range(len(texts))), "text": texts})


def feature_table(docs, ngrams: bool = False, failures: list | None = None) -> pd.DataFrame:
    """One row per document: ``doc_id``, every feature, ``reason`` (empty when judged); with ``ngrams``, also a
    column ``ngrams`` holding each body's n-gram counts. A document whose analysis raises is logged, appended to
    ``failures`` (``helpers.failures.record``) and left unjudged with the error as its ``reason``."""
    frame = as_documents(docs)
    table = feature_matrix(frame["text"], ngrams=ngrams, layout=True, ids=frame["doc_id"], failures=failures)
    table.insert(0, "doc_id", frame["doc_id"].to_numpy())
    return table


def scoring_table(docs, vocabulary: Sequence[str], failures: list | None = None):
    """``feature_table(docs)`` without the ``ngrams`` column, and the documents x ``vocabulary`` n-gram counts
    (a sparse matrix; the same counts as the column, counted for all documents at once)."""
    frame = as_documents(docs)
    counter = VocabularyCounter(vocabulary)
    results = _analysed(frame["text"], frame["doc_id"], failures, counter.token_codes)
    table = pd.DataFrame([r for r, _ in results], columns=[*MODEL_FEATURES, *LAYOUT_FEATURES, "reason"])
    table.insert(0, "doc_id", frame["doc_id"].to_numpy())
    return table, counter.matrix([c for _, c in results])


def _analysed(texts, ids, failures: list | None, ngrams: Callable[[str], object]) -> list[tuple[dict, object]]:
    """``analyse`` of each text; a document whose analysis raises is logged, listed in ``failures`` and left
    unjudged (its n-gram part: ``ngrams("")``)."""
    out = []
    for text, doc_id in zip(texts, ids):
        try:
            out.append(analyse(text if isinstance(text, str) else "", ngrams))
        except Exception as exc:  # one document must not stop the others: logged and listed
            record(failures if failures is not None else [], "machine style", str(doc_id), exc)
            out.append((_empty(f"could not be analysed ({type(exc).__name__}: {exc})"), ngrams("")))
    return out


def feature_matrix(
    texts: Iterable[str],
    ngrams: bool = False,
    layout: bool = False,
    ids: Iterable | None = None,
    failures: list | None = None,
) -> pd.DataFrame:
    """Model features (with ``layout``, also the layout features), ``reason`` and, with ``ngrams``, the
    ``ngrams`` column, for a sequence of texts (index 0..n-1; ``ids`` name them in ``failures``)."""
    texts = list(texts)
    ids = list(ids) if ids is not None else list(range(len(texts)))
    results = _analysed(texts, ids, failures, ngram_counts)
    columns = [*MODEL_FEATURES, *(LAYOUT_FEATURES if layout else []), "reason"]
    table = pd.DataFrame([r for r, _ in results], columns=columns)
    if ngrams:
        table["ngrams"] = [c for _, c in results]
    return table
