"""Lexical near-duplicates on Dask: the same pairs as :func:`helpers.neardup.lexical.near_duplicate_pairs`.

Built only from :mod:`helpers.neardup.lexical`'s public batch API and :class:`~helpers.neardup.lexical.LexicalParams`,
so every setting means the same on both paths and the two tables are equal row for row:

1. **Sketch**, per input partition (:func:`~helpers.neardup.lexical.sketch_batches`): each document's shingle
   digest, LSH band keys and containment samples, under global ids ``partition << 32 | row`` (corpus order).
2. **Buckets**, by three shuffles: on the digest (documents with the same shingles collapse to their first,
   :func:`~helpers.neardup.lexical.duplicate_representatives`), on the band key and on the sample value (pairs
   per bucket, :func:`~helpers.neardup.lexical.pairs_sharing_key`; containment pairs kept by
   :func:`~helpers.neardup.lexical.enough_shared_samples`).
3. **Verification** in blocks, on the workers: each input partition computes the shingle sets and signatures of
   its candidate documents once (:func:`~helpers.neardup.lexical.candidate_sets`); one task per pair of partition
   groups checks that block's pairs exactly (:func:`~helpers.neardup.lexical.confirm_sets`), holding only those
   groups' sets. Duplicates are expanded and the pairs named at the end
   (:func:`~helpers.neardup.lexical.expand_duplicates`, :func:`~helpers.neardup.lexical.name_pairs`).

Memory per task is bounded by the partition size; see ``docs/distributed.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..cluster import compute, current_client
from .lexical import (
    CandidateSets,
    LexicalParams,
    as_texts,
    candidate_sets,
    components,
    confirm_sets,
    duplicate_representatives,
    empty_pairs,
    enough_shared_samples,
    expand_duplicates,
    name_pairs,
    pairs_sharing_key,
    sketch_batches,
)

__all__ = [
    "as_dask",
    "candidate_pairs_dask",
    "verify_candidates_dask",
    "near_duplicate_pairs_dask",
    "components_from_pairs",
    "near_duplicate_families_dask",
]

_PART_SHIFT = 32  # global row id = partition number << 32 | row within the partition (keeps corpus order)
_ROW_MASK = np.int64((1 << _PART_SHIFT) - 1)
_VERIFY_GROUPS = 32  # verification blocks pair groups of consecutive partitions: at most 32 * 33 / 2 tasks
_VERIFY_PAIRS = 1_000_000  # candidate pairs in one verification task at most
_SHUFFLE_TASKS_UP_TO = 8  # partitions: the in-memory task shuffle has much lower latency on few partitions


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


def _int64s() -> np.ndarray:
    return np.empty(0, np.int64)


def _strings() -> pd.api.extensions.ExtensionArray:
    return pd.array([], dtype="str")


# ---- stage 1: per input partition ---------------------------------------------------------------------
def _sketch_partition(part: pd.DataFrame, partition: int, params: LexicalParams):
    """Digests (exact duplicates), band keys and containment samples of one partition, by global row id."""
    ids = part["doc_id"].astype(str).to_numpy(dtype=object)
    texts = as_texts(part["text"].tolist())
    n = len(texts)
    if n >= 1 << _PART_SHIFT:
        raise ValueError("a partition holds more than 2**32 documents: repartition")
    gid = (np.int64(partition) << np.int64(_PART_SHIFT)) + np.arange(n, dtype=np.int64)
    bands, _ = params.bands_and_rows
    digests = np.zeros((n, 2), dtype=np.uint64)
    keys = np.zeros((n, bands), dtype=np.uint64)
    sample_doc, sample_key = [_int64s()], [np.empty(0, np.uint64)]
    for sk in sketch_batches(texts, params):
        digests[sk.first : sk.first + sk.n_docs] = sk.digests
        keys[sk.first : sk.first + sk.n_docs] = sk.band_keys
        sample_doc.append(sk.sample_doc + sk.first)
        sample_key.append(sk.sample_key)
    has_words = digests[:, 0] != 0
    dups = pd.DataFrame(
        {
            "h1": digests[has_words, 0],
            "h2": digests[has_words, 1],
            "gid": gid[has_words],
            "doc_id": pd.array(ids[has_words], dtype="str"),
        }
    )
    flat = keys.ravel()
    nz = (flat != 0) & np.repeat(has_words, bands)
    keys_df = pd.DataFrame({"key": flat[nz], "gid": np.repeat(gid, bands)[nz]})
    d = np.concatenate(sample_doc)
    size = np.bincount(d, minlength=n)
    samples_df = pd.DataFrame({"v": np.concatenate(sample_key), "gid": gid[d], "size": size[d].astype(np.int64)})
    return dups, keys_df, samples_df


# ---- stage 2: per shuffled partition -----------------------------------------------------------------
def _dup_groups(part: pd.DataFrame) -> pd.DataFrame:
    """Groups of documents with the same shingles in a digest-shuffled partition: ``gid``, ``rep``, ``doc_id``
    (groups of two or more; ``rep`` is the group's first document)."""
    if len(part) < 2:
        return pd.DataFrame({"gid": _int64s(), "rep": _int64s(), "doc_id": _strings()})
    part = part.sort_values("gid", kind="stable")
    rep_row = duplicate_representatives(part[["h1", "h2"]].to_numpy(dtype=np.uint64))
    keep = np.bincount(rep_row, minlength=len(part))[rep_row] >= 2
    gid = part["gid"].to_numpy()
    return pd.DataFrame({"gid": gid[keep], "rep": gid[rep_row[keep]], "doc_id": part["doc_id"].to_numpy()[keep]})


def _nonreps(*parts: pd.DataFrame) -> np.ndarray:
    """Sorted global ids of the documents a duplicate group's representative stands for."""
    g = [p["gid"].to_numpy()[p["gid"].to_numpy() != p["rep"].to_numpy()] for p in parts]
    return np.sort(np.concatenate(g)) if g else _int64s()


def _representatives(gid: np.ndarray, nonrep: np.ndarray) -> np.ndarray:
    """Mask of the ids in ``gid`` that are not in the sorted ``nonrep``."""
    if not len(nonrep) or not len(gid):
        return np.ones(len(gid), dtype=bool)
    pos = np.minimum(np.searchsorted(nonrep, gid), len(nonrep) - 1)
    return nonrep[pos] != gid


def _unique_rows(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(a) == 0:
        return a, b
    o = np.lexsort((b, a))
    a, b = a[o], b[o]
    keep = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])]
    return a[keep], b[keep]


