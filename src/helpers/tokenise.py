"""The tokenise stage: sentence and token tables with character offsets, statistics over them, and their chart.

The text primitives (Punkt sentences with shipped abbreviations, Treebank tokens, normal forms, stems,
stopwords) live in :mod:`helpers.text`; this module turns documents into the tables notebook 01 shows and the
later stages read. Offsets are always into the document text: ``text[start:end]`` is the sentence or token.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
from nltk.tokenize.punkt import PunktSentenceTokenizer

from .charts import chart, message
from .failures import each_document
from .parallel import in_chunks
from .text import STOPWORDS, is_punct, normalise, sentence_spans, stem, word_spans

__all__ = [
    "sentences",
    "tokens",
    "sentences_and_tokens",
    "words",
    "document_stats",
    "vocabulary",
    "distinctive_terms",
    "plot_document_lengths",
]

# Documents from which tokenising is split over processes when helpers.parallel allows more than one (a run's kernels:
# its --jobs; else STORYTRACE_JOBS): a worker's start (about 2.5 CPU s: pandas, NLTK, Punkt) against 1.5 ms of CPU per
# document. Set from those CPU costs, not a measured break-even (benchmarks/parallel_steps.py; README, whole-run notes).
MIN_PARALLEL_DOCS = 3000
LABEL_CHARS = 24  # characters of a doc_id shown as a bar label
MAX_CHART_DOCS = 60  # documents drawn in the length chart (the longest; document_stats.csv holds all)
TOKEN_DTYPES = {
    "doc_id": object,
    "sent_id": "int64",
    "tok_id": "int64",
    "start": "int64",
    "end": "int64",
    "token": object,
    "norm": object,
    "is_punct": bool,
    "is_stop": bool,
    "stem": object,
}


def sentences(
    docs: pd.DataFrame, tokenizer: PunktSentenceTokenizer | None = None, failures: list | None = None
) -> pd.DataFrame:
    """One row per sentence: ``doc_id``, ``sent_id``, ``start``, ``end``, ``text`` (offsets into ``docs.text``).

    With ``failures`` (a list), a document that cannot be split is logged, appended to it as ``(step, doc_id,
    error)`` (:mod:`helpers.failures`) and left out; without, the error is raised."""
    return _sentence_table(docs, _split(docs, tokenizer, failures))


def tokens(
    docs: pd.DataFrame, tokenizer: PunktSentenceTokenizer | None = None, failures: list | None = None
) -> pd.DataFrame:
    """One row per token with offsets into ``docs.text`` and its normalised forms.

    Columns: ``doc_id``, ``sent_id``, ``tok_id``, ``start``, ``end``, ``token``, ``norm``, ``stem``,
    ``is_punct``, ``is_stop``. Built column by column; the normal forms are computed once per distinct token.
    ``failures``: as in :func:`sentences`.
    """
    return _token_table(docs, _split(docs, tokenizer, failures, words=True))


def sentences_and_tokens(
    docs: pd.DataFrame, tokenizer: PunktSentenceTokenizer | None = None, failures: list | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`sentences` and :func:`tokens` from one pass over the documents (each sentence split once).

    From :data:`MIN_PARALLEL_DOCS` documents (with the shipped tokenizer, when :mod:`helpers.parallel` allows more
    than one process) consecutive chunks of documents are tokenised in processes of their own
    (:func:`helpers.parallel.in_chunks`) and the tables concatenated in input order: every row is made from its own
    document alone, so the tables are those of one process."""
    if tokenizer is not None:
        return _sentences_and_tokens(docs, tokenizer, failures)
    chunk = partial(_chunk_sentences_and_tokens, record_failures=failures is not None)
    parts = in_chunks(chunk, docs[["doc_id", "text"]], docs["text"].str.len().to_numpy(), min_items=MIN_PARALLEL_DOCS)
    if failures is not None:
        failures.extend(row for _, _, chunk_failures in parts for row in chunk_failures)
    return _concat([p[0] for p in parts]), _concat([p[1] for p in parts])


def _chunk_sentences_and_tokens(docs: pd.DataFrame, record_failures: bool) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """One chunk's sentence and token tables and its failures (in a process of its own)."""
    failures: list | None = [] if record_failures else None
    sents, toks = _sentences_and_tokens(docs, None, failures)
    return sents, toks, failures or []


