"""Notebook 02's trace alone (``helpers.neardup.trace``) on real news, this checkout against an earlier commit, side
by side: CPU and wall time of each step, and whether every table of the trace is the same.

    python benchmarks/trace_speed.py --sizes 1000 10000            # against c2e505e (before issue 13's speed work)
    python benchmarks/trace_speed.py --sizes 1000 --baseline HEAD~3

The corpora come from ``benchmarks/real_corpus.py``; the documents are loaded once per size into a run folder's
cache (``report.load_documents``), outside the timing. Each code runs in its own process (the baseline from a
``git archive`` of its ``src`` on ``PYTHONPATH``), baseline first, then this checkout. CPU time is the process's
own (``time.process_time``): on a shared machine it moves far less than wall time, which is also recorded.
Results: ``benchmarks/results/trace_speed.json``; the trace's tables of both runs are compared with
``scripts/diff_run_tables.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

import diff_run_tables  # noqa: E402
import real_corpus  # noqa: E402
import step_timing  # noqa: E402

BASELINE = "c2e505e"
OUT = ROOT / "benchmarks" / "results" / "trace_speed.json"
STEPS = (
    "prepare_documents document_cues story_similarity story_clusters family_context verify_families pair_table "
    "with_machine_style lineage label_pairs family_table added_dropped coverage_table passages sentence_links"
).split()
TABLES = ("families", "pairs", "lineage", "passages", "sentence_links", "added", "dropped", "coverage", "cues")

# run in a fresh process: time each step of trace (the names pipeline.py calls) and write the trace's tables
_CHILD = (
    step_timing.PREAMBLE
    + """
from pathlib import Path
from helpers.report import load_documents
corpus, run_dir, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
steps, tables = sys.argv[4].split(), sys.argv[5].split()
cpu, wall = _time_steps(steps)
docs = load_documents(corpus, run_dir)
c, w = time.process_time(), time.perf_counter()
result = P.trace(docs)
total = {"cpu": time.process_time() - c, "wall": time.perf_counter() - w}
out.mkdir(parents=True, exist_ok=True)
for name in tables:
    getattr(result, name).to_csv(out / f"{name}.csv", index=False)
print(json.dumps({"documents": len(docs), "total": total, "cpu": cpu, "wall": wall}))
"""
)


def _run(src: Path, corpus: Path, run_dir: Path, tables: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [sys.executable, "-c", _CHILD, str(corpus), str(run_dir), str(tables), " ".join(STEPS), " ".join(TABLES)]
    done = subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _baseline_src(commit: str, where: Path) -> Path:
    where.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", commit, "src"], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(where)], input=archive, check=True)
    return where / "src"


def _rounded(run: dict) -> dict:
    return {k: ({s: round(v, 2) for s, v in x.items()} if isinstance(x, dict) else x) for k, x in run.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--baseline", default=BASELINE, help="commit to compare with (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if real_corpus.missing():
        return 0
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base_src = _baseline_src(args.baseline, work / "baseline")
        for size in args.sizes:
            corpus, run_dir = real_corpus.loaded_run(size, work)
            before = _run(base_src, corpus, run_dir, work / f"before{size}")
            after = _run(ROOT / "src", corpus, run_dir, work / f"after{size}")
            report = diff_run_tables.compare(work / f"before{size}", work / f"after{size}")
            row = {
                "size": size,
                "documents": after["documents"],
                "baseline": args.baseline,
                "before": _rounded(before),
                "after": _rounded(after),
                "cpu_ratio": round(before["total"]["cpu"] / after["total"]["cpu"], 2),
                "wall_ratio": round(before["total"]["wall"] / after["total"]["wall"], 2),
                "tables": report[-1],
                "load_average": [round(x, 2) for x in os.getloadavg()],
            }
            results.append(row)
            print(
                f"{size}: CPU {before['total']['cpu']:.1f} -> {after['total']['cpu']:.1f} s "
                f"({row['cpu_ratio']}x), wall {before['total']['wall']:.1f} -> {after['total']['wall']:.1f} s; "
                f"{report[-1]}"
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
