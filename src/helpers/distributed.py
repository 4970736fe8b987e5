"""Run the heavy steps on a Dask cluster: corpus loading into partitions and lexical near-duplicates.

One process stays the default. When a corpus outgrows it, the same analysis runs on Dask, a LocalCluster
on a laptop or an existing cluster (dask-jobqueue on HPC, Kubernetes), with the same results:

- :func:`cluster` opens a client for the CLI and notebooks (``workers=N`` local processes, or
  ``scheduler=ADDRESS``), prints the dashboard address and closes everything on exit.
- :func:`load_corpus_dask` loads Parquet/JSONL shards or folders of files into a Dask DataFrame holding the
  same documents table as :func:`helpers.corpus.load_corpus` (the corpus-wide repeated-line pass is a
  reduction over partitions).
- :func:`near_duplicate_pairs_dask` runs MinHash per partition, LSH banding by a shuffle on band keys,
  exact verification by a bounded two-step join, and returns the same pairs as the single-process
  :func:`helpers.neardup.lexical.near_duplicate_pairs`; :func:`near_duplicate_families_dask` adds the
  connected components (families).

See ``docs/distributed.md`` for running on an existing cluster and how memory is bounded.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from .cluster import cluster, compute, current_client
from .corpus.dask import load_corpus_dask

log = logging.getLogger(__name__)

__all__ = [
    "cluster",
    "current_client",
    "compute",
    "load_corpus_dask",
    "near_duplicate_pairs_dask",
    "near_duplicate_families_dask",
    "components_from_pairs",
    "candidate_pairs_dask",
    "verify_candidates_dask",
    "as_dask",
]


# ============================================================================================ near-duplicates
_PART_SHIFT = 32  # global row id = partition number << 32 | row within the partition (keeps corpus order)


def as_dask(docs, partition_rows: int = 5000):
    """A Dask DataFrame of a pandas documents table (``partition_rows`` rows a partition; persisted on the
    cluster when a client is active); Dask input is returned as is."""
    import dask.dataframe as dd

    if isinstance(docs, dd.DataFrame):
        return docs
    if not isinstance(docs, pd.DataFrame):
        raise TypeError(f"expected a pandas or Dask DataFrame, got {type(docs).__name__}")
    out = dd.from_pandas(docs.reset_index(drop=True), chunksize=max(1, int(partition_rows)), sort=False)
    # with a cluster, ship the partitions once instead of embedding them in every graph
    return out.persist() if current_client() is not None else out


def _texts(part: pd.DataFrame) -> list[str]:
    return ["" if not isinstance(t, str) else t for t in part["text"].tolist()]


def _lexical():
    from .neardup import lexical

    return lexical


_U64 = np.uint64
_MASK32 = np.uint64(0xFFFFFFFF)


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    """Sorted unique values by sort + diff (NumPy 2.4's hash-based ``np.unique`` is ~20x slower on uint64)."""
    if len(x) == 0:
        return x
    s = np.sort(x)
    return s[np.r_[True, s[1:] != s[:-1]]]


def _unique_rows(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(a) == 0:
        return a, b
    o = np.lexsort((b, a))
    a, b = a[o], b[o]
    keep = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])]
    return a[keep], b[keep]


