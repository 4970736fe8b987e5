"""``load_corpus_dask``: the documents table of :func:`helpers.corpus.load_corpus` as a Dask DataFrame.

The same steps as ``load_corpus`` (:mod:`helpers.corpus.load`), run over partitions of input files: pass 1
(computed at once) reads each partition for its ids, read-stage skips and short-line counts, reduced into the
corpus-wide duplicate ids (:func:`~helpers.corpus.load.duplicate_ids`) and repeated lines
(:func:`~helpers.corpus.load.repeated_boilerplate`); pass 2 (lazy, one task per partition) reads again and runs
:func:`~helpers.corpus.load.clean_records` with ``metadata.csv`` (:func:`~helpers.corpus.load.read_metadata`).
Memory stays bounded by a partition: no step holds the corpus's texts.
"""

from __future__ import annotations

import logging
import operator
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from ..cluster import compute
from .boilerplate import DEFAULT_PARAMS, corpus_line_counts
from .inputs import corpus_root, list_inputs, read_inputs
from .load import clean_records, duplicate_ids, read_metadata, repeated_boilerplate, warn_unmatched_metadata
from .schema import BOILERPLATE_COLUMNS, DOC_DTYPES, SKIPPED_COLUMNS, empty_documents

log = logging.getLogger(__name__)

__all__ = ["load_corpus_dask", "PARTITION_BYTES"]

PARTITION_BYTES = 64e6  # input bytes per partition: a few partitions per worker on a laptop, bounded memory
REDUCTION_FAN_IN = 8  # counters summed per task of the tree reduction
_ID_COLUMNS = ["doc_id", "path", "record"]


def load_corpus_dask(
    path: str | Path,
    *,
    partition_bytes: float = PARTITION_BYTES,
    max_bytes: int | None = None,
    text_field: str | None = None,
    id_field: str | None = None,
    remove_boilerplate: bool = True,
    min_repeat_docs: int = DEFAULT_PARAMS.min_docs,
    progress: bool = True,
):
    """Load a corpus into a Dask DataFrame of documents, the same table :func:`helpers.corpus.load_corpus` gives.

    Inputs are grouped in file order into partitions of about ``partition_bytes`` (a Parquet/JSONL shard is
    at least one partition of its own: shard big tables). Two passes over the inputs keep memory bounded:
    pass 1 (computed now) collects ids, read-stage skips and counts of short lines per partition, reduced
    into the corpus-wide repeated-line table and the duplicate-id list; pass 2 (lazy, one task per
    partition) reads again and cleans. The result carries ``.skipped`` and ``.boilerplate`` as Dask
    DataFrames (``dask.compute(docs, docs.skipped, docs.boilerplate)`` cleans once for all three).
    Row order matches ``load_corpus``; the index restarts in each partition.
    """
    import dask
    import dask.dataframe as dd

    path = Path(path)
    root = corpus_root(path)
    files = list_inputs(path)
    if not files:
        log.warning("no input files under %s: empty documents table", path)
        docs = dd.from_pandas(empty_documents(), npartitions=1)
        docs.skipped = dd.from_pandas(_empty(SKIPPED_COLUMNS), npartitions=1)
        docs.boilerplate = dd.from_pandas(_empty(BOILERPLATE_COLUMNS), npartitions=1)
        return docs
    groups = _group_files(files, partition_bytes)
    read_kw = {"text_field": text_field, "id_field": id_field, "root": root if path.is_dir() else None}
    if max_bytes is not None:
        read_kw["max_bytes"] = max_bytes

    # Pass 1: ids, skips and line counts per partition; counters summed by a tree reduction.
    scans = [dask.delayed(_scan_partition, pure=True)(g, read_kw) for g in groups]
    getitem = dask.delayed(operator.getitem, pure=True)
    ids_parts, skipped_parts, counts = compute(
        [getitem(s, "ids") for s in scans],
        [getitem(s, "skipped") for s in scans],
        _tree([getitem(s, "counts") for s in scans], _sum_counters),
        progress=progress,
        label=f"scanning {len(files)} input file(s) in {len(groups)} partition(s)",
    )
    ids = pd.concat([p.assign(_part=i, _pos=np.arange(len(p))) for i, p in enumerate(ids_parts)], ignore_index=True)

    # Duplicate ids: load_corpus's own step, on the ids of every partition; their lines leave the counts.
    duplicate, duplicate_skips = duplicate_ids(ids)
    drops: dict[int, list[int]] = {}
    for part, pos in zip(ids.loc[duplicate, "_part"], ids.loc[duplicate, "_pos"]):
        drops.setdefault(int(part), []).append(int(pos))
    if drops:
        fixes = [dask.delayed(_dropped_counts, pure=True)(groups[p], read_kw, pos) for p, pos in drops.items()]
        for c in compute(*fixes, progress=False):
            counts.subtract(c)
    n_docs = int(len(ids) - duplicate.sum())
    repeated = repeated_boilerplate(counts, n_docs, min_repeat_docs, remove_boilerplate)
    meta = read_metadata(root)
    warn_unmatched_metadata(meta, ids["doc_id"])

    # Pass 2 (lazy): clean each partition with the corpus-wide tables.
    shared_repeated = dask.delayed(repeated, pure=True)
    shared_meta = dask.delayed(meta, pure=True)
    parts = [
        dask.delayed(_clean_partition, pure=True, nout=3)(
            g, read_kw, drops.get(i, []), shared_meta, shared_repeated, remove_boilerplate
        )
        for i, g in enumerate(groups)
    ]
    docs = dd.from_delayed([p[0] for p in parts], meta=empty_documents(), verify_meta=False)
    empty_skips = _empty(SKIPPED_COLUMNS)
    read_skips = [s for s in [*skipped_parts, duplicate_skips] if len(s)]
    read_skips = pd.concat(read_skips, ignore_index=True).astype(object) if read_skips else empty_skips
    clean_skips = dd.from_delayed([p[2] for p in parts], meta=empty_skips, verify_meta=False)
    docs.skipped = dd.concat([dd.from_pandas(read_skips, npartitions=1), clean_skips])
    docs.boilerplate = dd.from_delayed([p[1] for p in parts], meta=_empty(BOILERPLATE_COLUMNS), verify_meta=False)
    return docs


