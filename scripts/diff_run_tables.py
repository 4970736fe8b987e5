"""Compare the tables of two run folders: every ``tables/*.csv`` byte for byte, and for a table that differs, which
columns differ and how many rows (for checking that a change meant to keep results, such as a speed-up, does).

    python scripts/diff_run_tables.py RUN_BEFORE RUN_AFTER

Either argument may also be a folder of CSV files. Exit status 0 when every table is identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd


def _tables(folder: Path) -> Path:
    return folder / "tables" if (folder / "tables").is_dir() else folder


def _column_report(a: pd.DataFrame, b: pd.DataFrame) -> list[str]:
    if a.shape != b.shape or list(a.columns) != list(b.columns):
        return [f"  shape {a.shape} vs {b.shape}; columns {list(a.columns)} vs {list(b.columns)}"]
    lines = []
    for c in a.columns:
        differ = ~((a[c] == b[c]) | (a[c].isna() & b[c].isna()))
        if differ.any():
            first = int(differ.to_numpy().nonzero()[0][0])
            lines.append(
                f"  {c}: {int(differ.sum())} rows differ (first at row {first}: {a[c].iloc[first]!r} vs "
                f"{b[c].iloc[first]!r})"
            )
    return lines


def compare(before: Path, after: Path) -> list[str]:
    """One line per table (and per differing column); the last line says whether all are identical."""
    ta, tb = _tables(before), _tables(after)
    names = sorted({p.name for p in ta.glob("*.csv")} | {p.name for p in tb.glob("*.csv")})
    lines, differing = [], 0
    for name in names:
        pa, pb = ta / name, tb / name
        if not pa.exists() or not pb.exists():
            differing += 1
            lines.append(f"{name}: only in {before if pa.exists() else after}")
        elif pa.read_bytes() == pb.read_bytes():
            lines.append(f"{name}: identical")
        else:
            differing += 1
            lines.append(f"{name}: differs")
            lines += _column_report(pd.read_csv(pa), pd.read_csv(pb))
    lines.append(f"{len(names)} tables, all identical" if not differing else f"{differing} of {len(names)} differ")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    args = ap.parse_args(argv)
    lines = compare(args.before, args.after)
    print("\n".join(lines))
    return 0 if lines[-1].endswith("all identical") else 1


if __name__ == "__main__":
    sys.exit(main())
