"""The whole pipeline on the bundled sample, through the command line, as `make report` runs it."""

import json

import pandas as pd
import pytest

from helpers.report import NOTEBOOKS

pytestmark = pytest.mark.slow

EXPECTED_TABLES = {
    "documents",
    "skipped",
    "boilerplate",  # 01 corpus
    "pairs",
    "families",
    "passages",
    "added_content",  # 02 near-duplicates
    "timexes",
    "events",
    "key_dates",
    "conflicts",  # 03 timelines
    "framing",
    "keyness",
    "framing_shift",  # 04 framing
}


def test_cli_run_succeeds_and_writes_the_run_folder(sample_run):
    out, proc = sample_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "done in" in proc.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "ok"
    assert [nb["name"] for nb in manifest["notebooks"]] == NOTEBOOKS
    assert all(nb["status"] == "ok" and nb["seconds"] > 0 for nb in manifest["notebooks"])
    assert manifest["parameters"] == {"reference_date": "2024-12-06"}
    for name in NOTEBOOKS:
        assert (out / f"{name}.html").is_file()
        assert (out / "notebooks" / f"{name}.ipynb").is_file()
    assert (out / "index.html").is_file()
    tables = {p.stem for p in (out / "tables").glob("*.csv")}
    assert EXPECTED_TABLES <= tables, EXPECTED_TABLES - tables


def test_core_tables_follow_the_contract(sample_run):
    out, _ = sample_run
    docs = pd.read_csv(out / "tables" / "documents.csv")
    assert {"doc_id", "title", "source", "url", "published", "path"} <= set(docs.columns)
    assert len(docs) == 5
    skipped = pd.read_csv(out / "tables" / "skipped.csv")
    assert {"path", "reason"} <= set(skipped.columns)
    boiler = pd.read_csv(out / "tables" / "boilerplate.csv")
    assert len(boiler) == 10 and {"doc_id", "line", "reason"} <= set(boiler.columns)


def test_rerun_with_same_input_gives_same_tables(sample_run, tmp_path):
    from conftest import SAMPLE, run_cli

    out, _ = sample_run
    again = tmp_path / "again"
    proc = run_cli(
        "run",
        "--corpus",
        str(SAMPLE),
        "--out",
        str(again),
        "-p",
        "reference_date=2024-12-06",
        "--notebooks",
        "01_tokenise,02_near_duplicates",
        "--no-progress",
    )
    assert proc.returncode == 0, proc.stderr
    for name in ("documents", "boilerplate", "pairs", "families"):
        a = (out / "tables" / f"{name}.csv").read_text()
        b = (again / "tables" / f"{name}.csv").read_text()
        assert a.replace(str(out), "") == b.replace(str(again), ""), name


def test_cli_reports_bad_arguments(tmp_path):
    from conftest import run_cli

    proc = run_cli("run", "--corpus", str(tmp_path / "missing"), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2 and "corpus not found" in proc.stderr
    proc = run_cli("run", "--corpus", str(tmp_path), "--out", str(tmp_path / "o"), "-p", "no_such_param=1")
    assert proc.returncode == 2 and "unknown parameter" in proc.stderr


@pytest.mark.dask
def test_cli_on_a_local_dask_cluster_gives_the_same_families(sample_run, tmp_path):
    """--workers 2 starts a real LocalCluster; notebook 02's lexical step runs on it, with the same result."""
    from conftest import SAMPLE, run_cli

    out, _ = sample_run
    dask_out = tmp_path / "dask"
    proc = run_cli(
        "run",
        "--corpus",
        str(SAMPLE),
        "--out",
        str(dask_out),
        "-p",
        "reference_date=2024-12-06",
        "--notebooks",
        "01_tokenise,02_near_duplicates",
        "--workers",
        "2",
        "--no-progress",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "dashboard" in (proc.stdout + proc.stderr).lower()
    manifest = json.loads((dask_out / "manifest.json").read_text())
    assert manifest["parameters"]["scheduler"].startswith("tcp://")
    executed = (dask_out / "notebooks" / "02_near_duplicates.ipynb").read_text()
    assert "Dask cluster tcp://" in executed and "2 workers" in executed  # notebook 02 ran on the cluster
    for name in ("families", "pairs"):
        assert (dask_out / "tables" / f"{name}.csv").read_text() == (out / "tables" / f"{name}.csv").read_text()