def _set_keys(sh: np.ndarray, sd: np.ndarray, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Shingle sets as ``lexical.verify_pairs`` builds them: sorted unique ``doc << 32 | hash >> 32``, offsets."""
    key = _sorted_unique((sd.astype(np.uint64) << _U64(32)) | (sh >> _U64(32)))
    d = (key >> _U64(32)).astype(np.int64)
    return key, np.concatenate(([0], np.cumsum(np.bincount(d, minlength=n_docs))))


def _verify_local(keys: np.ndarray, off: np.ndarray, la: np.ndarray, lb: np.ndarray) -> pd.DataFrame:
    """Exact shared count, Jaccard and containments of local pairs: ``verify_pairs``' own arithmetic."""
    out = _lexical()._verify_sets(keys, off, la, lb, np.stack([la, lb], axis=1))
    return out[["shared", "jaccard", "containment_a", "containment_b"]].reset_index(drop=True)


def _signatures(L, sh, sd, n, num_perm, seed, method):
    if method == "oph":
        return L._oph(sh, sd, n, num_perm, seed)  # noqa: SLF001 - as near_duplicate_pairs does per batch
    if method == "classic":
        return L._classic(sh, sd, n, num_perm, seed)  # noqa: SLF001
    raise ValueError(f"unknown method {method!r}: use 'oph' or 'classic'")


# ---- stage 1: per input partition ---------------------------------------------------------------------
def _sketch_partition(part: pd.DataFrame, p: int, num_perm, shingle_size, seed, method, sample_every, bands, rows):
    """Exact-duplicate keys, LSH band keys and containment samples of one partition (global row ids).

    The same per-chunk computations as ``lexical.near_duplicate_pairs``: token hashes, shingle hashes, the
    128-bit token-sequence key (exact duplicates; zero when a document has no words), MinHash band keys and
    the consistent shingle sample.
    """
    L = _lexical()
    ids = part["doc_id"].astype(str).to_numpy(dtype=object)
    texts = L._as_texts(part["text"].tolist())  # noqa: SLF001 - same None/NaN/bytes handling
    n = len(texts)
    if n >= 2**32:
        raise ValueError("a partition holds more than 2**32 documents: repartition")
    gid = (np.int64(p) << np.int64(32)) + np.arange(n, dtype=np.int64)
    seq = np.zeros((n, 2), dtype=np.uint64)
    keys = np.zeros((n, bands), dtype=np.uint64)
    sdoc, sval = [], []
    for lo, cn, th, td, sh, sd in _shingle_chunks(L, texts, shingle_size):
        seq[lo : lo + cn] = _sequence_keys(L, th, td, cn)
        keys[lo : lo + cn] = L.band_keys(_signatures(L, sh, sd, cn, num_perm, seed, method), bands, rows)
        d, v = L._samples(sh, sd, sample_every, seed)  # noqa: SLF001 - the single-process sample
        sdoc.append(np.asarray(d, dtype=np.int64) + lo)
        sval.append(v)
    has_words = seq[:, 0] != 0
    dups = pd.DataFrame(
        {
            "h1": seq[has_words, 0],
            "h2": seq[has_words, 1],
            "gid": gid[has_words],
            "doc_id": pd.array(ids[has_words], dtype="str"),
        }
    )
    flat = keys.ravel()
    g = np.repeat(gid, bands)
    nz = (flat != 0) & np.repeat(has_words, bands)
    keys_df = pd.DataFrame({"key": flat[nz], "gid": g[nz]})
    d = np.concatenate(sdoc) if sdoc else np.empty(0, np.int64)
    v = np.concatenate(sval) if sval else np.empty(0, np.uint64)
    size = np.bincount(d, minlength=n)
    samples_df = pd.DataFrame({"v": v, "gid": gid[d], "size": size[d].astype(np.int64)})
    return dups, keys_df, samples_df


def _shingle_chunks(L, texts, shingle_size):
    """``(lo, n, token hashes, token doc, shingle hashes, shingle doc)`` per chunk, as the single path hashes."""
    chunked = getattr(L, "_chunked_shingles", None)
    if chunked is not None:
        yield from chunked(texts, shingle_size)
        return
    th, td = L.token_hashes(texts)
    sh, sd = L._shingles_from_tokens(th, td, len(texts), shingle_size)  # noqa: SLF001
    yield 0, len(texts), th, td, sh, sd


def _sequence_keys(L, th, td, n) -> np.ndarray:
    """The single path's exact-duplicate key per document, (n, 2) uint64, 0 for documents without words."""
    return L._sequence_keys(th, td, n)  # noqa: SLF001


def _drop_nonreps(gid: np.ndarray, nonrep: np.ndarray) -> np.ndarray:
    if not len(nonrep) or not len(gid):
        return np.ones(len(gid), dtype=bool)
    pos = np.minimum(np.searchsorted(nonrep, gid), len(nonrep) - 1)
    return nonrep[pos] != gid


# ---- stage 2: per shuffled partition -----------------------------------------------------------------
def _dup_groups(part: pd.DataFrame) -> pd.DataFrame:
    """Groups of identical normalised texts within a digest-shuffled partition: ``gid``, ``rep``, ``doc_id``."""
    if len(part) < 2:
        return pd.DataFrame(
            {"gid": np.empty(0, np.int64), "rep": np.empty(0, np.int64), "doc_id": pd.array([], dtype="str")}
        )
    part = part.sort_values(["h1", "h2", "gid"], kind="stable")
    h1, h2 = part["h1"].to_numpy(), part["h2"].to_numpy()
    start = np.r_[True, (h1[1:] != h1[:-1]) | (h2[1:] != h2[:-1])]
    grp = np.cumsum(start) - 1
    sizes = np.bincount(grp)
    gid = part["gid"].to_numpy()
    rep = gid[np.flatnonzero(start)][grp]
    keep = sizes[grp] >= 2
    return pd.DataFrame({"gid": gid[keep], "rep": rep[keep], "doc_id": part["doc_id"].to_numpy()[keep]})


def _key_pairs(part: pd.DataFrame, nonrep: np.ndarray, max_bucket) -> pd.DataFrame:
    """Candidate pairs from documents sharing a band key (keys shuffled so a bucket is in one partition)."""
    L = _lexical()
    key, gid = part["key"].to_numpy(), part["gid"].to_numpy()
    keep = _drop_nonreps(gid, nonrep)
    p = L._pairs_in_groups(key[keep], gid[keep], max_bucket)  # noqa: SLF001 - the same bucket rule
    a, b = _unique_rows(p[:, 0], p[:, 1])
    return pd.DataFrame({"a": a, "b": b})


def _sample_pairs(part: pd.DataFrame, nonrep: np.ndarray, max_df: int) -> pd.DataFrame:
    """One row per shared containment sample: ``a``, ``b``, ``smaller`` (sample count of the smaller doc)."""
    L = _lexical()
    v, gid, size = part["v"].to_numpy(), part["gid"].to_numpy(), part["size"].to_numpy()
    keep = _drop_nonreps(gid, nonrep)
    v, gid, size = v[keep], gid[keep], size[keep]
    p = L._pairs_in_groups(v, gid, max_df)  # noqa: SLF001
    if not len(p):
        return pd.DataFrame({"a": np.empty(0, np.int64), "b": np.empty(0, np.int64), "smaller": np.empty(0, np.int64)})
    o = np.argsort(gid, kind="stable")
    gs, ss = gid[o], size[o]
    sa = ss[np.searchsorted(gs, p[:, 0])]
    sb = ss[np.searchsorted(gs, p[:, 1])]
    return pd.DataFrame({"a": p[:, 0], "b": p[:, 1], "smaller": np.minimum(sa, sb)})


def _count_samples(part: pd.DataFrame, containment_threshold: float) -> pd.DataFrame:
    """Pairs whose shared samples reach the containment rule of ``candidate_pairs_from_samples``."""
    if not len(part):
        return pd.DataFrame({"a": np.empty(0, np.int64), "b": np.empty(0, np.int64)})
    a, b, sm = part["a"].to_numpy(), part["b"].to_numpy(), part["smaller"].to_numpy()
    o = np.lexsort((b, a))
    a, b, sm = a[o], b[o], sm[o]
    start = np.flatnonzero(np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])])
    shared = np.diff(np.r_[start, len(a)])
    smaller = sm[start]
    need = np.maximum(np.where(smaller < 3, 1, 2), np.ceil(0.5 * containment_threshold * smaller))
    ok = shared >= need
    return pd.DataFrame({"a": a[start][ok], "b": b[start][ok]})


