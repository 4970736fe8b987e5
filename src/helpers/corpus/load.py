"""``load_corpus``: a corpus path to the documents table, and the steps the Dask loader shares with it.

The steps, in order: list and read the inputs (:mod:`helpers.corpus.inputs`), drop repeated ids
(:func:`duplicate_ids`), count the short lines repeated across the corpus (:func:`repeated_boilerplate`), then
per batch of records (:func:`clean_records`): apply ``metadata.csv`` (:func:`apply_metadata`), clean the text and
remove boilerplate (:func:`helpers.corpus.clean`) and parse publication dates (:func:`parse_published`).
:func:`helpers.corpus.dask.load_corpus_dask` runs the same steps over partitions.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from .boilerplate import DEFAULT_PARAMS, corpus_line_counts, keep_repeated
from .cleaning import clean
from .inputs import DEFAULT_MAX_BYTES, METADATA_NAME, corpus_root, list_inputs, read_inputs
from .schema import SKIPPED_COLUMNS, UNEXPECTED, Documents, concat_skipped

log = logging.getLogger(__name__)

__all__ = [
    "load_corpus",
    "duplicate_ids",
    "read_metadata",
    "apply_metadata",
    "warn_unmatched_metadata",
    "repeated_boilerplate",
    "clean_records",
    "parse_published",
    "METADATA_COLUMNS",
]

METADATA_COLUMNS = ("title", "source", "url", "published")  # what metadata.csv may supply, by doc_id


def load_corpus(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    text_field: str | None = None,
    id_field: str | None = None,
    remove_boilerplate: bool = True,
    min_repeat_docs: int = DEFAULT_PARAMS.min_docs,
    show_progress: bool = False,
) -> Documents:
    """Load a corpus (folder or file) into the documents table; see :mod:`helpers.corpus`.

    ``metadata.csv`` beside text files supplies ``source``, ``url``, ``published`` and ``title`` by
    ``doc_id`` (its non-empty values win over what the files say). Duplicate ``doc_id``s are skipped after
    the first, with the reason naming the first.
    """
    path = Path(path)
    root = corpus_root(path)
    files = list_inputs(path)
    if show_progress:
        from tqdm.auto import tqdm

        files = tqdm(files, desc="reading", unit="file")
    raw, read_skips = read_inputs(
        files, max_bytes=max_bytes, text_field=text_field, id_field=id_field, root=root if path.is_dir() else None
    )
    duplicate, duplicate_skips = duplicate_ids(raw)
    raw = raw[~duplicate].reset_index(drop=True)
    meta = read_metadata(root)
    if len(raw):
        warn_unmatched_metadata(meta, raw["doc_id"])
    counts = corpus_line_counts(raw["text"]) if remove_boilerplate else Counter()
    repeated = repeated_boilerplate(counts, len(raw), min_repeat_docs, remove_boilerplate)
    docs, boiler, clean_skips = clean_records(raw, meta, repeated, remove_boilerplate)
    out = Documents(docs.reset_index(drop=True))
    out.skipped = concat_skipped([read_skips, duplicate_skips, clean_skips])
    out.boilerplate = boiler
    _log_skipped(out.skipped)
    return out


def _log_skipped(skipped: pd.DataFrame) -> None:
    if len(skipped):
        log.warning("%d input(s) skipped; see documents.skipped", len(skipped))
    unexpected = int(skipped["reason"].str.startswith(UNEXPECTED).sum()) if len(skipped) else 0
    if unexpected:
        log.error("%d input(s) lost to unexpected errors (tracebacks logged above; see documents.skipped)", unexpected)


def duplicate_ids(records: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Which rows of ``records`` (``doc_id``, ``path``, ``record``, in input order) repeat an earlier row's id,
    and their skipped-table rows, each naming where the first one came from. The first of each id is kept."""
    duplicate = records["doc_id"].duplicated(keep="first").to_numpy()
    if not duplicate.any():
        return duplicate, pd.DataFrame(columns=SKIPPED_COLUMNS)
    first_path = records.drop_duplicates("doc_id").set_index("doc_id")["path"]
    repeats = records[duplicate]
    skipped = pd.DataFrame(
        {
            "path": repeats["path"].astype(str).to_numpy(),
            "record": repeats["record"].astype(str).to_numpy(),
            "reason": [f"duplicate doc_id '{i}' (first in {first_path[i]})" for i in repeats["doc_id"]],
        },
        columns=SKIPPED_COLUMNS,
    )
    return duplicate, skipped


