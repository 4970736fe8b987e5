"""Deterministic synthetic news-length corpus with planted edited copies, streamable in chunks.

Documents are 200-900 words in sentences of 5-40 words, drawn from a Zipfian distribution (exponent 1.05)
over a 40,000-word vocabulary: the shipped English stopwords take the top ranks, pronounceable pseudo-words
the rest (shorter ones more frequent, as in real text). A share of documents (default 20%) are edited copies
of an original in the same chunk: word
substitutions, insertions and deletions at a per-copy rate between 0 and 25% (so exact Jaccard spreads across
0-1), some with reordered sentences, some truncated (excerpts). Ground truth lists every (copy, original) pair
and every pair of copies of the same original, with exact word 5-shingle Jaccard and containment computed
with plain Python sets over :func:`helpers.text.simple_words` (independent of the MinHash code).

Usage::

    from synthetic import generate, iter_chunks
    docs, truth = generate(20_000, seed=0)
    for docs, truth in iter_chunks(1_000_000, chunk_size=50_000, seed=0, with_truth=False): ...

``python benchmarks/synthetic.py N`` prints timing and a summary.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from functools import lru_cache

import numpy as np
import pandas as pd

VOCAB_SIZE = 40_000
ZIPF_EXPONENT = 1.05
_ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "z",
    "br",
    "ch",
    "cl",
    "cr",
    "dr",
    "fl",
    "gr",
    "pl",
    "pr",
    "sh",
    "st",
    "str",
    "th",
    "tr",
    "",
]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "y"]
_CODAS = ["", "n", "r", "s", "t", "l", "m", "nd", "st", "rk", "ng", "x"]


@lru_cache(maxsize=1)
def vocabulary() -> np.ndarray:
    """The word list, most frequent first: stopwords, then deterministic pseudo-words (unique)."""
    try:
        from importlib.resources import files

        lines = (files("helpers") / "data" / "stopwords.txt").read_text(encoding="utf-8").splitlines()
        stop = [w.strip() for w in lines if w.strip().isalpha()]
    except Exception:  # pragma: no cover - helpers not installed
        stop = "the of and to a in is that for it as was with on by at he from his".split()
    rng = np.random.default_rng(12345)
    words = list(dict.fromkeys(stop))
    seen = set(words)
    on, vo, co = (np.array(x, dtype=object) for x in (_ONSETS, _VOWELS, _CODAS))
    while len(words) < VOCAB_SIZE:
        m = 4 * VOCAB_SIZE
        n_syl = rng.choice([1, 2, 2, 3, 3, 4], size=m)
        parts = [
            on[rng.integers(len(on), size=m)] + vo[rng.integers(len(vo), size=m)] + co[rng.integers(len(co), size=m)]
            for _ in range(4)
        ]
        for i in range(m):
            w = "".join(parts[k][i] for k in range(n_syl[i]))
            if len(w) > 1 and w not in seen:
                seen.add(w)
                words.append(w)
                if len(words) == VOCAB_SIZE:
                    break
    # Zipf's law of abbreviation: frequent words are short, so rank pseudo-words by length (stable)
    n_stop = len(dict.fromkeys(stop))
    pseudo = sorted(words[n_stop:], key=len)
    return np.array(words[:n_stop] + pseudo, dtype=object)


@lru_cache(maxsize=1)
def _cdf() -> np.ndarray:
    p = 1.0 / np.arange(1, VOCAB_SIZE + 1) ** ZIPF_EXPONENT
    return np.cumsum(p / p.sum())


def _draw(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.minimum(np.searchsorted(_cdf(), rng.random(n)), VOCAB_SIZE - 1)


def _sentences(rng: np.random.Generator, n_words: int) -> list[np.ndarray]:
    words = _draw(rng, n_words)
    lens = np.clip(rng.normal(21, 8, size=n_words // 5 + 2).astype(int), 5, 40)
    cuts = np.cumsum(lens)
    cuts = cuts[cuts < n_words]
    return np.split(words, cuts)


def _render(sents: list[np.ndarray]) -> str:
    vocab = vocabulary()
    out = []
    for s in sents:
        if len(s) == 0:
            continue
        ws = vocab[s]
        out.append(ws[0].capitalize() + (" " + " ".join(ws[1:]) if len(ws) > 1 else "") + ".")
    # paragraphs of about four sentences
    return "\n\n".join(" ".join(out[i : i + 4]) for i in range(0, len(out), 4))


def _edit(rng: np.random.Generator, sents: list[np.ndarray]) -> tuple[list[np.ndarray], dict]:
    rate = float(rng.uniform(0.0, 0.25))
    p_sub, p_del, p_ins = 0.6 * rate, 0.2 * rate, 0.2 * rate
    out = []
    for s in sents:
        s = s.copy()
        sub = rng.random(len(s)) < p_sub
        s[sub] = _draw(rng, int(sub.sum()))
        s = s[rng.random(len(s)) >= p_del]
        ins = np.flatnonzero(rng.random(len(s)) < p_ins)
        if len(ins):
            s = np.insert(s, ins + 1, _draw(rng, len(ins)))
        out.append(s)
    info = {"edit_rate": round(rate, 4), "reordered": False, "truncated": False}
    if len(out) > 2 and rng.random() < 0.3:
        k = max(1, len(out) // 4)
        for _ in range(k):
            i, j = rng.integers(len(out), size=2)
            out[i], out[j] = out[j], out[i]
        info["reordered"] = True
    if len(out) > 2 and rng.random() < 0.3:
        keep = max(1, int(len(out) * rng.uniform(0.3, 0.9)))
        start = int(rng.integers(0, len(out) - keep + 1))
        out = out[start : start + keep]
        info["truncated"] = True
    return out, info


def _shingle_set(text: str, n: int = 5) -> set:
    from helpers.text import simple_words

    w = simple_words(text)
    if len(w) < n:
        return {" ".join(w)} if w else set()
    return {" ".join(w[i : i + n]) for i in range(len(w) - n + 1)}


def exact_scores(text_a: str, text_b: str, n: int = 5) -> tuple[float, float, float]:
    """(Jaccard, containment of a in b, containment of b in a) of word n-shingle sets, plain Python."""
    a, b = _shingle_set(text_a, n), _shingle_set(text_b, n)
    inter = len(a & b)
    union = len(a | b)
    return (inter / union if union else 0.0, inter / len(a) if a else 0.0, inter / len(b) if b else 0.0)


def planted_pairs(meta: pd.DataFrame) -> list[tuple[str, str]]:
    """Every (doc_a, doc_b) pair, sorted, inside a planted family (an original and its copies)."""
    fam = meta[meta["original_of"].notna()].groupby("original_of")["doc_id"].apply(list)
    pairs = []
    for orig, copies in fam.items():
        group = [orig] + copies
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                pairs.append(tuple(sorted((group[i], group[j]))))
    return pairs


def make_chunk(
    n_docs: int,
    seed: int = 0,
    chunk_index: int = 0,
    copy_share: float = 0.2,
    with_truth: bool = True,
    id_offset: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One self-contained chunk: ``docs`` (doc_id, text, original_of, edit_rate, reordered, truncated) and
    ``truth`` (doc_a, doc_b, jaccard, containment_a, containment_b) for all planted pairs."""
    rng = np.random.default_rng([int(seed), int(chunk_index)])
    n_copies = int(round(n_docs * copy_share))
    n_orig = n_docs - n_copies
    ids = [f"syn{id_offset + i:08d}" for i in range(n_docs)]
    lengths = rng.integers(200, 901, size=n_orig)
    sents = [_sentences(rng, int(L)) for L in lengths]
    texts = [_render(s) for s in sents]
    rows = [{"original_of": None, "edit_rate": 0.0, "reordered": False, "truncated": False}] * n_orig
    parents = np.sort(rng.integers(0, max(n_orig, 1), size=n_copies)) if n_orig else np.empty(0, int)
    for p in parents.tolist():
        es, info = _edit(rng, sents[p])
        texts.append(_render(es))
        rows.append({"original_of": ids[p], **info})
    # shuffle so copies are interleaved with originals (deterministic)
    order = rng.permutation(n_docs)
    meta = pd.DataFrame(rows)
    meta["doc_id"] = ids
    meta["text"] = texts
    meta = meta.iloc[order].reset_index(drop=True)
    meta["doc_id"] = [f"syn{id_offset + i:08d}" for i in range(n_docs)]
    rename = dict(zip([ids[i] for i in order], meta["doc_id"]))
    meta["original_of"] = meta["original_of"].map(lambda x: rename.get(x) if x else None)
    docs = meta[["doc_id", "text", "original_of", "edit_rate", "reordered", "truncated"]]
    truth = pd.DataFrame(columns=["doc_a", "doc_b", "jaccard", "containment_a", "containment_b"])
    if with_truth and n_copies:
        text_of = dict(zip(docs["doc_id"], docs["text"]))
        pairs = [(a, b, *exact_scores(text_of[a], text_of[b])) for a, b in planted_pairs(docs)]
        truth = pd.DataFrame(pairs, columns=["doc_a", "doc_b", "jaccard", "containment_a", "containment_b"])
    return docs, truth


