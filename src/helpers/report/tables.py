"""The tables of a run folder (``tables/<name>.csv``): written by one notebook, read by a later one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

__all__ = ["write_table", "read_table", "table_path", "append_failures"]


def table_path(run_dir: str | Path, name: str) -> Path:
    """Where the table ``name`` of a run lives."""
    return Path(run_dir) / "tables" / f"{name}.csv"


def write_table(df: pd.DataFrame, run_dir: str | Path, name: str, index: bool = False) -> Path:
    """Write ``df`` to ``run_dir/tables/<name>.csv`` (UTF-8) and return the path."""
    path = table_path(run_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(df).to_csv(path, index=index)
    return path


def read_table(run_dir: str | Path, name: str) -> pd.DataFrame | None:
    """An earlier notebook's table of this run, or None when it was not written."""
    path = table_path(run_dir, name)
    if not path.is_file():
        return None
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def append_failures(failures: pd.DataFrame, run_dir: str | Path, notebook: str) -> Path:
    """Add a step's per-document failures (``step, doc_id, error``) to the run's ``tables/failed.csv``.

    Every notebook appends its own rows (replacing the rows it wrote in an earlier run of the same notebook),
    so the table lists every document a step could not process, by notebook (rows in notebook-name order, which
    is the run's order, whichever notebook finished first); the file always exists, empty when nothing failed.
    Notebooks running at the same time (``run_pipeline(jobs=2)``) take turns: the read, merge and write happen
    under an exclusive lock (``tables/.failed.csv.lock``), and the new file replaces the old one whole.
    """
    rows = pd.DataFrame(failures).reindex(columns=["step", "doc_id", "error"]).assign(notebook=notebook)
    path = table_path(run_dir, "failed")
    path.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(path.with_name(f".{path.name}.lock")):
        old = read_table(run_dir, "failed")
        if old is not None and len(old.columns):
            rows = pd.concat([old[old["notebook"] != notebook], rows], ignore_index=True)
        rows = rows.sort_values("notebook", kind="stable")[["notebook", "step", "doc_id", "error"]]
        partial = tempfile.NamedTemporaryFile(dir=path.parent, prefix=".failed-", suffix=".csv", delete=False)
        partial.close()
        rows.to_csv(partial.name, index=False)
        os.replace(partial.name, path)
    return path


@contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (created if missing) for the block: other processes wait. The
    operating system releases it should the holder die."""
    with open(lock_path, "a+b") as handle:
        if os.name == "nt":  # pragma: no cover - no Windows runner in CI
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