def _nonreps(*parts: pd.DataFrame) -> np.ndarray:
    g = [p["gid"].to_numpy()[p["gid"].to_numpy() != p["rep"].to_numpy()] for p in parts]
    return np.sort(np.concatenate(g)) if g else np.empty(0, np.int64)


# ---- stage 3: verification by a two-step join --------------------------------------------------------
def _attach_a(pairs: pd.DataFrame, part: pd.DataFrame) -> pd.DataFrame:
    """Pairs whose ``a`` lives in this partition, with ``a``'s id and text attached, keyed by ``b``'s partition."""
    L = _lexical()
    rows = (pairs["a"].to_numpy() & np.int64(0xFFFFFFFF)).astype(np.int64)
    texts = np.array(L._as_texts(part["text"].tolist()), dtype=object)  # noqa: SLF001
    ids = part["doc_id"].astype(str).to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "pb": (pairs["b"].to_numpy() >> np.int64(32)).astype(np.int64),
            "a": pairs["a"].to_numpy(),
            "b": pairs["b"].to_numpy(),
            "doc_a": pd.array(ids[rows], dtype="str"),
            "text_a": pd.array(texts[rows], dtype="str"),
        }
    )


def _verify_b(
    routed: pd.DataFrame,
    part: pd.DataFrame,
    threshold,
    containment_threshold,
    min_shared,
    shingle_size,
    num_perm,
    seed,
    method,
) -> pd.DataFrame:
    """Exact verification of pairs whose ``b`` lives in this partition; kept pairs with the MinHash estimate."""
    L = _lexical()
    out_cols = {
        "a": np.empty(0, np.int64),
        "b": np.empty(0, np.int64),
        "doc_a": pd.array([], dtype="str"),
        "doc_b": pd.array([], dtype="str"),
        "jaccard_est": np.empty(0),
        "jaccard": np.empty(0),
        "containment_a": np.empty(0),
        "containment_b": np.empty(0),
    }
    if not len(routed):
        return pd.DataFrame(out_cols)
    a = routed["a"].to_numpy()
    b = routed["b"].to_numpy()
    texts_b = L._as_texts(part["text"].tolist())  # noqa: SLF001
    ids_b = part["doc_id"].astype(str).to_numpy(dtype=object)
    ua, ia, inv_a = np.unique(a, return_index=True, return_inverse=True)  # small: pairs of one partition
    rb = (b & np.int64(0xFFFFFFFF)).astype(np.int64)
    ub, inv_b = np.unique(rb, return_inverse=True)
    text_a = routed["text_a"].to_numpy(dtype=object)
    texts = [text_a[i] for i in ia] + [texts_b[i] for i in ub]
    n = len(texts)
    sh, sd = L.shingle_hashes(texts, shingle_size)
    keys, off = _set_keys(sh, sd, n)
    la = inv_a.astype(np.int64)
    lb = len(ua) + inv_b.astype(np.int64)
    ver = _verify_local(keys, off, la, lb)
    keep = (
        (ver["jaccard"] >= threshold)
        | (
            (np.maximum(ver["containment_a"], ver["containment_b"]) >= containment_threshold)
            & (ver["shared"] >= min_shared)
        )
    ).to_numpy()
    if not keep.any():
        return pd.DataFrame(out_cols)
    sig = _signatures(L, sh, sd, n, num_perm, seed, method)
    est = L.jaccard_estimates(sig, np.stack([la[keep], lb[keep]], axis=1))
    return pd.DataFrame(
        {
            "a": a[keep],
            "b": b[keep],
            "doc_a": pd.array(routed["doc_a"].to_numpy(dtype=object)[keep], dtype="str"),
            "doc_b": pd.array(ids_b[rb[keep]], dtype="str"),
            "jaccard_est": est,
            "jaccard": ver["jaccard"].to_numpy()[keep],
            "containment_a": ver["containment_a"].to_numpy()[keep],
            "containment_b": ver["containment_b"].to_numpy()[keep],
        }
    )