def read_metadata(folder: str | Path) -> pd.DataFrame | None:
    """``metadata.csv`` of ``folder`` indexed by ``doc_id`` (the first row of an id wins), or None when absent.
    A metadata.csv without a ``doc_id`` column is an error."""
    meta_path = Path(folder) / METADATA_NAME
    if not meta_path.is_file():
        return None
    meta = pd.read_csv(meta_path, dtype=str, keep_default_na=False)
    if "doc_id" not in meta.columns:
        raise ValueError(f"{meta_path}: metadata.csv needs a doc_id column")
    return meta.drop_duplicates("doc_id").set_index("doc_id")


def apply_metadata(raw: pd.DataFrame, meta: pd.DataFrame | None) -> pd.DataFrame:
    """``raw`` with the non-empty ``metadata.csv`` values of its ids written over its own (in place)."""
    if meta is None or raw.empty:
        return raw
    for col in METADATA_COLUMNS:
        if col in meta.columns:
            values = raw["doc_id"].map(meta[col])
            has = values.notna() & (values.astype(str).str.strip() != "")
            raw.loc[has, col] = values[has]
    return raw


def warn_unmatched_metadata(meta: pd.DataFrame | None, doc_ids: Iterable[str]) -> list[str]:
    """The ids of ``metadata.csv`` that name no document, logged as a warning."""
    if meta is None:
        return []
    unknown = sorted(set(meta.index) - set(doc_ids))
    if unknown:
        log.warning("metadata.csv names %d doc_id(s) with no document: %s", len(unknown), ", ".join(unknown[:10]))
    return unknown


def repeated_boilerplate(counts: Counter, n_docs: int, min_docs: int, remove_boilerplate: bool = True) -> Counter:
    """The repeated lines to remove, from the corpus's short-line ``counts`` over ``n_docs`` documents: those in
    at least ``min_docs`` documents; none when boilerplate removal is off or the corpus is smaller than that."""
    if not remove_boilerplate or n_docs < min_docs:
        return Counter()
    return keep_repeated(counts, min_docs)


def clean_records(
    raw: pd.DataFrame, meta: pd.DataFrame | None, repeated: Counter, remove_boilerplate: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A batch of raw records with unique ids to ``(documents, boilerplate, skipped)``: ``metadata.csv`` applied,
    text cleaned and boilerplate removed, publication dates parsed (an unparseable one is logged and left
    missing)."""
    docs, boiler, skipped = clean(apply_metadata(raw, meta), repeated=repeated, remove_boilerplate=remove_boilerplate)
    docs["published"], bad = parse_published(docs["published"])
    for i in bad:
        log.warning("unparseable publication date for %s; left missing", docs["doc_id"].iloc[i])
    return docs, boiler, skipped


def parse_published(values: pd.Series) -> tuple[pd.Series, list[int]]:
    """Timezone-aware UTC timestamps; naive values are taken as UTC. Returns the series and bad positions."""
    out = []
    bad = []
    for i, v in enumerate(values):
        if v is None or (isinstance(v, float) and pd.isna(v)) or (isinstance(v, str) and not v.strip()):
            out.append(pd.NaT)
            continue
        try:
            ts = pd.Timestamp(v)
            if not pd.isna(ts):
                ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
        except (ValueError, TypeError, OverflowError):
            ts = pd.NaT
            bad.append(i)
        out.append(ts)
    return pd.Series(pd.to_datetime(out, utc=True), index=values.index).astype("datetime64[ns, UTC]"), bad
