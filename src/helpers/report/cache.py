"""The documents of a run, loaded once and kept in the run folder (``cache/``) as Parquet.

Every notebook of a run reads the same documents table without loading the corpus again. A run folder is
something people send around, so the cache holds data only: Parquet files, read back by pyarrow (never
pickle, which runs whatever code a file names). A cache file that cannot be read, or does not hold the
documents table, is rebuilt from the corpus with a warning.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import pandas as pd

from ..corpus import load_corpus
from ..corpus.schema import BOILERPLATE_COLUMNS, DOC_COLUMNS, SKIPPED_COLUMNS, Documents
from .checksum import corpus_checksum
from .waiting import DOCUMENTS, LABEL_VARIABLE, mark

log = logging.getLogger(__name__)

__all__ = [
    "load_documents",
    "load_tokens",
    "load_sentences",
    "cache_files",
    "cached_table",
    "documents_key",
    "CACHE_DIR",
]

CACHE_DIR = "cache"
LOAD_OPTIONS_FILE = "load_options.json"
_TABLES = {"documents": DOC_COLUMNS, "skipped": SKIPPED_COLUMNS, "boilerplate": BOILERPLATE_COLUMNS}


def load_documents(corpus: str | Path, run_dir: str | Path | None = None, **load_options) -> Documents:
    """The documents of ``corpus``, loaded once per run folder and cached there (keyed by checksum and
    options), so every notebook of a run reads the same table. Returns :class:`helpers.corpus.Documents`.

    The options of a load are recorded in the run folder (``cache/load_options.json``); a later call without
    options (notebooks 02-04) uses the recorded ones, so ``-p text_field body`` given to notebook 01 holds for
    the whole run. Inside a run, the documents are then marked ready for a notebook waiting for them
    (``waiting.wait_for_notebooks``)."""
    if run_dir is None:
        return load_corpus(corpus, **load_options)
    recorded = Path(run_dir) / CACHE_DIR / LOAD_OPTIONS_FILE
    if load_options:
        recorded.parent.mkdir(parents=True, exist_ok=True)
        recorded.write_text(json.dumps(_with_defaults(load_options), default=str, sort_keys=True), encoding="utf-8")
    elif recorded.is_file():
        load_options = _recorded_options(recorded)
    files = cache_files(corpus, run_dir, load_options)
    if all(f.is_file() for f in files.values()):
        cached = _read_cache(files)
        if cached is not None:
            _mark_loaded(run_dir)
            return cached
    docs = load_corpus(corpus, **load_options)
    _write_cache(docs, files)
    _mark_loaded(run_dir)
    return docs


def _mark_loaded(run_dir: str | Path) -> None:
    if os.environ.get(LABEL_VARIABLE):  # a notebook of a run
        mark(run_dir, DOCUMENTS)


def cache_files(corpus: str | Path, run_dir: str | Path, load_options: dict) -> dict[str, Path]:
    """The Parquet files that cache the documents, skipped and boilerplate tables of ``corpus`` loaded with
    ``load_options`` (the name carries a key of the input checksum and the options)."""
    key_source = json.dumps([corpus_checksum(corpus), sorted(_with_defaults(load_options).items())], default=str)
    key = hashlib.sha256(key_source.encode()).hexdigest()[:16]
    return {name: Path(run_dir) / CACHE_DIR / f"{name}-{key}.parquet" for name in _TABLES}


def _load_defaults() -> dict:
    import inspect

    params = inspect.signature(load_corpus).parameters.items()
    return {name: p.default for name, p in params if p.kind is p.KEYWORD_ONLY and name != "show_progress"}


_LOAD_DEFAULTS = _load_defaults()


def _recorded_options(path: Path) -> dict:
    """The load options another notebook of this run recorded; only names :func:`load_corpus` takes, and an
    unreadable file means the defaults (with a warning)."""
    try:
        options = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("%s unreadable (%s); loading with the default options", path, exc)
        return {}
    if not isinstance(options, dict):
        log.warning("%s holds no options; loading with the default options", path)
        return {}
    unknown = sorted(set(options) - set(_LOAD_DEFAULTS))
    if unknown:
        log.warning("%s: options load_corpus does not take are left out: %s", path, ", ".join(unknown))
    return {k: v for k, v in options.items() if k in _LOAD_DEFAULTS}


def _with_defaults(load_options: dict) -> dict:
    """``load_options`` with every other option of :func:`load_corpus` at its default: notebook 01 passes its
    defaults explicitly, the later notebooks pass none, and both must find the same cache."""
    return {**_LOAD_DEFAULTS, **{k: v for k, v in load_options.items() if k != "show_progress"}}


def _read_cache(files: dict[str, Path]) -> Documents | None:
    try:
        tables = {name: pd.read_parquet(path) for name, path in files.items()}
    except (OSError, ValueError) as exc:  # a truncated or foreign file (pyarrow's ArrowInvalid is a ValueError)
        log.warning("documents cache in %s unreadable (%s); loading the corpus again", files["documents"].parent, exc)
        return None
    wrong = [name for name, columns in _TABLES.items() if list(tables[name].columns) != columns]
    if wrong:
        log.warning("documents cache holds other tables (%s); loading the corpus again", ", ".join(wrong))
        return None
    docs = Documents(tables["documents"])
    docs.skipped = tables["skipped"]
    docs.boilerplate = tables["boilerplate"]
    return docs


def _write_cache(docs: Documents, files: dict[str, Path]) -> None:
    """Each table to a temporary file of this process, then renamed: a reader never sees half a file."""
    next(iter(files.values())).parent.mkdir(parents=True, exist_ok=True)
    tables = {"documents": pd.DataFrame(docs), "skipped": docs.skipped, "boilerplate": docs.boilerplate}
    for name, path in files.items():
        partial = _partial_path(path)
        tables[name].to_parquet(partial)
        os.replace(partial, path)


def _partial_path(path: Path) -> Path:
    """Where this process writes ``path`` before renaming it: its own file, so that two notebooks building the same
    cache at once (``run_pipeline(jobs=2)`` when notebook 01 did not make it) never write into one file."""
    return path.with_name(f"{path.name}.{os.getpid()}.partial")


def cached_table(run_dir: str | Path | None, name: str, key: object, build) -> pd.DataFrame:
    """``build()``, computed once per run folder and kept as ``cache/<name>-<hash of key>.parquet``.

    For tables several notebooks need (tokens, sentences): the first notebook builds it, the others read it.
    ``key`` is anything JSON can write that changes whenever the table would (for example the documents'
    checksum and the options). Without ``run_dir`` nothing is cached. An unreadable cache file is rebuilt.
    """
    if run_dir is None:
        return build()
    digest = hashlib.sha256(json.dumps([name, key], default=str, sort_keys=True).encode()).hexdigest()[:16]
    path = Path(run_dir) / CACHE_DIR / f"{name}-{digest}.parquet"
    if path.is_file():
        try:
            return pd.read_parquet(path)
        except (OSError, ValueError) as exc:
            log.warning("cache %s unreadable (%s); building it again", path.name, exc)
    table = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial_path(path)
    table.to_parquet(partial)
    os.replace(partial, path)
    return table


def documents_key(docs: pd.DataFrame) -> str:
    """A checksum of a documents table's ids and texts: the cache key of tables derived from them."""
    h = hashlib.sha256()
    for doc_id, text in zip(docs["doc_id"].astype(str), docs["text"].fillna("").astype(str)):
        h.update(doc_id.encode("utf-8", "surrogatepass") + b"\0" + text.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def load_tokens(docs: pd.DataFrame, run_dir: str | Path | None = None, failures: list | None = None) -> pd.DataFrame:
    """:func:`helpers.tokenise.tokens` of ``docs``, tokenised once per run and read back by every notebook (the
    sentence table made in the same pass is cached too). With ``failures``, a document that cannot be tokenised
    is listed there and left out (when the table is built)."""
    from ..tokenise import sentences_and_tokens

    key = documents_key(docs)
    made: dict[str, pd.DataFrame] = {}

    def build() -> pd.DataFrame:
        made["sentences"], toks = sentences_and_tokens(docs, failures=failures)
        return toks

    toks = cached_table(run_dir, "tokens", key, build)
    if "sentences" in made:
        cached_table(run_dir, "sentences", key, lambda: made["sentences"])
    return toks


def load_sentences(docs: pd.DataFrame, run_dir: str | Path | None = None, failures: list | None = None) -> pd.DataFrame:
    """:func:`helpers.tokenise.sentences` of ``docs``, split once per run and read back by every notebook.
    ``failures``: as in :func:`load_tokens`."""
    from ..tokenise import sentences

    return cached_table(run_dir, "sentences", documents_key(docs), lambda: sentences(docs, failures=failures))