def iter_chunks(
    n_docs: int, chunk_size: int = 20_000, seed: int = 0, copy_share: float = 0.2, with_truth: bool = True
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Stream ``n_docs`` documents as ``(docs, truth)`` chunks of ``chunk_size`` (copies stay inside a chunk).

    Chunk ``k`` depends only on ``(seed, k, chunk_size)``, so chunks can be generated in parallel."""
    for k, lo in enumerate(range(0, n_docs, chunk_size)):
        yield make_chunk(
            min(chunk_size, n_docs - lo),
            seed=seed,
            chunk_index=k,
            copy_share=copy_share,
            with_truth=with_truth,
            id_offset=lo,
        )


def generate(
    n_docs: int, seed: int = 0, copy_share: float = 0.2, chunk_size: int = 20_000, with_truth: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The whole corpus at once: ``(docs, truth)``."""
    parts = list(iter_chunks(n_docs, chunk_size, seed, copy_share, with_truth))
    docs = pd.concat([p[0] for p in parts], ignore_index=True)
    truth = pd.concat([p[1] for p in parts], ignore_index=True)
    return docs, truth


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    t = time.perf_counter()
    docs, truth = generate(n)
    dt = time.perf_counter() - t
    words = docs["text"].str.split().str.len()
    print(
        f"{n} documents in {dt:.2f} s ({n / dt:,.0f} docs/s); words per doc {words.mean():.0f} "
        f"(min {words.min()}, max {words.max()}); planted pairs {len(truth)}, "
        f"with Jaccard >= 0.5: {(truth['jaccard'] >= 0.5).sum()}"
    )
    print(docs["text"].iloc[0][:300])
