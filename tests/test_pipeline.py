"""The whole pipeline on the bundled sample, through the command line, as `make report` runs it."""

import json
import os
import re
import subprocess
import sys

import nbformat
import pandas as pd
import pytest
from conftest import ROOT, SAMPLE, run_cli

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
    # each step (the code under one Markdown heading) is timed, and the steps account for the notebook's time
    for nb in manifest["notebooks"]:
        steps = nb["steps"]
        assert len(steps) >= 5 and all(s["step"] and s["seconds"] >= 0 for s in steps), nb["name"]
        assert 0 < sum(s["seconds"] for s in steps) <= nb["seconds"]
    assert "Distinctive terms of each document" in [s["step"] for s in manifest["notebooks"][0]["steps"]]
    # quiet: the kernel channel is encrypted, so ipykernel has no transport warning to print
    assert "without encryption" not in proc.stderr and "WARNING" not in proc.stderr, proc.stderr[-3000:]
    assert "longest steps:" in proc.stderr  # the progress output names the slow steps
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
    assert sorted(docs["doc_id"]) == sorted(p.stem for p in SAMPLE.glob("*.txt"))
    skipped = pd.read_csv(out / "tables" / "skipped.csv")
    assert list(skipped.columns) == ["path", "record", "reason"] and skipped.empty  # the sample reads whole
    boiler = pd.read_csv(out / "tables" / "boilerplate.csv")
    assert len(boiler) == 10 and {"doc_id", "line", "reason"} <= set(boiler.columns)


def test_rerun_with_same_input_gives_same_tables(sample_run, tmp_path):
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
    proc = run_cli("run", "--corpus", str(tmp_path / "missing"), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2 and "corpus not found" in proc.stderr
    proc = run_cli("run", "--corpus", str(tmp_path), "--out", str(tmp_path / "o"), "-p", "no_such_param=1")
    assert proc.returncode == 2 and "unknown parameter" in proc.stderr


@pytest.mark.dask
def test_cli_on_a_local_dask_cluster_gives_the_same_families(sample_run, tmp_path):
    """--workers 2 starts a real LocalCluster; notebook 02's lexical step runs on it, with the same result."""
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


# The analysis, from loading to framing, printing a digest of every table it makes.
ANALYSIS = """
import dataclasses, hashlib, sys
import pandas as pd
from helpers import framing, neardup, timeline
from helpers.corpus import load_corpus

def frames(result):
    fields = vars(result) if not dataclasses.is_dataclass(result) else {
        f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
    return {k: v for k, v in fields.items() if isinstance(v, pd.DataFrame)}

docs = load_corpus(sys.argv[1])
ref = sys.argv[2]
tables = {"documents": pd.DataFrame(docs), "skipped": docs.skipped, "boilerplate": docs.boilerplate}
tables.update({f"trace.{k}": v for k, v in frames(neardup.trace(docs)).items()})
tables["timexes"] = timeline.timexes(docs, ref)
tables["tag"] = pd.concat([timeline.tag(t, ref) for t in docs["text"]], ignore_index=True)
tables["key_dates"] = timeline.key_dates(docs, reference_date=ref)
tables.update({f"framing.{k}": v for k, v in frames(framing.analyse(docs)).items()})
for name in sorted(tables):
    csv = tables[name].to_csv(index=False)
    print(name, len(tables[name]), hashlib.sha256(csv.encode()).hexdigest())
"""


def test_analysis_is_identical_in_two_processes_with_different_hash_seeds(tmp_path):
    """Set and dict order of strings changes with PYTHONHASHSEED: no table may depend on it."""
    script = tmp_path / "analysis.py"
    script.write_text(ANALYSIS, encoding="utf-8")
    outputs = []
    for seed in ("1", "2024"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run(
            [sys.executable, str(script), str(SAMPLE), "2024-12-06"],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout)
    rows = {line.split()[0]: int(line.split()[1]) for line in outputs[0].splitlines()}
    assert rows["documents"] == 5 and rows["trace.families"] == 5 and rows["framing.table"] == 5
    assert rows["trace.pairs"] > 0 and rows["timexes"] > 0 and rows["key_dates"] > 0  # real work was hashed
    assert len(rows) >= 15
    assert outputs[0] == outputs[1]


def _stream_text(notebook_path) -> str:
    nb = nbformat.read(str(notebook_path), as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def test_without_a_reference_date_relative_dates_stay_unresolved_and_the_report_says_so(sample_run, tmp_path):
    """No --params: the sample's undated documents get no anchor; nothing is resolved against a guessed day."""
    out, _ = sample_run
    bare = tmp_path / "bare"
    proc = run_cli(
        "run", "--corpus", str(SAMPLE), "--out", str(bare), "--notebooks", "01_tokenise,03_timelines", "--no-progress"
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads((bare / "manifest.json").read_text())["parameters"] == {}
    anchors = re.compile(r"(\d+) with no anchor date at all")
    unresolved_line = re.compile(
        r"(\d+) of (\d+) temporal expressions stay unresolved: (\d+) in documents with no anchor"
    )
    bare_text = _stream_text(bare / "notebooks" / "03_timelines.ipynb")
    assert anchors.findall(bare_text) == ["5"]
    assert anchors.findall(_stream_text(out / "notebooks" / "03_timelines.ipynb")) == ["0"]
    assert "5 with no anchor date at all" in (bare / "03_timelines.html").read_text(encoding="utf-8")
    bare_tx = pd.read_csv(bare / "tables" / "timexes.csv")
    anchored_tx = pd.read_csv(out / "tables" / "timexes.csv")
    assert bare_tx["reference_date"].isna().all() and (anchored_tx["reference_date"] == "2024-12-06").all()
    unresolved = bare_tx[~bare_tx["resolved"]]
    assert len(unresolved) > 0 and unresolved["value"].str.contains("X").all()  # TimeML's unknown digits
    # the notebook's count of unresolved expressions is the table's
    assert [tuple(map(int, m)) for m in unresolved_line.findall(bare_text)] == [
        (len(unresolved), len(bare_tx), len(unresolved))
    ]
    assert anchored_tx["resolved"].sum() > bare_tx["resolved"].sum()
