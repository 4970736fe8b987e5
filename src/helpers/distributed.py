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
import operator
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from .cluster import cluster, compute, current_client
from .neardup.lexical_dask import (
    as_dask,
    candidate_pairs_dask,
    components_from_pairs,
    near_duplicate_families_dask,
    near_duplicate_pairs_dask,
    verify_candidates_dask,
)

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


# ============================================================================================ loading
DOC_DTYPES = {
    "doc_id": "str",
    "title": "str",
    "text": "str",
    "source": "str",
    "url": "str",
    "published": "datetime64[ns, UTC]",
    "path": "str",
}


def _empty_documents() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in DOC_DTYPES.items()})


def _group_files(files: list[Path], partition_bytes: float) -> list[list[Path]]:
    groups: list[list[Path]] = []
    cur: list[Path] = []
    size = 0
    for f in files:
        try:
            s = f.stat().st_size
        except OSError:
            s = 0
        if cur and size + s > partition_bytes:
            groups.append(cur)
            cur, size = [], 0
        cur.append(f)
        size += s
    if cur:
        groups.append(cur)
    return groups


def _scan_partition(paths, root, read_kw) -> dict:
    """Pass 1 on one partition: ids, read-stage skips and counts of short lines (each doc counted once)."""
    from .corpus import normalise_text, read_inputs, repeated_lines

    raw, skipped = read_inputs(paths, root=root, **read_kw)
    counts = repeated_lines(raw["text"].map(normalise_text), min_docs=1) if len(raw) else Counter()
    ids = (
        raw[["doc_id", "path", "record"]].astype(str)
        if len(raw)
        else pd.DataFrame(columns=["doc_id", "path", "record"], dtype=str)
    )
    return {"ids": ids, "skipped": skipped, "counts": counts}


def _sum_counters(*counters: Counter) -> Counter:
    out: Counter = Counter()
    for c in counters:
        out.update(c)
    return out


def _dropped_counts(paths, root, read_kw, drop: list[int]) -> Counter:
    """Counts of short lines of the given (dropped duplicate) rows of a partition, to subtract."""
    from .corpus import normalise_text, read_inputs, repeated_lines

    raw, _ = read_inputs(paths, root=root, **read_kw)
    return repeated_lines(raw["text"].iloc[drop].map(normalise_text), min_docs=1)


def _clean_partition(paths, root, read_kw, drop, meta, repeated, remove_boilerplate):
    """Pass 2 on one partition: read again, drop duplicate ids, apply metadata.csv, clean, parse dates."""
    from .corpus import _parse_published, clean, read_inputs  # noqa: PLC2701 - same parsing as load_corpus

    raw, _ = read_inputs(paths, root=root, **read_kw)
    if drop:
        raw = raw.drop(index=raw.index[drop]).reset_index(drop=True)
    if meta is not None and len(raw):
        for col in ("title", "source", "url", "published"):
            if col in meta.columns:
                values = raw["doc_id"].map(meta[col])
                has = values.notna() & (values.astype(str).str.strip() != "")
                raw.loc[has, col] = values[has]
    docs, boiler, skipped = clean(raw, repeated=repeated, remove_boilerplate=remove_boilerplate)
    if len(docs):
        docs["published"], bad = _parse_published(docs["published"])
        for i in bad:
            log.warning("unparseable publication date for %s; left missing", docs["doc_id"].iloc[i])
        docs = docs.astype(DOC_DTYPES)
    else:
        docs = _empty_documents()
    return docs, boiler, skipped


def _tree(values: list, func, fan_in: int = 8):
    import dask

    f = dask.delayed(func, pure=True)
    while len(values) > 1:
        values = [f(*values[i : i + fan_in]) for i in range(0, len(values), fan_in)]
    return values[0]