# ---- orchestration -------------------------------------------------------------------------------------
def _shuffle_method(method: str | None, npartitions: int) -> str | None:
    """Dask's shuffle as asked; by default the in-memory task shuffle for few partitions (much lower latency)
    and Dask's choice (disk-backed peer-to-peer on a cluster) beyond."""
    if method is not None:
        return method
    return "tasks" if npartitions <= 8 else None


def _empty_pairs() -> pd.DataFrame:
    cols = ["doc_a", "doc_b", "jaccard_est", "jaccard", "containment_a", "containment_b"]
    return pd.DataFrame({c: pd.Series(dtype=object if c.startswith("doc") else float) for c in cols})


def _check_input(ddf):
    import dask.dataframe as dd

    if isinstance(ddf, pd.DataFrame):
        ddf = as_dask(ddf)
    if not isinstance(ddf, dd.DataFrame):
        raise TypeError(f"expected a Dask (or pandas) documents DataFrame, got {type(ddf).__name__}")
    missing = [c for c in ("doc_id", "text") if c not in ddf.columns]
    if missing:
        raise ValueError(f"documents table needs columns doc_id and text; missing: {', '.join(missing)}")
    return ddf[["doc_id", "text"]]


def candidate_pairs_dask(
    ddf,
    *,
    threshold: float = 0.5,
    shingle_size: int = 5,
    num_perm: int = 128,
    seed: int = 1,
    containment_threshold: float | None = None,
    method: str = "oph",
    sample_every: int = 16,
    max_bucket: int | None = None,
    max_df: int = 200,
    progress: bool = True,
    shuffle_method: str | None = None,
):
    """Stage 1-2 of :func:`near_duplicate_pairs_dask`: ``(candidates (m, 2) global ids, exact-duplicate groups)``.

    Global id = partition number << 32 | row in partition (so ids sort in corpus order). Exact-duplicate groups
    (``gid``, ``rep``, ``doc_id``; only groups of two or more) collapse to their first document before hashing.
    """
    import dask
    import dask.dataframe as dd

    L = _lexical()
    ddf = _check_input(ddf)
    if containment_threshold is None:
        containment_threshold = threshold
    bands, rows = L.lsh_params(min(max(threshold, 0.01), 0.99), num_perm)
    P = ddf.npartitions
    shuffle_method = _shuffle_method(shuffle_method, P)
    kw = dict(
        num_perm=int(num_perm),
        shingle_size=int(shingle_size),
        seed=int(seed),
        method=method,
        sample_every=int(sample_every),
        bands=bands,
        rows=rows,
    )
    sketch = dask.delayed(_sketch_partition, pure=True, nout=3)
    parts = ddf.to_delayed()
    s1 = [sketch(part, i, **kw) for i, part in enumerate(parts)]
    meta_dups = pd.DataFrame(
        {
            "h1": np.empty(0, np.uint64),
            "h2": np.empty(0, np.uint64),
            "gid": np.empty(0, np.int64),
            "doc_id": pd.array([], dtype="str"),
        }
    )
    meta_keys = pd.DataFrame({"key": np.empty(0, np.uint64), "gid": np.empty(0, np.int64)})
    meta_samp = pd.DataFrame({"v": np.empty(0, np.uint64), "gid": np.empty(0, np.int64), "size": np.empty(0, np.int64)})
    dups = dd.from_delayed([s[0] for s in s1], meta=meta_dups, verify_meta=False)
    keys = dd.from_delayed([s[1] for s in s1], meta=meta_keys, verify_meta=False)
    samples = dd.from_delayed([s[2] for s in s1], meta=meta_samp, verify_meta=False)

    meta_groups = pd.DataFrame(
        {"gid": np.empty(0, np.int64), "rep": np.empty(0, np.int64), "doc_id": pd.array([], dtype="str")}
    )
    groups = dups.shuffle(on=["h1", "h2"], npartitions=P, shuffle_method=shuffle_method).map_partitions(
        _dup_groups, meta=meta_groups
    )
    nonrep = dask.delayed(_nonreps, pure=True)(*groups.to_delayed())
    meta_ab = pd.DataFrame({"a": np.empty(0, np.int64), "b": np.empty(0, np.int64)})
    kp = keys.shuffle(on="key", npartitions=P, shuffle_method=shuffle_method).map_partitions(
        _key_pairs, nonrep, max_bucket, meta=meta_ab
    )
    sp = samples.shuffle(on="v", npartitions=P, shuffle_method=shuffle_method).map_partitions(
        _sample_pairs, nonrep, max_df, meta=meta_ab.assign(smaller=np.empty(0, np.int64))
    )
    cp = sp.shuffle(on=["a", "b"], npartitions=P, shuffle_method=shuffle_method).map_partitions(
        _count_samples, containment_threshold, meta=meta_ab
    )
    kp_list, cp_list, group_list = compute(
        kp.to_delayed(),
        cp.to_delayed(),
        groups.to_delayed(),
        progress=progress,
        label=f"near-duplicates 1/3: MinHash, LSH buckets, samples ({P} partitions)",
    )
    pairs = [p for p in list(kp_list) + list(cp_list) if len(p)]
    if pairs:
        allp = pd.concat(pairs, ignore_index=True)
        a, b = _unique_rows(allp["a"].to_numpy(np.int64), allp["b"].to_numpy(np.int64))
    else:
        a = b = np.empty(0, np.int64)
    g = [x for x in group_list if len(x)]
    groups_df = pd.concat(g, ignore_index=True) if g else meta_groups
    return np.stack([a, b], axis=1), groups_df


