"""The sample's tables against hand-checked expected CSVs, so that every change in results is a reviewed diff.

After an intended change: ``python scripts/update_snapshots.py reports/sample`` (after ``make report``), read
``git diff tests/snapshots``, and commit the new expected tables with the change that made them.
"""

import difflib

import pytest
from snapshot import SNAPSHOT_DIR, normalised_table

pytestmark = pytest.mark.slow

EXPECTED = sorted(p.name for p in SNAPSHOT_DIR.glob("*.csv"))


def test_snapshots_exist():
    assert len(EXPECTED) >= 20, "tests/snapshots/sample is missing: run scripts/update_snapshots.py"


def test_the_run_writes_exactly_the_expected_tables(sample_run):
    out, proc = sample_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(p.name for p in (out / "tables").glob("*.csv")) == EXPECTED


@pytest.mark.parametrize("name", EXPECTED)
def test_sample_table_matches_its_snapshot(sample_run, name):
    out, _ = sample_run
    got = normalised_table(out / "tables" / name, out)
    want = (SNAPSHOT_DIR / name).read_text(encoding="utf-8")
    if got != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "expected", "got", n=1))
        pytest.fail(f"{name} differs from its snapshot (scripts/update_snapshots.py after review):\n{diff[:6000]}")
