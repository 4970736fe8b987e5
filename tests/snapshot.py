"""The sample's tables in a comparable form: run-specific paths removed, floats rounded to 4 places."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT_DIR = ROOT / "tests" / "snapshots" / "sample"
PATH_COLUMNS = ("path",)  # absolute input paths differ between checkouts


def normalised_table(path: Path, run_dir: Path) -> str:
    """CSV text of one run table: path columns made relative to the checkout, floats to 4 decimals."""
    df = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype=str)
    for col in PATH_COLUMNS:
        if col in df.columns:
            df[col] = df[col].fillna("").map(lambda p: Path(p).name if p else "")
    for col in df.columns:
        as_num = pd.to_numeric(df[col], errors="coerce")
        floats = df[col].notna() & df[col].str.contains(r"^-?\d+\.\d+(?:e-?\d+)?$", regex=True, na=False)
        if floats.any() and as_num[df[col].notna()].notna().all():
            df[col] = as_num.round(4).map(lambda v: "" if pd.isna(v) else f"{v:.4f}")
    return df.to_csv(index=False, lineterminator="\n")
