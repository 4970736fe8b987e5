"""The tables of a run folder (``tables/<name>.csv``): written by one notebook, read by a later one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["write_table", "read_table", "table_path"]


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
