"""The tables of a run folder (``tables/<name>.csv``): written by one notebook, read by a later one."""

from __future__ import annotations

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
    so the table lists every document a step could not process, by notebook; the file always exists, empty
    when nothing failed.
    """
    rows = pd.DataFrame(failures).reindex(columns=["step", "doc_id", "error"]).assign(notebook=notebook)
    old = read_table(run_dir, "failed")
    if old is not None and len(old.columns):
        rows = pd.concat([old[old["notebook"] != notebook], rows], ignore_index=True)
    return write_table(rows[["notebook", "step", "doc_id", "error"]], run_dir, "failed")
