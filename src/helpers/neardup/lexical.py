"""Lexical duplicates: exact duplicates, MinHash + LSH near-duplicates, exact Jaccard and containment.

Everything hot is vectorised with NumPy over a whole batch of documents:

1. **Tokens.** Each text is normalised (NFKC, case-folded, curly quotes folded, non-word symbols blanked; ASCII
   texts need only lower-casing, done on the bytes), a chunk of about 1 MB is joined into one UTF-8 buffer (an
   Arrow-backed text column is sliced from its own buffer, with no Python string per document), and words
   (``\\w+`` joined by inner ``'`` or ``-``, the same tokens as :func:`helpers.text.simple_words`) are
   found with one ``bytes.translate`` (word bytes lower-cased, joiners kept, other bytes zeroed) and byte
   comparisons. Each word gets a stable 64-bit hash: its little-endian 8-byte words read through an
   unaligned strided view (one gather for most words), combined polynomially with its length and mixed by
   SplitMix64.
2. **Shingles.** Word n-gram shingle hashes are an order-sensitive combination of ``n`` consecutive token
   hashes (``n`` vectorised passes), mixed; windows that cross a document boundary are dropped; a document
   shorter than ``n`` words gives one shingle of all its words.
3. **MinHash.** Default ``method="oph"``: one-permutation MinHash with optimal densification (Li et al. 2012;
   Shrivastava 2017): every (already mixed) shingle hash is re-hashed once by a seeded odd multiplication
   and an xor-shift, its top bits choose one of ``num_perm`` bins, and the minimum per (document, bin) is
   taken with one ``np.minimum.at``; empty bins borrow from a seeded probe sequence of other bins, the same
   for all documents, so ``P[sig_a[k] == sig_b[k]] = J(a, b)``. Cost is O(shingles + num_perm) per document
   instead of O(shingles x num_perm). ``method="classic"`` computes ``num_perm`` independent universal
   hashes ``(a_k x + b_k) >> 32`` per shingle in (chunk x num_perm) blocks reduced by document with
   ``np.minimum.reduceat`` (slower, textbook).
4. **LSH.** Signatures are cut into ``bands`` of ``rows``; each band is hashed to a 40-bit key (stored in 8
   bytes per band per document, the whole index). Documents sharing a key in any band are candidates
   (buckets found by one sort of ``key << 24 | document``).
5. **Containment candidates.** MinHash-LSH only finds pairs of high *Jaccard*; an excerpt of a long article has
   low Jaccard but high containment. A second, consistent sample of each document's shingles (those whose
   seeded re-hash falls below ``2^64 / sample_every``: the same shingle is sampled in every document, keyed
   by 40 bits) is put in an inverted index; two documents sharing enough samples (at least 2, or 1 if the
   smaller has fewer than 3 samples, and at least half the containment threshold of the smaller sample) are
   candidates too. Because the sample is consistent, ``|S(a) & S(b)| / |S(a)|`` estimates the containment
   of ``a`` in ``b``.
6. **Verification.** Candidates are checked exactly on their shingle sets (the top 32 bits of each 64-bit
   shingle hash, kept from the single pass: collisions inside a pair are negligible), giving Jaccard and
   containment both ways. Only candidate documents' sets are sorted: each document as a row of a padded
   uint32 matrix (NumPy's SIMD row sorts); a pair's overlap is counted in one sorted row holding both sets
   (small pairs) or by merging the two sorted sets with one stable sort. Documents with identical shingle
   multisets (128-bit digest; identical word sequences in particular) are collapsed first and paired with
   Jaccard 1, so fifty copies of a text cost one document in the index.

Settings that decide which pairs are reported live in :class:`LexicalParams`, shared by the single-process
path (:func:`near_duplicate_pairs`) and the Dask path (:mod:`helpers.neardup.lexical_dask`). The Dask path is
built from this module's public batch API, pure and deterministic functions of a batch of documents:
:func:`sketch_batches` (shingles, MinHash, band keys, digests and containment samples of each chunk),
:func:`duplicate_representatives`, :func:`pairs_sharing_key`, :func:`enough_shared_samples`,
:func:`confirm_candidates` (exact verification and the reporting rule), :func:`expand_duplicates` and
:func:`name_pairs`; so both paths give the same table.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..text import comparison_key, normalise

__all__ = [
    "LexicalParams",
    "PAIR_COLUMNS",
    "empty_pairs",
    "exact_duplicates",
    "as_texts",
    "token_hashes",
    "shingle_hashes",
    "minhash_signatures",
    "lsh_params",
    "band_keys",
    "Sketch",
    "sketch_batches",
    "duplicate_representatives",
    "pairs_sharing_key",
    "candidate_pairs_from_keys",
    "containment_samples",
    "candidate_pairs_from_samples",
    "enough_shared_samples",
    "jaccard_estimates",
    "shingle_sets",
    "verify_sets",
    "verify_pairs",
    "is_reported",
    "confirm_candidates",
    "CandidateSets",
    "candidate_sets",
    "confirm_sets",
    "expand_duplicates",
    "name_pairs",
    "near_duplicate_pairs",
    "components",
]


@dataclass(frozen=True)
class LexicalParams:
    """What counts as a lexical near-duplicate pair, and how candidates are found; one set for both paths.

    A pair is reported when its exact shingle Jaccard is >= ``threshold``, or when one document's containment in
    the other is >= ``containment_threshold`` with at least ``min_shared`` shared shingles. The candidate settings
    (``num_perm``, ``sample_every``, ``max_bucket``, ``max_sample_df``) trade recall for speed; ``seed`` and
    ``method`` change which (equally good) hashes are drawn. Defaults were not tuned on the sample: they are the
    values behind ``benchmarks/minhash_vs_datasketch.py`` (20,000 synthetic news articles: recall 1.000 of
    planted pairs with Jaccard >= 0.5, and the planted excerpts) and ``benchmarks/scale_1m.py``.
    """

    threshold: float = 0.5
    """Exact word-shingle Jaccard that makes a pair a near-duplicate (half the shingles shared: copies with light
    edits, not rewrites); it also sets the LSH S-curve (:func:`lsh_params`)."""
    shingle_size: int = 5
    """Words per shingle: 5-grams rarely repeat between independent news texts but survive light edits."""
    num_perm: int = 128
    """MinHash values per document (the ``jaccard_est`` resolution, and the LSH bands x rows budget)."""
    seed: int = 1
    """Seed of every hash drawn (MinHash, densification probes, the containment sample)."""
    containment_threshold: float | None = None
    """Share of one document's shingles found in the other that makes a pair an excerpt (None: ``threshold``)."""
    method: str = "oph"
    """MinHash: ``"oph"`` (one permutation, optimal densification; fast) or ``"classic"`` (``num_perm``
    permutations; the textbook version, slower, statistically the same)."""
    sample_every: int = 16
    """Containment sample: one shingle in this many (consistently chosen) enters the inverted index; 16 keeps the
    index near 12 bytes per 16 shingles and still finds excerpts of a few sentences (minhash_vs_datasketch)."""
    min_shared: int = 3
    """Shared shingles a containment-only pair needs (a one-line quote shared by two articles is not an excerpt)."""
    max_bucket: int | None = None
    """LSH buckets with more documents than this are skipped (None: no limit; for corpora of mass-produced text)."""
    max_sample_df: int = 200
    """Containment samples found in more documents than this are skipped as boilerplate (a shared footer)."""

    def __post_init__(self):
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold}")
        if self.containment_threshold is not None and not 0.0 <= self.containment_threshold <= 1.0:
            raise ValueError(f"containment_threshold must be in [0, 1] or None, got {self.containment_threshold}")
        if self.method not in ("oph", "classic"):
            raise ValueError(f"unknown method {self.method!r}: use 'oph' or 'classic'")
        for name in ("shingle_size", "num_perm", "sample_every"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")

    @classmethod
    def of(cls, params: LexicalParams | None = None, **overrides) -> LexicalParams:
        """``params`` (default: the defaults) with keyword overrides; an unknown name is an error."""
        known = [f.name for f in fields(cls)]
        unknown = sorted(set(overrides) - set(known))
        if unknown:
            raise TypeError(f"unknown near-duplicate parameter(s) {', '.join(unknown)}; known: {', '.join(known)}")
        if params is not None and not isinstance(params, cls):
            raise TypeError(f"params must be a {cls.__name__}, got {params!r}: pass settings by name (threshold=0.7)")
        base = params if params is not None else cls()
        return replace(base, **overrides) if overrides else base

    @property
    def containment(self) -> float:
        """The containment threshold in force (``threshold`` when not set)."""
        return self.threshold if self.containment_threshold is None else float(self.containment_threshold)

    @property
    def bands_and_rows(self) -> tuple[int, int]:
        """LSH ``(bands, rows)`` for this threshold and ``num_perm``."""
        return lsh_params(min(max(self.threshold, 0.01), 0.99), int(self.num_perm))


PAIR_COLUMNS = ["doc_a", "doc_b", "jaccard_est", "jaccard", "containment_a", "containment_b"]
_SCORE_COLUMNS = PAIR_COLUMNS[2:]


def empty_pairs() -> pd.DataFrame:
    """The pairs table without rows (object ids, float scores)."""
    return pd.DataFrame({c: pd.Series(dtype=object if c.startswith("doc") else float) for c in PAIR_COLUMNS})


_U64 = np.uint64
_MASK32 = _U64(0xFFFFFFFF)
_EMPTY32 = np.uint32(0xFFFFFFFF)
_NON_WORD_NON_ASCII = re.compile(r"[^\x00-\x7f\w]")

_WORD_LUT = np.zeros(256, dtype=bool)
for _c in b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_":
    _WORD_LUT[_c] = True
_WORD_LUT[128:] = True  # non-ASCII bytes left after blanking are parts of \w characters
_JOIN_LUT = np.zeros(256, dtype=bool)
_JOIN_LUT[ord("'")] = _JOIN_LUT[ord("-")] = True
# one translation for tokenising: word bytes lower-cased (all >= 0x30), joiners kept, every other byte 0
_TOKEN_TABLE = bytes(
    (ord(chr(i).lower()) if i < 128 and _WORD_LUT[i] else i if _WORD_LUT[i] or _JOIN_LUT[i] else 0) for i in range(256)
)
_LEN_MASK = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [2**64 - 1], dtype=np.uint64)