def _key_pairs(part: pd.DataFrame, nonrep: np.ndarray, max_bucket: int | None) -> pd.DataFrame:
    """Candidate pairs from documents sharing a band key (keys shuffled so a bucket is in one partition)."""
    key, gid = part["key"].to_numpy(), part["gid"].to_numpy()
    keep = _representatives(gid, nonrep)
    p = pairs_sharing_key(key[keep], gid[keep], max_bucket)
    a, b = _unique_rows(p[:, 0], p[:, 1])
    return pd.DataFrame({"a": a, "b": b})


def _sample_pairs(part: pd.DataFrame, nonrep: np.ndarray, max_sample_df: int) -> pd.DataFrame:
    """One row per shared containment sample: ``a``, ``b``, ``smaller`` (sample count of the smaller doc)."""
    v, gid, size = part["v"].to_numpy(), part["gid"].to_numpy(), part["size"].to_numpy()
    keep = _representatives(gid, nonrep)
    v, gid, size = v[keep], gid[keep], size[keep]
    p = pairs_sharing_key(v, gid, max_sample_df)
    if not len(p):
        return pd.DataFrame({"a": _int64s(), "b": _int64s(), "smaller": _int64s()})
    o = np.argsort(gid, kind="stable")
    gs, ss = gid[o], size[o]
    sa = ss[np.searchsorted(gs, p[:, 0])]
    sb = ss[np.searchsorted(gs, p[:, 1])]
    return pd.DataFrame({"a": p[:, 0], "b": p[:, 1], "smaller": np.minimum(sa, sb)})


