"""Table files to raw records: JSON/JSONL lines or items, CSV/TSV and Parquet rows, one record each.

The text column is found by name (``TEXT_FIELDS``, or ``text_field``), the id column likewise (``ID_FIELDS``,
or ``id_field``; a row without an id gets ``<file stem>:<row>``), and ``title``, ``source``, ``url`` and
``published`` by their usual names (``META_FIELDS``). A record that cannot become a document (malformed line,
empty text, text over the size limit) is a row of the skipped table.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .decode import decode_bytes
from .schema import RawRecord, skip_row

__all__ = [
    "read_records",
    "read_labelled_table",
    "TEXT_FIELDS",
    "ID_FIELDS",
    "META_FIELDS",
    "JSON_SUFFIXES",
    "TABLE_SUFFIXES",
]

TEXT_FIELDS = ("text", "full_text", "body", "content", "article", "maintext", "story")
ID_FIELDS = ("doc_id", "id", "uid", "article_id", "guid")
META_FIELDS = {
    "title": ("title", "headline"),
    "source": ("source", "outlet", "site", "domain", "sitename", "publisher"),
    "url": ("url", "link", "canonical_url"),
    "published": ("published", "date", "pub_date", "publication_date", "published_at", "datetime", "timestamp"),
}
JSON_SUFFIXES = {".jsonl", ".ndjson", ".json"}
TABLE_SUFFIXES = JSON_SUFFIXES | {".csv", ".tsv", ".parquet"}
# What a CSV or Parquet reader raises on a broken file (pandas' parser errors and pyarrow's ArrowInvalid are
# ValueErrors); anything else is unexpected, logged and listed by ``read_inputs``.
_READER_ERRORS = (ValueError, OSError, csv.Error)

# A parsed table file: its rows, a label per row ("line 3"), and what was skipped on the way.
_Parsed = tuple[pd.DataFrame | None, list[str], list[dict]]


def read_records(
    path: Path, max_bytes: int, text_field: str | None = None, id_field: str | None = None
) -> tuple[list[RawRecord], list[dict]]:
    """The records of one JSON/JSONL/CSV/TSV/Parquet file, and the skipped-table rows of those it refuses."""
    parse = _parse_json if path.suffix.lower() in JSON_SUFFIXES else _parse_table
    frame, labels, skipped = parse(path)
    if frame is None:
        return [], skipped
    return _records(frame, labels, path, max_bytes, text_field, id_field, skipped)


def _parse_json(path: Path) -> _Parsed:
    """A ``.json`` file (one object or a list of them) or a ``.jsonl`` file (one object per line)."""
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_bytes().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return None, [], [skip_row(path, f"malformed JSON: {exc}")]
        items = data if isinstance(data, list) else [data]
        return _frame(items), [f"item {i + 1}" for i in range(len(items))], []
    records, labels, skipped = [], [], []
    with open(path, "rb") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                skipped.append(skip_row(path, f"malformed JSONL line: {exc}", f"line {line_no}"))
                continue
            if not isinstance(rec, dict):
                skipped.append(skip_row(path, "JSONL line is not an object", f"line {line_no}"))
                continue
            records.append(rec)
            labels.append(f"line {line_no}")
    return _frame(records), labels, skipped


def _frame(items: list) -> pd.DataFrame:
    return pd.DataFrame(items) if items else pd.DataFrame()


def _parse_table(path: Path) -> _Parsed:
    """A Parquet file, or a CSV/TSV file in whatever encoding ``decode_bytes`` recognises."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            text, enc = decode_bytes(path.read_bytes())
            if text is None:
                return None, [], [skip_row(path, enc)]
            frame = pd.read_csv(
                io.StringIO(text),
                sep="\t" if suffix == ".tsv" else ",",
                dtype=str,
                keep_default_na=False,
                on_bad_lines="warn",
                engine="python",
            )
    except _READER_ERRORS as exc:
        return None, [], [skip_row(path, f"unreadable {suffix[1:]} file: {type(exc).__name__}: {exc}")]
    first_row = 2 if suffix in {".csv", ".tsv"} else 1  # a CSV's first line is its header
    return frame, [f"row {i + first_row}" for i in range(len(frame))], []


def _pick(columns: Iterable[str], wanted: Iterable[str], override: str | None = None) -> str | None:
    """The column named ``override`` (any case), else the first of ``wanted`` present, else None."""
    cols = {str(c).lower(): c for c in columns}
    if override:
        return cols.get(override.lower())
    for name in wanted:
        if name in cols:
            return cols[name]
    return None


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def _records(frame, labels, path, max_bytes, text_field, id_field, skipped) -> tuple[list[RawRecord], list[dict]]:
    """One raw record per row of ``frame`` that has a text within the size limit."""
    if frame.empty:
        return [], skipped + [skip_row(path, "no records")]
    text_col = _pick(frame.columns, TEXT_FIELDS, text_field)
    if text_col is None:
        looked = text_field or ", ".join(TEXT_FIELDS)
        found = ", ".join(map(str, frame.columns))
        return [], skipped + [skip_row(path, f"no text column (looked for: {looked}; found: {found})")]
    id_col = _pick(frame.columns, ID_FIELDS, id_field)
    meta_cols = {k: _pick(frame.columns, v) for k, v in META_FIELDS.items()}
    raws = []
    for label, row in zip(labels, frame.to_dict("records")):  # plain dicts: a row Series per record is slow
        value = row[text_col]
        if _missing(value):
            skipped.append(skip_row(path, "empty text", label))
            continue
        text = str(value)
        if len(text.encode("utf-8", "ignore")) > max_bytes:
            skipped.append(skip_row(path, f"text over the size limit ({max_bytes:,} bytes)", label))
            continue
        rid = row[id_col] if id_col is not None else None
        has_id = rid is not None and str(rid).strip() not in {"", "nan", "None"}
        doc_id = str(rid).strip() if has_id else f"{path.stem}:{label.split()[-1]}"
        raw = RawRecord(doc_id=doc_id, text=text, path=str(path), record=label)
        for key, col in meta_cols.items():
            if col is not None and not _missing(row[col]):
                setattr(raw, key, row[col] if key == "published" else str(row[col]))
        raws.append(raw)
    return raws, skipped


def read_labelled_table(path: str | Path, required: Iterable[str]) -> pd.DataFrame:
    """A user's labelled table for refitting a model (``.jsonl`` or ``.csv``), every column as read; an error
    names the ``required`` columns it lacks."""
    path = Path(path)
    if path.suffix.lower() == ".jsonl":
        d = pd.read_json(path, lines=True, dtype=False)
    elif path.suffix.lower() == ".csv":
        d = pd.read_csv(path, dtype=str, keep_default_na=False)
    else:
        raise ValueError(f"{path}: give a .jsonl or .csv file")
    missing = set(required) - set(d.columns)
    if missing:
        raise ValueError(f"{path.name}: missing columns {sorted(missing)}; has {sorted(d.columns)}")
    return d