_POLY = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2**64
_SHINGLE_MULT = [
    0x9E3779B97F4A7C15,
    0xC2B2AE3D27D4EB4F,
    0x165667B19E3779F9,
    0xD6E8FEB86659FD93,
    0xFF51AFD7ED558CCD,
    0xC4CEB9FE1A85EC53,
    0x94D049BB133111EB,
    0xBF58476D1CE4E5B9,
]
_CHUNK_BYTES = 1_000_000  # text bytes per vectorised chunk (keeps temporaries around 100 MB)


def _mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser, in place on a uint64 array (returned)."""
    x ^= x >> _U64(30)
    x *= _U64(0xBF58476D1CE4E5B9)
    x ^= x >> _U64(27)
    x *= _U64(0x94D049BB133111EB)
    x ^= x >> _U64(31)
    return x


def _seed_words(seed: int, n: int, salt: str) -> np.ndarray:
    """``n`` deterministic 64-bit words from ``seed`` (independent of NumPy's generator versions); read-only."""
    return _seed_words_cached(int(seed), int(n), str(salt))


@lru_cache(maxsize=256)
def _seed_words_cached(seed: int, n: int, salt: str) -> np.ndarray:
    out = np.empty(n, dtype=np.uint64)
    h = hashlib.blake2b(f"{salt}:{int(seed)}".encode(), digest_size=64).digest()
    words: list[int] = []
    counter = 0
    while len(words) < n:
        h = hashlib.blake2b(h + counter.to_bytes(8, "little"), digest_size=64).digest()
        words.extend(int.from_bytes(h[i : i + 8], "little") for i in range(0, 64, 8))
        counter += 1
    out[:] = words[:n]
    out.flags.writeable = False
    return out


def as_texts(texts: Iterable) -> list[str]:
    """A column of texts as ``str``: None and NaN become "", bytes are decoded as UTF-8 (errors replaced)."""
    texts = list(texts)
    if set(map(type, texts)) <= {str}:  # the usual case, checked without a Python-level loop
        return texts
    out = []
    for t in texts:
        if t is None or (isinstance(t, float) and math.isnan(t)):
            out.append("")
        elif isinstance(t, bytes):
            out.append(t.decode("utf-8", "replace"))
        else:
            out.append(t if isinstance(t, str) else str(t))
    return out


def _fold(text: str) -> str:
    """:func:`helpers.text.normalise` (NFKC, quotes and dashes folded, case-folded), with the non-ASCII symbols
    left after it as spaces, so byte masks see only word characters."""
    t = normalise(text)
    return t if t.isascii() else _NON_WORD_NON_ASCII.sub(" ", t)


def _encode(text: str) -> bytes:
    """UTF-8 bytes of the folded text; ASCII texts skip Unicode folding (lower-cased later on the bytes)."""
    if text.isascii():
        return text.encode("ascii")
    return _fold(text).encode("utf-8")


def exact_duplicates(docs: pd.DataFrame) -> pd.DataFrame:
    """Documents whose text equals an earlier document's under :func:`helpers.text.comparison_key` (case and
    whitespace aside): ``doc_id``, ``dup_of`` (first occurrence).

    Only duplicates are listed (a document with no earlier copy has no row). Empty texts are never duplicates.
    """
    ids, texts = _ids_and_texts(docs)
    keys = [comparison_key(t) for t in texts]
    first: dict[str, int] = {}
    rows = []
    for i, k in enumerate(keys):
        if not k:
            continue
        j = first.setdefault(k, i)
        if j != i:
            rows.append((ids[i], ids[j]))
    return pd.DataFrame(rows, columns=["doc_id", "dup_of"], dtype=object)


def _chunks_by_bytes(
    lengths: np.ndarray, limit: int = _CHUNK_BYTES, max_docs: int | None = None
) -> list[tuple[int, int]]:
    """Consecutive document ranges of at most ``limit`` bytes (a bigger document stands alone) and at most
    ``max_docs`` documents."""
    out, start, acc = [], 0, 0
    max_docs = max(1, int(max_docs)) if max_docs else None
    for i, n in enumerate(lengths.tolist()):
        if acc and (acc + n + 1 > limit or (max_docs and i - start >= max_docs)):
            out.append((start, i))
            start, acc = i, 0
        acc += n + 1
    if start < len(lengths) or not out:
        out.append((start, len(lengths)))
    return out


def _tokens_of_encoded(
    encs: list, offsets: bool = False, lens: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Token hashes, document index and (if ``offsets``) byte start and end of every token of encoded texts.

    ``encs``: UTF-8 texts as :func:`_encode` gives them, or the same as ``str`` with their UTF-8 byte lengths
    in ``lens`` (joined and encoded once per chunk). A token's hash is a polynomial over its little-endian
    8-byte words (read through an unaligned strided view, so most tokens cost one gather), mixed with its
    length by SplitMix64.
    """
    if lens is None:
        lens = np.fromiter(map(len, encs), dtype=np.int64, count=len(encs))
    # spaces around: tokens start and end inside (8 more at the end let every byte start an 8-byte read);
    # one translation lower-cases word bytes and zeroes the rest
    if encs and isinstance(encs[0], str):
        buf = " ".join(["", *encs, " " * 8]).encode("utf-8").translate(_TOKEN_TABLE)
    else:
        buf = b" ".join([b"", *encs, b" " * 8]).translate(_TOKEN_TABLE)
    n_bytes = len(buf) - 8
    arr = np.frombuffer(buf, dtype=np.uint8, count=n_bytes)
    isw = arr >= 0x30  # word bytes (digits, letters, _, non-ASCII); joiners are 0x27 and 0x2D, others 0
    join = (arr == 0x27) | (arr == 0x2D)
    join[1:-1] &= isw[:-2] & isw[2:]
    join[0] = join[-1] = False
    isw |= join
    flips = np.flatnonzero(isw[1:] != isw[:-1])  # alternating token starts and ends (minus 1)
    flips += 1
    starts = flips[0::2]
    ends = flips[1::2]
    words = np.ndarray((n_bytes,), dtype="<u8", buffer=buf, strides=(1,))
    length = ends - starts
    h = words[starts]
    h &= _LEN_MASK[np.minimum(length, 8)]
    k = 1
    idx = np.flatnonzero(length > 8)
    while len(idx):
        rest = length[idx] - 8 * k
        w = words[starts[idx] + 8 * k]
        w &= _LEN_MASK[np.minimum(rest, 8)]
        h[idx] = h[idx] * _U64(_POLY) + w
        idx = idx[rest > 8]
        k += 1
    h ^= length.astype(np.uint64) * _U64(0xC2B2AE3D27D4EB4F)
    _mix64(h)
    doc_starts = np.concatenate(([1], 1 + np.cumsum(lens + 1)[:-1]))
    per_doc = np.diff(np.append(np.searchsorted(starts, doc_starts), len(starts)))
    doc = np.repeat(np.arange(len(encs), dtype=np.int64), per_doc)
    if not offsets:
        return h, doc, None, None
    return h, doc, starts - doc_starts[doc], ends - doc_starts[doc]


def _arrow_chunks(texts: _ArrowTexts, max_docs: int | None = None):
    """:func:`_encoded_chunks` for Arrow texts: ASCII documents as slices of the buffer, others folded."""
    off = texts.off
    data = texts.data
    ol = off.tolist()
    for lo, hi in _chunks_by_bytes(np.diff(off), _CHUNK_BYTES, max_docs):
        pieces = [data[ol[i] : ol[i + 1]] for i in range(lo, hi)]
        lens = np.diff(off[lo : hi + 1])
        raw = np.frombuffer(data, dtype=np.uint8, count=ol[hi] - ol[lo], offset=ol[lo])
        high = np.flatnonzero(raw >= 0x80)
        if len(high):
            lens = lens.copy()
            for k in np.unique(np.searchsorted(off[lo : hi + 1] - ol[lo], high, side="right") - 1).tolist():
                enc = _fold(bytes(pieces[k]).decode("utf-8", "replace")).encode("utf-8")
                pieces[k] = enc
                lens[k] = len(enc)
        yield lo, pieces, lens


def _encoded_chunks(texts: Sequence[str], max_docs: int | None = None):
    """Yield ``(first doc index, prepared texts, their UTF-8 byte lengths)`` for consecutive chunks of about
    ``_CHUNK_BYTES``: ASCII texts as they are (lower-cased later on the bytes), others folded (:func:`_fold`)."""
    prep = list(texts)
    lens = np.fromiter(map(len, prep), dtype=np.int64, count=len(prep))
    ascii_ = np.fromiter(map(str.isascii, prep), dtype=bool, count=len(prep))
    for i in np.flatnonzero(~ascii_).tolist():
        prep[i] = _fold(prep[i])
        lens[i] = len(prep[i].encode("utf-8"))
    for lo, hi in _chunks_by_bytes(lens, _CHUNK_BYTES, max_docs):
        yield lo, prep[lo:hi], lens[lo:hi]


def token_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Stable 64-bit hashes of the normalised words of each text: ``(hashes uint64, doc index int64)``.

    Tokens are those of :func:`helpers.text.simple_words`; hashes do not depend on the batch.
    """
    hs, ds = [], []
    for lo, encs, lens in _encoded_chunks(as_texts(texts)):
        h, d, _, _ = _tokens_of_encoded(encs, lens=lens)
        hs.append(h)
        ds.append(d + lo)
    if not hs:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    return np.concatenate(hs), np.concatenate(ds).astype(np.int64)


def _shingles_from_tokens(th: np.ndarray, tdoc: np.ndarray, n_docs: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes (uint64) and their document index from token hashes sorted by document."""
    n = int(n)
    if n < 1:
        raise ValueError(f"shingle_size must be >= 1, got {n}")
    T = len(th)
    if T == 0:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    mults = [_U64(_SHINGLE_MULT[j % len(_SHINGLE_MULT)] ^ (j // len(_SHINGLE_MULT))) for j in range(n)]
    counts = np.bincount(tdoc, minlength=n_docs)
    first = np.concatenate(([0], np.cumsum(counts)[:-1]))
    parts_h, parts_d = [], []
    W = T - n + 1
    if W > 0:
        valid = tdoc[:W] == tdoc[n - 1 :]
        sh = th[:W] * mults[0]
        tmp = np.empty_like(sh)
        for j in range(1, n):
            np.multiply(th[j : j + W], mults[j], out=tmp)
            sh += tmp
        parts_h.append(sh[valid])
        parts_d.append(tdoc[:W][valid])
    short = np.flatnonzero((counts > 0) & (counts < n))
    if len(short):
        sh = np.zeros(len(short), dtype=np.uint64)
        for j in range(n):
            m = j < counts[short]
            sh[m] += th[first[short[m]] + j] * mults[j]
        parts_h.append(sh)
        parts_d.append(short.astype(np.int64))
    h = np.concatenate(parts_h) if len(parts_h) > 1 else parts_h[0]
    d = np.concatenate(parts_d) if len(parts_d) > 1 else parts_d[0]
    if len(short):
        order = np.argsort(d, kind="stable")
        h, d = h[order], d[order]
    return _mix64(h), d


def _chunked_shingles(texts: Sequence[str], shingle_size: int, max_docs: int | None = None):
    """Yield ``(lo, n_docs, shingle hashes, shingle doc)`` per chunk (local doc index)."""
    chunks = (
        _arrow_chunks(texts, max_docs) if isinstance(texts, _ArrowTexts) else _encoded_chunks(as_texts(texts), max_docs)
    )
    for lo, encs, lens in chunks:
        th, td, _, _ = _tokens_of_encoded(encs, lens=lens)
        sh, sd = _shingles_from_tokens(th, td, len(encs), shingle_size)
        yield lo, len(encs), sh, sd


def shingle_hashes(texts: Sequence[str], shingle_size: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Word n-gram shingle hashes of a batch: ``(hashes uint64, doc index int64)``, grouped by document.

    A document with fewer than ``shingle_size`` words gives one shingle of all its words; an empty one none.
    """
    if int(shingle_size) < 1:
        raise ValueError(f"shingle_size must be >= 1, got {shingle_size}")
    hs, ds = [], []
    for lo, _, sh, sd in _chunked_shingles(texts, shingle_size):
        hs.append(sh)
        ds.append(sd + lo)
    if not hs:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    return np.concatenate(hs), np.concatenate(ds).astype(np.int64)


def _shingle_digest(sh: np.ndarray, sd: np.ndarray, n_docs: int) -> np.ndarray:
    """128-bit digest of each document's multiset of shingle hashes, (n_docs, 2) uint64; 0 if it has none.

    The halves are ``sum(h)`` and ``sum(h * h)`` over the (already mixed) shingle hashes, with the count,
    finalised by SplitMix64. Equal digests mean equal shingle sets, hence Jaccard 1 with each other and the
    same scores against every other document (identical word sequences are a special case). ``sd`` must be
    grouped by document.
    """
    out = np.zeros((n_docs, 2), dtype=np.uint64)
    if not len(sh):
        return out
    counts = np.bincount(sd, minlength=n_docs)
    nz = np.flatnonzero(counts)
    first = (np.cumsum(counts) - counts)[nz]
    cnt = counts[nz].astype(np.uint64)
    s1 = np.add.reduceat(sh, first)
    s2 = np.add.reduceat(sh * sh, first)
    s1 ^= cnt
    s2 ^= cnt * _U64(0x9E3779B97F4A7C15)
    out[nz, 0] = _mix64(s1) | _U64(1)
    out[nz, 1] = _mix64(s2)
    return out


def _oph(sh: np.ndarray, sd: np.ndarray, n_docs: int, num_perm: int, seed: int) -> np.ndarray:
    K = int(num_perm)
    # shingle hashes are already mixed: a seeded odd multiplication and an xor-shift re-hash them (a
    # bijection); the top bits choose the bin and the low 32 bits (which depend on all 64) are the value
    x = sh * (_seed_words(seed, 1, "oph")[0] | _U64(1))
    x ^= x >> _U64(32)
    if K & (K - 1) == 0:  # power of two: the same bins as the multiply-shift below, in one shift
        cell = (x >> _U64(64 - (K.bit_length() - 1))).view(np.int64) if K > 1 else np.zeros(len(x), np.int64)
    else:
        cell = (((x >> _U64(32)) * _U64(K)) >> _U64(32)).view(np.int64)
    cell += np.asarray(sd, dtype=np.int64) * K
    vals = x.astype(np.uint32)  # low 32 bits
    vals[vals == _EMPTY32] -= np.uint32(1)  # keep the sentinel for empty bins only
    sig = np.full(n_docs * K, _EMPTY32, dtype=np.uint32)
    np.minimum.at(sig, cell, vals)
    sig = sig.reshape(n_docs, K)
    # optimal densification: empty bin k takes bin probe(k, t) for the first t where that bin is filled
    orig_empty = sig == _EMPTY32
    need = np.flatnonzero(orig_empty.any(axis=1) & ~orig_empty.all(axis=1))
    if len(need):
        orig = sig[need].copy()
        oe = orig_empty[need]
        out = orig.copy()
        todo = oe.copy()
        probe_words = _seed_words(seed, 64, "densify")
        t = 0
        rows = np.arange(len(need))
        while len(rows) and t < 64 * K:
            pw = probe_words[t % 64] ^ _U64(t // 64)
            probe = (_mix64(np.arange(K, dtype=np.uint64) * _U64(0x9E3779B97F4A7C15) ^ pw) % _U64(K)).astype(np.int64)
            src_empty = oe[rows][:, probe]
            fill = todo[rows] & ~src_empty
            if fill.any():
                r, k = np.nonzero(fill)
                out[rows[r], k] = orig[rows[r], probe[k]]
                todo[rows[r], k] = False
            rows = rows[todo[rows].any(axis=1)]
            t += 1
        if len(rows):  # practically unreachable: fill the rest with the row's minimum
            mins = np.where(oe[rows], _EMPTY32, orig[rows]).min(axis=1)
            out[rows] = np.where(todo[rows], mins[:, None], out[rows])
        sig[need] = out
    return sig


def _classic(sh: np.ndarray, sd: np.ndarray, n_docs: int, num_perm: int, seed: int) -> np.ndarray:
    K = int(num_perm)
    a = _seed_words(seed, K, "perm-a") | _U64(1)
    b = _seed_words(seed, K, "perm-b")
    sig = np.full((n_docs, K), _EMPTY32, dtype=np.uint32)
    if len(sh) == 0:
        return sig
    step = max(1, 4_000_000 // K)
    for lo in range(0, len(sh), step):
        x = sh[lo : lo + step]
        d = sd[lo : lo + step]
        hv = x[:, None] * a[None, :]
        hv += b[None, :]
        hv >>= _U64(32)
        hv = hv.astype(np.uint32)
        np.minimum(hv, np.uint32(0xFFFFFFFE), out=hv)
        seg = np.flatnonzero(np.r_[True, d[1:] != d[:-1]])
        mins = np.minimum.reduceat(hv, seg, axis=0)
        docs = d[seg]
        sig[docs] = np.minimum(sig[docs], mins)
    return sig


def _signatures(sh: np.ndarray, sd: np.ndarray, n_docs: int, num_perm: int, seed: int, method: str) -> np.ndarray:
    """MinHash signatures ``(n_docs, num_perm)`` uint32 of shingle hashes grouped by document."""
    if method == "oph":
        return _oph(sh, sd, n_docs, num_perm, seed)
    if method == "classic":
        return _classic(sh, sd, n_docs, num_perm, seed)
    raise ValueError(f"unknown method {method!r}: use 'oph' or 'classic'")


def minhash_signatures(
    texts: Sequence[str], num_perm: int = 128, shingle_size: int = 5, seed: int = 1, method: str = "oph"
) -> np.ndarray:
    """MinHash signatures of word ``shingle_size``-shingles, shape ``(len(texts), num_perm)``, uint32.

    Deterministic for a given ``seed`` and independent of batching. A document with no words has an all-
    ``0xFFFFFFFF`` row (matches nothing in :func:`band_keys`-based LSH once filtered with ``sig.min() < 2**32-1``).
    ``method``: ``"oph"`` (one-permutation hashing with optimal densification, default, fast) or ``"classic"``.
    """
    num_perm = int(num_perm)
    if num_perm < 1:
        raise ValueError(f"num_perm must be >= 1, got {num_perm}")
    if method not in ("oph", "classic"):
        raise ValueError(f"unknown method {method!r}: use 'oph' or 'classic'")
    texts = as_texts(texts)
    parts = [_signatures(sh, sd, n, num_perm, seed, method) for _, n, sh, sd in _chunked_shingles(texts, shingle_size)]
    return np.concatenate(parts) if parts else np.empty((0, num_perm), np.uint32)


@lru_cache(maxsize=256)
def lsh_params(
    threshold: float, num_perm: int, false_positive_weight: float = 0.3, false_negative_weight: float = 0.7
) -> tuple[int, int]:
    """``(bands, rows)`` with ``bands * rows <= num_perm`` minimising weighted false-positive and false-negative
    areas of the S-curve ``1 - (1 - s^rows)^bands`` around ``threshold`` (as datasketch does, but weighted
    towards recall by default since every candidate is verified exactly)."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold}")
    num_perm = int(num_perm)
    if num_perm < 1:
        raise ValueError(f"num_perm must be >= 1, got {num_perm}")
    b = np.concatenate([np.full(num_perm // k, k) for k in range(1, num_perm + 1)])
    r = np.concatenate([np.arange(1, num_perm // k + 1) for k in range(1, num_perm + 1)])
    x_lo = np.linspace(0.0, threshold, 200)[None, :]
    x_hi = np.linspace(threshold, 1.0, 200)[None, :]
    fp = np.trapezoid(1 - (1 - x_lo ** r[:, None]) ** b[:, None], x_lo, axis=1)
    fn = np.trapezoid((1 - x_hi ** r[:, None]) ** b[:, None], x_hi, axis=1)
    err = false_positive_weight * fp + false_negative_weight * fn
    k = int(np.argmin(err))  # first minimum: fewest bands among ties, as the loop over bands would give
    return int(b[k]), int(r[k])


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One key per (document, band): a 40-bit hash (in a uint64) of the band's ``rows`` values salted by the band
    index.

    Documents with an empty signature (no words) get key 0 in every band; :func:`candidate_pairs_from_keys`
    ignores key 0.
    """
    sig = np.asarray(signatures)
    if sig.ndim != 2:
        raise ValueError("signatures must be a 2-D array (documents x num_perm)")
    bands, rows = int(bands), int(rows)
    if bands * rows > sig.shape[1] or bands < 1 or rows < 1:
        raise ValueError(f"bands*rows = {bands * rows} does not fit num_perm = {sig.shape[1]}")
    n = sig.shape[0]
    s = sig[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    mults = np.array([_SHINGLE_MULT[j % 8] ^ (j // 8) for j in range(rows)], dtype=np.uint64)
    s *= mults[None, None, :]
    keys = s.sum(axis=2, dtype=np.uint64)
    keys ^= (np.arange(bands, dtype=np.uint64) * _U64(0xD6E8FEB86659FD93))[None, :]
    _mix64(keys)
    keys >>= _U64(24)  # 40-bit keys: collisions stay negligible (candidates are verified) and buckets sort packed
    keys[keys == 0] = 1
    keys[(sig == np.uint32(0xFFFFFFFF)).all(axis=1)] = 0
    return keys


def pairs_sharing_key(values: np.ndarray, members: np.ndarray, max_group: int | None = None) -> np.ndarray:
    """All pairs of ``members`` that share a value (``values`` and ``members`` aligned), as (m, 2) int64 with the
    smaller member first (unsorted; a pair sharing several values repeats). Groups of more than ``max_group``
    members are skipped (None: no limit). The LSH buckets and the containment index of both paths."""
    if len(values) < 2:
        return np.empty((0, 2), np.int64)
    values = np.asarray(values)
    members = np.asarray(members)
    if (
        values.dtype.kind in "ui"
        and members.dtype.kind in "ui"
        and int(values.min()) >= 0
        and int(values.max()) < 1 << 40
        and int(members.min()) >= 0
        and int(members.max()) < 1 << 24
    ):
        # small keys and members: one sort of packed (value << 24 | member) instead of an argsort
        packed = (values.astype(np.uint64) << _U64(24)) | members.astype(np.uint64)
        _sort_inplace(packed)
        v = packed >> _U64(24)

        def mem_at(i):
            return (packed[i] & _U64(0xFFFFFF)).astype(np.int64)
    else:
        order = np.argsort(values, kind="stable")
        v = values[order]

        def mem_at(i):
            return members[order[i]]

    # groups of equal values, found from the (few) equal neighbours only
    d = np.flatnonzero(v[1:] == v[:-1])  # v[d] == v[d + 1]
    if not len(d):
        return np.empty((0, 2), np.int64)
    brk = np.flatnonzero(np.diff(d) != 1) + 1
    starts = d[np.concatenate(([0], brk))]
    sizes = d[np.append(brk - 1, len(d) - 1)] + 2 - starts
    if max_group is not None:
        keep = sizes <= max_group
        starts, sizes = starts[keep], sizes[keep]
    if not len(starts):
        return np.empty((0, 2), np.int64)
    # every element (position p, local index l in a group of size g) pairs with the g-1-l elements after it
    pos = np.repeat(starts, sizes) + (np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes))
    local = pos - np.repeat(starts, sizes)
    cnt = np.repeat(sizes, sizes) - 1 - local
    total = int(cnt.sum())
    first = np.repeat(pos, cnt)
    second = first + 1 + (np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt))
    a, b = mem_at(first), mem_at(second)
    out = np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1).astype(np.int64)
    return out[out[:, 0] != out[:, 1]]


def _unique_pairs(p: np.ndarray) -> np.ndarray:
    """Sorted unique rows of an (m, 2) array of non-negative row indices."""
    if len(p) == 0:
        return np.empty((0, 2), np.int64)
    n = int(p.max()) + 1
    code = _sorted_unique(p[:, 0].astype(np.int64) * n + p[:, 1])
    return np.stack([code // n, code % n], axis=1)


def candidate_pairs_from_keys(keys: np.ndarray, max_bucket: int | None = None) -> np.ndarray:
    """Row pairs ``(i, j)``, ``i < j``, sharing a band key in any band; (m, 2) int64, sorted, unique.

    Key 0 (empty documents) is ignored. ``max_bucket`` skips buckets larger than that (None: no limit).
    """
    keys = np.asarray(keys, dtype=np.uint64)
    if keys.ndim == 1:
        keys = keys[:, None]
    n, bands = keys.shape
    flat = keys.ravel()
    rows = np.repeat(np.arange(n, dtype=np.int64), bands)
    nz = flat != 0
    return _unique_pairs(pairs_sharing_key(flat[nz], rows[nz], max_bucket))


def containment_samples(
    texts: Sequence[str], shingle_size: int = 5, sample_every: int = 16, seed: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Consistent sample of each document's distinct shingles: ``(doc index int64, sample hash uint64)``.

    A shingle is kept when its seeded hash is below ``2**64 / sample_every``, so the same shingle is kept in
    every document and ``|S(a) & S(b)| / |S(a)|`` estimates the containment of ``a`` in ``b``.
    """
    sh, sd = shingle_hashes(texts, shingle_size)
    return _samples(sh, sd, sample_every, seed)


_SAMPLE_BITS = 40  # bits of a sampled shingle kept as its inverted-index key
_FEW_SAMPLES = 3  # a document with fewer containment samples needs only one shared with another
_SAMPLE_SLACK = 0.5  # share of the containment threshold the shared samples must reach (the estimate varies)
_VERIFY_SLICE = 200_000  # candidate pairs re-shingled at a time when the verification cache overflowed
_SAMPLE_DOC_LIMIT = 1 << (64 - _SAMPLE_BITS)


def _samples(sh: np.ndarray, sd: np.ndarray, sample_every: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Consistent shingle sample of a batch: ``(doc index int64, 40-bit sample key uint64)``, unique, sorted.

    ``sh`` are already mixed shingle hashes, so one seeded odd multiplication re-hashes them: a shingle is
    kept when the top bits of ``sh * m`` fall below ``2**64 / sample_every``, and its key is the product's low
    40 bits (a bijection of the hash's low 40 bits). Documents and keys are packed into one uint64 for a
    single sort (a batch of more than 2**24 documents is split).
    """
    x = sh * (_seed_words(seed, 1, "sample")[0] | _U64(1))
    sel = np.flatnonzero(x < _U64((2**64 - 1) // max(1, int(sample_every))))
    if not len(sel):
        return np.empty(0, np.int64), np.empty(0, np.uint64)
    d = np.asarray(sd)[sel].astype(np.int64)
    v = x[sel] & _U64((1 << _SAMPLE_BITS) - 1)
    base = int(d.min())
    if int(d.max()) - base >= _SAMPLE_DOC_LIMIT:  # huge batch: sort by (doc, key) in two steps
        order = np.lexsort((v, d))
        d, v = d[order], v[order]
        first = np.r_[True, (d[1:] != d[:-1]) | (v[1:] != v[:-1])]
        return d[first], v[first]
    packed = ((d - base).astype(np.uint64) << _U64(_SAMPLE_BITS)) | v
    packed = _sorted_unique(packed)
    return (packed >> _U64(_SAMPLE_BITS)).astype(np.int64) + base, packed & _U64((1 << _SAMPLE_BITS) - 1)


def candidate_pairs_from_samples(
    doc: np.ndarray, sample: np.ndarray, containment_threshold: float = 0.5, max_df: int = 200
) -> np.ndarray:
    """Document pairs (m, 2) whose consistent shingle samples suggest containment of the smaller in the other.

    Shared samples must be >= 2 (>= 1 when the smaller document has fewer than 3 samples) and >= half of
    ``containment_threshold`` times the smaller sample; samples found in more than ``max_df`` documents
    (boilerplate) are skipped.
    """
    doc = np.asarray(doc, dtype=np.int64)
    sample = np.asarray(sample, dtype=np.uint64)
    if len(doc) < 2:
        return np.empty((0, 2), np.int64)
    p = pairs_sharing_key(sample, doc, max_df)
    if not len(p):
        return p
    n = int(doc.max()) + 1
    code = p[:, 0] * n + p[:, 1]
    code = _sort_inplace(code)
    starts = np.flatnonzero(np.concatenate(([True], code[1:] != code[:-1])))
    shared = np.diff(np.append(starts, len(code)))
    code = code[starts]
    a, b = code // n, code % n
    size = np.bincount(doc, minlength=n)
    ok = enough_shared_samples(shared, np.minimum(size[a], size[b]), containment_threshold)
    return np.stack([a[ok], b[ok]], axis=1)


def enough_shared_samples(shared: np.ndarray, smaller: np.ndarray, containment_threshold: float) -> np.ndarray:
    """Which pairs share enough containment samples to be candidates: ``shared`` samples >= 2 (>= 1 when the
    smaller document has fewer than 3 samples) and >= half of ``containment_threshold`` times the ``smaller``
    document's sample count (half: the sample estimate of a true excerpt's containment varies)."""
    smaller = np.asarray(smaller)
    at_least = np.where(smaller < _FEW_SAMPLES, 1, 2)
    need = np.maximum(at_least, np.ceil(_SAMPLE_SLACK * containment_threshold * smaller))
    return np.asarray(shared) >= need


def jaccard_estimates(signatures: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Share of equal MinHash values for each row pair (the Jaccard estimate)."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if not len(pairs):
        return np.empty(0)
    out = np.empty(len(pairs))
    step = max(1, 2_000_000 // max(1, signatures.shape[1]))
    for lo in range(0, len(pairs), step):
        p = pairs[lo : lo + step]
        out[lo : lo + step] = (signatures[p[:, 0]] == signatures[p[:, 1]]).mean(axis=1)
    return out


def _sets_from_texts(texts: Sequence[str], shingle_size: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR shingle sets: sorted unique ``doc << 32 | top 32 bits of the shingle hash`` and per-doc offsets."""
    sh, sd = shingle_hashes(texts, shingle_size)
    return _sets_from_hashes(sh, sd, len(texts))


def _sort_inplace(x: np.ndarray) -> np.ndarray:
    """Sort a 1-D array in place and return it: blocks of 256 sorted as matrix rows first (NumPy's SIMD
    sorting networks), then one stable sort (timsort) merges the sorted runs."""
    if len(x) >= 4096:
        n = len(x) // 256 * 256
        x[:n].reshape(-1, 256).sort(axis=1)
    x.sort(kind="stable")
    return x


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    """np.unique for a 1-D array by sorting (faster than the hash-based path for large uint64 arrays)."""
    x = _sort_inplace(np.array(x, copy=True))
    return x[np.concatenate(([True], x[1:] != x[:-1]))] if len(x) else x


def _sets_from_hashes(sh: np.ndarray, sd: np.ndarray, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    if n_docs >= 2**31:
        raise ValueError("too many documents in one batch")
    key = (sd.astype(np.uint64) << _U64(32)) | (sh >> _U64(32))
    key = _sorted_unique(key)
    if n_docs == 0:
        return key, np.zeros(1, np.int64)
    d = (key >> _U64(32)).astype(np.int64)
    offsets = np.concatenate(([0], np.cumsum(np.bincount(d, minlength=n_docs))))
    return key, offsets


_ROW_WIDTHS = np.array([64, 128, 256, 512, 1024, 2048, 4096, 8192])
_ROW_BLOCK = 1 << 19  # matrix cells per block of rows


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(s, s + l)`` for each (start, length), as int64."""
    lengths = np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, np.int64)
    out = np.repeat(np.asarray(starts, dtype=np.int64) - (np.cumsum(lengths) - lengths), lengths)
    out += np.arange(total, dtype=np.int64)
    return out


def _row_blocks(lengths: np.ndarray):
    """Yield ``(width, indices)``: segments grouped by the smallest row width that holds them (a power of two,
    at most 8192), in blocks of at most ``_ROW_BLOCK`` cells. Sorting such rows of uint32 uses NumPy's SIMD
    sorting networks (several times faster than one long sort). Longer segments are yielded with width 0."""
    cls = np.searchsorted(_ROW_WIDTHS, lengths)
    for c in np.unique(cls).tolist():
        idx = np.flatnonzero(cls == c)
        if c >= len(_ROW_WIDTHS):
            yield 0, idx
            continue
        w = int(_ROW_WIDTHS[c])
        step = max(1, _ROW_BLOCK // w)
        for lo in range(0, len(idx), step):
            yield w, idx[lo : lo + step]


def _sort_segments(x: np.ndarray, off: np.ndarray, block: int = 1 << 18) -> None:
    """Sort each segment ``x[off[i]:off[i + 1]]`` of a uint32 array in place: consecutive segments in blocks of
    about ``block`` values, each block's segments as rows of padded matrices, one matrix per row width."""
    off = np.asarray(off, dtype=np.int64)
    lens = np.diff(off)
    cls = np.searchsorted(_ROW_WIDTHS, lens)
    n = len(lens)
    d0 = 0
    while d0 < n:
        d1 = max(d0 + 1, int(np.searchsorted(off, off[d0] + block, side="right")) - 1)
        d1 = min(d1, n)
        xs = x[off[d0] : off[d1]]
        ln, cl = lens[d0:d1], cls[d0:d1]
        for c in np.unique(cl[ln >= 2]).tolist():
            rows = (cl == c) & (ln >= 2)
            if c >= len(_ROW_WIDTHS):  # longer than any row: sort on its own
                for i in (np.flatnonzero(rows) + d0).tolist():
                    x[off[i] : off[i + 1]].sort()
                continue
            w = int(_ROW_WIDTHS[c])
            el = np.repeat(rows, ln)
            cells = np.arange(w) < ln[rows][:, None]
            m = np.full(cells.shape, _EMPTY32, dtype=np.uint32)
            m[cells] = xs[el]
            m.sort(axis=1)
            xs[el] = m[cells]
        d0 = d1


def _high32(h: np.ndarray) -> np.ndarray:
    """Top 32 bits of uint64 values as a (strided) uint32 view, without a temporary array."""
    h = np.ascontiguousarray(h, dtype=np.uint64)
    v = h.view(np.uint32)
    return v[1::2] if np.little_endian else v[0::2]


def shingle_sets(sh: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CSR shingle sets of hashes grouped by document (``counts[k]`` hashes for document ``k``): ``(values,
    offsets)``, the sorted unique 32-bit values of document ``k`` being ``values[offsets[k]:offsets[k + 1]]``
    (the top half of each 64-bit hash, what verification compares; ``sh`` may also be those halves already,
    uint32, and is then sorted in place)."""
    counts = np.asarray(counts, dtype=np.int64)
    n_docs = len(counts)
    off = np.concatenate(([0], np.cumsum(counts)))
    x = sh if sh.dtype == np.uint32 else np.ascontiguousarray(_high32(sh))
    if not len(x):
        return x, np.zeros(n_docs + 1, np.int64)
    _sort_segments(x, off)
    dup = np.flatnonzero(x[1:] == x[:-1]) + 1  # repeats inside a document (few), or equal neighbours across
    if len(dup):
        doc = np.searchsorted(off, dup, side="right") - 1
        dup = dup[dup != off[doc]]  # a document's first value is always kept
    if not len(dup):
        return x, off
    keep = np.ones(len(x), dtype=bool)
    keep[dup] = False
    new_counts = counts - np.bincount(np.searchsorted(off, dup, side="right") - 1, minlength=n_docs)
    return x[keep], np.concatenate(([0], np.cumsum(new_counts)))


def _sets_from_python(sets: Sequence) -> tuple[np.ndarray, np.ndarray]:
    hs, ds = [], []
    for i, s in enumerate(sets):
        vals = (
            np.array(
                [int.from_bytes(hashlib.blake2b(str(x).encode(), digest_size=8).digest(), "little") for x in s],
                dtype=np.uint64,
            )
            if len(s)
            else np.empty(0, np.uint64)
        )
        hs.append(vals)
        ds.append(np.full(len(vals), i, dtype=np.int64))
    if not hs:
        return np.empty(0, np.uint64), np.zeros(1, np.int64)
    return _sets_from_hashes(np.concatenate(hs), np.concatenate(ds), len(sets))


def verify_pairs(texts_or_shingle_sets: Sequence, pairs: np.ndarray, shingle_size: int = 5) -> pd.DataFrame:
    """Exact Jaccard and containment of row pairs on their shingle sets.

    ``texts_or_shingle_sets``: texts (shingled here with ``shingle_size``) or, per document, an iterable of
    shingles (any hashable; e.g. sets of strings). Returns one row per pair: ``a``, ``b``, ``size_a``,
    ``size_b``, ``shared``, ``jaccard`` = shared / |A u B|, ``containment_a`` = shared / |A| (how much of ``a``
    is in ``b``), ``containment_b`` = shared / |B|. Empty sets give 0.
    """
    items = list(texts_or_shingle_sets)
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if len(pairs) and (pairs.min() < 0 or pairs.max() >= len(items)):
        raise ValueError("pair indices out of range")
    used = np.unique(pairs) if len(pairs) else np.empty(0, np.int64)
    local = {int(u): k for k, u in enumerate(used.tolist())}
    sub = [items[i] for i in used.tolist()]
    if sub and all(isinstance(x, (str, bytes)) or x is None or (isinstance(x, float) and math.isnan(x)) for x in sub):
        keys, off = _sets_from_texts(sub, shingle_size)
    else:
        keys, off = _sets_from_python(sub)
    la = np.array([local[int(x)] for x in pairs[:, 0]], dtype=np.int64) if len(pairs) else np.empty(0, np.int64)
    lb = np.array([local[int(x)] for x in pairs[:, 1]], dtype=np.int64) if len(pairs) else np.empty(0, np.int64)
    return verify_sets(keys, off, np.stack([la, lb], axis=1)).assign(a=pairs[:, 0], b=pairs[:, 1])


def verify_sets(keys: np.ndarray, off: np.ndarray, pairs: np.ndarray) -> pd.DataFrame:
    """Exact overlap of CSR sets ``pairs[k, 0]`` and ``pairs[k, 1]`` (:func:`shingle_sets`: sorted unique 32-bit
    shingle hashes per set as ``keys`` uint32, or uint64 ``doc << 32 | hash`` whose low half is used, and
    ``off``). Returns ``a``, ``b`` (the pairs), ``size_a``, ``size_b``, ``shared``, ``jaccard``,
    ``containment_a`` (shared / size_a), ``containment_b``; empty sets give 0.

    Small pairs (at most 512 values together): both sets go into one row of a padded uint32 matrix and the
    rows are sorted (NumPy's SIMD sorting networks); a shared shingle is an adjacent equal value inside the row.
    Larger pairs are merged by one stable sort of ``pair << 32 | hash`` (two sorted runs per pair).
    """
    off = np.asarray(off, dtype=np.int64)
    size = np.diff(off)
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    la, lb = pairs[:, 0], pairs[:, 1]
    sa, sb = size[la], size[lb]
    shared = np.zeros(len(la), dtype=np.int64)
    k32 = keys if keys.dtype == np.uint32 else keys.astype(np.uint32)  # low 32 bits
    tot = sa + sb
    for w, sel in _row_blocks(tot):
        if not len(sel):
            continue
        if w == 0 or w > 512:  # beyond 512 values a row sort loses to merging the two sorted sets
            shared[sel] = _merge_shared(k32, off, la[sel], lb[sel])
            continue
        t = tot[sel]
        seg_start = np.stack([off[la[sel]], off[lb[sel]]], axis=1).ravel()
        seg_len = np.stack([sa[sel], sb[sel]], axis=1).ravel()
        cells = np.arange(w) < t[:, None]
        m = np.full(cells.shape, _EMPTY32, dtype=np.uint32)
        m[cells] = k32[_ranges(seg_start, seg_len)]  # row k: set a, then set b, then padding
        m.sort(axis=1)
        eq = m[:, 1:] == m[:, :-1]
        # adjacent equal pairs, less those of the padding (w - t - 1 pairs, one more when the last real value
        # equals the padding value)
        cnt = np.add.reduce(eq.view(np.uint8), axis=1, dtype=np.int64)
        last = m[np.arange(len(sel)), np.maximum(t - 1, 0)]
        shared[sel] = cnt - np.maximum(w - t - 1, 0) - ((t < w) & (t > 0) & (last == _EMPTY32))
    union = sa + sb - shared
    jac = np.where(union > 0, shared / np.maximum(union, 1), 0.0)
    ca = np.where(sa > 0, shared / np.maximum(sa, 1), 0.0)
    cb = np.where(sb > 0, shared / np.maximum(sb, 1), 0.0)
    return pd.DataFrame(
        {
            "a": pairs[:, 0],
            "b": pairs[:, 1],
            "size_a": sa,
            "size_b": sb,
            "shared": shared,
            "jaccard": jac,
            "containment_a": ca,
            "containment_b": cb,
        }
    )


def _merge_shared(k32: np.ndarray, off: np.ndarray, la: np.ndarray, lb: np.ndarray) -> np.ndarray:
    """Shared values of sorted unique sets ``la[k]``, ``lb[k]``: both laid out under the pair number
    (``pair << 32 | value``) and merged by one stable sort per slice; a shared value is an adjacent equal key."""
    size = np.diff(off)
    sa, sb = size[la], size[lb]
    shared = np.zeros(len(la), dtype=np.int64)
    tot = sa + sb
    cum = np.cumsum(tot)
    budget = 1 << 20  # elements per slice: temporaries stay small and are reused
    lo = 0
    while lo < len(la):
        hi = int(np.searchsorted(cum, (cum[lo - 1] if lo else 0) + budget, side="right"))
        hi = max(hi, lo + 1)
        seg_start = np.stack([off[la[lo:hi]], off[lb[lo:hi]]], axis=1).ravel()
        seg_len = np.stack([sa[lo:hi], sb[lo:hi]], axis=1).ravel()
        vals = k32[_ranges(seg_start, seg_len)].astype(np.uint64)
        vals |= np.repeat(np.arange(hi - lo, dtype=np.uint64) << _U64(32), tot[lo:hi])
        vals.sort(kind="stable")
        eq = vals[1:] == vals[:-1]
        shared[lo:hi] = np.bincount((vals[1:][eq] >> _U64(32)).astype(np.int64), minlength=hi - lo)
        lo = hi
    return shared


def _gather_docs(
    sets: list, counts: list, docs: np.ndarray, n: int, high: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Values of documents ``docs`` (sorted row indices) from per-chunk values grouped by document
    (``sets[k]``, with per-document ``counts[k]``): ``(values, count per document)``; with ``high``, only
    the top 32 bits of uint64 values (uint32)."""
    wanted = np.zeros(n, dtype=bool)
    wanted[docs] = True
    parts, lo = [], 0
    for sh, c in zip(sets, counts):
        w = wanted[lo : lo + len(c)]
        if w.any():
            src = _high32(sh) if high and sh.dtype == np.uint64 else sh
            parts.append(src[np.repeat(w, c)])
        lo += len(c)
    sub = np.concatenate(parts) if parts else np.empty(0, np.uint32 if high or not sets else sets[0].dtype)
    return sub, np.concatenate(counts)[docs] if counts else np.zeros(len(docs), np.int64)


class _ArrowTexts:
    """Texts of an Arrow-backed string column read from its UTF-8 buffer (no Python string per document):
    ``data`` (the buffer) and ``off`` (int64 offsets, ``len + 1``). Indexing decodes one text."""

    def __init__(self, data, off: np.ndarray):
        self.data = data
        self.off = off

    def __len__(self) -> int:
        return len(self.off) - 1

    def __getitem__(self, i: int) -> str:
        return bytes(self.data[self.off[i] : self.off[i + 1]]).decode("utf-8", "replace")


def _arrow_texts(col: pd.Series) -> _ArrowTexts | None:
    """The column's UTF-8 buffer and offsets when it is stored as an Arrow string array without nulls, else None."""
    arr = getattr(col, "array", None)
    if not hasattr(arr, "__arrow_array__") or getattr(col.dtype, "kind", "") not in ("O", "U", "T"):
        return None
    try:
        import pyarrow as pa

        a = pa.array(arr)
        if isinstance(a, pa.ChunkedArray):
            a = a.combine_chunks()
        if a.null_count or not (pa.types.is_string(a.type) or pa.types.is_large_string(a.type)):
            return None
        bufs = a.buffers()
        width = np.int64 if pa.types.is_large_string(a.type) else np.int32
        off = np.frombuffer(bufs[1], dtype=width)[a.offset : a.offset + len(a) + 1].astype(np.int64)
        return _ArrowTexts(memoryview(bufs[2]) if bufs[2] is not None else memoryview(b""), off)
    except Exception:  # any other storage: the Python-string path
        return None


def _ids_and_texts(docs, arrow: bool = False) -> tuple[list, list[str]]:
    if isinstance(docs, pd.DataFrame):
        if "text" not in docs.columns:
            raise ValueError("documents table needs a 'text' column")
        ids = docs["doc_id"].astype(str).tolist() if "doc_id" in docs.columns else [str(i) for i in docs.index]
        if len(set(ids)) != len(ids):
            raise ValueError("doc_id values must be unique")
        at = _arrow_texts(docs["text"]) if arrow else None
        return ids, at if at is not None else as_texts(docs["text"].tolist())
    if isinstance(docs, pd.Series):
        return [str(i) for i in docs.index], as_texts(docs.tolist())
    if isinstance(docs, str):
        raise TypeError("pass a documents table or a list of texts, not a single string")
    texts = as_texts(list(docs))
    return [str(i) for i in range(len(texts))], texts


class _LazyTexts:
    """``texts[rows[k]]`` on demand."""

    def __init__(self, texts, rows: np.ndarray):
        self.texts, self.rows = texts, rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, k: int) -> str:
        return self.texts[int(self.rows[k])]

    def __iter__(self):
        return (self.texts[int(i)] for i in self.rows.tolist())


@dataclass
class Sketch:
    """What near-duplicate search keeps of one chunk of documents (document indices local to the chunk, whose
    first document is document ``first`` of the input): the shingles and signatures serve verification and
    estimates, the digests exact duplicates, the band keys and samples candidate search."""

    first: int
    n_docs: int
    shingles: np.ndarray  # uint64 shingle hashes, grouped by document
    shingle_doc: np.ndarray  # int64 document of each shingle
    signatures: np.ndarray  # (n_docs, num_perm) uint32 MinHash signatures
    digests: np.ndarray  # (n_docs, 2) uint64 digest of each shingle multiset; 0 for a document without words
    band_keys: np.ndarray  # (n_docs, bands) uint64 LSH keys (0 for a document without words)
    sample_doc: np.ndarray  # int64 document of each containment sample (sorted, unique with sample_key)
    sample_key: np.ndarray  # uint64 40-bit key of each containment sample


def sketch_batches(texts: Sequence[str], params: LexicalParams, max_docs: int | None = None) -> Iterator[Sketch]:
    """One :class:`Sketch` per chunk of about 1 MB of text (and at most ``max_docs`` documents): one pass of
    tokens, shingles, MinHash, band keys, shingle digests and containment samples, the same for a whole table
    or a Dask partition (every value depends on its document alone)."""
    bands, rows = params.bands_and_rows
    for lo, n, sh, sd in _chunked_shingles(texts, params.shingle_size, max_docs):
        sig = _signatures(sh, sd, n, int(params.num_perm), int(params.seed), params.method)
        d, v = _samples(sh, sd, params.sample_every, params.seed)
        yield Sketch(lo, n, sh, sd, sig, _shingle_digest(sh, sd, n), band_keys(sig, bands, rows), d, v)


def duplicate_representatives(digests: np.ndarray) -> np.ndarray:
    """For each document, the row of the first document with the same shingle digest (itself when it is the
    first), or -1 for a document without words. Such documents have the same shingle set: Jaccard 1 with each
    other and the same scores against any other, so only the first takes part in candidate search."""
    digests = np.asarray(digests, dtype=np.uint64).reshape(-1, 2)
    n = len(digests)
    rep_of = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return rep_of
    order = np.lexsort((digests[:, 1], digests[:, 0]))  # stable: the first of each group is its earliest row
    ordered = digests[order]
    new_group = np.concatenate(([True], (ordered[1:] != ordered[:-1]).any(axis=1)))
    rep_of[order] = order[np.flatnonzero(new_group)][np.cumsum(new_group) - 1]
    rep_of[digests[:, 0] == 0] = -1
    return rep_of


def is_reported(verified: pd.DataFrame, params: LexicalParams) -> np.ndarray:
    """The reporting rule on verified pairs (:func:`verify_sets` columns): Jaccard >= ``threshold``, or the
    containment of either document >= the containment threshold with at least ``min_shared`` shared shingles."""
    containment = np.maximum(verified["containment_a"].to_numpy(), verified["containment_b"].to_numpy())
    return (verified["jaccard"].to_numpy() >= params.threshold) | (
        (containment >= params.containment) & (verified["shared"].to_numpy() >= params.min_shared)
    )


def _reported_rows(verified: pd.DataFrame, estimates: np.ndarray) -> pd.DataFrame:
    """``a``, ``b``, the MinHash estimate and the exact scores of verified pairs."""
    return pd.DataFrame(
        {
            "a": verified["a"].to_numpy(),
            "b": verified["b"].to_numpy(),
            "jaccard_est": estimates,
            "jaccard": verified["jaccard"].to_numpy(),
            "containment_a": verified["containment_a"].to_numpy(),
            "containment_b": verified["containment_b"].to_numpy(),
        }
    )


class CandidateSets(NamedTuple):
    """What exact verification reads of some documents: CSR shingle sets (:func:`shingle_sets`: ``values``
    uint32, ``offsets``) and MinHash ``signatures`` (one row per document), computed once per document."""

    values: np.ndarray
    offsets: np.ndarray
    signatures: np.ndarray


def candidate_sets(texts: Sequence[str], params: LexicalParams) -> CandidateSets:
    """:class:`CandidateSets` of ``texts`` (in order), for :func:`confirm_sets`."""
    sh, sd = shingle_hashes(texts, params.shingle_size)
    values, offsets = shingle_sets(sh, np.bincount(sd, minlength=len(texts)))
    sig = _signatures(sh, sd, len(texts), int(params.num_perm), int(params.seed), params.method)
    return CandidateSets(values, offsets, sig)


def confirm_sets(sets: CandidateSets, pairs: np.ndarray, params: LexicalParams) -> pd.DataFrame:
    """Pairs of rows of ``sets`` checked exactly; the ones :func:`is_reported` keeps, as in
    :func:`confirm_candidates`."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    ver = verify_sets(sets.values, sets.offsets, pairs)
    keep = is_reported(ver, params)
    return _reported_rows(ver[keep], jaccard_estimates(sets.signatures, pairs[keep]))


def confirm_candidates(texts: Sequence[str], pairs: np.ndarray, params: LexicalParams) -> pd.DataFrame:
    """Candidate pairs (rows of ``texts``) checked exactly on their shingle sets; the pairs that
    :func:`is_reported` keeps, with ``a``, ``b``, ``jaccard_est`` (MinHash), ``jaccard``, ``containment_a`` and
    ``containment_b``. Only the texts of the pairs are read (``texts`` may be lazy)."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    used = np.unique(pairs) if len(pairs) else np.empty(0, np.int64)
    sets = candidate_sets([texts[i] for i in used.tolist()], params)
    local = np.searchsorted(used, pairs)
    return confirm_sets(sets, local, params).assign(a=lambda f: used[f["a"]], b=lambda f: used[f["b"]])


def expand_duplicates(rep_pairs: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Pairs of representatives as pairs of documents: ``ia``, ``ib`` and the scores.

    ``rep_pairs``: ``a``, ``b`` (representatives) and the scores. ``members``: ``rep``, ``doc`` for every document
    of a group of two or more with the same shingles (its representative included); a representative not
    listed stands for itself. Each member of ``a``'s group pairs with each member of ``b``'s group with the
    same scores, and the members of a group pair with each other with Jaccard 1."""
    pairs = rep_pairs.rename(columns={"a": "ia", "b": "ib"})[["ia", "ib", *_SCORE_COLUMNS]]
    if not len(members):
        return pairs
    frames = []
    if len(rep_pairs):
        reps = np.union1d(rep_pairs["a"].to_numpy(), rep_pairs["b"].to_numpy())
        alone = np.setdiff1d(reps, members["rep"].to_numpy())
        everyone = pd.concat([members[["rep", "doc"]], pd.DataFrame({"rep": alone, "doc": alone})], ignore_index=True)
        ex = rep_pairs.merge(everyone.rename(columns={"rep": "a", "doc": "ia"}), on="a")
        ex = ex.merge(everyone.rename(columns={"rep": "b", "doc": "ib"}), on="b")
        frames.append(ex[["ia", "ib", *_SCORE_COLUMNS]])
    grp = members.merge(members, on="rep", suffixes=("_a", "_b"))
    grp = grp[grp["doc_a"] < grp["doc_b"]]
    within = pd.DataFrame({"ia": grp["doc_a"].to_numpy(), "ib": grp["doc_b"].to_numpy()})
    frames.append(within.assign(**dict.fromkeys(_SCORE_COLUMNS, 1.0)))
    return pd.concat(frames, ignore_index=True)


def name_pairs(index_pairs: pd.DataFrame, ids) -> pd.DataFrame:
    """Row-index pairs (``ia``, ``ib`` and the scores) as the public pairs table: each pair once with ``ia <
    ib`` (containments swapped with it), sorted, named through ``ids`` (a sequence, or a mapping from row index
    to ``doc_id``). Both paths end here, so they give the same table."""
    if not len(index_pairs):
        return empty_pairs()
    swap = index_pairs["ia"].to_numpy() > index_pairs["ib"].to_numpy()
    ia = np.where(swap, index_pairs["ib"], index_pairs["ia"])
    ib = np.where(swap, index_pairs["ia"], index_pairs["ib"])
    ca = np.where(swap, index_pairs["containment_b"], index_pairs["containment_a"])
    cb = np.where(swap, index_pairs["containment_a"], index_pairs["containment_b"])
    out = pd.DataFrame(
        {
            "ia": ia,
            "ib": ib,
            "jaccard_est": index_pairs["jaccard_est"].to_numpy(dtype=float),
            "jaccard": index_pairs["jaccard"].to_numpy(dtype=float),
            "containment_a": ca.astype(float),
            "containment_b": cb.astype(float),
        }
    )
    out = out.sort_values(["ia", "ib"], kind="stable").reset_index(drop=True)
    if isinstance(ids, dict):
        name_a = np.array([ids[int(x)] for x in out["ia"].tolist()], dtype=object)
        name_b = np.array([ids[int(x)] for x in out["ib"].tolist()], dtype=object)
    else:
        id_arr = np.asarray(ids, dtype=object)
        name_a, name_b = id_arr[out["ia"].to_numpy()], id_arr[out["ib"].to_numpy()]
    out.insert(0, "doc_a", name_a)
    out.insert(1, "doc_b", name_b)
    return out[PAIR_COLUMNS]


class _VerificationCache:
    """The top 32 bits of every shingle hash, per-document counts and MinHash signatures of each chunk, kept while
    they fit in ``limit`` bytes (then dropped: candidates are re-shingled instead)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0
        self.sets: list[np.ndarray] | None = []
        self.counts: list[np.ndarray] = []
        self.signatures: list[np.ndarray] = []

    def add(self, sk: Sketch) -> None:
        if self.sets is None:
            return
        self.used += 4 * len(sk.shingles) + sk.signatures.nbytes
        if self.used > self.limit:
            self.sets, self.counts, self.signatures = None, [], []
            return
        self.sets.append(np.ascontiguousarray(_high32(sk.shingles)))
        self.counts.append(np.bincount(sk.shingle_doc, minlength=sk.n_docs))
        self.signatures.append(sk.signatures)

    def verify(self, cand: np.ndarray, reps: np.ndarray, n: int, params: LexicalParams) -> pd.DataFrame:
        """:func:`confirm_candidates` on the kept shingles: ``cand`` index ``reps`` (document rows)."""
        rows = reps[cand]
        used = np.unique(rows) if len(rows) else np.empty(0, np.int64)
        sub, cnt = _gather_docs(self.sets, self.counts, used, n)
        values, offsets = shingle_sets(sub, cnt)
        ver = verify_sets(values, offsets, np.searchsorted(used, rows)).assign(a=cand[:, 0], b=cand[:, 1])
        ver = ver[is_reported(ver, params)]
        kept = reps[ver[["a", "b"]].to_numpy()]
        kept_docs = np.unique(kept) if len(kept) else np.empty(0, np.int64)
        chunk_lo = np.concatenate(([0], np.cumsum([len(x) for x in self.signatures])))
        at = np.searchsorted(chunk_lo, kept_docs, side="right") - 1
        sig = np.empty((len(kept_docs), int(params.num_perm)), dtype=np.uint32)
        for k in np.unique(at).tolist():
            sel = at == k
            sig[sel] = self.signatures[k][kept_docs[sel] - chunk_lo[k]]
        return _reported_rows(ver, jaccard_estimates(sig, np.searchsorted(kept_docs, kept)))


def near_duplicate_pairs(
    docs, params: LexicalParams | None = None, *, batch_size: int = 20_000, set_memory: int = 1 << 29, **overrides
) -> pd.DataFrame:
    """Pairs of lexical near-duplicates in one process: ``doc_a``, ``doc_b``, ``jaccard_est``, ``jaccard``,
    ``containment_a``, ``containment_b`` (containment_a = |A n B| / |A|: share of ``doc_a``'s shingles found in
    ``doc_b``).

    Settings: :class:`LexicalParams` as ``params`` and/or its fields as keywords (``threshold=0.7``); an unknown
    name is an error. A pair is reported when its exact shingle Jaccard is >= ``threshold`` or one document's
    containment in the other is >= ``containment_threshold`` with at least ``min_shared`` shared shingles.
    Candidates come from MinHash-LSH (Jaccard) and from a consistent shingle sample (containment); every
    candidate is verified exactly. Documents with the same shingles are collapsed before candidate search and
    reported with Jaccard 1; documents without words are never paired. ``doc_a`` comes before ``doc_b`` in the
    input order. ``docs``: a documents table (``doc_id``, ``text``), a Series or a list of texts (for a Dask
    DataFrame use :func:`helpers.neardup.near_duplicate_pairs`, which dispatches to the Dask path).

    Memory only: texts are hashed in vectorised chunks of about 1 MB and at most ``batch_size`` documents;
    shingle sets are kept for verification up to ``set_memory`` bytes (the top 32 bits of each shingle hash and
    the MinHash signatures), beyond which candidates are re-shingled.
    """
    if hasattr(docs, "__dask_graph__"):
        raise TypeError(
            "lexical.near_duplicate_pairs runs in one process: pass a Dask DataFrame to "
            "helpers.neardup.near_duplicate_pairs (or helpers.neardup.lexical_dask.near_duplicate_pairs_dask)"
        )
    p = LexicalParams.of(params, **overrides)
    ids, texts = _ids_and_texts(docs, arrow=True)
    n = len(texts)
    if n < 2:
        return empty_pairs()
    # one pass in chunks; the index kept per document is its band keys (8 bytes x bands) and its consistent
    # shingle sample (12 bytes x ~shingles/16); shingle sets and signatures are a verification cache
    digests, keys, sample_doc, sample_key = [], [], [], []
    cache = _VerificationCache(set_memory)
    for sk in sketch_batches(texts, p, batch_size):
        cache.add(sk)
        digests.append(sk.digests)
        keys.append(sk.band_keys)
        sample_doc.append((sk.sample_doc + sk.first).astype(np.int32))
        sample_key.append(sk.sample_key)
    rep_of = duplicate_representatives(np.concatenate(digests))
    reps = np.flatnonzero(rep_of == np.arange(n))
    local = np.full(n, -1, dtype=np.int64)
    local[reps] = np.arange(len(reps))
    if len(reps) >= 2:
        cand = candidate_pairs_from_keys(np.concatenate(keys)[reps], p.max_bucket)
        sd_all = np.concatenate(sample_doc)
        sv_all = np.concatenate(sample_key)
        keep_s = local[sd_all] >= 0
        cand2 = candidate_pairs_from_samples(local[sd_all[keep_s]], sv_all[keep_s], p.containment, p.max_sample_df)
        cand = _unique_pairs(np.concatenate([cand, cand2]))
    else:
        cand = np.empty((0, 2), np.int64)
    del keys, sample_doc, sample_key
    if cache.sets is not None:
        ver = cache.verify(cand, reps, n, p)
    else:  # re-shingle candidates in slices of pairs, so memory stays bounded on big corpora
        rep_texts = _LazyTexts(texts, reps)
        ver = pd.concat(
            [
                confirm_candidates(rep_texts, cand[lo : lo + _VERIFY_SLICE], p)
                for lo in range(0, max(len(cand), 1), _VERIFY_SLICE)
            ]
        )
    del cache
    rep_pairs = ver.assign(a=reps[ver["a"].to_numpy()], b=reps[ver["b"].to_numpy()])
    group_size = np.bincount(rep_of[rep_of >= 0], minlength=n)
    in_group = np.flatnonzero((rep_of >= 0) & (group_size[np.maximum(rep_of, 0)] >= 2))
    members = pd.DataFrame({"rep": rep_of[in_group], "doc": in_group})
    return name_pairs(expand_duplicates(rep_pairs, members), ids)


def components(pairs, doc_ids: Sequence) -> pd.DataFrame:
    """Connected components of a pair graph: ``doc_id``, ``component`` (0..k-1 in order of first document).

    ``pairs``: a DataFrame with ``doc_a``, ``doc_b`` (ids) or an (m, 2) array of row indices into ``doc_ids``.
    Every document is present; one with no pair is its own component. Pairs naming unknown ids are ignored.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    ids = [str(x) for x in doc_ids]
    n = len(ids)
    if n == 0:
        return pd.DataFrame({"doc_id": pd.Series(dtype=object), "component": pd.Series(dtype=np.int64)})
    if isinstance(pairs, pd.DataFrame):
        pos = pd.Series(np.arange(n), index=pd.Index(ids))
        if pos.index.has_duplicates:
            raise ValueError("doc_ids must be unique")
        a = pos.reindex(pairs["doc_a"].astype(str)).to_numpy()
        b = pos.reindex(pairs["doc_b"].astype(str)).to_numpy()
        ok = ~(np.isnan(a) | np.isnan(b))
        a, b = a[ok].astype(np.int64), b[ok].astype(np.int64)
    else:
        p = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        ok = (p >= 0).all(axis=1) & (p < n).all(axis=1)
        a, b = p[ok, 0], p[ok, 1]
    g = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n)).tocsr()
    _, labels = connected_components(g, directed=False)
    # renumber by first appearance so ids are stable and readable
    _, first_idx = np.unique(labels, return_index=True)
    rank = np.empty(len(first_idx), dtype=np.int64)
    rank[np.argsort(first_idx)] = np.arange(len(first_idx))
    return pd.DataFrame({"doc_id": pd.Series(ids, dtype=object), "component": rank[labels]})
