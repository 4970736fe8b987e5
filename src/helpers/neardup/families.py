"""Story families: which documents tell the same story, how each derives from the others, what each added.

Pipeline (:func:`trace` runs all of it):

1. **Story similarity** (:func:`story_similarity`). Each document (title + text) becomes two TF-IDF vectors over
   the corpus: stemmed content words, and *specifics* (names - words the corpus writes capitalised mid-sentence
   more often than lower-case - and numbers). The raw similarity of two documents is
   ``0.7 * words + 0.3 * specifics`` (with ``method="embeddings"``, mixed 0.7/0.3 with the MiniLM document cosine),
   kept on each document's 30 best *mutual* neighbours. It is then *locally scaled*:
   ``s / sqrt(m_a * m_b)`` where ``m`` is a document's mean similarity to its ``local_k`` nearest neighbours
   (floored at ``scale_floor``), so that "unusually close for this document" counts, not "same topic" (every
   Syria article is similar to every other). Lexical copies (shingle Jaccard or containment >= 0.5, from
   :func:`helpers.neardup.lexical.near_duplicate_pairs`) are always linked; when both documents are dated, the
   similarity decays with the days between them; two snippets (under ``snippet_words`` content words: a headline
   and a lead) whose leads name different weekdays report different days' events, and their similarity is halved.
2. **Families** (:func:`story_clusters`, :func:`families`): average-linkage agglomeration over the sparse
   mutual k-nearest-neighbour graph, merging while the best cluster-to-cluster average of the scaled similarity is
   >= ``threshold`` and the raw similarity passes a background test: on average over the two clusters' pairs, it
   reaches ``background_ratio`` (1.5) times the pair's background (each document's similarity to its 30th nearest
   document: the level of "same topic" around it, so crowded topics need stronger evidence), and at least
   ``background_floor`` (0.10; ``raw_threshold``, per method in ``DEFAULTS``, in a corpus too small to measure a
   background). No number of stories needed; average linkage does not chain the way single-link does.
3. **Lineage** (:func:`lineage`): the origin of a family is its earliest published document; undated, the one
   whose sentences and specifics best support the others', penalised when it credits another source
   ("Original Source: ...", "according to The Times", "via"). Each other member links to its most similar
   more-original relative, with a relation label and evidence. A family whose most original member is a
   scraped copy (paywall/scraper furniture) or whose members credit a source that is not in the corpus gets an
   external origin.
4. **Relations** (:func:`classify_relation`): ``duplicate`` (same normalised text or Jaccard >= 0.9),
   ``near-verbatim copy`` (Jaccard >= 0.5), ``excerpt`` (containment of the shorter >= 0.5, or a scraped,
   paywall-truncated copy of an external original), ``summary`` (<= 60 % of the parent's length with its
   sentences supported by the parent, or a short text crediting its source), ``rewrite`` (the rest, unless
   both show independent reporting), ``same story`` (both quote named people the other does not: independent
   reporting).
5. **Added and dropped content** (:func:`added_dropped`): sentences of a derivative with no support in its parent
   (with the new names and numbers they bring), and the parent's sentences the derivative left out.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse

from .._data import data_path
from ..text import STOPWORDS, comparison_key, content_stems, normalise, tfidf_matrix
from .semantic import COPY_OVERLAP, copy_overlap, embed, match_sentences, sentence_matcher, sentence_support

__all__ = [
    "match_sentences",
    "sentence_support",
    "FamilyParams",
    "DEFAULTS",
    "RELATIONS",
    "story_similarity",
    "average_linkage",
    "story_clusters",
    "families",
    "relations",
    "pair_table",
    "classify_relation",
    "lineage",
    "added_dropped",
    "coverage_table",
    "passages",
    "trace",
    "Trace",
    "document_cues",
    "lineage_layout",
    "side_by_side_html",
    "name_lexicon",
    "specifics",
    "lead_weekday",
]

# Method-dependent defaults of FamilyParams.threshold / raw_threshold (embedding cosines run higher); raw_threshold
# is the raw floor of a merge where no background can be measured (a corpus under background_rank + 1 documents).
DEFAULTS = {
    "tfidf": {"threshold": 0.65, "raw_threshold": 0.20},
    "embeddings": {"threshold": 0.70, "raw_threshold": 0.25},
}
RELATIONS = ("duplicate", "near-verbatim copy", "excerpt", "summary", "rewrite", "same story")


@dataclass(frozen=True)
class FamilyParams:
    """General parameters of story families (tuned on the story-clustering development sets, not on the sample)."""

    threshold: float | None = None  # average-linkage stop: mean scaled similarity between two clusters
    raw_threshold: float | None = None  # ... and mean raw similarity between them (None: per method, DEFAULTS)
    scale_mode: str = "geo"  # local scaling by sqrt(m_a * m_b) ("geo") or max(m_a, m_b) ("max")
    local_k: int = 10  # neighbours whose mean similarity scales a document's similarities
    scale_floor: float = 0.15  # floor of that mean, so sparse corpora are not inflated
    min_raw: float = 0.05  # raw similarities below this are no edge
    knn: int = 30  # edges kept per document
    mutual: bool = True  # keep an edge only when each document is among the other's knn best (hubs)
    specifics_weight: float = 0.3  # weight of the specifics cosine in the raw similarity
    embedding_weight: float = 0.3  # with method="embeddings": weight of the MiniLM document cosine
    copy_link: float = 0.5  # shingle Jaccard or containment that always links two documents
    shingle_size: int = 5
    time_window_days: float = 2.0  # dated pairs: no decay within this many days ...
    time_halflife_days: float = 14.0  # ... then the similarity halves every this many days
    snippet_words: int = 80  # texts under this many content words are snippets (a headline and a lead) ...
    weekday_conflict: float = 0.5  # ... two snippets whose leads name different weekdays: similarity times this
    background_rank: int = 30  # a document's background: its similarity to its this-th nearest document ...
    background_ratio: float = 1.5  # ... two clusters merge only if their mean raw similarity, each pair over the
    # mean background of its two documents, is >= this (0: off)
    background_floor: float = 0.10  # with a measured background the raw floor drops from raw_threshold to this
    sentence_method: str = "tfidf"  # sentence matching for coverage, lineage and added content


# ----------------------------------------------------------------------------------------------- input


def _prepare(docs: pd.DataFrame) -> pd.DataFrame:
    """Validated copy with doc_id (str), text (str), title, published (UTC or NaT) and the analysed full text."""
    if not isinstance(docs, pd.DataFrame):
        raise TypeError("docs must be a documents table (pandas DataFrame with doc_id and text)")
    if "doc_id" not in docs.columns or "text" not in docs.columns:
        raise ValueError("docs needs the columns doc_id and text")
    out = pd.DataFrame(
        {"doc_id": docs["doc_id"].astype(str).to_numpy(), "text": docs["text"].fillna("").astype(str).to_numpy()}
    )
    if out["doc_id"].duplicated().any():
        dups = out.loc[out["doc_id"].duplicated(), "doc_id"].unique()[:5]
        raise ValueError(f"doc_id must be unique; repeated: {', '.join(dups)}")
    out["title"] = docs["title"].fillna("").astype(str).to_numpy() if "title" in docs.columns else ""
    out["source"] = docs["source"].fillna("").astype(str).to_numpy() if "source" in docs.columns else ""
    out["url"] = docs["url"].fillna("").astype(str).to_numpy() if "url" in docs.columns else ""
    if "published" in docs.columns:
        out["published"] = pd.to_datetime(docs["published"], utc=True, errors="coerce").to_numpy()
        out["published"] = pd.to_datetime(out["published"], utc=True)
    else:
        out["published"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns, UTC]")
    full = []
    for title, text in zip(out["title"], out["text"]):
        t = title.strip()
        full.append(text if not t or text.lstrip().startswith(t) else t + "\n" + text)
    out["full"] = full
    out["n_words"] = [len(content_stems(t)) for t in out["text"]]
    return out


# ----------------------------------------------------------------------------------------------- specifics

_TOK = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,:]\d+)*|[.!?:;\"“”\n]")
_BREAK = set(".!?:\n")


def _toks(text: str):
    start = True
    for m in _TOK.finditer(text):
        w = m.group()
        if len(w) == 1 and w in '.!?:;"“”\n':
            if w in _BREAK:
                start = True
            continue
        yield w, start
        start = False


@lru_cache(maxsize=500_000)
def _clean(w: str) -> str:
    w = normalise(w)
    return w[:-2] if w.endswith("'s") else w


def name_lexicon(texts) -> frozenset[str]:
    """Words the corpus writes capitalised mid-sentence more often than in lower case (names, places, outlets)."""
    cap, low = Counter(), Counter()
    for t in texts:
        for w, start in _toks(t):
            if w[0].isdigit():
                continue
            lw = _clean(w)
            if w[0].isupper():
                if not start:
                    cap[lw] += 1
            else:
                low[lw] += 1
    return frozenset(w for w, c in cap.items() if c > low[w] and w not in STOPWORDS and len(w) > 1)


def specifics(text: str, names: frozenset[str]) -> list[str]:
    """Names (from ``names``) and numbers of a text, normalised, in order (numbers prefixed ``#``)."""
    out = []
    for w, _ in _toks(text):
        if w[0].isdigit():
            out.append("#" + w.replace(",", ""))
        else:
            lw = _clean(w)
            if lw in names:
                out.append(lw)
    return out


# ----------------------------------------------------------------------------------------------- cues

_ATTRIBUTION = re.compile(
    r"^\s*(?:\W{0,3})(?:original(?:ly)?\s+(?:source|article|story|report)|source|sources|via|read more(?: at)?|"
    r"summari[sz]ed from|adapted from|reprinted from|republished from|first (?:published|appeared) (?:in|on|at)|"
    r"this (?:article|story) (?:was|first) (?:originally )?(?:published|appeared) (?:in|on|by))\s*[:\-–—]?\s*(?P<src>\S.{0,80}?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_ACCORDING = re.compile(
    r"\b(?:according to|reported by|first reported by|as reported by)\s+(?:the\s+)?"
    r"(?P<src>(?:[A-Z][\w.&'-]+\s?){1,4})"
)
_OUTLET_HINT = re.compile(
    r"\b(?:times|post|news|journal|herald|guardian|reuters|associated press|ap|afp|bbc|cnn|"
    r"tribune|telegraph|gazette|agency|magazine|daily|[a-z0-9-]+\.(?:com|org|net|co\.uk))\b",
    re.IGNORECASE,
)
_NAMED_QUOTE = re.compile(
    r"[\"“][^\"”]{20,}[\"”],?\s+(?:said|says|told|added|according to)\s+(?:[A-Z][\w.'-]+\s?){1,4}|"
    r"(?:[A-Z][\w.'-]+\s){1,3}(?:said|says|told)\b[^.\n]{0,60}[\"“][^\"”]{20,}[\"”]|"
    r"[\"“][^\"”]{20,}[\"”],?\s+(?:[A-Z][\w.'-]+\s?){1,4}[^.\n]{0,120}?\b(?:said|says|told)\b"
)
_SUMMARY_CUE = re.compile(r"\b(?:tl;?dr|in summary|summary:|key (?:points|takeaways):?|in brief:)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _furniture_patterns() -> list[tuple[str, re.Pattern]]:
    out = []
    try:
        text = data_path("boilerplate_patterns.txt").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        text = ""
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cat, _, rx = line.partition("\t")
        if cat.strip() in ("paywall", "scraper"):
            try:
                out.append((cat.strip(), re.compile(rx.strip(), re.IGNORECASE)))
            except re.error:
                continue
    if not out:
        out = [
            ("paywall", re.compile(r"\b(subscribe|subscriber|log ?in)\b", re.IGNORECASE)),
            ("scraper", re.compile(r"\benable javascript\b", re.IGNORECASE)),
        ]
    return out


def document_cues(docs: pd.DataFrame, prepared: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per document: ``credits`` (the source it credits, "" if none), ``scraped`` (paywall/scraper furniture:
    the text is a scraped copy, usually truncated), ``summary_cue``, ``named_quotes`` (direct quotes attributed
    to a named speaker: independent reporting)."""
    if prepared is None:
        prepared = docs if "full" in docs.columns else _prepare(docs)
    boiler = getattr(docs, "boilerplate", None)
    scraped_ids: set[str] = set()
    if isinstance(boiler, pd.DataFrame) and {"doc_id", "reason"} <= set(boiler.columns):
        hit = boiler["reason"].astype(str).str.contains("paywall|scraper", case=False, regex=True)
        scraped_ids = set(boiler.loc[hit, "doc_id"].astype(str))
    rows = []
    for doc_id, text in zip(prepared["doc_id"], prepared["full"]):
        credits = ""
        for m in _ATTRIBUTION.finditer(text):
            src = m.group("src").strip(" .*_")
            if src and len(src.split()) <= 8:
                credits = src
        if not credits:
            for m in _ACCORDING.finditer(text):
                src = m.group("src").strip()
                if _OUTLET_HINT.search(src):
                    credits = src
                    break
        lines = [ln for ln in text.split("\n") if ln.strip() and len(ln.split()) <= 40]
        scraped = (
            doc_id in scraped_ids
            or sum(1 for ln in lines if any(rx.search(ln) for _, rx in _furniture_patterns())) >= 2
        )
        rows.append((doc_id, credits, bool(scraped), bool(_SUMMARY_CUE.search(text)), len(_NAMED_QUOTE.findall(text))))
    return pd.DataFrame(rows, columns=["doc_id", "credits", "scraped", "summary_cue", "named_quotes"])


# ----------------------------------------------------------------------------------------------- similarity


def _knn_graph(Xw, Xs, E, p: FamilyParams, block: int = 512):
    """Raw similarity ``(1-w)*cos_words + w*cos_specifics`` (mixed with the embedding cosine when ``E``), keeping
    each document's ``p.knn`` best edges >= ``p.min_raw`` (with ``p.mutual``, only edges in both documents' best);
    computed in dense row blocks. Returns the raw graph (symmetric) and the word, specifics and embedding cosines on its edges."""
    n = Xw.shape[0]
    w = float(p.specifics_weight)
    k = max(1, min(int(p.knn), n - 1)) if n > 1 else 0
    XwT, XsT = Xw.T.tocsc(), Xs.T.tocsc()
    rows, cols, vals, vw, vs, ve = [], [], [], [], [], []
    rb = int(p.background_rank)
    background = np.zeros(n, dtype=np.float32)  # 0 when the corpus has fewer than rb other documents
    for start in range(0, n if k else 0, block):
        stop = min(n, start + block)
        sw = np.asarray((Xw[start:stop] @ XwT).todense(), dtype=np.float32)
        ss = np.asarray((Xs[start:stop] @ XsT).todense(), dtype=np.float32)
        s = (1 - w) * sw + w * ss
        se = None
        if E is not None:
            se = np.clip(E[start:stop] @ E.T, 0, 1)
            s = (1 - p.embedding_weight) * s + p.embedding_weight * se
        idx = np.arange(stop - start)
        s[idx, idx + start] = -1.0
        if 0 < rb <= n - 1:  # near-identical texts are not background: fifty copies do not raise the bar
            background[start:stop] = -np.partition(-np.where(s >= 0.95, -1.0, s), rb - 1, axis=1)[:, rb - 1]
        top = np.argpartition(-s, k - 1, axis=1)[:, :k] if k < n else np.argsort(-s, axis=1)[:, :k]
        r = np.repeat(idx, top.shape[1])
        c = top.ravel()
        v = s[r, c]
        ok = v >= p.min_raw
        r, c, v = r[ok], c[ok], v[ok]
        rows.append(r + start)
        cols.append(c)
        vals.append(v)
        vw.append(sw[r, c])
        vs.append(ss[r, c])
        ve.append(se[r, c] if se is not None else np.zeros(len(r), np.float32))

    def mk(vv):
        if not rows:
            return sparse.csr_matrix((n, n), dtype=np.float32)
        M = sparse.csr_matrix((np.concatenate(vv), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
        return (M.minimum(M.T) if p.mutual else M.maximum(M.T)).tocsr()

    return mk(vals), mk(vw), mk(vs), (mk(ve) if E is not None else None), np.maximum(background, 0)


def _local_scale(S: sparse.csr_matrix, k: int, floor: float, mode: str = "geo") -> sparse.csr_matrix:
    n = S.shape[0]
    m = np.full(n, floor, dtype=np.float64)
    counts = np.diff(S.indptr)
    for i in np.flatnonzero(counts):
        d = S.data[S.indptr[i] : S.indptr[i + 1]]
        top = d if len(d) <= k else np.partition(d, len(d) - k)[-k:]
        m[i] = max(floor, float(top.mean()))
    C = S.tocoo()
    v = C.data / (np.sqrt(m[C.row] * m[C.col]) if mode == "geo" else np.maximum(m[C.row], m[C.col]))
    return sparse.csr_matrix((v.astype(np.float32), (C.row, C.col)), shape=S.shape)


@dataclass
class StorySimilarity:
    """Result of :func:`story_similarity`: ``scaled`` (sparse, used for clustering), ``raw``, the word and
    specifics cosines (sparse, k-NN edges only), the lexical pairs and the document order ``doc_ids``."""

    doc_ids: list
    scaled: sparse.csr_matrix
    raw: sparse.csr_matrix
    words: sparse.csr_matrix
    specifics: sparse.csr_matrix
    lexical: pd.DataFrame
    embeddings: sparse.csr_matrix | None = None
    names: frozenset = frozenset()
    background: np.ndarray | None = None  # each document's raw similarity to its background_rank-th neighbour

    def dense(self, which: str = "raw", ids=None) -> pd.DataFrame:
        """A doc x doc table of one similarity (``raw``, ``scaled``, ``words``, ``specifics``) for ``ids``."""
        pos = {d: i for i, d in enumerate(self.doc_ids)}
        ids = list(self.doc_ids if ids is None else ids)
        idx = [pos[d] for d in ids]
        M = getattr(self, which)[idx][:, idx].toarray()
        np.fill_diagonal(M, 1.0)
        return pd.DataFrame(M, index=ids, columns=ids)


def story_similarity(docs: pd.DataFrame, params: FamilyParams | None = None, method: str = "tfidf") -> StorySimilarity:
    """Pairwise story similarity of all documents (sparse: each document's ``knn`` best edges); see module doc."""
    p = params or FamilyParams()
    d = docs if "full" in docs.columns else _prepare(docs)
    n = len(d)
    texts = d["full"].tolist()
    Xw = tfidf_matrix(texts, content_stems)
    names = name_lexicon(texts)
    Xs = tfidf_matrix(texts, lambda t: specifics(t, names))
    E = None
    if method == "embeddings":
        E = embed(texts, batch_size=32) if n else np.zeros((0, 384), np.float32)
    elif method != "tfidf":
        raise ValueError(f"method must be 'tfidf' or 'embeddings', got {method!r}")
    raw, Sw, Ss, Se, background = _knn_graph(Xw, Xs, E, p)
    # time decay for dated pairs
    pub = d["published"]
    if n and pub.notna().any() and raw.nnz:
        days = (pub - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds().to_numpy() / 86400.0
        C = raw.tocoo()
        gap = np.abs(days[C.row] - days[C.col])
        decay = np.where(
            np.isnan(gap),
            1.0,
            np.power(0.5, np.maximum(0.0, np.nan_to_num(gap) - p.time_window_days) / p.time_halflife_days),
        )
        raw = sparse.csr_matrix((C.data * decay, (C.row, C.col)), shape=raw.shape)
    # lexical copies always link (and count as close neighbours in the local scale)
    lex = _lexical_pairs(d, p)
    L = None
    if len(lex):
        pos = {x: i for i, x in enumerate(d["doc_id"])}
        a = lex["doc_a"].map(pos).to_numpy()
        b = lex["doc_b"].map(pos).to_numpy()
        strong = np.maximum(lex[["jaccard", "containment_a", "containment_b"]].max(axis=1).to_numpy(), 0) >= p.copy_link
        a, b = a[strong], b[strong]
        if len(a):
            L = sparse.csr_matrix((np.full(len(a), 2.0, np.float32), (a, b)), shape=(n, n))
            L = L.maximum(L.T)
            raw = raw.maximum(L * 0.5).tocsr()
    scaled = _local_scale(raw, p.local_k, p.scale_floor, p.scale_mode) if n else raw
    # snippets naming different weekdays: weaker link (after the local scale, which stays a property of the text)
    lead_days = _snippet_weekdays(d, p)
    raw, scaled = _weekday_penalty(raw, lead_days, p), _weekday_penalty(scaled, lead_days, p)
    if L is not None:
        raw = raw.maximum(L * 0.5).tocsr()
        scaled = scaled.maximum(L).tocsr()
    return StorySimilarity(list(d["doc_id"]), scaled.tocsr(), raw.tocsr(), Sw, Ss, lex, Se, names, background)


_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
_LEAD_WORDS = 100  # the lead: a text's first words (headline + first sentences)


def lead_weekday(text: str) -> str:
    """The first weekday named in a text's lead (lower case), or "" (news style: "Trump on Monday said ...")."""
    m = _WEEKDAY.search(" ".join(text.split()[:_LEAD_WORDS]))
    return m.group(1).lower() if m else ""


def _snippet_weekdays(d: pd.DataFrame, p: FamilyParams) -> np.ndarray:
    """Lead weekday of each snippet (a text under ``p.snippet_words`` content words), "" otherwise."""
    short = d["n_words"].to_numpy() < p.snippet_words
    return np.array([lead_weekday(t) if s else "" for t, s in zip(d["full"], short)], dtype=object)


def _weekday_penalty(M: sparse.csr_matrix, days: np.ndarray, p: FamilyParams) -> sparse.csr_matrix:
    """Multiply by ``p.weekday_conflict`` the similarity of two snippets whose leads name different weekdays.

    A headline and a lead report one day's event, so such a pair is the same topic on another day (on AllSides
    2 % of such candidate pairs are one story, against 12 % of all candidate pairs). Long articles are left
    alone: they name many days, and a story told over several days names several.
    """
    if not M.nnz or p.weekday_conflict >= 1 or (days != "").sum() < 2:
        return M
    C = M.tocoo()
    a, b = days[C.row], days[C.col]
    conflict = (a != "") & (b != "") & (a != b)
    if not conflict.any():
        return M
    v = np.where(conflict, C.data * p.weekday_conflict, C.data).astype(np.float32)
    return sparse.csr_matrix((v, (C.row, C.col)), shape=M.shape)


def _lexical_pairs(d: pd.DataFrame, p: FamilyParams) -> pd.DataFrame:
    cols = ["doc_a", "doc_b", "jaccard_est", "jaccard", "containment_a", "containment_b"]
    nonempty = d[d["text"].str.strip().str.len() > 0]
    if len(nonempty) < 2:
        return pd.DataFrame({c: pd.Series(dtype=object if c.startswith("doc") else float) for c in cols})
    try:
        from .lexical import near_duplicate_pairs
    except ImportError:  # lexical module not available: no copy links
        return pd.DataFrame({c: pd.Series(dtype=object if c.startswith("doc") else float) for c in cols})
    from ..distributed import current_client

    if current_client() is not None:  # inside `with cluster(...)`: the lexical step runs on Dask
        from ..distributed import as_dask, near_duplicate_pairs_dask

        out = near_duplicate_pairs_dask(
            as_dask(nonempty[["doc_id", "text"]]),
            threshold=p.copy_link,
            shingle_size=p.shingle_size,
            containment_threshold=p.copy_link,
        )
    else:
        out = near_duplicate_pairs(
            nonempty[["doc_id", "text"]],
            threshold=p.copy_link,
            shingle_size=p.shingle_size,
            containment_threshold=p.copy_link,
        )
    return out[cols] if len(out) else out.reindex(columns=cols)


# ----------------------------------------------------------------------------------------------- clustering


def average_linkage(
    W: sparse.spmatrix, threshold: float, W2: sparse.spmatrix | None = None, threshold2: float = 0.0
) -> np.ndarray:
    """Average-linkage agglomeration on a sparse similarity graph (absent edges count as 0).

    Merges the two clusters with the highest mean pairwise similarity ``W`` while it is >= ``threshold`` (and,
    with ``W2``, while their mean pairwise ``W2`` is >= ``threshold2`` too). Returns a cluster label per node
    (0..k-1, numbered in order of first node). Deterministic.
    """
    n = W.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    two = W2 is not None
    C = sparse.triu(sparse.csr_matrix(W), k=1).tocoo()
    nb: list[dict[int, list]] = [dict() for _ in range(n)]
    if two:
        M2 = sparse.csr_matrix(W2)
        v2s = np.asarray(M2[C.row, C.col]).ravel() if C.nnz else np.zeros(0)
    else:
        v2s = np.zeros(C.nnz)
    for i, j, v, v2 in zip(C.row.tolist(), C.col.tolist(), C.data.tolist(), v2s.tolist()):
        if i != j and v > 0:
            e = nb[i].setdefault(j, [0.0, 0.0])
            e[0] += v
            e[1] += v2
            nb[j][i] = e
    size = [1] * n
    alive = [True] * n
    parent = list(range(n))

    def ok(e, si, sj):
        return not two or e[1] / (si * sj) >= threshold2

    heap = [(-e[0], i, j) for i in range(n) for j, e in nb[i].items() if i < j and e[0] >= threshold and ok(e, 1, 1)]
    heapq.heapify(heap)
    while heap:
        negl, i, j = heapq.heappop(heap)
        if not (alive[i] and alive[j]) or j not in nb[i]:
            continue
        e = nb[i][j]
        cur = e[0] / (size[i] * size[j])
        if abs(cur + negl) > 1e-9 or not ok(e, size[i], size[j]):
            continue  # stale entry
        if cur < threshold:
            break
        if len(nb[i]) < len(nb[j]):
            i, j = j, i
        alive[j] = False
        parent[j] = i
        for k, v in nb[j].items():
            if k == i:
                continue
            del nb[k][j]
            mine = nb[i].get(k)
            if mine is None:
                mine = [0.0, 0.0]
                nb[i][k] = mine
                nb[k][i] = mine
            mine[0] += v[0]
            mine[1] += v[1]
        nb[i].pop(j, None)
        nb[j] = {}
        size[i] += size[j]
        for k, v in nb[i].items():
            link = v[0] / (size[i] * size[k])
            if link >= threshold and ok(v, size[i], size[k]):
                heapq.heappush(heap, (-link, min(i, k), max(i, k)))
    root = np.arange(n)
    for x in range(n):
        r = x
        while parent[r] != r:
            r = parent[r]
        root[x] = r
    first: dict[int, int] = {}
    out = np.empty(n, dtype=np.int64)
    for x, r in enumerate(root.tolist()):
        out[x] = first.setdefault(r, len(first))
    return out


def _background_test(sim: StorySimilarity, tau_raw: float, p: FamilyParams):
    """The raw-similarity condition of a merge, as (matrix, threshold) for :func:`average_linkage`.

    Each raw similarity is divided by what the pair must reach: ``max(floor, background_ratio * mean of the two
    documents' backgrounds)`` (a document's background is its similarity to its ``background_rank``-th nearest
    document: the level of "same topic" around it). Two clusters merge only if the mean of this ratio over their
    pairs is >= 1. Where topics are crowded (short snippets about one debate) the bar rises; where they are
    sparse it falls to ``background_floor``; in a corpus too small to measure a background the floor is
    ``tau_raw``. Returns ``(None, 0)`` when there is no condition.
    """
    bg = sim.background
    c = float(p.background_ratio)
    if bg is None or c <= 0 or not sim.raw.nnz or not (bg > 0).any():
        return (sim.raw, tau_raw) if tau_raw > 0 else (None, 0.0)
    C = sim.raw.tocoo()
    pair_bg = (bg[C.row] + bg[C.col]) / 2
    floor = np.where((bg[C.row] > 0) & (bg[C.col] > 0), min(tau_raw, p.background_floor), tau_raw)
    need = np.maximum(np.maximum(floor, c * pair_bg), 1e-6)
    ratio = C.data / need
    lex = sim.lexical
    if len(lex):  # lexical copies always pass
        strong = lex[["jaccard", "containment_a", "containment_b"]].max(axis=1).to_numpy() >= p.copy_link
        if strong.any():
            pos = {x: i for i, x in enumerate(sim.doc_ids)}
            a = lex["doc_a"].map(pos).to_numpy()[strong]
            b = lex["doc_b"].map(pos).to_numpy()[strong]
            n = len(sim.doc_ids)
            key = set((np.minimum(a, b) * n + np.maximum(a, b)).tolist())
            pair = np.minimum(C.row, C.col).astype(np.int64) * n + np.maximum(C.row, C.col)
            ratio = np.where(np.isin(pair, list(key)), np.maximum(ratio, 1.0), ratio)
    return sparse.csr_matrix((ratio, (C.row, C.col)), shape=sim.raw.shape), 1.0


def story_clusters(
    docs: pd.DataFrame,
    params: FamilyParams | None = None,
    method: str = "tfidf",
    similarity: StorySimilarity | None = None,
) -> pd.DataFrame:
    """Story clusters only (no lineage): ``doc_id``, ``family_id`` (0..k-1). Empty documents stay alone."""
    p = params or FamilyParams()
    d = docs if "full" in docs.columns else _prepare(docs)
    sim = similarity or story_similarity(d, p, method)
    dflt = DEFAULTS.get(method, DEFAULTS["tfidf"])
    tau = dflt["threshold"] if p.threshold is None else float(p.threshold)
    tau_raw = dflt["raw_threshold"] if p.raw_threshold is None else float(p.raw_threshold)
    W2, tau2 = _background_test(sim, tau_raw, p)
    labels = average_linkage(sim.scaled, tau, W2, tau2)
    return pd.DataFrame({"doc_id": d["doc_id"].to_numpy(), "family_id": labels})


# ----------------------------------------------------------------------------------------------- pairs


def _shingle_sets(d: pd.DataFrame, ids, k: int) -> dict[str, set]:
    from .lexical import shingle_hashes

    ids = list(ids)
    sub = d.set_index("doc_id").loc[ids, "text"].tolist()
    sh, sd = shingle_hashes(sub, k)
    out = {i: set() for i in ids}
    if len(sh):
        bounds = np.searchsorted(sd, np.arange(len(ids) + 1))
        for j, i in enumerate(ids):
            out[i] = set(sh[bounds[j] : bounds[j + 1]].tolist())
    return out


def _lex_scores(sa: set, sb: set) -> tuple[float, float, float]:
    if not sa or not sb:
        return 0.0, 0.0, 0.0
    inter = len(sa & sb)
    return inter / len(sa | sb), inter / len(sa), inter / len(sb)


def classify_relation(f: dict) -> str:
    """Relation of a derivative ``a`` to a relative ``b`` from pair features (see the module docstring).

    ``f`` keys: same_text, jaccard, containment_a, containment_b, len_a, len_b, cover_a (share of a's sentences
    supported by b), a_scraped, a_credits, a_summary_cue, a_quotes, b_quotes.
    """
    if f.get("same_text") or f["jaccard"] >= 0.9:
        return "duplicate"
    if f["jaccard"] >= 0.5:
        return "near-verbatim copy"
    if max(f["containment_a"], f["containment_b"]) >= 0.5:
        return "excerpt"
    la, lb = max(f["len_a"], 1), max(f["len_b"], 1)
    if (la <= 0.6 * lb and f["cover_a"] >= 0.25) or (
        (f.get("a_summary_cue") or f.get("a_credits")) and la <= 1.25 * lb and la <= 600 and not f.get("a_quotes")
    ):
        return "summary"
    if f.get("a_quotes", 0) >= 1 and f.get("b_quotes", 0) >= 1 and f["cover_a"] < 0.5:
        return "same story"
    return "rewrite"


@dataclass
class _Ctx:
    """Shared state of one trace: prepared documents, sentence matcher (family members only), specifics."""

    d: pd.DataFrame
    matcher: object
    names: frozenset
    spec: dict


def _context(d: pd.DataFrame, fam: pd.DataFrame, sim: StorySimilarity, p: FamilyParams) -> _Ctx:
    size = fam.groupby("family_id")["doc_id"].transform("size")
    members = d[(size > 1).to_numpy()]
    matcher = sentence_matcher(members[["doc_id", "text"]], p.sentence_method)
    spec = {i: set(specifics(t, sim.names)) for i, t in zip(members["doc_id"], members["full"])}
    return _Ctx(d, matcher, sim.names, spec)


def pair_table(
    d: pd.DataFrame,
    fam: pd.DataFrame,
    sim: StorySimilarity,
    cues: pd.DataFrame,
    params: FamilyParams | None = None,
    max_family_pairs: int = 2000,
    ctx: _Ctx | None = None,
) -> pd.DataFrame:
    """All pairs inside each family (a family over ``max_family_pairs`` pairs keeps its k-NN edges) with scores:
    ``doc_a, doc_b, family_id, story_sim, scaled_sim, word_cos, specifics_cos, jaccard, containment_a,
    containment_b, coverage_a, coverage_b, specifics_a, specifics_b, shared_specifics`` (``coverage_a``: share
    of a's sentences supported by b; ``specifics_a``: share of a's names and numbers found in b)."""
    p = params or FamilyParams()
    pos = {x: i for i, x in enumerate(sim.doc_ids)}
    ctx = ctx or _context(d, fam, sim, p)
    matcher, spec = ctx.matcher, ctx.spec
    rows = []
    for fid, members in fam.groupby("family_id", sort=True)["doc_id"]:
        ids = list(members)
        if len(ids) < 2:
            continue
        if len(ids) * (len(ids) - 1) // 2 <= max_family_pairs:
            pairs = [(ids[i], ids[j]) for i in range(len(ids)) for j in range(i + 1, len(ids))]
        else:
            sub = sim.raw[[pos[x] for x in ids]][:, [pos[x] for x in ids]].tocoo()
            pairs = sorted({(ids[min(a, b)], ids[max(a, b)]) for a, b in zip(sub.row, sub.col) if a != b})
        sh = _shingle_sets(d, ids, p.shingle_size)
        for a, b in pairs:
            ia, ib = pos[a], pos[b]
            jac, ca, cb = _lex_scores(sh[a], sh[b])
            best_a, best_b = matcher.support(a, b)
            cov_a = float((best_a >= matcher.threshold).mean()) if len(best_a) else 0.0
            cov_b = float((best_b >= matcher.threshold).mean()) if len(best_b) else 0.0
            sa_, sb_ = spec.get(a, set()), spec.get(b, set())
            shared = len(sa_ & sb_)
            rows.append(
                (
                    a,
                    b,
                    fid,
                    float(sim.raw[ia, ib]),
                    float(sim.scaled[ia, ib]),
                    float(sim.words[ia, ib]),
                    float(sim.specifics[ia, ib]),
                    jac,
                    ca,
                    cb,
                    cov_a,
                    cov_b,
                    shared / len(sa_) if sa_ else 0.0,
                    shared / len(sb_) if sb_ else 0.0,
                    ", ".join(sorted(spec[a] & spec[b], key=lambda s: (s.startswith("#"), s))[:12]),
                )
            )
    cols = [
        "doc_a",
        "doc_b",
        "family_id",
        "story_sim",
        "scaled_sim",
        "word_cos",
        "specifics_cos",
        "jaccard",
        "containment_a",
        "containment_b",
        "coverage_a",
        "coverage_b",
        "specifics_a",
        "specifics_b",
        "shared_specifics",
    ]
    out = pd.DataFrame(rows, columns=cols)
    num = [c for c in out.select_dtypes("number").columns if c != "family_id"]
    out[num] = out[num].round(4)
    return out


# ----------------------------------------------------------------------------------------------- lineage


def _originality(d: pd.DataFrame, members: list[str], pairs: pd.DataFrame, cues: pd.DataFrame) -> pd.Series:
    """How much of the other members each member supports (its sentences cover theirs), minus credit cues."""
    score = pd.Series(0.0, index=members)
    if len(members) < 2:
        return score
    for r in pairs.itertuples(index=False):
        if r.doc_a in score.index and r.doc_b in score.index:
            # coverage_b / specifics_b: how much of b's sentences and specifics a holds: a "contains" b
            score[r.doc_a] += r.coverage_b + r.containment_b + r.specifics_b
            score[r.doc_b] += r.coverage_a + r.containment_a + r.specifics_a
    score /= len(members) - 1
    c = cues.set_index("doc_id")
    for m in members:
        if c.at[m, "scraped"]:
            score[m] += 0.3  # a scraped page carries an original's text verbatim
        if c.at[m, "named_quotes"]:
            score[m] += 0.2  # quotes from named people: first-hand reporting
        if c.at[m, "credits"]:
            score[m] -= 0.5
        if c.at[m, "summary_cue"]:
            score[m] -= 0.25
    return score


def _is_external(credit: str, d: pd.DataFrame, members: list[str]) -> bool:
    if not credit:
        return False
    key = re.sub(r"^(https?://)?(www\.)?", "", credit.lower()).split("/")[0]
    key = key.split(".")[0] if "." in key else key
    srcs = d.set_index("doc_id").loc[members, ["source", "url"]]
    for s, u in zip(srcs["source"], srcs["url"]):
        if key and (key in s.lower().replace(" ", "") or key in u.lower()):
            return False
    return True


def lineage(d: pd.DataFrame, fam: pd.DataFrame, pairs: pd.DataFrame, cues: pd.DataFrame) -> pd.DataFrame:
    """Each document's parent (its closest more-original relative) with the relation label and evidence.

    Columns: ``doc_id, family_id, parent, relation, is_origin, origin_rank, evidence`` plus the pair scores.
    The family root has ``parent`` = ``"external: <source>"`` when the family's text points to an original that
    is not in the corpus, else ``""``.
    """
    c = cues.set_index("doc_id")
    info = d.set_index("doc_id")
    pidx = {}
    for r in pairs.itertuples(index=False):
        pidx[(r.doc_a, r.doc_b)] = r
    rows = []
    for fid, members in fam.groupby("family_id", sort=True)["doc_id"]:
        ids = list(members)
        if len(ids) == 1:
            rows.append(
                dict(
                    doc_id=ids[0],
                    family_id=fid,
                    parent="",
                    relation="",
                    is_origin=True,
                    origin_rank=0,
                    evidence="no relative in the corpus",
                )
            )
            continue
        fp = pairs[pairs["family_id"] == fid]
        orig = _originality(d, ids, fp, cues)
        pub = info.loc[ids, "published"]
        dated = pub.notna()
        # order: dated first by date (ties by originality), then undated by originality
        pub_ns = np.where(
            dated.to_numpy(), pub.to_numpy(dtype="datetime64[ns]").astype("int64"), np.iinfo(np.int64).max
        )
        key = pd.DataFrame(
            {"dated": ~dated.to_numpy(), "pub": pub_ns, "orig": -orig.reindex(ids).to_numpy()}, index=ids
        )
        order = key.sort_values(["dated", "pub", "orig"], kind="stable").index.tolist()
        root = order[0]
        credits = [c.at[m, "credits"] for m in order if c.at[m, "credits"]]
        external = next((cr for cr in credits if _is_external(cr, d, ids)), "")
        if not external and c.at[root, "scraped"]:
            external = info.at[root, "source"] or "unknown original"
        for rank, m in enumerate(order):
            if rank == 0:
                if external:
                    rel = "excerpt" if c.at[m, "scraped"] else "near-verbatim copy" if not credits else "rewrite"
                    if not c.at[m, "scraped"]:
                        rel = classify_relation(
                            dict(
                                jaccard=0,
                                containment_a=0,
                                containment_b=0,
                                len_a=1,
                                len_b=1,
                                cover_a=0,
                                a_credits=c.at[m, "credits"],
                                a_summary_cue=c.at[m, "summary_cue"],
                                a_quotes=c.at[m, "named_quotes"],
                                b_quotes=1,
                            )
                        )
                    ev = (
                        "most original member; scraped copy (paywall/scraper furniture) of an original not in "
                        "the corpus"
                        if c.at[m, "scraped"]
                        else f"most original member; the family credits {external}, which is not in the corpus"
                    )
                    rows.append(
                        dict(
                            doc_id=m,
                            family_id=fid,
                            parent=f"external: {external}",
                            relation=rel,
                            is_origin=True,
                            origin_rank=0,
                            evidence=ev,
                        )
                    )
                else:
                    why = (
                        f"earliest published ({info.at[m, 'published']:%Y-%m-%d})"
                        if dated[m]
                        else f"its content best supports the others' (originality {orig[m]:.2f})"
                    )
                    rows.append(
                        dict(
                            doc_id=m,
                            family_id=fid,
                            parent="",
                            relation="origin",
                            is_origin=True,
                            origin_rank=0,
                            evidence=why,
                        )
                    )
                continue
            best, best_r, best_s = None, None, -1.0
            for q in order[:rank]:
                r = pidx.get((m, q)) or pidx.get((q, m))
                if r is None:
                    continue
                flip = r.doc_a != m
                cov = r.coverage_b if flip else r.coverage_a
                cont = r.containment_b if flip else r.containment_a
                s = r.story_sim + cov + cont
                if s > best_s:
                    best, best_r, best_s = q, r, s
            if best is None:
                best = root
                best_r = pidx.get((m, root)) or pidx.get((root, m))
            flip = best_r is not None and best_r.doc_a != m
            g = (lambda x, y: getattr(best_r, y) if flip else getattr(best_r, x)) if best_r is not None else None
            feats = dict(
                same_text=comparison_key(info.at[m, "text"]) == comparison_key(info.at[best, "text"]),
                jaccard=best_r.jaccard if best_r is not None else 0.0,
                containment_a=g("containment_a", "containment_b") if g else 0.0,
                containment_b=g("containment_b", "containment_a") if g else 0.0,
                len_a=int(info.at[m, "n_words"]),
                len_b=int(info.at[best, "n_words"]),
                cover_a=g("coverage_a", "coverage_b") if g else 0.0,
                a_scraped=bool(c.at[m, "scraped"]),
                a_credits=c.at[m, "credits"],
                a_summary_cue=bool(c.at[m, "summary_cue"]),
                a_quotes=int(c.at[m, "named_quotes"]),
                b_quotes=int(c.at[best, "named_quotes"]),
            )
            rel = classify_relation(feats)
            ev = [
                f"story similarity {best_r.story_sim:.2f}" if best_r is not None else "",
                f"{feats['cover_a']:.0%} of its sentences supported by the parent",
                f"shingle containment {feats['containment_a']:.2f}, Jaccard {feats['jaccard']:.2f}",
                f"{feats['len_a']} vs {feats['len_b']} content words",
            ]
            if best_r is not None and best_r.shared_specifics:
                ev.append(f"shared specifics: {best_r.shared_specifics}")
            if feats["a_credits"]:
                ev.append(f"credits {feats['a_credits']}")
            if dated[m] and dated[best]:
                ev.append(f"published {(info.at[m, 'published'] - info.at[best, 'published']).days} days after")
            rows.append(
                dict(
                    doc_id=m,
                    family_id=fid,
                    parent=best,
                    relation=rel,
                    is_origin=False,
                    origin_rank=rank,
                    evidence="; ".join(e for e in ev if e),
                )
            )
    out = pd.DataFrame(
        rows, columns=["doc_id", "family_id", "parent", "relation", "is_origin", "origin_rank", "evidence"]
    )
    return out


# ----------------------------------------------------------------------------------------------- content


def added_dropped(ctx: _Ctx, lin: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Added (sentences of each derivative with no support in its parent) and dropped (parent sentences with no
    support in the derivative) content. Added rows carry ``new_specifics``: names and numbers that appear in
    neither the parent nor any other earlier family member."""
    matcher, names, spec = ctx.matcher, ctx.names, ctx.spec
    add_rows, drop_rows = [], []
    ids = set(spec)
    earlier: dict = {}
    for r in lin.sort_values(["family_id", "origin_rank"], kind="stable").itertuples(index=False):
        seen = earlier.setdefault(r.family_id, set())
        mine = spec.get(r.doc_id, set())
        if not r.parent or r.parent not in ids:
            seen |= mine
            continue
        best_a, best_b = matcher.support(r.doc_id, r.parent)
        ra, rb = matcher.rows(r.doc_id), matcher.rows(r.parent)
        sa = zip(matcher.sent_ids[ra], matcher.starts[ra], matcher.ends[ra], matcher.texts[ra])
        sb = zip(matcher.sent_ids[rb], matcher.starts[rb], matcher.ends[rb], matcher.texts[rb])
        known = spec[r.parent] | seen
        seen |= mine
        for (sid, st, en, text), sc in zip(sa, best_a):
            if sc < matcher.threshold:
                new = [s for s in dict.fromkeys(specifics(text, names)) if s not in known]
                add_rows.append(
                    (r.doc_id, r.parent, r.family_id, int(sid), int(st), int(en), text, float(sc), ", ".join(new))
                )
        for (sid, st, en, text), sc in zip(sb, best_b):
            if sc < matcher.threshold:
                drop_rows.append((r.doc_id, r.parent, r.family_id, int(sid), int(st), int(en), text, float(sc)))
    add = pd.DataFrame(
        add_rows,
        columns=[
            "doc_id",
            "parent",
            "family_id",
            "sent_id",
            "start",
            "end",
            "sentence",
            "best_support",
            "new_specifics",
        ],
    )
    drop = pd.DataFrame(
        drop_rows,
        columns=["doc_id", "parent", "family_id", "parent_sent_id", "start", "end", "sentence", "best_support"],
    )
    return add, drop


def coverage_table(
    ctx: _Ctx, fam: pd.DataFrame, pairs: pd.DataFrame | None = None, max_partners: int = 20
) -> pd.DataFrame:
    """Per document in a family of two or more: share of its sentences copied / paraphrased from / novel with
    respect to the rest of its family (best support over the other members; in a big family, over its
    ``max_partners`` most similar members, from ``pairs``)."""
    matcher = ctx.matcher
    rows = []
    near: dict = {}
    if pairs is not None and len(pairs):
        both = pd.concat(
            [
                pairs[["doc_a", "doc_b", "story_sim"]],
                pairs[["doc_b", "doc_a", "story_sim"]].set_axis(["doc_a", "doc_b", "story_sim"], axis=1),
            ]
        )
        both = both.sort_values(["doc_a", "story_sim"], ascending=[True, False], kind="stable")
        near = {k: list(g["doc_b"])[:max_partners] for k, g in both.groupby("doc_a", sort=False)}
    for fid, members in fam.groupby("family_id", sort=True)["doc_id"]:
        ids = list(members)
        if len(ids) < 2:
            continue
        for m in ids:
            partners = ids if len(ids) <= max_partners + 1 else near.get(m, [])
            ra = matcher.rows(m)
            if len(ra) == 0:
                rows.append((m, fid, 0, 0.0, 0.0, 0.0))
                continue
            best = np.zeros(len(ra), dtype=np.float32)
            partner = [""] * len(ra)
            for o in partners:
                if o == m:
                    continue
                sim = matcher.similarity(m, o)
                if sim.shape[1] == 0:
                    continue
                j = sim.argmax(axis=1)
                s = sim[np.arange(len(j)), j]
                texts = matcher.texts[matcher.rows(o)[j]]
                better = s > best
                for i in np.flatnonzero(better):
                    partner[i] = texts[i]
                best = np.maximum(best, s)
            own = matcher.texts[ra]
            sup = best >= matcher.threshold
            copied = np.array([bool(ok) and copy_overlap(a, b) >= COPY_OVERLAP for a, b, ok in zip(own, partner, sup)])
            n = len(ra)
            rows.append((m, fid, n, copied.sum() / n, (sup & ~copied).sum() / n, (~sup).sum() / n))
    return pd.DataFrame(rows, columns=["doc_id", "family_id", "n_sentences", "copied", "paraphrased", "novel"])


def passages(d: pd.DataFrame, lin: pd.DataFrame, max_pairs: int = 500) -> pd.DataFrame:
    """Aligned passages between each derivative and its parent (:func:`helpers.neardup.align.align`; at most
    ``max_pairs`` derivative/parent pairs): ``doc_id, parent, kind, a_start, a_end, b_start, b_end, score,
    a_text, b_text`` (a = the derivative)."""
    from .align import align

    text = dict(zip(d["doc_id"], d["text"]))
    rows = []
    done = 0
    for r in lin.itertuples(index=False):
        if not r.parent or r.parent not in text:
            continue
        if done >= max_pairs:
            break
        done += 1
        ta, tb = text[r.doc_id], text[r.parent]
        try:
            al = align(ta, tb)
        except Exception:  # alignment is evidence only; never fail the family trace on it
            al = pd.DataFrame(columns=["a_start", "a_end", "b_start", "b_end", "score"])
        for x in al.itertuples(index=False):
            rows.append(
                (
                    r.doc_id,
                    r.parent,
                    "passage",
                    int(x.a_start),
                    int(x.a_end),
                    int(x.b_start),
                    int(x.b_end),
                    float(x.score),
                    ta[x.a_start : x.a_end],
                    tb[x.b_start : x.b_end],
                )
            )
    return pd.DataFrame(
        rows, columns=["doc_id", "parent", "kind", "a_start", "a_end", "b_start", "b_end", "score", "a_text", "b_text"]
    )


def sentence_links(ctx: _Ctx, lin: pd.DataFrame) -> pd.DataFrame:
    """Sentence matches (copied / paraphrase) between each derivative and its parent, offsets into ``text``."""
    matcher = ctx.matcher
    parts = []
    for r in lin.itertuples(index=False):
        if not r.parent or r.parent not in ctx.spec:
            continue
        m = matcher.match(r.doc_id, r.parent)
        if len(m):
            m.insert(0, "parent", r.parent)
            m.insert(0, "doc_id", r.doc_id)
            parts.append(m)
    if not parts:
        return pd.DataFrame(
            columns=[
                "doc_id",
                "parent",
                "a_sent_id",
                "b_sent_id",
                "a_start",
                "a_end",
                "b_start",
                "b_end",
                "a_text",
                "b_text",
                "score",
                "kind",
            ]
        )
    return pd.concat(parts, ignore_index=True)


# ----------------------------------------------------------------------------------------------- entry points


def families(
    docs: pd.DataFrame, params: FamilyParams | None = None, method: str = "tfidf", **overrides
) -> pd.DataFrame:
    """Story families: ``doc_id``, ``family_id``, ``role`` for every document.

    ``role``: ``single`` (no relative), ``origin`` (the family's most original member), or the member's relation
    to its parent (``duplicate``, ``near-verbatim copy``, ``excerpt``, ``summary``, ``rewrite``, ``same story``).
    Parameters: :class:`FamilyParams` fields as ``params`` or keyword overrides.
    """
    return trace(docs, params=params, method=method, detail=False, **overrides).families


def relations(
    docs: pd.DataFrame, params: FamilyParams | None = None, method: str = "tfidf", **overrides
) -> pd.DataFrame:
    """Linked pairs (every pair inside a family) with their relation label and scores (see :func:`pair_table`)."""
    return trace(docs, params=params, method=method, detail=False, **overrides).pairs


@dataclass
class Trace:
    """Everything :func:`trace` found. Tables: ``families`` (doc_id, family_id, role), ``pairs`` (linked pairs
    with relation and scores), ``lineage`` (parent, relation, evidence), ``passages`` (aligned passages),
    ``sentence_links`` (sentence matches with parents), ``added`` / ``dropped`` (content against the parent),
    ``coverage`` (copied / paraphrased / novel shares), ``cues`` (credits, scraped, quotes); ``similarity``
    (:class:`StorySimilarity`)."""

    families: pd.DataFrame
    pairs: pd.DataFrame
    lineage: pd.DataFrame
    passages: pd.DataFrame
    sentence_links: pd.DataFrame
    added: pd.DataFrame
    dropped: pd.DataFrame
    coverage: pd.DataFrame
    cues: pd.DataFrame
    similarity: StorySimilarity | None = None
    messages: list = field(default_factory=list)

    def similarity_matrix(self, ids=None, which: str = "raw") -> pd.DataFrame:
        """Doc x doc similarity table (default: members of families with two or more documents)."""
        if ids is None:
            big = self.families.groupby("family_id")["doc_id"].transform("size") > 1
            ids = self.families.loc[big, "doc_id"].tolist()
        if self.similarity is None or not len(ids):
            return pd.DataFrame()
        return self.similarity.dense(which, ids)


def trace(
    docs: pd.DataFrame,
    params: FamilyParams | None = None,
    method: str = "tfidf",
    with_passages: bool = True,
    detail: bool = True,
    **overrides,
) -> Trace:
    """Families, relations, lineage, aligned passages, added/dropped content and coverage for a documents table.

    ``method``: ``"tfidf"`` (default, no model) or ``"embeddings"`` (adds MiniLM document similarity; needs the
    ``embeddings`` extra). Bad input (no documents, empty texts, one document) gives empty or trivial tables and a
    message in ``.messages``, never an exception (except a table without ``doc_id``/``text``).
    ``detail=False`` stops after families, pairs and lineage (no added/dropped, coverage or passages).
    """
    p = params or FamilyParams()
    if overrides:
        p = replace(p, **overrides)
    d = _prepare(docs)
    messages = []
    cues = (
        document_cues(docs, d)
        if len(d)
        else pd.DataFrame(columns=["doc_id", "credits", "scraped", "summary_cue", "named_quotes"])
    )
    if len(d) == 0:
        messages.append("no documents")
    empty = d["text"].str.strip() == ""
    if empty.any():
        messages.append(f"{int(empty.sum())} empty document(s): each is its own family")
    if len(d) == 1:
        messages.append("one document: nothing to compare it with")
    sim = story_similarity(d, p, method)
    fam = story_clusters(d, p, method, similarity=sim)
    ctx = _context(d, fam, sim, p)
    pairs = pair_table(d, fam, sim, cues, p, ctx=ctx)
    lin = lineage(d, fam, pairs, cues)
    # relation label on every pair (the less original member is the derivative)
    rank = dict(zip(lin["doc_id"], lin["origin_rank"]))
    c = cues.set_index("doc_id") if len(cues) else None
    info = d.set_index("doc_id")
    rels = []
    for r in pairs.itertuples(index=False):
        a, b = (r.doc_a, r.doc_b) if rank.get(r.doc_a, 0) >= rank.get(r.doc_b, 0) else (r.doc_b, r.doc_a)
        fl = a != r.doc_a
        rels.append(
            classify_relation(
                dict(
                    same_text=comparison_key(info.at[a, "text"]) == comparison_key(info.at[b, "text"]),
                    jaccard=r.jaccard,
                    containment_a=r.containment_b if fl else r.containment_a,
                    containment_b=r.containment_a if fl else r.containment_b,
                    len_a=int(info.at[a, "n_words"]),
                    len_b=int(info.at[b, "n_words"]),
                    cover_a=r.coverage_b if fl else r.coverage_a,
                    a_credits=c.at[a, "credits"],
                    a_summary_cue=bool(c.at[a, "summary_cue"]),
                    a_quotes=int(c.at[a, "named_quotes"]),
                    b_quotes=int(c.at[b, "named_quotes"]),
                )
            )
        )
    pairs.insert(3, "relation", pd.Series(rels, dtype=object))
    pairs["derivative"] = [
        r.doc_a if rank.get(r.doc_a, 0) >= rank.get(r.doc_b, 0) else r.doc_b for r in pairs.itertuples(index=False)
    ]
    role = []
    size = fam.groupby("family_id")["doc_id"].transform("size")
    lin_i = lin.set_index("doc_id")
    for doc_id, n in zip(fam["doc_id"], size):
        if n == 1:
            role.append("single")
        else:
            rel = lin_i.at[doc_id, "relation"]
            role.append(rel if rel else "origin")
    fam = fam.assign(role=role)
    if detail:
        add, drop = added_dropped(ctx, lin)
        cov = coverage_table(ctx, fam, pairs)
    else:
        add = drop = cov = pd.DataFrame()
    pas = passages(d, lin) if with_passages and detail else pd.DataFrame()
    links = sentence_links(ctx, lin) if with_passages and detail else pd.DataFrame()
    return Trace(
        families=fam,
        pairs=pairs,
        lineage=lin,
        passages=pas,
        sentence_links=links,
        added=add,
        dropped=drop,
        coverage=cov,
        cues=cues,
        similarity=sim,
        messages=messages,
    )


# ----------------------------------------------------------------------------------------------- display


def lineage_layout(lin: pd.DataFrame, fam: pd.DataFrame, max_families: int = 6) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node positions and edges for drawing lineage trees (largest families first).

    Returns ``nodes`` (``node, label, family_id, x, y, external``; x = depth from the origin) and ``edges``
    (``parent, child, relation``). External origins become their own node.
    """
    sizes = fam.groupby("family_id").size()
    fids = [f for f in sizes.sort_values(ascending=False, kind="stable").index if sizes[f] > 1][: max(0, max_families)]
    nodes, edges, y = [], [], 0.0
    for fid in fids:
        g = lin[lin["family_id"] == fid]
        parent = dict(zip(g["doc_id"], g["parent"]))
        ext = {}
        for d, par in parent.items():
            if par and par not in parent:
                ext[d] = f"{par} [{fid}]"
        depth: dict[str, int] = {}

        def dep(x, seen=()):
            if x in depth:
                return depth[x]
            par = parent.get(x, "")
            if x in ext:
                v = 1
            elif not par or par not in parent or par in seen:
                v = 0
            else:
                v = dep(par, seen + (x,)) + 1
            depth[x] = v
            return v

        for d in sorted(parent, key=lambda x: (dep(x), str(x))):
            nodes.append(
                (
                    d,
                    str(d)[:24] + f" ({g.loc[g['doc_id'] == d, 'relation'].iloc[0] or 'origin'})",
                    fid,
                    float(dep(d)),
                    -y,
                    False,
                )
            )
            y += 1
            par = parent[d]
            if d in ext:
                edges.append((ext[d], d, g.loc[g["doc_id"] == d, "relation"].iloc[0]))
            elif par:
                edges.append((par, d, g.loc[g["doc_id"] == d, "relation"].iloc[0]))
        for d, node in ext.items():
            nodes.append((node, node.rsplit(" [", 1)[0][:40], fid, 0.0, -(y - len(parent)) + 0.5, True))
        y += 0.8
    return (
        pd.DataFrame(nodes, columns=["node", "label", "family_id", "x", "y", "external"]).drop_duplicates("node"),
        pd.DataFrame(edges, columns=["parent", "child", "relation"]),
    )


def side_by_side_html(docs: pd.DataFrame, result: Trace, doc_id: str, parent: str) -> str:
    """Escaped two-column HTML: ``doc_id`` (left) and ``parent`` (right), with aligned passages and matched
    sentences highlighted on both sides."""
    from ..show import escape, highlight_html

    text = dict(zip(docs["doc_id"].astype(str), docs["text"].fillna("").astype(str)))
    a, b = text.get(str(doc_id), ""), text.get(str(parent), "")
    spans_a, spans_b = [], []
    for tab in (result.passages, result.sentence_links):
        if tab is None or tab.empty:
            continue
        t = tab[(tab["doc_id"] == doc_id) & (tab["parent"] == parent)]
        spans_a += list(zip(t["a_start"], t["a_end"]))
        spans_b += list(zip(t["b_start"], t["b_end"]))
    rel = result.lineage.set_index("doc_id")["relation"].get(doc_id, "")
    cell = "vertical-align:top;white-space:pre-wrap;padding:6px;border:1px solid #ddd;font-size:0.85em"
    return (
        f'<table style="width:100%;table-layout:fixed;border-collapse:collapse">'
        f'<tr><th style="{cell}">{escape(doc_id)} ({escape(rel)})</th>'
        f'<th style="{cell}">parent: {escape(parent)}</th></tr>'
        f'<tr><td style="{cell}">{highlight_html(a, spans_a)}</td>'
        f'<td style="{cell}">{highlight_html(b, spans_b)}</td></tr></table>'
    )