def _count_samples(part: pd.DataFrame, containment_threshold: float) -> pd.DataFrame:
    """Pairs (shuffled by pair) whose shared samples pass :func:`enough_shared_samples`."""
    if not len(part):
        return pd.DataFrame({"a": _int64s(), "b": _int64s()})
    a, b, sm = part["a"].to_numpy(), part["b"].to_numpy(), part["smaller"].to_numpy()
    o = np.lexsort((b, a))
    a, b, sm = a[o], b[o], sm[o]
    start = np.flatnonzero(np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])])
    shared = np.diff(np.r_[start, len(a)])
    ok = enough_shared_samples(shared, sm[start], containment_threshold)
    return pd.DataFrame({"a": a[start][ok], "b": b[start][ok]})


# ---- stage 3: verification in blocks of partitions ----------------------------------------------------
def _partition_sets(part: pd.DataFrame, partition: int, rows: np.ndarray, params: LexicalParams):
    """Global ids, doc ids and :class:`~helpers.neardup.lexical.CandidateSets` of the candidate documents
    ``rows`` (sorted rows) of one input partition: each document is shingled once, whatever its number of pairs."""
    texts = part["text"].to_numpy(dtype=object)[rows]
    ids = part["doc_id"].astype(str).to_numpy(dtype=object)[rows]
    gid = (np.int64(partition) << np.int64(_PART_SHIFT)) + rows.astype(np.int64)
    return gid, ids, candidate_sets(as_texts(texts.tolist()), params)


def _verify_block(pairs: np.ndarray, params: LexicalParams, *sets) -> pd.DataFrame:
    """Exact verification of candidate pairs (global ids) whose documents are in ``sets`` (from
    :func:`_partition_sets`, in partition order)."""
    gid = np.concatenate([g for g, _, _ in sets])
    ids = np.concatenate([i for _, i, _ in sets])
    values = np.concatenate([c.values for _, _, c in sets])
    starts = np.cumsum([0] + [len(c.values) for _, _, c in sets[:-1]])
    offsets = np.concatenate([[0]] + [c.offsets[1:] + s for (_, _, c), s in zip(sets, starts)])
    sig = np.concatenate([c.signatures for _, _, c in sets])
    local = np.searchsorted(gid, pairs)  # gid is sorted: partitions in order, rows sorted within
    ver = confirm_sets(CandidateSets(values, offsets, sig), local, params)
    la, lb = ver["a"].to_numpy(), ver["b"].to_numpy()
    return _verified_frame(gid[la], gid[lb], ids[la], ids[lb], ver)


