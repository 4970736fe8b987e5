"""Input files: which files under a corpus path are inputs, and reading them into raw records.

Text and HTML files become one record each (HTML reduced to its main text by trafilatura); table files
(JSON/JSONL/CSV/TSV/Parquet) one record per row (:mod:`helpers.corpus.records`); WARC files one record per HTML
page (:mod:`helpers.corpus.warc`). Whatever does not become a
record is a row of the skipped table with its reason; an error nobody planned for is logged with its
traceback and listed too, so one broken input never stops a load.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .decode import decode_bytes
from .html import html_main_text
from .records import TABLE_SUFFIXES, read_records
from .schema import RAW_COLUMNS, SKIPPED_COLUMNS, RawRecord, skip_row, unexpected_reason
from .warc import is_warc, read_warc

log = logging.getLogger(__name__)

__all__ = [
    "list_inputs",
    "read_inputs",
    "corpus_root",
    "TEXT_SUFFIXES",
    "HTML_SUFFIXES",
    "TABLE_SUFFIXES",
    "METADATA_NAME",
    "PARAMS_NAME",
    "IGNORED_NAMES",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_TABLE_BYTES",
]

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
METADATA_NAME = "metadata.csv"
PARAMS_NAME = "params.yaml"  # a corpus's run parameters, kept beside its files (python -m helpers run --params)
IGNORED_NAMES = {METADATA_NAME, PARAMS_NAME, "readme.md", "readme.txt", "license", "license.txt", ".ds_store"}
# Size limits, set with the first loader (b73f643) as bounds no news article reaches: a 20 MB article is a
# mis-exported archive, and a table file is read whole into memory (shard anything bigger for the Dask path).
DEFAULT_MAX_BYTES = 20_000_000  # one document (a text or HTML file, or one record's text)
DEFAULT_MAX_TABLE_BYTES = 4_000_000_000  # one JSONL/CSV/Parquet file


def corpus_root(path: str | Path) -> Path:
    """The folder of a corpus: the path itself for a folder, else the file's folder (where metadata.csv is)."""
    path = Path(path)
    return path if path.is_dir() else path.parent


def list_inputs(path: str | Path) -> list[Path]:
    """Input files under ``path`` (a file or a folder, searched recursively), sorted, metadata excluded."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"corpus not found: {path}")
    files = [
        p
        for p in path.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(path).parts)
        and p.name.lower() not in IGNORED_NAMES
    ]
    return sorted(files)


def read_inputs(
    paths: Iterable[Path],
    max_bytes: int = DEFAULT_MAX_BYTES,
    text_field: str | None = None,
    id_field: str | None = None,
    root: Path | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read input files into raw records (decoded, not yet cleaned) and a skipped table.

    Raw columns: ``doc_id``, ``text``, ``path``, ``record``, ``title``, ``source``, ``url``, ``published``,
    ``from_html``. Text and HTML files become one record each, with ``doc_id`` from the file name
    (relative path without suffix when files in different folders share a name).
    """
    raws: list[RawRecord] = []
    skipped: list[dict] = []
    for path in map(Path, paths):
        try:
            got, refused = _read_input(path, max_bytes, text_field, id_field, root)
        except Exception as exc:
            log.exception("unexpected error reading %s; listed in the skipped table", path)
            got, refused = [], [skip_row(path, unexpected_reason("reading", exc))]
        raws += got
        skipped += refused
    frame = pd.DataFrame([vars(r) for r in raws], columns=RAW_COLUMNS)
    return frame, pd.DataFrame(skipped, columns=SKIPPED_COLUMNS)


def _read_input(path: Path, max_bytes, text_field, id_field, root) -> tuple[list[RawRecord], list[dict]]:
    """The records of one input file and the skipped-table rows of what it refuses."""
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        if is_warc(path):  # read record by record: a crawl file may be far larger than any one document
            return read_warc(path, max_bytes)
        if suffix in TABLE_SUFFIXES:
            if size > DEFAULT_MAX_TABLE_BYTES:
                return [], [skip_row(path, f"file over the size limit ({DEFAULT_MAX_TABLE_BYTES:,} bytes)")]
            return read_records(path, max_bytes, text_field, id_field)
        if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
            return [], [skip_row(path, f"unsupported file type '{suffix or path.name}'")]
        if size == 0:
            return [], [skip_row(path, "empty file")]
        if size > max_bytes:
            return [], [skip_row(path, f"file over the size limit ({size:,} > {max_bytes:,} bytes)")]
        data = path.read_bytes()
    except OSError as exc:
        return [], [skip_row(path, f"unreadable: {exc}")]
    text, enc = decode_bytes(data)
    if text is None:
        return [], [skip_row(path, enc)]
    raw = RawRecord(doc_id=_file_doc_id(path, root), text=text, path=str(path))
    if suffix in HTML_SUFFIXES:
        return html_main_text(raw)
    return [raw], []


def _file_doc_id(path: Path, root: Path | None) -> str:
    """The file name without suffix; under ``root``, the relative path when the file is in a sub-folder."""
    if root is None:
        return path.stem
    rel = path.relative_to(root).with_suffix("")
    return rel.as_posix() if len(rel.parts) > 1 else rel.name