def _sentences_and_tokens(docs: pd.DataFrame, tokenizer, failures: list | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    split = _split(docs, tokenizer, failures, words=True)
    sentence_split = [(doc_id, text, [span for span, _ in sents]) for doc_id, text, sents in split]
    return _sentence_table(docs, sentence_split), _token_table(docs, split)


def _concat(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Chunks' tables in order (a chunk without rows left out: its empty columns would change the dtypes)."""
    if len(tables) == 1:
        return tables[0]
    kept = [t for t in tables if len(t)] or tables[:1]
    return kept[0] if len(kept) == 1 else pd.concat(kept, ignore_index=True)


def _sentence_table(docs: pd.DataFrame, split: list) -> pd.DataFrame:
    doc_ids, sent_ids, starts, ends, texts = [], [], [], [], []
    for doc_id, text, spans in split:
        doc_ids += [doc_id] * len(spans)
        sent_ids += range(len(spans))
        starts += [s for s, _ in spans]
        ends += [e for _, e in spans]
        texts += [text[s:e] for s, e in spans]
    return pd.DataFrame(
        {
            "doc_id": pd.Series(doc_ids, dtype=docs["doc_id"].dtype if len(docs) else object),
            "sent_id": np.asarray(sent_ids, dtype="int64"),
            "start": np.asarray(starts, dtype="int64"),
            "end": np.asarray(ends, dtype="int64"),
            "text": texts,
        }
    )


def _token_table(docs: pd.DataFrame, split: list) -> pd.DataFrame:
    doc_ids, sent_ids, tok_ids, starts, ends, toks = [], [], [], [], [], []
    for doc_id, text, sentence_list in split:
        n_before = len(starts)
        for sent_id, ((ss, _), spans) in enumerate(sentence_list):
            sent_ids += [sent_id] * len(spans)
            starts += [ss + ws for ws, _ in spans]
            ends += [ss + we for _, we in spans]
        n = len(starts) - n_before
        doc_ids += [doc_id] * n
        tok_ids += range(n)
        toks += [text[s:e] for s, e in zip(starts[n_before:], ends[n_before:])]
    if not toks:
        return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in TOKEN_DTYPES.items()})
    codes, distinct = pd.factorize(pd.Series(toks, dtype=object), use_na_sentinel=False)
    norms = np.array([normalise(t) for t in distinct], dtype=object)
    distinct_norms, norm_codes = np.unique(norms, return_inverse=True)
    norm_of_token = norm_codes.astype("int64")[codes]
    return pd.DataFrame(
        {
            "doc_id": pd.Series(doc_ids, dtype=docs["doc_id"].dtype if len(docs) else object),
            "sent_id": np.asarray(sent_ids, dtype="int64"),
            "tok_id": np.asarray(tok_ids, dtype="int64"),
            "start": np.asarray(starts, dtype="int64"),
            "end": np.asarray(ends, dtype="int64"),
            "token": toks,
            "norm": distinct_norms[norm_of_token].tolist(),
            "is_punct": np.array([is_punct(t) for t in distinct_norms], dtype=bool)[norm_of_token],
            "is_stop": np.array([t in STOPWORDS for t in distinct_norms], dtype=bool)[norm_of_token],
            "stem": np.array([stem(t) for t in distinct_norms], dtype=object)[norm_of_token].tolist(),
        }
    )


def _split(docs: pd.DataFrame, tokenizer, failures: list | None, words: bool = False):
    """``(doc_id, text, sentence spans)`` per document, or with ``words`` ``(doc_id, text, [(span, word spans)])``;
    with ``failures`` a document that raises is recorded and skipped (:func:`helpers.failures.each_document`)."""

    def split(text: str):
        spans = sentence_spans(text, tokenizer)
        return [((s, e), word_spans(text[s:e])) for s, e in spans] if words else spans

    items = list(zip(docs["doc_id"].tolist(), docs["text"].tolist()))
    if failures is None:
        return [(doc_id, text, split(text)) for doc_id, text in items]
    texts = dict(items)
    step = "tokens" if words else "sentences"
    return [(doc_id, texts[doc_id], got) for doc_id, got in each_document(step, items, split, failures)]


def words(text: str, drop_stopwords: bool = False) -> list[str]:
    """Normalised word tokens of a text (punctuation dropped), Treebank tokenisation."""
    out = []
    for ss, se in sentence_spans(text):
        for ws, we in word_spans(text[ss:se]):
            n = normalise(text[ss + ws : ss + we])
            if is_punct(n) or (drop_stopwords and n in STOPWORDS):
                continue
            out.append(n)
    return out


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


def _word_codes(toks: pd.DataFrame, drop_stopwords: bool, letters_only: bool = False):
    """Integer codes of the kept tokens' ``norm`` and ``doc_id`` (punctuation dropped; stopwords and words without
    a letter on request) with the distinct values they index: ``(norm_codes, norms, doc_codes, doc_ids)``.
    Counting on codes keeps the statistics fast on millions of tokens."""
    norm_codes, norms = pd.factorize(toks["norm"])
    doc_codes, doc_ids = pd.factorize(toks["doc_id"])
    keep = ~toks["is_punct"].to_numpy(dtype=bool)
    if drop_stopwords:
        keep &= ~toks["is_stop"].to_numpy(dtype=bool)
    if letters_only:
        has_letter = pd.Series(norms).str.contains(r"[^\W\d_]", regex=True).to_numpy(dtype=bool)
        keep &= has_letter[norm_codes]
    return norm_codes[keep].astype("int64"), norms, doc_codes[keep].astype("int64"), doc_ids