def load_corpus_dask(
    path: str | Path,
    *,
    partition_bytes: float = 64e6,
    max_bytes: int | None = None,
    text_field: str | None = None,
    id_field: str | None = None,
    remove_boilerplate: bool = True,
    min_repeat_docs: int = 3,
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

    from . import corpus as C

    path = Path(path)
    root = path if path.is_dir() else path.parent
    files = C.list_inputs(path)
    if not files:
        log.warning("no input files under %s: empty documents table", path)
        docs = dd.from_pandas(_empty_documents(), npartitions=1)
        docs.skipped = dd.from_pandas(pd.DataFrame(columns=C.SKIPPED_COLUMNS, dtype=object), npartitions=1)
        docs.boilerplate = dd.from_pandas(pd.DataFrame(columns=C.BOILERPLATE_COLUMNS, dtype=object), npartitions=1)
        return docs
    groups = _group_files(files, partition_bytes)
    read_kw = {"text_field": text_field, "id_field": id_field}
    if max_bytes is not None:
        read_kw["max_bytes"] = max_bytes
    rkw = {"root": root if path.is_dir() else None, "read_kw": read_kw}

    # Pass 1: ids, skips and line counts per partition; counters summed by a tree reduction.
    scans = [dask.delayed(_scan_partition, pure=True)(g, rkw["root"], read_kw) for g in groups]
    getitem = dask.delayed(operator.getitem, pure=True)
    total = _tree([getitem(s, "counts") for s in scans], _sum_counters)
    ids_parts, skipped_parts, counts = compute(
        [getitem(s, "ids") for s in scans],
        [getitem(s, "skipped") for s in scans],
        total,
        progress=progress,
        label=f"scanning {len(files)} input file(s) in {len(groups)} partition(s)",
    )
    ids = pd.concat([p.assign(_part=i, _pos=np.arange(len(p))) for i, p in enumerate(ids_parts)], ignore_index=True)
    skipped = [s for s in skipped_parts if len(s)]

    # Duplicate ids: keep the first in file order, list the rest (as load_corpus does).
    drops: dict[int, list[int]] = {}
    if len(ids):
        dup = ids["doc_id"].duplicated(keep="first").to_numpy()
        if dup.any():
            first_path = ids.drop_duplicates("doc_id").set_index("doc_id")["path"]
            d = ids[dup]
            skipped.append(
                pd.DataFrame(
                    {
                        "path": d["path"].to_numpy(),
                        "record": d["record"].to_numpy(),
                        "reason": [f"duplicate doc_id '{i}' (first in {first_path[i]})" for i in d["doc_id"]],
                    },
                    columns=C.SKIPPED_COLUMNS,
                )
            )
            for part, pos in zip(d["_part"], d["_pos"]):
                drops.setdefault(int(part), []).append(int(pos))
            fixes = [
                dask.delayed(_dropped_counts, pure=True)(groups[p], rkw["root"], read_kw, pos)
                for p, pos in drops.items()
            ]
            for c in compute(*fixes, progress=False):
                counts.subtract(c)
    n_docs = int(len(ids) - sum(len(v) for v in drops.values()))
    if remove_boilerplate and n_docs >= min_repeat_docs:
        repeated = Counter({k: n for k, n in counts.items() if n >= min_repeat_docs})
    else:
        repeated = Counter()
    meta_table = C._read_metadata(root)  # noqa: SLF001 - the same metadata.csv rules as load_corpus
    if meta_table is not None:
        meta_table = meta_table.drop_duplicates("doc_id").set_index("doc_id")
        unknown = sorted(set(meta_table.index) - set(ids["doc_id"]))
        if unknown:
            log.warning("metadata.csv names %d doc_id(s) with no document: %s", len(unknown), ", ".join(unknown[:10]))

    # Pass 2 (lazy): clean each partition with the corpus-wide tables.
    shared_rep = dask.delayed(repeated, pure=True)
    shared_meta = dask.delayed(meta_table, pure=True)
    parts = [
        dask.delayed(_clean_partition, pure=True, nout=3)(
            g, rkw["root"], read_kw, drops.get(i, []), shared_meta, shared_rep, remove_boilerplate
        )
        for i, g in enumerate(groups)
    ]
    docs = dd.from_delayed([p[0] for p in parts], meta=_empty_documents(), verify_meta=False)
    empty_boiler = pd.DataFrame({c: pd.Series([], dtype="object") for c in C.BOILERPLATE_COLUMNS}).astype(
        {"line_no": "int64"}
    )
    empty_skip = pd.DataFrame({c: pd.Series([], dtype="object") for c in C.SKIPPED_COLUMNS})
    boiler = dd.from_delayed([p[1] for p in parts], meta=empty_boiler, verify_meta=False)
    clean_skips = dd.from_delayed([p[2] for p in parts], meta=empty_skip, verify_meta=False)
    read_skips = pd.concat(skipped, ignore_index=True).astype(object) if skipped else empty_skip
    docs.skipped = dd.concat([dd.from_pandas(read_skips, npartitions=1), clean_skips])
    docs.boilerplate = boiler
    return docs