def verify_candidates_dask(
    ddf,
    candidates: np.ndarray,
    *,
    threshold: float = 0.5,
    shingle_size: int = 5,
    num_perm: int = 128,
    seed: int = 1,
    containment_threshold: float | None = None,
    method: str = "oph",
    min_shared: int = 3,
    progress: bool = True,
    shuffle_method: str | None = None,
) -> pd.DataFrame:
    """Stage 3 of :func:`near_duplicate_pairs_dask`: exact verification of candidate global-id pairs.

    Two-step join with bounded memory: each pair goes to the partition of ``a``, which attaches ``a``'s text,
    then by a shuffle on ``b``'s partition to where ``b`` lives; only texts of candidate documents travel.
    The routed pairs are persisted between the two steps so no input partition is held across the shuffle.
    """
    import dask
    import dask.dataframe as dd

    ddf = _check_input(ddf)
    if containment_threshold is None:
        containment_threshold = threshold
    P = ddf.npartitions
    shuffle_method = _shuffle_method(shuffle_method, P)
    cand = np.asarray(candidates, dtype=np.int64).reshape(-1, 2)
    if not len(cand):
        return None
    pa = cand[:, 0] >> 32
    order = np.argsort(pa, kind="stable")
    cand, pa = cand[order], pa[order]
    bounds = np.searchsorted(pa, np.arange(P + 1))
    parts = ddf.to_delayed()
    attach = dask.delayed(_attach_a, pure=True)
    att = [
        attach(
            pd.DataFrame({"a": cand[bounds[i] : bounds[i + 1], 0], "b": cand[bounds[i] : bounds[i + 1], 1]}), parts[i]
        )
        for i in range(P)
    ]
    meta_att = pd.DataFrame(
        {
            "pb": np.empty(0, np.int64),
            "a": np.empty(0, np.int64),
            "b": np.empty(0, np.int64),
            "doc_a": pd.array([], dtype="str"),
            "text_a": pd.array([], dtype="str"),
        }
    )
    routed = dd.from_delayed(att, meta=meta_att, verify_meta=False).set_index(
        "pb", divisions=tuple(range(P + 1)), sort=True, shuffle_method=shuffle_method
    )
    client = current_client()
    if progress:
        print(f"near-duplicates 2/3: routing {len(cand):,} candidate pairs with their texts", flush=True)
    if client is not None:
        routed = routed.persist()
        if progress:
            from distributed import progress as _progress

            _progress(routed, notebook=False, interval="1s")
            print(flush=True)
        else:
            from distributed import wait

            wait(routed)
    else:
        routed = routed.persist()
    vkw = dict(
        threshold=threshold,
        containment_threshold=containment_threshold,
        min_shared=int(min_shared),
        shingle_size=int(shingle_size),
        num_perm=int(num_perm),
        seed=int(seed),
        method=method,
    )
    verify = dask.delayed(_verify_b, pure=True)
    tasks = [verify(r, parts[i], **vkw) for i, r in enumerate(routed.to_delayed())]
    res = compute(*tasks, progress=progress, label="near-duplicates 3/3: exact verification")
    del routed
    res = [r for r in res if len(r)]
    return pd.concat(res, ignore_index=True) if res else None