def _unique_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct integers of ``values`` and how often each occurs (by sorting: numpy 2's hashing
    ``np.unique`` takes seconds on a few million integers)."""
    ordered = np.sort(values, kind="stable")
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(first)
    return ordered[starts], np.diff(np.append(starts, len(ordered)))


def vocabulary(toks: pd.DataFrame, drop_stopwords: bool = True) -> pd.DataFrame:
    """Word frequencies over the corpus: ``norm``, ``count``, ``documents`` (how many contain it)."""
    norm_codes, norms, doc_codes, doc_ids = _word_codes(toks, drop_stopwords)
    count = np.bincount(norm_codes, minlength=len(norms))
    pairs, _ = _unique_counts(norm_codes * max(len(doc_ids), 1) + doc_codes)
    documents = np.bincount(pairs // max(len(doc_ids), 1), minlength=len(norms))
    present = count > 0
    out = pd.DataFrame({"norm": norms[present], "count": count[present], "documents": documents[present]})
    return out.sort_values(["count", "norm"], ascending=[False, True], ignore_index=True)


def distinctive_terms(toks: pd.DataFrame, n: int = 10, min_count: int = 2) -> pd.DataFrame:
    """The words most characteristic of each document against the rest of the corpus.

    Score: term frequency times IDF, ``log((1 + N) / (1 + df))``, so a word found in every document scores
    zero; content words only (stopwords, punctuation and numbers dropped), seen at least ``min_count``
    times in the document (or once, for short documents). A one-document corpus is ranked by frequency.
    Columns: ``doc_id``, ``rank``, ``term``, ``count``, ``documents``, ``score``.
    """
    columns = ["doc_id", "rank", "term", "count", "documents", "score"]
    norm_codes, norms, doc_codes, doc_ids = _word_codes(toks, drop_stopwords=True, letters_only=True)
    if len(norm_codes) == 0:
        return pd.DataFrame(columns=columns)
    n_docs = toks["doc_id"].nunique()
    width = len(doc_ids)
    pairs, counts = _unique_counts(norm_codes * width + doc_codes)
    pair_norm, pair_doc = pairs // width, pairs % width
    documents = np.bincount(pair_norm, minlength=len(norms))[pair_norm]
    doc_len = np.bincount(doc_codes, minlength=width)[pair_doc]
    tf = pd.DataFrame(
        {"doc_id": doc_ids[pair_doc], "norm": norms[pair_norm], "count": counts.astype("int64"), "documents": documents}
    )
    idf = np.log((1 + n_docs) / (1 + tf["documents"])) if n_docs > 1 else 1.0
    tf["score"] = (tf["count"] / doc_len) * idf
    short = doc_len < 100
    tf = tf[((tf["count"] >= min_count) | short) & (tf["score"] > 0)]
    tf = tf.sort_values(["doc_id", "score", "norm"], ascending=[True, False, True])
    tf["rank"] = tf.groupby("doc_id").cumcount() + 1
    out = tf[tf["rank"] <= n].rename(columns={"norm": "term"})
    out["score"] = out["score"].round(4)
    return out[columns].reset_index(drop=True)


# ------------------------------------------------------------------------------------------ chart
@chart
def plot_document_lengths(stats: pd.DataFrame, max_docs: int = MAX_CHART_DOCS):
    """Words per document (left) and mean words per sentence (right), one bar per document, from
    :func:`document_stats`: all documents up to ``max_docs``, else the ``max_docs`` longest (the title says so).
    Returns the figure."""
    import matplotlib.pyplot as plt

    shown = stats if len(stats) <= max_docs else stats.nlargest(max_docs, "words", keep="first")
    fig, (words_ax, sentence_ax) = plt.subplots(1, 2, figsize=(11, max(2.5, 0.35 * len(shown) + 1)))
    if stats.empty:
        message(words_ax, "No documents: nothing to measure.")
        sentence_ax.set_axis_off()
        return fig
    if len(shown) < len(stats):
        fig.suptitle(f"The {len(shown)} longest of {len(stats):,} documents (all in document_stats.csv)")
    labels = shown["doc_id"].astype(str).str.slice(0, LABEL_CHARS).tolist()
    rows = np.arange(len(labels))
    for ax, column, colour, label in (
        (words_ax, "words", "#4c72b0", "words"),
        (sentence_ax, "words_per_sentence", "#dd8452", "words per sentence"),
    ):
        ax.barh(rows, shown[column].fillna(0), color=colour)
        ax.set_yticks(rows, labels)  # labels made here, as plain text (not at draw time)
        ax.set_xlabel(label)
        ax.invert_yaxis()
    fig.tight_layout()
    return fig
