"""Rewrite the sample's expected tables (tests/snapshots/sample/*.csv) from a run folder.

    python scripts/update_snapshots.py reports/sample

Run it only after reading the diff of what changed: the snapshot test exists so that every change in the
sample's results is a reviewed change (``git diff tests/snapshots``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from snapshot import SNAPSHOT_DIR, normalised_table  # noqa: E402


def main(run_dir: str) -> int:
    tables = sorted((Path(run_dir) / "tables").glob("*.csv"))
    if not tables:
        print(f"no tables in {run_dir}/tables", file=sys.stderr)
        return 2
    SNAPSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for old in SNAPSHOT_DIR.glob("*.csv"):
        old.unlink()
    for path in tables:
        (SNAPSHOT_DIR / path.name).write_text(normalised_table(path, Path(run_dir)), encoding="utf-8")
    print(f"{len(tables)} tables written to {SNAPSHOT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "reports/sample"))
