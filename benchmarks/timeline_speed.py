"""Speed of the timeline stage (notebook 03's calls) on real news, this checkout beside a baseline checkout.

Each round runs, in fresh processes one after the other, the baseline's ``src`` and this checkout's ``src`` on the
same corpus (``benchmarks/real_corpus.py``), twice: with every document its own family, and with one family per
source (big families: the path a topic-sized family takes in ``events`` and ``conflicts``). Per step the median
over rounds is reported, and the ratio baseline / this checkout: timings on a shared machine are noisy, ratios
from one interleaved run are what to read.

Run::

    python benchmarks/real_corpus.py --size 1000 --out /tmp/real1000.jsonl
    git archive main src | tar -x -C /tmp/main_src        # the baseline
    python benchmarks/timeline_speed.py --corpus /tmp/real1000.jsonl --baseline /tmp/main_src/src \
        --baseline-name main@$(git rev-parse --short main)

Writes ``benchmarks/results/timeline_speed.json``. The two checkouts' tables differ where their code does (the
tagger's coverage, the key-date ranker): row counts are reported beside the times.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "timeline_speed.json"
STEPS = ("timexes", "publications", "dated", "events", "key_dates", "claims", "conflicts", "total")

# run in a child process with PYTHONPATH set to one checkout's src: notebook 03's calls, timed step by step
CHILD = r"""
import json, sys, time
import pandas as pd
from helpers import timeline
from helpers.report import load_documents
corpus, run_dir, mode = sys.argv[1:4]
docs = load_documents(corpus, run_dir)
families = None
if mode == "source":
    families = pd.DataFrame({"doc_id": docs["doc_id"].astype(str), "family_id": "f-" + docs["source"].astype(str)})
times, rows = {}, {}
start = last = time.perf_counter()
def lap(name, table):
    global last
    now = time.perf_counter()
    times[name], rows[name], last = round(now - last, 3), len(table), now
tx = timeline.timexes(docs, None); lap("timexes", tx)
lap("publications", timeline.publication_timeline(docs, families))
dated = timeline.dated_sentences(docs, tx); lap("dated", dated)
lap("events", timeline.events(docs, families, dated=dated))
lap("key_dates", timeline.key_dates(docs, n=None, dated=dated, families=families))
claims = timeline.temporal_claims(docs, tx); lap("claims", claims)
lap("conflicts", timeline.conflicts(docs, families, tx, claims=claims, dated=dated))
times["total"] = round(time.perf_counter() - start, 3)
print(json.dumps({"documents": len(docs), "seconds": times, "rows": rows}))
"""


def run_once(src: Path, corpus: Path, mode: str) -> dict:
    with tempfile.TemporaryDirectory() as run_dir:
        env = {**os.environ, "PYTHONPATH": str(src)}
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(corpus), run_dir, mode], env=env, capture_output=True, text=True
        )
    if out.returncode:
        raise RuntimeError(f"{src} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, help="a corpus file from benchmarks/real_corpus.py")
    ap.add_argument("--baseline", type=Path, help="the baseline checkout's src folder")
    ap.add_argument("--baseline-name", default="main")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if args.corpus is None or args.baseline is None:  # `make bench` runs every script bare: say how, do not fail
        print("SKIP: timeline_speed.py needs --corpus and --baseline (see its docstring)")
        return 0
    checkouts = {args.baseline_name: args.baseline.resolve(), "this": (REPO / "src").resolve()}
    runs = {(name, mode): [] for name in checkouts for mode in ("none", "source")}
    for r in range(args.rounds):
        for mode in ("none", "source"):
            for name, src in checkouts.items():
                got = run_once(src, args.corpus, mode)
                runs[name, mode].append(got)
                print(f"round {r + 1} families={mode:<6} {name:<6} {got['seconds']}", flush=True)
    out = {
        "benchmark": "timeline_speed",
        "corpus": str(args.corpus.name),
        "documents": runs["this", "none"][0]["documents"],
        "rounds": args.rounds,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)",
        "families": {"none": "every document its own family", "source": "one family per source (big families)"},
        "results": {},
    }
    for mode in ("none", "source"):
        med = {
            name: {s: round(statistics.median(g["seconds"][s] for g in runs[name, mode]), 3) for s in STEPS}
            for name in checkouts
        }
        base = med[args.baseline_name]
        out["results"][mode] = {
            "median_seconds": med,
            "speedup": {s: round(base[s] / med["this"][s], 2) if med["this"][s] else None for s in STEPS},
            "rows": {name: runs[name, mode][0]["rows"] for name in checkouts},
        }
        print(mode, json.dumps(out["results"][mode]))
    RESULTS.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
