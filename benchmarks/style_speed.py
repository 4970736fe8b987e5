"""Machine style (``helpers.style.machine_style``) on real news, this checkout against an earlier commit, side by
side in one run: CPU and wall seconds, and whether every score, reason and evidence text is the same.

    python benchmarks/style_speed.py --docs 3000                 # against 07c6500 (before issue 12's speed work)
    python benchmarks/style_speed.py --docs 1000 --baseline HEAD~2 --rounds 3
    python benchmarks/style_speed.py --after 4d2b83c    # a commit instead of this checkout as the "after" side

The documents are the first ``--docs`` of ``benchmarks/real_corpus.py``'s corpus (``/tmp/pb31/real10000.jsonl``
by default; read-only). Each code runs in its own process (the baseline from a ``git archive`` of its ``src`` on
``PYTHONPATH``), alternating baseline and checkout for ``--rounds`` rounds, so load on a shared machine hits both
alike; the ratio is taken from the medians. CPU time is the process's own (``time.process_time``). Results:
``benchmarks/results/style_speed.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "07c6500"
CORPUS = Path("/tmp/pb31/real10000.jsonl")
OUT = ROOT / "benchmarks" / "results" / "style_speed.json"

# run in a fresh process: score the documents once (after a warm-up) and write the scores
_CHILD = """
import json, sys, time
import pandas as pd
from helpers.style import machine_style
corpus, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = []
with open(corpus, encoding="utf-8") as fh:
    for line in fh:
        if len(rows) == n:
            break
        rows.append(json.loads(line))
docs = pd.DataFrame(rows)[["doc_id", "text"]]
machine_style(docs.head(3))
c, w = time.process_time(), time.perf_counter()
scores = machine_style(docs)
print(json.dumps({"cpu": time.process_time() - c, "wall": time.perf_counter() - w, "documents": len(docs)}))
scores.to_csv(out, index=False)
"""


def _run(src: Path, corpus: Path, n: int, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [sys.executable, "-c", _CHILD, str(corpus), str(n), str(out)]
    done = subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _checkout(commit: str, where: Path) -> Path:
    """``src`` of ``commit`` under ``where`` (a ``git archive``)."""
    where.mkdir()
    archive = subprocess.run(["git", "archive", commit, "src"], cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(where)], input=archive.stdout, check=True)
    return where


def _same(a: Path, b: Path) -> dict:
    x, y = pd.read_csv(a, keep_default_na=False), pd.read_csv(b, keep_default_na=False)
    sx = pd.to_numeric(x["machine_style"], errors="coerce").to_numpy()
    sy = pd.to_numeric(y["machine_style"], errors="coerce").to_numpy()
    both = ~np.isnan(sx) & ~np.isnan(sy)
    return {
        "documents": len(x),
        "scores_identical": bool(np.array_equal(np.isnan(sx), np.isnan(sy)) and np.array_equal(sx[both], sy[both])),
        "max_score_difference": float(np.max(np.abs(sx[both] - sy[both]), initial=0.0)),
        "reasons_identical": bool((x["reason"] == y["reason"]).all()),
        "evidence_identical": bool((x["style_evidence"] == y["style_evidence"]).all()),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--baseline", default=BASELINE)
    ap.add_argument("--after", help="a commit to time instead of this checkout")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args(argv)
    if not args.corpus.is_file():
        print(f"skipped: {args.corpus} not present (make it with benchmarks/real_corpus.py)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old = _checkout(args.baseline, tmp / "old")
        new = _checkout(args.after, tmp / "new") if args.after else ROOT
        runs: dict[str, list[dict]] = {"before": [], "after": []}
        for r in range(args.rounds):
            runs["before"].append(_run(old / "src", args.corpus, args.docs, tmp / "before.csv"))
            runs["after"].append(_run(new / "src", args.corpus, args.docs, tmp / "after.csv"))
            print(f"round {r + 1}: before {runs['before'][-1]}  after {runs['after'][-1]}", flush=True)
        same = _same(tmp / "before.csv", tmp / "after.csv")
    median = {k: {m: float(np.median([x[m] for x in v])) for m in ("cpu", "wall")} for k, v in runs.items()}
    result = {
        "baseline": args.baseline,
        "after": args.after or "this checkout",
        "documents": args.docs,
        "corpus": str(args.corpus),
        "load_average": os.getloadavg()[0],
        "runs": runs,
        "median": median,
        "speedup_cpu": round(median["before"]["cpu"] / median["after"]["cpu"], 2),
        "speedup_wall": round(median["before"]["wall"] / median["after"]["wall"], 2),
        "same_output": same,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("speedup_cpu", "speedup_wall", "same_output")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
