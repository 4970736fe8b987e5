"""Tests of helpers.neardup.lexical: tokens, MinHash/LSH, exact verification, pairs, components, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.neardup import lexical as L
from helpers.neardup.lexical import (
    band_keys,
    candidate_pairs_from_keys,
    components,
    exact_duplicates,
    lsh_params,
    minhash_signatures,
    near_duplicate_pairs,
    verify_pairs,
)
from helpers.text import simple_words

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _random_text(rng: np.random.Generator, n_words: int, vocab_size: int = 3000) -> str:
    vocab = [f"w{i}x" for i in range(vocab_size)]
    words = [vocab[i] for i in rng.integers(0, vocab_size, n_words)]
    sents = [" ".join(words[i : i + 15]).capitalize() + "." for i in range(0, n_words, 15)]
    return " ".join(sents)


def _edit(rng: np.random.Generator, text: str, rate: float) -> str:
    words = text.split()
    out = [w if rng.random() > rate else f"sub{rng.integers(10**6)}" for w in words]
    return " ".join(out)


def _shingle_set(text: str, n: int = 5) -> set:
    w = simple_words(text)
    return {" ".join(w[i : i + n]) for i in range(len(w) - n + 1)} if len(w) >= n else ({" ".join(w)} if w else set())


@pytest.fixture(scope="module")
def sample_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt"))]


def test_tokens_match_simple_words(sample_texts):
    extra = ["Don’t “quote” me — it's état-civil naïve ﬁne, 3.5% of U.S.", "a--b 'x' -y- z' ÉCOLE Straße"]
    for t in sample_texts + extra:
        enc = L._encode(t)
        _, _, s, e = L._tokens_of_encoded([enc], offsets=True)
        toks = [enc[a:b].decode().lower() for a, b in zip(s, e)]
        assert toks == simple_words(t), (toks[:10], simple_words(t)[:10])


def test_token_hashes_independent_of_batch_and_case():
    h1, d1 = L.token_hashes(["Hello  world", "foo"])
    h2, d2 = L.token_hashes(["HELLO world"])
    assert list(d1) == [0, 0, 1] and list(d2) == [0, 0]
    assert h1[0] == h2[0] and h1[1] == h2[1] and h1[2] != h1[0]


def test_signatures_deterministic_and_batch_independent(sample_texts):
    s1 = minhash_signatures(sample_texts, seed=1)
    s2 = minhash_signatures(sample_texts, seed=1)
    s3 = minhash_signatures(sample_texts[2:3], seed=1)
    s4 = minhash_signatures(sample_texts, seed=2)
    assert s1.shape == (5, 128) and s1.dtype == np.uint32
    assert np.array_equal(s1, s2)
    assert np.array_equal(s1[2], s3[0])
    assert not np.array_equal(s1, s4)


@pytest.mark.parametrize("method", ["oph", "classic"])
def test_jaccard_estimate_close_to_exact(method):
    rng = np.random.default_rng(0)
    base = [_random_text(rng, 600) for _ in range(6)]
    texts = base + [_edit(rng, t, r) for t, r in zip(base, [0.0, 0.02, 0.05, 0.08, 0.12, 0.3])]
    sig = minhash_signatures(texts, num_perm=256, method=method)
    pairs = np.array([[i, i + 6] for i in range(6)])
    est = L.jaccard_estimates(sig, pairs)
    exact = [
        len(_shingle_set(texts[i]) & _shingle_set(texts[i + 6]))
        / len(_shingle_set(texts[i]) | _shingle_set(texts[i + 6]))
        for i in range(6)
    ]
    assert np.max(np.abs(est - np.array(exact))) < 0.1, (est, exact)


def test_verify_pairs_exact_against_python_sets(sample_texts):
    rng = np.random.default_rng(1)
    a = _random_text(rng, 400)
    b = a[: len(a) // 2] + " " + _random_text(rng, 100)
    texts = [a, b, sample_texts[0]]
    v = verify_pairs(texts, np.array([[0, 1], [0, 2]]), shingle_size=5)
    A, B = _shingle_set(a), _shingle_set(b)
    assert v.loc[0, "shared"] == len(A & B)
    assert v.loc[0, "jaccard"] == pytest.approx(len(A & B) / len(A | B))
    assert v.loc[0, "containment_b"] == pytest.approx(len(A & B) / len(B))
    assert v.loc[1, "jaccard"] < 0.01
    # python shingle sets give the same numbers
    v2 = verify_pairs([A, B], np.array([[0, 1]]))
    assert v2.loc[0, "shared"] == len(A & B)


def test_set_overlap_exact_on_random_sets_of_every_size():
    """Row-sorted sets and per-pair overlaps (padded rows and the long-set merge) equal Python set arithmetic,
    with duplicate hashes, empty sets, the 0xFFFFFFFF padding value itself and sets longer than any row."""
    rng = np.random.default_rng(7)
    sizes = [0, 1, 2, 3, 63, 64, 65, 500, 1000, 3000, 9000, 20000]
    raw = []
    for n in sizes:
        v = rng.integers(0, 5000 if n < 100 else 40000, n).astype(np.uint64) << np.uint64(32)
        if n > 2:
            v[0] = np.uint64(0xFFFFFFFF) << np.uint64(32)
        raw.append(v)
    # a set whose only value starts the next set (boundaries must not merge equal neighbours)
    raw += [np.array([5 << 32], dtype=np.uint64), np.array([5 << 32, 6 << 32, 5 << 32], dtype=np.uint64)]
    counts = np.array([len(v) for v in raw])
    keys, off = L.shingle_sets(np.concatenate(raw), counts)
    ref = [set((v >> np.uint64(32)).tolist()) for v in raw]
    for i, r in enumerate(ref):
        assert keys[off[i] : off[i + 1]].tolist() == sorted(r)
    pairs = np.array([(i, j) for i in range(len(raw)) for j in range(len(raw))])
    ver = L.verify_sets(keys, off, pairs)
    want = [len(ref[i] & ref[j]) for i, j in pairs]
    assert ver["shared"].tolist() == want
    # the uint64 doc << 32 | hash layout gives the same numbers
    k64, off64 = L._sets_from_hashes(np.concatenate(raw), np.repeat(np.arange(len(raw)), counts), len(raw))
    assert np.array_equal(off64, off)
    assert L.verify_sets(k64, off64, pairs)["shared"].tolist() == want


def test_lsh_params_and_keys():
    b, r = lsh_params(0.5, 128)
    assert b * r <= 128 and b >= 1 and r >= 1
    assert lsh_params(0.9, 128)[1] > lsh_params(0.3, 128)[1]
    sig = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 7, 3, 4], [0xFFFFFFFF] * 4], dtype=np.uint32)
    keys = band_keys(sig, 2, 2)
    assert keys.shape == (4, 2) and keys.dtype == np.uint64
    assert keys[0, 0] == keys[1, 0] and keys[0, 1] == keys[2, 1] and keys[0, 0] != keys[0, 1]
    assert (keys[3] == 0).all()
    assert candidate_pairs_from_keys(keys).tolist() == [[0, 1], [0, 2]]
    with pytest.raises(ValueError):
        band_keys(sig, 3, 2)


def _docs(texts):
    return pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(len(texts))], "text": texts})


def test_near_duplicates_edited_copy_and_excerpt():
    rng = np.random.default_rng(2)
    originals = [_random_text(rng, 700) for _ in range(30)]
    copy = _edit(rng, originals[3], 0.03)
    words = originals[7].split()
    excerpt = " ".join(words[200:330])  # ~19% of the original: low Jaccard, high containment
    texts = originals + [copy, excerpt]
    pairs = near_duplicate_pairs(_docs(texts), threshold=0.5)
    assert list(pairs.columns) == ["doc_a", "doc_b", "jaccard_est", "jaccard", "containment_a", "containment_b"]
    got = {(a, b) for a, b in zip(pairs.doc_a, pairs.doc_b)}
    assert got == {("d03", "d30"), ("d07", "d31")}
    ex = pairs[pairs.doc_b == "d31"].iloc[0]
    assert ex.jaccard < 0.3 and ex.containment_b > 0.9 and ex.containment_a < 0.3
    cp = pairs[pairs.doc_b == "d30"].iloc[0]
    assert cp.jaccard > 0.6 and abs(cp.jaccard_est - cp.jaccard) < 0.2
    # deterministic, and independent of batching and of keeping shingle sets
    assert near_duplicate_pairs(_docs(texts), threshold=0.5).equals(pairs)
    assert near_duplicate_pairs(_docs(texts), threshold=0.5, batch_size=5, set_memory=1 << 30).equals(pairs)
    assert near_duplicate_pairs(_docs(texts), threshold=0.5, set_memory=0).equals(pairs)


def test_exact_duplicates_normalised():
    docs = _docs(["Hello   World.", "hello world.", "other", "", "HELLO WORLD.", ""])
    d = exact_duplicates(docs)
    assert d.values.tolist() == [["d01", "d00"], ["d04", "d00"]]


def test_components_every_doc():
    pairs = pd.DataFrame({"doc_a": ["a", "c"], "doc_b": ["b", "d"]})
    comp = components(pairs, ["a", "b", "c", "d", "e"])
    assert comp.doc_id.tolist() == ["a", "b", "c", "d", "e"]
    assert comp.component.tolist() == [0, 0, 1, 1, 2]
    assert components(np.array([[0, 2]]), ["x", "y", "z"]).component.tolist() == [0, 1, 0]
    assert components(pairs.iloc[:0], []).empty


def test_bad_input_small_corpora(sample_texts):
    cols = ["doc_a", "doc_b", "jaccard_est", "jaccard", "containment_a", "containment_b"]
    assert list(near_duplicate_pairs(_docs([])).columns) == cols
    assert near_duplicate_pairs(_docs([sample_texts[0]])).empty
    # empty and one-word documents: no crash, no spurious pairs
    p = near_duplicate_pairs(_docs(["", "  ", "word", "other", None, float("nan")]))
    assert p.empty
    # two identical one-word documents are duplicates
    p = near_duplicate_pairs(_docs(["Word", "word", "x"]))
    assert p[["doc_a", "doc_b"]].values.tolist() == [["d00", "d01"]]
    sig = minhash_signatures(["", "one"])
    assert (sig[0] == 0xFFFFFFFF).all() and (sig[1] != 0xFFFFFFFF).all()
    with pytest.raises(ValueError):
        near_duplicate_pairs(pd.DataFrame({"doc_id": ["a"]}))
    with pytest.raises(TypeError):
        near_duplicate_pairs("just a string")
    with pytest.raises(TypeError, match="by name"):
        near_duplicate_pairs(_docs(["a b c", "a b c"]), 0.7)  # the threshold was the second argument once
    with pytest.raises(ValueError, match="threshold"):
        near_duplicate_pairs(_docs(["a b c", "a b c"]), threshold=0)


def test_identical_and_fifty_copies(sample_texts):
    texts = [sample_texts[4]] * 50 + [sample_texts[0], sample_texts[0]]
    p = near_duplicate_pairs(_docs(texts))
    assert len(p) == 50 * 49 // 2 + 1
    assert (p.jaccard == 1.0).all() and (p.containment_a == 1.0).all()
    comp = components(p, _docs(texts).doc_id)
    assert comp.component.nunique() == 2


def test_five_megabyte_document(sample_texts):
    rng = np.random.default_rng(3)
    big = _random_text(rng, 800_000)  # about 5 MB
    assert len(big) > 5_000_000
    excerpt = " ".join(big.split()[1000:1400])
    p = near_duplicate_pairs(_docs([big, excerpt, sample_texts[1]]))
    assert p[["doc_a", "doc_b"]].values.tolist() == [["d00", "d01"]]
    assert p.containment_b.iloc[0] > 0.95


def test_arrow_backed_and_python_strings_give_the_same_pairs(sample_texts):
    """Texts read from an Arrow string buffer (ASCII slices, non-ASCII documents folded) = the str path."""
    extra = [
        "Don’t “quote” me — it's état-civil naïve ﬁne, 3.5% of U.S. " * 20,
        "ÉCOLE Straße café " * 30,
        "école STRASSE café " * 30 + " plus",
        "",
        "x",
        sample_texts[4][:1500] + " Ünïcode tail",
    ]
    texts = sample_texts + extra
    ids = [f"d{i}" for i in range(len(texts))]
    arrow = pd.DataFrame({"doc_id": ids, "text": pd.array(texts, dtype="string[pyarrow]")})
    plain = pd.DataFrame({"doc_id": ids, "text": pd.Series(texts, dtype=object)})
    assert len(L._arrow_texts(arrow["text"])) == len(texts) and L._arrow_texts(plain["text"]) is None
    a = near_duplicate_pairs(arrow, threshold=0.3)
    assert a.equals(near_duplicate_pairs(plain, threshold=0.3))
    assert {("d4", "d10"), ("d6", "d7")} <= set(zip(a["doc_a"], a["doc_b"]))
    sliced = near_duplicate_pairs(arrow.iloc[3:].reset_index(drop=True), threshold=0.3)
    assert sliced.equals(near_duplicate_pairs(plain.iloc[3:].reset_index(drop=True), threshold=0.3))


@pytest.mark.parametrize("offset", [0, 5 << 32])  # packed-sort path and generic argsort path
def test_pairs_in_groups_against_brute_force(offset):
    rng = np.random.default_rng(3)
    for _ in range(50):
        n = int(rng.integers(2, 200))
        values = rng.integers(0, int(rng.integers(1, 40)), n).astype(np.uint64)
        members = rng.integers(0, 30, n) + offset
        for max_group in (None, 3):
            got = sorted(map(tuple, L.pairs_sharing_key(values, members, max_group).tolist()))
            groups = {}
            for v, m in zip(values.tolist(), members.tolist()):
                groups.setdefault(v, []).append(m)
            want = sorted(
                (min(a, b), max(a, b))
                for g in groups.values()
                if len(g) >= 2 and (max_group is None or len(g) <= max_group)
                for i, a in enumerate(g)
                for b in g[i + 1 :]
                if a != b
            )
            assert got == want
