"""Per-document steps on one process and on two (``helpers.parallel``), side by side on real news: wall and CPU
seconds (this process and its worker processes), peak memory of the process tree, and whether the tables are
identical. For choosing each step's ``MIN_PARALLEL_DOCS`` (the break-even) and checking that the split changes
nothing.

    python benchmarks/parallel_steps.py --sizes 250 500 1000 2000 10000 --steps tokenise style --rounds 2

The documents are the first ``--sizes`` of ``benchmarks/real_corpus.py``'s corpus (``/tmp/pb31/real10000.jsonl`` by
default; read-only), loaded once. Each round runs one process then two, both in this Python process (warmed up
first) with ``min_items`` forced to 0, so the two-process time includes starting the worker (spawn, imports, model
loads). Results: ``benchmarks/results/parallel_steps.json``. Timings on a shared machine are noisy: compare the
two columns of one run, and give the load. ``this_process_cpu_s`` is the CPU time of the calling process alone: with
a free core for the worker, the two-process wall time comes close to it (this process never waits for a worker by
more than a chunk); on a busy machine whose scheduler shares CPU by session (Linux autogroup), the worker only
splits the session's share and the wall time rises instead.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

from process_tree import tree_memory  # noqa: E402

from helpers import parallel, tokenise  # noqa: E402
from helpers.corpus import load_corpus  # noqa: E402

CORPUS = Path("/tmp/pb31/real10000.jsonl")
OUT = ROOT / "benchmarks" / "results" / "parallel_steps.json"


def _tokenise(docs: pd.DataFrame) -> list[pd.DataFrame]:
    failures: list = []
    sents, toks = tokenise.sentences_and_tokens(docs, failures=failures)
    return [sents, toks, pd.DataFrame(failures)]


def _style(docs: pd.DataFrame) -> list[pd.DataFrame]:
    from helpers.style import machine_style

    return [machine_style(docs)]


STEPS = {"tokenise": (_tokenise, tokenise), "style": (_style, None)}


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # worker processes, once joined
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(func, docs: pd.DataFrame, processes: int) -> tuple[dict, list[pd.DataFrame]]:
    """One call with ``processes`` (1 or 2): wall, CPU and peak tree memory sampled every 0.2 s."""
    os.environ[parallel.JOBS_VARIABLE] = str(processes)
    peak, stop = [0], threading.Event()
    me = psutil.Process()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], tree_memory(me))
            stop.wait(0.2)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    cpu, own, wall = _cpu_seconds(), time.process_time(), time.perf_counter()
    out = func(docs)
    wall, cpu, own = time.perf_counter() - wall, _cpu_seconds() - cpu, time.process_time() - own
    stop.set()
    watcher.join()
    row = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "this_process_cpu_s": round(own, 2)}
    return {**row, "peak_gb": round(peak[0] / 1e9, 2)}, out


def identical(a: list[pd.DataFrame], b: list[pd.DataFrame]) -> bool:
    try:
        for x, y in zip(a, b, strict=True):
            pd.testing.assert_frame_equal(x, y, check_exact=True)
    except AssertionError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000, 10000])
    ap.add_argument("--steps", nargs="+", choices=sorted(STEPS), default=sorted(STEPS))
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if not args.corpus.is_file():
        print(f"skipped: {args.corpus} not found (write it with benchmarks/real_corpus.py --size 10000)")
        return 0
    all_docs = load_corpus(args.corpus)
    results: dict = {"corpus": str(args.corpus), "cpus": os.cpu_count(), "runs": []}
    for step in args.steps:
        func, module = STEPS[step]
        minimum = getattr(module, "MIN_PARALLEL_DOCS", None) if module else None
        timed(func, all_docs.head(50), 1)  # warm-up: imports, models
        for size in args.sizes:
            docs = all_docs.head(size).reset_index(drop=True)
            for round_ in range(args.rounds):
                if module is not None:
                    module.MIN_PARALLEL_DOCS = 0
                one, out_one = timed(func, docs, 1)
                two, out_two = timed(func, docs, 2)
                if module is not None:
                    module.MIN_PARALLEL_DOCS = minimum
                row = {
                    "step": step,
                    "size": len(docs),
                    "round": round_,
                    "one_process": one,
                    "two_processes": two,
                    "wall_ratio": round(one["wall_s"] / two["wall_s"], 2),
                    "identical": identical(out_one, out_two),
                    "load_average": [round(x, 1) for x in os.getloadavg()],
                }
                results["runs"].append(row)
                print(json.dumps(row), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