def _expand(rep_pairs: pd.DataFrame | None, groups: pd.DataFrame) -> pd.DataFrame:
    """Pairs of representatives to pairs of documents, as ``near_duplicate_pairs`` does for exact duplicates."""
    cols = ["jaccard_est", "jaccard", "containment_a", "containment_b"]
    ids: dict[int, str] = {}
    frames = []
    if rep_pairs is not None and len(rep_pairs):
        ids.update(zip(rep_pairs["a"].tolist(), rep_pairs["doc_a"].tolist()))
        ids.update(zip(rep_pairs["b"].tolist(), rep_pairs["doc_b"].tolist()))
        rp = rep_pairs.rename(columns={"a": "ra", "b": "rb"})[["ra", "rb"] + cols]
        if len(groups):
            members = groups.rename(columns={"gid": "doc"})[["rep", "doc"]]
            reps = np.union1d(rp["ra"].to_numpy(), rp["rb"].to_numpy())
            alone = np.setdiff1d(reps, members["rep"].to_numpy())
            members = pd.concat([members, pd.DataFrame({"rep": alone, "doc": alone})], ignore_index=True)
            ex = rp.merge(members.rename(columns={"rep": "ra", "doc": "ia"}), on="ra")
            ex = ex.merge(members.rename(columns={"rep": "rb", "doc": "ib"}), on="rb")
        else:
            ex = rp.assign(ia=rp["ra"], ib=rp["rb"])
        frames.append(ex[["ia", "ib"] + cols])
    if len(groups):
        ids.update(zip(groups["gid"].tolist(), groups["doc_id"].tolist()))
        m = groups[["rep", "gid"]]
        grp = m.merge(m, on="rep", suffixes=("_a", "_b"))
        grp = grp[grp["gid_a"] < grp["gid_b"]]
        frames.append(
            pd.DataFrame(
                {
                    "ia": grp["gid_a"].to_numpy(),
                    "ib": grp["gid_b"].to_numpy(),
                    "jaccard_est": 1.0,
                    "jaccard": 1.0,
                    "containment_a": 1.0,
                    "containment_b": 1.0,
                }
            )
        )
    frames = [f for f in frames if len(f)]
    if not frames:
        return _empty_pairs()
    out = _lexical()._named_pairs(pd.concat(frames, ignore_index=True), ids)
    return out[list(_empty_pairs().columns)]


