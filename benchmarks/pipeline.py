"""The whole run (``python -m helpers run``, all four notebooks) on real news at several sizes, against the code
before issue 13 on the same documents.

    python benchmarks/pipeline.py                          # 1,000 / 3,000 / 10,000 docs; baseline at 1,000
    python benchmarks/pipeline.py --sizes 1000 --baseline-sizes 1000
    python benchmarks/pipeline.py --sizes 1000 10000 --baseline-sizes --jobs 2 1   # two processes against one

The corpora come from ``benchmarks/real_corpus.py`` (Timeline17, AllSides, DUC, ECB+, the rewrite set: real
articles, long and short, JSONL with dates where known). For each run: wall time, each notebook's time, each step's
time (the code under one Markdown heading, from papermill's cell durations), CPU seconds of every process of the run
(reaped descendants), peak memory of the whole process tree (the runner, the processes driving notebooks that run at
the same time, the kernels and their worker processes: resident set sizes summed every 0.5 s; each kernel's own peak
named by the notebook it runs) and documents per second; then the growth of
each notebook's time with size as an exponent (time ~ n^k between the smallest and largest size; n log n from 1,000
to 10,000 documents is k = 1.12). The baseline is commit ``525a31a`` (the last landed state before this issue),
checked out into a temporary git worktree and run by this environment's Python with ``PYTHONPATH`` pointing at its
``src`` (the kernels inherit it). Results: ``benchmarks/results/pipeline.json``. Runs that take too long are
stopped at ``--timeout`` seconds and recorded as such. Timings on a shared machine are noisy: compare the runs of
one invocation.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import real_corpus  # noqa: E402

from helpers.report.execute import step_times  # noqa: E402
from helpers.report.run import KERNEL_LABEL  # noqa: E402

BASELINE = "525a31a"
OUT = ROOT / "benchmarks" / "results" / "pipeline.json"


class PeakMemory:
    """Peak of the summed resident set size of a process and all its descendants (the runner, the processes driving
    notebooks that run at the same time, the kernels and their worker processes), sampled every ``interval``."""

    def __init__(self, pid: int, interval: float = 0.5):
        self.pid, self.interval, self.peak = pid, interval, 0
        self.kernels: dict[int, int] = {}  # peak RSS of each notebook kernel, in the order they started
        self.labels: dict[int, str] = {}  # the notebook a process works for, from its environment (KERNEL_LABEL)
        self.notebooks: dict[str, int] = {}  # peak RSS of each notebook's kernel and worker processes together
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
                total, by_notebook = 0, {}
                for p in procs:
                    try:
                        rss = p.memory_info().rss
                        total += rss
                        if p.pid not in self.labels:
                            self.labels[p.pid] = p.environ().get(KERNEL_LABEL, "")
                        if self.labels[p.pid]:  # a kernel or a worker process of its notebook
                            by_notebook[self.labels[p.pid]] = by_notebook.get(self.labels[p.pid], 0) + rss
                        if p.pid in self.kernels or "ipykernel" in " ".join(p.cmdline()):
                            self.kernels[p.pid] = max(self.kernels.get(p.pid, 0), rss)
                    except psutil.Error:
                        continue
                self.peak = max(self.peak, total)
                for name, rss in by_notebook.items():
                    self.notebooks[name] = max(self.notebooks.get(name, 0), rss)
            except psutil.Error:
                pass
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_once(
    corpus: Path,
    out: Path,
    src: Path,
    cwd: Path,
    timeout: float,
    notebooks: str | None = None,
    jobs: int | None = None,
) -> dict:
    """One ``python -m helpers run`` with ``src`` first on the path (``--jobs`` when given); wall time, CPU time of
    every process of the run, peak memory, manifest timings. A whole run starts from an empty run folder (a
    previous run's token cache would skip tokenising); a run of some notebooks keeps it, since they read the
    earlier notebooks' tables."""
    if not notebooks and out.exists():
        shutil.rmtree(out)
    env = dict(os.environ, PYTHONPATH=str(src))
    cmd = [sys.executable, "-m", "helpers", "run", "--corpus", str(corpus), "--out", str(out), "--no-progress"]
    if notebooks:
        cmd += ["--notebooks", notebooks]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    cpu_before = _children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakMemory(proc.pid) as mem:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            for child in psutil.Process(proc.pid).children(recursive=True):
                child.kill()
            proc.kill()
            stdout, stderr = proc.communicate()
            timed_out = True
    wall = time.perf_counter() - t0
    result = {
        "wall_s": round(wall, 1),
        "cpu_s": round(_children_cpu() - cpu_before, 1),
        "peak_memory_gb": round(mem.peak / 1e9, 2),
        "exit_code": proc.returncode,
        "timed_out": timed_out,
        "stderr_tail": stderr[-800:] if proc.returncode else "",
    }
    manifest_path = out / "manifest.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text())
        result["status"] = manifest.get("status")
        result["notebooks"] = {
            nb["name"]: {
                "seconds": nb["seconds"],
                "status": nb["status"],
                "started": nb.get("started"),  # seconds after the run began
                "waited": nb.get("waited", 0.0),  # of ``seconds``, waiting for a notebook it started beside
            }
            for nb in manifest["notebooks"]
        }
        kernels = list(mem.kernels.values())  # code without KERNEL_LABEL: the kernels in the order they started
        if set(result["notebooks"]) <= set(mem.notebooks):  # the kernel and its worker processes
            kernels = [mem.notebooks[name] for name in result["notebooks"]]
        if len(kernels) == len(result["notebooks"]):
            for name, peak in zip(result["notebooks"], kernels):
                result["notebooks"][name]["kernel_peak_gb"] = round(peak / 1e9, 2)
        for name in result["notebooks"]:
            executed = out / "notebooks" / f"{name}.ipynb"
            if executed.is_file():
                import nbformat

                result["notebooks"][name]["steps"] = step_times(nbformat.read(str(executed), as_version=4))
        result["pages_mb"] = {p.name: round(p.stat().st_size / 1e6, 2) for p in sorted(out.glob("*.html"))}
        docs = out / "tables" / "documents.csv"
        if docs.is_file():
            import pandas as pd

            result["documents"] = len(pd.read_csv(docs, usecols=["doc_id"]))
    return result


def _children_cpu() -> float:
    """CPU seconds of this process's ended and reaped descendants (the runner, its kernels and their workers)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def growth(runs: list[dict]) -> dict:
    """Exponent k of time ~ n^k between the smallest and largest size where a notebook ran ok, per notebook (and
    for the whole run among runs of the same notebooks), with n log n's exponent over the same sizes."""
    out = {}
    names = sorted({name for r in runs for name in r.get("notebooks", {})})
    for name in [*names, "total"]:
        done = [
            r
            for r in runs
            if (name == "total" and r.get("status") == "ok" and set(r["notebooks"]) == set(names))
            or r.get("notebooks", {}).get(name, {}).get("status") == "ok"
        ]
        done.sort(key=lambda r: r["size"])
        if len(done) < 2 or done[0]["size"] == done[-1]["size"]:
            continue
        a, b = done[0], done[-1]
        if name == "total":
            first, last = a["wall_s"], b["wall_s"]
        else:
            first, last = a["notebooks"][name]["seconds"], b["notebooks"][name]["seconds"]
        ratio = math.log(b["size"] / a["size"])
        n_log_n = math.log((b["size"] * math.log(b["size"])) / (a["size"] * math.log(a["size"]))) / ratio
        out[name] = {
            "sizes": [a["size"], b["size"]],
            "exponent": round(math.log(last / first) / ratio, 2),
            "n_log_n_exponent": round(n_log_n, 2),
        }
    return out


def baseline_worktree(commit: str, where: Path) -> Path:
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(where), commit], cwd=ROOT, check=True, capture_output=True
    )
    return where


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    ap.add_argument("--baseline-sizes", type=int, nargs="*", default=[1000])
    ap.add_argument("--baseline-commit", default=BASELINE)
    ap.add_argument("--timeout", type=float, default=3600, help="seconds before a run is stopped")
    ap.add_argument("--work", type=Path, help="folder for corpora and run folders (default: a temporary one)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--notebooks", help="comma-separated subset to run (default: all four)")
    ap.add_argument("--append", action="store_true", help="add the runs to those already in --out")
    ap.add_argument(
        "--jobs",
        type=int,
        nargs="+",
        help="run this checkout at each size once per value, side by side (e.g. 2 1: notebooks and per-document "
        "steps on two processes, then on one); default: the CLI's default, once",
    )
    args = ap.parse_args(argv)
    if real_corpus.missing():
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="storytrace-pipeline-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": f"{os.cpu_count()} cores", "baseline_commit": args.baseline_commit, "runs": []}
    if args.append and args.out.is_file():
        results["runs"] = json.loads(args.out.read_text())["runs"]
    base_dir = None
    try:
        if args.baseline_sizes:
            base_dir = baseline_worktree(args.baseline_commit, work / "baseline-src")
        for size in sorted(set(args.sizes) | set(args.baseline_sizes)):
            corpus = real_corpus.write_jsonl(real_corpus.build(size), work / f"real{size}.jsonl")
            plan = []
            if size in args.baseline_sizes and base_dir is not None:
                plan.append(("baseline", base_dir / "src", base_dir))
            if size in args.sizes:
                plan += [("now", ROOT / "src", ROOT, jobs) for jobs in args.jobs or [None]]
            for label, src, cwd, *jobs in plan:
                jobs = jobs[0] if jobs else None
                name = label if jobs is None else f"{label}-jobs{jobs}"
                print(f"{name} at {size} documents ...", flush=True)
                load_before = [round(x, 1) for x in os.getloadavg()]
                res = run_once(corpus, work / f"{name}-{size}", src, cwd, args.timeout, args.notebooks, jobs)
                res.update(code=label, jobs=jobs, size=size, load_average=[round(x, 1) for x in os.getloadavg()])
                res["load_average_before"] = load_before
                if res.get("status") == "ok":
                    res["docs_per_s"] = round(res.get("documents", size) / res["wall_s"], 1)
                results["runs"].append(res)
                nbs = ", ".join(f"{k} {v['seconds']:.0f} s" for k, v in res.get("notebooks", {}).items())
                print(
                    f"  {res['wall_s']:.0f} s wall, {res['cpu_s']:.0f} CPU s, peak {res['peak_memory_gb']} GB, "
                    f"{res.get('status')}: {nbs}"
                )
                args.out.parent.mkdir(parents=True, exist_ok=True)
                args.out.write_text(json.dumps(results, indent=2) + "\n")
        for jobs in args.jobs or [None]:
            key = "growth_now" if jobs is None else f"growth_now_jobs{jobs}"
            results[key] = growth([r for r in results["runs"] if r["code"] == "now" and r.get("jobs") == jobs])
        results["note"] = (
            "load_average: the machine's 1/5/15-minute load when the run ended (2 cores, shared with other "
            "engineers' jobs): times on a loaded machine are inflated; compare runs of similar load"
        )
        args.out.write_text(json.dumps(results, indent=2) + "\n")
    finally:
        if base_dir is not None:
            subprocess.run(["git", "worktree", "remove", "--force", str(base_dir)], cwd=ROOT, capture_output=True)
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
