"""Load a corpus into the documents table that every step shares.

``load_corpus(path)`` reads a folder of ``.txt``/``.md``/``.html`` files, a ``.jsonl``/``.csv``/``.parquet``
file, a ``.warc``/``.warc.gz`` crawl, or a folder mixing them, and returns one row per article:

``doc_id`` (unique, stable: the file name or the input's id column), ``title``, ``text`` (cleaned body),
``source``, ``url``, ``published`` (timezone-aware, UTC, or missing) and ``path``.

Nothing disappears silently: every input file or record that does not become a document is listed in
``documents.skipped`` (``path``, ``record``, ``reason``), and every line removed as boilerplate is listed in
``documents.boilerplate`` (``doc_id``, ``line_no``, ``line``, ``reason``).

Modules, in the order a load runs them: ``inputs`` (which files; text and HTML files), ``records`` (table
files) and ``warc`` (crawls) read raw records, decoded by ``decode``, HTML reduced to its main text by ``html``;
``load`` drops repeated ids and applies ``metadata.csv``; ``boilerplate`` and ``cleaning`` turn records into
documents; ``schema`` holds the tables' columns. ``dask``
runs the same steps over partitions on a Dask cluster (``load_corpus_dask``, also in ``helpers.distributed``).
"""

from .boilerplate import BoilerplateParams, boilerplate_patterns, repeated_lines
from .cleaning import clean
from .decode import decode_bytes
from .inputs import list_inputs, read_inputs
from .load import (
    apply_metadata,
    clean_records,
    duplicate_ids,
    load_corpus,
    parse_published,
    read_metadata,
    warn_unmatched_metadata,
)
from .schema import BOILERPLATE_COLUMNS, DOC_COLUMNS, SKIPPED_COLUMNS, Documents

__all__ = [
    "Documents",
    "load_corpus",
    "list_inputs",
    "read_inputs",
    "repeated_lines",
    "clean",
    "decode_bytes",
    "duplicate_ids",
    "read_metadata",
    "apply_metadata",
    "warn_unmatched_metadata",
    "clean_records",
    "parse_published",
    "boilerplate_patterns",
    "BoilerplateParams",
    "DOC_COLUMNS",
    "SKIPPED_COLUMNS",
    "BOILERPLATE_COLUMNS",
]