def near_duplicate_pairs_dask(
    ddf,
    threshold: float = 0.5,
    shingle_size: int = 5,
    num_perm: int = 128,
    seed: int = 1,
    containment_threshold: float | None = None,
    method: str = "oph",
    sample_every: int = 16,
    min_shared: int = 3,
    max_bucket: int | None = None,
    progress: bool = True,
    shuffle_method: str | None = None,
) -> pd.DataFrame:
    """Lexical near-duplicate pairs of a Dask documents DataFrame: the same table, row for row, as
    :func:`helpers.neardup.lexical.near_duplicate_pairs` on the same documents and parameters.

    Runs on the active client (see :func:`cluster`), else on Dask's local scheduler. Stages: (1) per partition,
    normalised-text digests, MinHash signatures and band keys, containment samples; (2) shuffles on digest
    (exact duplicates), band key (LSH buckets) and sample value, pairs per bucket; (3) exact verification by a
    two-step join (see :func:`verify_candidates_dask`); exact duplicates are expanded at the end. Memory per
    worker is bounded by the partition size; what reaches this process is O(candidate pairs).
    ``shuffle_method``: ``"p2p"`` (disk-backed, for big inputs) or ``"tasks"``; None: tasks up to 8
    partitions, else Dask's default (p2p on a cluster). The other parameters are those of the single-process function.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    ddf = _check_input(ddf)
    if containment_threshold is None:
        containment_threshold = threshold
    cand, groups = candidate_pairs_dask(
        ddf,
        threshold=threshold,
        shingle_size=shingle_size,
        num_perm=num_perm,
        seed=seed,
        containment_threshold=containment_threshold,
        method=method,
        sample_every=sample_every,
        max_bucket=max_bucket,
        progress=progress,
        shuffle_method=shuffle_method,
    )
    rep_pairs = verify_candidates_dask(
        ddf,
        cand,
        threshold=threshold,
        shingle_size=shingle_size,
        num_perm=num_perm,
        seed=seed,
        containment_threshold=containment_threshold,
        method=method,
        min_shared=min_shared,
        progress=progress,
        shuffle_method=shuffle_method,
    )
    return _expand(rep_pairs, groups)


def components_from_pairs(pairs: pd.DataFrame, ddf) -> pd.DataFrame:
    """Families (connected components) of the pair graph over every document of ``ddf``, via ``lexical.components``.

    The edge list is small (one row per pair); only the ``doc_id`` column is read from the partitions.
    """
    ddf = _check_input(ddf)
    (ids,) = compute(ddf["doc_id"], progress=False)
    return _lexical().components(pairs, ids.astype(str).tolist())


def near_duplicate_families_dask(ddf, **kwargs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(pairs, families)``: :func:`near_duplicate_pairs_dask` and the connected components (``doc_id``, ``component``)."""
    pairs = near_duplicate_pairs_dask(ddf, **kwargs)
    return pairs, components_from_pairs(pairs, ddf)