def _verified_frame(a, b, doc_a, doc_b, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    cols = ["jaccard_est", "jaccard", "containment_a", "containment_b"]
    out = pd.DataFrame({"a": a, "b": b, "doc_a": pd.array(doc_a, dtype="str"), "doc_b": pd.array(doc_b, dtype="str")})
    for c in cols:
        out[c] = scores[c].to_numpy() if scores is not None else np.empty(0)
    return out


def _empty_verified() -> pd.DataFrame:
    return _verified_frame(_int64s(), _int64s(), [], [])


# ---- orchestration -------------------------------------------------------------------------------------
def _shuffle_method(method: str | None, npartitions: int) -> str | None:
    """Dask's shuffle as asked; by default the task shuffle for few partitions and Dask's choice (disk-backed
    peer-to-peer on a cluster) beyond."""
    if method is not None:
        return method
    return "tasks" if npartitions <= _SHUFFLE_TASKS_UP_TO else None


def candidate_pairs_dask(
    ddf, params: LexicalParams | None = None, *, progress: bool = True, shuffle_method: str | None = None, **overrides
):
    """Stages 1-2 of :func:`near_duplicate_pairs_dask`: ``(candidates (m, 2) global ids, duplicate groups)``.

    Global id = partition number << 32 | row in partition (so ids sort in corpus order). Duplicate groups
    (``gid``, ``rep``, ``doc_id``; only groups of two or more) collapse to their first document before candidate
    search. Settings: :class:`~helpers.neardup.lexical.LexicalParams` and/or its fields as keywords.
    """
    import dask
    import dask.dataframe as dd

    p = LexicalParams.of(params, **overrides)
    ddf = _check_input(ddf)
    P = ddf.npartitions
    shuffle_method = _shuffle_method(shuffle_method, P)
    sketch = dask.delayed(_sketch_partition, pure=True, nout=3)
    s1 = [sketch(part, i, p) for i, part in enumerate(ddf.to_delayed())]
    meta_dups = pd.DataFrame(
        {"h1": np.empty(0, np.uint64), "h2": np.empty(0, np.uint64), "gid": _int64s(), "doc_id": _strings()}
    )
    meta_keys = pd.DataFrame({"key": np.empty(0, np.uint64), "gid": _int64s()})
    meta_samp = pd.DataFrame({"v": np.empty(0, np.uint64), "gid": _int64s(), "size": _int64s()})
    dups = dd.from_delayed([s[0] for s in s1], meta=meta_dups, verify_meta=False)
    keys = dd.from_delayed([s[1] for s in s1], meta=meta_keys, verify_meta=False)
    samples = dd.from_delayed([s[2] for s in s1], meta=meta_samp, verify_meta=False)

    meta_groups = pd.DataFrame({"gid": _int64s(), "rep": _int64s(), "doc_id": _strings()})
    groups = dups.shuffle(on=["h1", "h2"], npartitions=P, shuffle_method=shuffle_method).map_partitions(
        _dup_groups, meta=meta_groups
    )
    nonrep = dask.delayed(_nonreps, pure=True)(*groups.to_delayed())
    meta_ab = pd.DataFrame({"a": _int64s(), "b": _int64s()})
    kp = keys.shuffle(on="key", npartitions=P, shuffle_method=shuffle_method).map_partitions(
        _key_pairs, nonrep, p.max_bucket, meta=meta_ab
    )
    sp = samples.shuffle(on="v", npartitions=P, shuffle_method=shuffle_method).map_partitions(
        _sample_pairs, nonrep, p.max_sample_df, meta=meta_ab.assign(smaller=_int64s())
    )
    cp = sp.shuffle(on=["a", "b"], npartitions=P, shuffle_method=shuffle_method).map_partitions(
        _count_samples, p.containment, meta=meta_ab
    )
    kp_list, cp_list, group_list = compute(
        kp.to_delayed(),
        cp.to_delayed(),
        groups.to_delayed(),
        progress=progress,
        label=f"near-duplicates 1/2: MinHash, LSH buckets, samples ({P} partitions)",
    )
    pairs = [x for x in list(kp_list) + list(cp_list) if len(x)]
    if pairs:
        allp = pd.concat(pairs, ignore_index=True)
        a, b = _unique_rows(allp["a"].to_numpy(np.int64), allp["b"].to_numpy(np.int64))
    else:
        a = b = _int64s()
    g = [x for x in group_list if len(x)]
    groups_df = pd.concat(g, ignore_index=True) if g else meta_groups
    return np.stack([a, b], axis=1), groups_df


def _blocks(cand: np.ndarray, npartitions: int):
    """Candidate pairs grouped by the groups of partitions their two documents live in (at most
    ``_VERIFY_GROUPS`` groups of consecutive partitions; blocks of at most ``_VERIFY_PAIRS`` pairs): yields
    ``(partitions involved, pairs)``."""
    size = -(-npartitions // _VERIFY_GROUPS)
    groups = -(-npartitions // size)
    key = (cand[:, 0] >> _PART_SHIFT) // size * groups + (cand[:, 1] >> _PART_SHIFT) // size
    order = np.argsort(key, kind="stable")
    cand, key = cand[order], key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    for lo, hi in zip(starts.tolist(), np.r_[starts[1:], len(key)].tolist()):
        for s in range(lo, hi, _VERIFY_PAIRS):
            block = cand[s : min(hi, s + _VERIFY_PAIRS)]
            yield np.unique(block >> _PART_SHIFT).tolist(), block


def verify_candidates_dask(
    ddf,
    candidates: np.ndarray,
    params: LexicalParams | None = None,
    *,
    progress: bool = True,
    shuffle_method: str | None = None,
    **overrides,
) -> pd.DataFrame:
    """Stage 3 of :func:`near_duplicate_pairs_dask`: exact verification of candidate global-id pairs; the
    reported ones as ``a``, ``b`` (global ids), ``doc_a``, ``doc_b`` and the scores.

    On the workers, where the texts are: each input partition shingles its candidate documents once (shingle
    sets and MinHash signatures, :func:`~helpers.neardup.lexical.candidate_sets`); the pairs are verified in
    blocks, one task per pair of partition groups holding only those groups' sets. No text travels with a pair,
    so memory grows with the candidate documents, not with the candidate pairs. ``shuffle_method`` is unused
    (kept for the common signature of the stages).
    """
    import dask

    p = LexicalParams.of(params, **overrides)
    ddf = _check_input(ddf)
    cand = np.asarray(candidates, dtype=np.int64).reshape(-1, 2)
    if not len(cand):
        return _empty_verified()
    docs = np.unique(cand)
    bounds = np.searchsorted(docs >> _PART_SHIFT, np.arange(ddf.npartitions + 1))
    parts = ddf.to_delayed()
    sets_of = dask.delayed(_partition_sets, pure=True)
    sets = {
        i: sets_of(parts[i], i, docs[bounds[i] : bounds[i + 1]] & _ROW_MASK, p)
        for i in range(ddf.npartitions)
        if bounds[i + 1] > bounds[i]
    }
    verify = dask.delayed(_verify_block, pure=True)
    tasks = [verify(pairs, p, *[sets[i] for i in involved]) for involved, pairs in _blocks(cand, ddf.npartitions)]
    label = f"near-duplicates 2/2: exact verification of {len(cand):,} candidate pairs ({len(tasks)} blocks)"
    res = compute(*tasks, progress=progress, label=label)
    res = [r for r in res if len(r)]
    return pd.concat(res, ignore_index=True) if res else _empty_verified()


def _expand(rep_pairs: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """Verified pairs of representatives as the named pairs table, duplicate groups expanded."""
    ids: dict[int, str] = dict(zip(rep_pairs["a"].tolist(), rep_pairs["doc_a"].tolist()))
    ids.update(zip(rep_pairs["b"].tolist(), rep_pairs["doc_b"].tolist()))
    ids.update(zip(groups["gid"].tolist(), groups["doc_id"].tolist()))
    members = groups.rename(columns={"gid": "doc"})[["rep", "doc"]]
    return name_pairs(expand_duplicates(rep_pairs.drop(columns=["doc_a", "doc_b"]), members), ids)


def near_duplicate_pairs_dask(
    ddf, params: LexicalParams | None = None, *, progress: bool = True, shuffle_method: str | None = None, **overrides
) -> pd.DataFrame:
    """Lexical near-duplicate pairs of a Dask documents DataFrame: the same table, row for row, as
    :func:`helpers.neardup.lexical.near_duplicate_pairs` on the same documents and settings.

    Settings: :class:`~helpers.neardup.lexical.LexicalParams` as ``params`` and/or its fields as keywords (an
    unknown name is an error). Runs on the active client (see :func:`helpers.cluster.cluster`), else on Dask's
    local scheduler; stages in the module docstring. Memory per worker is bounded by the partition size; what
    reaches this process is O(candidate pairs). ``shuffle_method``: ``"p2p"`` (disk-backed, for big inputs) or
    ``"tasks"``; None: tasks up to 8 partitions, else Dask's default (p2p on a cluster).
    """
    p = LexicalParams.of(params, **overrides)
    ddf = _check_input(ddf)
    options = {"progress": progress, "shuffle_method": shuffle_method}
    cand, groups = candidate_pairs_dask(ddf, p, **options)
    rep_pairs = verify_candidates_dask(ddf, cand, p, **options)
    if not len(rep_pairs) and not len(groups):
        return empty_pairs()
    return _expand(rep_pairs, groups)


def components_from_pairs(pairs: pd.DataFrame, ddf) -> pd.DataFrame:
    """Families (connected components) of the pair graph over every document of ``ddf``
    (:func:`helpers.neardup.lexical.components`). Only the ``doc_id`` column is read from the partitions."""
    ddf = _check_input(ddf)
    (ids,) = compute(ddf["doc_id"], progress=False)
    return components(pairs, ids.astype(str).tolist())


def near_duplicate_families_dask(
    ddf, params: LexicalParams | None = None, **options
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(pairs, families)``: :func:`near_duplicate_pairs_dask` and the connected components (``doc_id``,
    ``component``)."""
    pairs = near_duplicate_pairs_dask(ddf, params, **options)
    return pairs, components_from_pairs(pairs, ddf)
