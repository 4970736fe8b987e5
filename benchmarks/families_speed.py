"""Story families on real news in one process (issue 12's goal: 10,000 documents in ≤ 60 s and ≤ 4 GB).

    python benchmarks/families_speed.py --sizes 1000 10000

Times ``helpers.neardup.families(docs)`` (the families table with each member's role, so lineage and machine style
of family members included; no passages, coverage or added content) in a fresh process per size, with the
family-forming steps (prepare, cues, similarity, clusters with the learned split, context, verification) and the
role steps (pair table, machine style, lineage, relation labels) timed separately. The documents are loaded into a
run folder's cache first, outside the timing, as notebook 02 reads them. Peak memory is the child process tree's
resident set, sampled every 0.2 s (``process_tree.py``). The corpora come from ``benchmarks/real_corpus.py``.
Results: ``benchmarks/results/families_speed.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import real_corpus  # noqa: E402
import step_timing  # noqa: E402
from process_tree import tree_memory  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "families_speed.json"
FORMING = "prepare_documents document_cues story_similarity story_clusters family_context verify_families".split()
ROLES = "pair_table with_machine_style lineage label_pairs family_table".split()

_CHILD = (
    step_timing.PREAMBLE
    + """
from helpers.report import load_documents
from helpers.neardup import families
corpus, run_dir, steps = sys.argv[1], sys.argv[2], sys.argv[3].split()
docs = load_documents(corpus, run_dir)
cpu, _ = _time_steps(steps)
print("START", flush=True)
c, w = time.process_time(), time.perf_counter()
fam = families(docs)
total = {"cpu": time.process_time() - c, "wall": time.perf_counter() - w}
print(json.dumps({"documents": len(docs), "families": int(fam["family_id"].nunique()), "total": total, "cpu": cpu}))
"""
)


def _run(corpus: Path, run_dir: Path) -> dict:
    """One child process: the timings it prints and the peak resident memory of its tree while ``families`` ran."""
    cmd = [sys.executable, "-c", _CHILD, str(corpus), str(run_dir), " ".join(FORMING + ROLES)]
    child = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    proc = psutil.Process(child.pid)
    assert child.stdout is not None
    if child.stdout.readline().strip() != "START":
        raise RuntimeError("the families child process failed before its timed call")
    peak = 0
    while child.poll() is None:
        peak = max(peak, tree_memory(proc))
        time.sleep(0.2)
    out = child.stdout.read()
    if child.returncode:
        raise RuntimeError(f"the families child process exited with {child.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_gb"] = round(peak / 2**30, 2)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if real_corpus.missing():
        return 0
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for size in args.sizes:
            corpus, run_dir = real_corpus.loaded_run(size, work)
            run = _run(corpus, run_dir)
            cpu = run.pop("cpu")
            row = {
                "size": size,
                **run,
                "total": {k: round(v, 1) for k, v in run["total"].items()},
                "forming_cpu": round(sum(cpu[s] for s in FORMING), 1),
                "roles_cpu": round(sum(cpu[s] for s in ROLES), 1),
                "steps_cpu": {s: round(v, 2) for s, v in cpu.items()},
                "load_average": [round(x, 2) for x in os.getloadavg()],
            }
            results.append(row)
            print(
                f"{size}: {row['total']['wall']} s wall, {row['total']['cpu']} CPU s (forming {row['forming_cpu']}, "
                f"roles {row['roles_cpu']}), peak {row['peak_gb']} GB, {row['families']} families; "
                f"load {row['load_average']}"
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