def _empty(columns: list[str]) -> pd.DataFrame:
    """A side table without rows (``line_no`` an integer, the rest objects), as Dask's ``meta``."""
    empty = pd.DataFrame({c: pd.Series([], dtype="object") for c in columns})
    return empty.astype({"line_no": "int64"}) if "line_no" in columns else empty


def _group_files(files: list[Path], partition_bytes: float) -> list[list[Path]]:
    """Consecutive files in groups of about ``partition_bytes`` (file order kept, so row order is too)."""
    groups: list[list[Path]] = []
    cur: list[Path] = []
    size = 0
    for f in files:
        try:
            s = f.stat().st_size
        except OSError:  # unreadable: read_inputs lists it as skipped; it weighs nothing here
            s = 0
        if cur and size + s > partition_bytes:
            groups.append(cur)
            cur, size = [], 0
        cur.append(f)
        size += s
    if cur:
        groups.append(cur)
    return groups


def _scan_partition(paths, read_kw) -> dict:
    """Pass 1 on one partition: ids, read-stage skips and counts of short lines (each doc counted once)."""
    raw, skipped = read_inputs(paths, **read_kw)
    return {"ids": raw[_ID_COLUMNS].astype(str), "skipped": skipped, "counts": corpus_line_counts(raw["text"])}


def _sum_counters(*counters: Counter) -> Counter:
    out: Counter = Counter()
    for c in counters:
        out.update(c)
    return out


def _tree(values: list, func, fan_in: int = REDUCTION_FAN_IN):
    """``func`` over ``values`` as a tree of delayed calls, ``fan_in`` arguments each."""
    import dask

    f = dask.delayed(func, pure=True)
    while len(values) > 1:
        values = [f(*values[i : i + fan_in]) for i in range(0, len(values), fan_in)]
    return values[0]


def _dropped_counts(paths, read_kw, drop: list[int]) -> Counter:
    """Counts of short lines of the given (dropped duplicate) rows of a partition, to subtract."""
    raw, _ = read_inputs(paths, **read_kw)
    return corpus_line_counts(raw["text"].iloc[drop])


def _clean_partition(paths, read_kw, drop, meta, repeated, remove_boilerplate):
    """Pass 2 on one partition: read again, drop duplicate ids, then load_corpus's :func:`clean_records`."""
    raw, _ = read_inputs(paths, **read_kw)
    if drop:
        raw = raw.drop(index=raw.index[drop]).reset_index(drop=True)
    docs, boiler, skipped = clean_records(raw, meta, repeated, remove_boilerplate)
    return (docs.astype(DOC_DTYPES) if len(docs) else empty_documents()), boiler, skipped
