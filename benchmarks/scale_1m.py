"""Scale benchmark: lexical near-duplicates on N synthetic news-length documents (default 1,000,000).

Documents are 200-900 words with 20% planted edited copies (``benchmarks/synthetic.py``; generated once, in
parallel, into Parquet shards under ``benchmarks/.cache/scale_1m/``, never committed). Copies are spread over
shards, so most planted pairs cross partitions. Each mode runs in its own subprocess while this process samples
the resident memory of the whole process tree (the run, its Dask scheduler, nannies and workers) with psutil:

- ``single``: ``helpers.neardup.lexical.near_duplicate_pairs`` on the whole pandas table (one process);
- ``dask1`` / ``dask2``: ``helpers.distributed.near_duplicate_pairs_dask`` on a LocalCluster of 1 or 2 worker
  processes (one thread each) reading the shards with ``dask.dataframe.read_parquet``.

Reported: wall time (the cluster start-up separately), peak memory, pairs found, recall of planted pairs whose
exact Jaccard (plain Python sets, computed by the generator) is >= 0.5, and whether the pair tables of all modes
are identical. Goal (issue 7): 1M documents in <= 5 minutes, peak <= 8 GB, recall >= 0.95.

    python benchmarks/scale_1m.py --n 20000                 # development
    python benchmarks/scale_1m.py                           # 1M, all three modes (takes both cores)
    python benchmarks/scale_1m.py --modes dask2 --n 100000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / ".cache" / "scale_1m"
RESULTS = HERE / "results" / "scale_1m.json"
sys.path.insert(0, str(HERE))


# ------------------------------------------------------------------------------------------- data
def _make_chunk(args) -> tuple[int, int, float]:
    """Generate one synthetic chunk and write it as Parquet shards (rows dealt at random) plus its families."""
    k, chunk_size, n, seed, shards_per_chunk, folder = args
    from synthetic import make_chunk

    t = time.perf_counter()
    lo = k * chunk_size
    docs, _ = make_chunk(min(chunk_size, n - lo), seed=seed, chunk_index=k, with_truth=False, id_offset=lo)
    folder = Path(folder)
    rng = np.random.default_rng([seed, k, 99])
    shard_of = rng.permutation(len(docs)) % shards_per_chunk
    for s in range(shards_per_chunk):
        part = docs.loc[shard_of == s, ["doc_id", "text"]].reset_index(drop=True)
        tmp = folder / f".part-{k:05d}-{s:02d}.parquet"
        part.to_parquet(tmp, index=False, row_group_size=2_000)
        tmp.rename(folder / f"part-{k:05d}-{s:02d}.parquet")
    docs[["doc_id", "original_of"]].to_parquet(folder / f"planted-{k:05d}.parquet", index=False)
    return k, len(docs), time.perf_counter() - t


def planted_truth(folder: Path, k: int) -> pd.DataFrame:
    """Planted pairs of chunk ``k`` (original-copy and copy-copy, as the generator's truth) with exact scores.

    Chunks generated with the generator's own truth (plain Python shingle sets) keep it; otherwise exact
    Jaccard/containment come from ``lexical.verify_pairs`` on the two texts (exact set arithmetic on 64-bit
    shingle hashes; on a chunk checked both ways they agree exactly).
    """
    py = folder / f"truth-{k:05d}.parquet"
    if py.exists():
        return pd.read_parquet(py)
    from synthetic import planted_pairs

    from helpers.neardup.lexical import verify_pairs

    planted = pd.read_parquet(folder / f"planted-{k:05d}.parquet")
    texts = pd.concat([pd.read_parquet(p) for p in sorted(folder.glob(f"part-{k:05d}-*.parquet"))], ignore_index=True)
    pairs = pd.DataFrame(planted_pairs(planted), columns=["doc_a", "doc_b"])
    pos = pd.Series(np.arange(len(texts)), index=texts["doc_id"])
    ver = verify_pairs(
        texts["text"].tolist(), np.stack([pos[pairs["doc_a"]].to_numpy(), pos[pairs["doc_b"]].to_numpy()], axis=1)
    )
    return pairs.assign(
        jaccard=ver["jaccard"].to_numpy(),
        containment_a=ver["containment_a"].to_numpy(),
        containment_b=ver["containment_b"].to_numpy(),
    )


def ensure_data(n: int, seed: int = 0, chunk_size: int = 50_000, shard_rows: int = 10_000, jobs: int = 2) -> Path:
    """The cached corpus folder for ``n`` documents (generated now if missing; chunks in ``jobs`` processes)."""
    chunk_size = min(chunk_size, n)
    shards_per_chunk = max(1, round(chunk_size / shard_rows))
    folder = CACHE / f"n{n}_seed{seed}_chunk{chunk_size}_shard{shards_per_chunk}"
    folder.mkdir(parents=True, exist_ok=True)
    n_chunks = -(-n // chunk_size)
    todo = [
        k
        for k in range(n_chunks)
        if not (folder / f"truth-{k:05d}.parquet").exists() and not (folder / f"planted-{k:05d}.parquet").exists()
    ]
    if todo:
        print(
            f"generating {n:,} synthetic documents into {folder} ({len(todo)} chunk(s), {jobs} process(es))...",
            flush=True,
        )
        t = time.perf_counter()
        args = [(k, chunk_size, n, seed, shards_per_chunk, str(folder)) for k in todo]
        with ProcessPoolExecutor(max_workers=jobs) as ex:
            for k, m, dt in ex.map(_make_chunk, args):
                print(f"  chunk {k}: {m:,} docs in {dt:.0f} s", flush=True)
        print(f"generated in {time.perf_counter() - t:.0f} s", flush=True)
    truth_path = folder / "truth.parquet"
    if not truth_path.exists():
        truth = pd.concat([planted_truth(folder, k) for k in range(n_chunks)], ignore_index=True)
        truth.to_parquet(truth_path, index=False)
    return folder


# ------------------------------------------------------------------------------------------- one mode (child)
def run_mode(mode: str, folder: Path, out: Path, threshold: float) -> dict:
    """Run one mode in this process; write its pairs to ``out``; return timings."""
    t0 = time.perf_counter()
    info: dict = {"mode": mode}
    shards = sorted(folder.glob("part-*.parquet"))
    if mode == "single":
        from helpers.neardup.lexical import near_duplicate_pairs

        docs = pd.concat([pd.read_parquet(p) for p in shards], ignore_index=True)
        info["load_s"] = time.perf_counter() - t0
        pairs = near_duplicate_pairs(docs, threshold=threshold)
        info["n_docs"] = len(docs)
    else:
        import dask.dataframe as dd

        from helpers.distributed import cluster, near_duplicate_pairs_dask

        workers = int(mode.removeprefix("dask"))
        with cluster(workers=workers):
            info["startup_s"] = time.perf_counter() - t0
            ddf = dd.read_parquet([str(p) for p in shards], columns=["doc_id", "text"])
            info["partitions"] = ddf.npartitions
            pairs = near_duplicate_pairs_dask(ddf, threshold=threshold)
            info["n_docs"] = None
    info["wall_s"] = time.perf_counter() - t0
    info["compute_s"] = info["wall_s"] - info.get("startup_s", 0.0)
    pairs.to_parquet(out, index=False)
    return info


# ------------------------------------------------------------------------------------------- driver
def measure(mode: str, folder: Path, threshold: float, timeout: float, max_rss_gb: float = 12.0) -> dict:
    """Run ``mode`` in a subprocess, sampling the process tree's resident memory every 0.2 s."""
    import psutil
    from process_tree import tree_memory

    out = folder / f"pairs-{mode}-t{threshold}.parquet"
    info_path = folder / f"info-{mode}.json"
    for p in (out, info_path):
        p.unlink(missing_ok=True)
    cmd = [
        sys.executable,
        __file__,
        "--child",
        mode,
        "--data",
        str(folder),
        "--threshold",
        str(threshold),
        "--info",
        str(info_path),
    ]
    print(f"\n== {mode}", flush=True)
    load_before = os.getloadavg()[0]
    t = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=str(REPO))
    proc = psutil.Process(child.pid)
    peak = 0
    cpu: dict = {}
    while child.poll() is None:
        peak = max(peak, tree_memory(proc, cpu))
        why = (
            f"timeout after {timeout:.0f} s"
            if time.perf_counter() - t > timeout
            else f"stopped at {peak / 1e9:.1f} GB resident (cap {max_rss_gb} GB) after {time.perf_counter() - t:.0f} s"
            if peak > max_rss_gb * 1e9
            else None
        )
        if why:
            for p in proc.children(recursive=True) + [proc]:
                try:
                    p.kill()
                except psutil.NoSuchProcess:
                    pass
            return {"mode": mode, "error": why, "peak_rss_gb": peak / 1e9, "cpu_s": sum(cpu.values())}
        time.sleep(0.2)
    elapsed = time.perf_counter() - t
    if child.returncode != 0 or not info_path.exists():
        return {"mode": mode, "error": f"exit code {child.returncode}", "peak_rss_gb": peak / 1e9}
    info = json.loads(info_path.read_text())
    info["process_s"] = elapsed
    info["load_avg_1min"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]  # other users of the 2 cores
    info["cpu_s"] = sum(cpu.values())  # user + system seconds of every process of the tree (last sample)
    info["peak_rss_gb"] = peak / 1e9
    info["pairs_path"] = str(out)
    return info


def score(pairs: pd.DataFrame, truth: pd.DataFrame) -> dict:
    def key(a, b):  # unordered: the pipeline orders a pair by corpus position, the truth by id
        return (a, b) if a <= b else (b, a)

    pos = truth[truth["jaccard"] >= 0.5]
    found = {key(a, b) for a, b in zip(pairs["doc_a"], pairs["doc_b"])}
    hit = sum(key(a, b) in found for a, b in zip(pos["doc_a"], pos["doc_b"]))
    planted = {key(a, b) for a, b in zip(truth["doc_a"], truth["doc_b"])}
    return {
        "pairs": len(pairs),
        "planted_j50": len(pos),
        "recall_j50": hit / len(pos) if len(pos) else float("nan"),
        "pairs_not_planted": sum(p not in planted for p in found),
    }


def _write_results(args, truth: pd.DataFrame, rows: list[dict]) -> None:
    """Write (or update) ``benchmarks/results/scale_1m.json`` with the runs so far for this ``n``."""
    import dask
    import distributed

    result = {
        "benchmark": "scale_1m",
        "n_docs": args.n,
        "threshold": args.threshold,
        "seed": args.seed,
        "shard_rows": args.shard_rows,
        "cpu_count": os.cpu_count(),
        "dask": dask.__version__,
        "distributed": distributed.__version__,
        "goal": {"wall_s": 300, "peak_rss_gb": 8, "recall_j50": 0.95},
        "data": {
            "docs": args.n,
            "planted_pairs": len(truth),
            "planted_j50": int((truth["jaccard"] >= 0.5).sum()),
            "words": "200-900",
            "copy_share": 0.2,
        },
        "runs": rows,
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    old = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs = old.get("by_n", {}) if isinstance(old, dict) else {}
    runs[str(args.n)] = result
    RESULTS.write_text(json.dumps({"benchmark": "scale_1m", "by_n": runs}, indent=2, default=str))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000, help="documents (default 1,000,000)")
    ap.add_argument("--modes", default="dask2,dask1,single", help="comma list of single, dask1, dask2")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--shard-rows", type=int, default=10_000, help="documents per Parquet shard = Dask partition")
    ap.add_argument("--jobs", type=int, default=2, help="processes generating data")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument(
        "--max-rss-gb",
        type=float,
        default=12.0,
        help="stop a mode whose process tree exceeds this resident memory (protects a shared machine)",
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--info", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        folder = Path(args.data)
        info = run_mode(args.child, folder, folder / f"pairs-{args.child}-t{args.threshold}.parquet", args.threshold)
        Path(args.info).write_text(json.dumps(info))
        return

    folder = ensure_data(args.n, seed=args.seed, shard_rows=args.shard_rows, jobs=args.jobs)
    truth = pd.read_parquet(folder / "truth.parquet")
    rows = []
    ref = None
    for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
        info = measure(mode, folder, args.threshold, args.timeout, args.max_rss_gb)
        if "error" not in info:
            pairs = pd.read_parquet(info.pop("pairs_path"))
            info.update(score(pairs, truth))
            if ref is None:
                ref = (mode, pairs)
                info["identical_to"] = mode
            else:
                same = pairs.reset_index(drop=True).equals(ref[1].reset_index(drop=True))
                info["identical_to"] = ref[0] if same else f"DIFFERS from {ref[0]}"
        rows.append(info)
        print(json.dumps(info), flush=True)
        _write_results(args, truth, rows)
    table = pd.DataFrame(rows)
    cols = [
        c
        for c in [
            "mode",
            "wall_s",
            "startup_s",
            "compute_s",
            "cpu_s",
            "peak_rss_gb",
            "pairs",
            "planted_j50",
            "recall_j50",
            "pairs_not_planted",
            "identical_to",
            "load_avg_1min",
            "error",
        ]
        if c in table.columns
    ]
    print(
        f"\nLexical near-duplicates on {args.n:,} synthetic documents (threshold {args.threshold}; "
        f"{os.cpu_count()} cores; goal: <= 300 s, <= 8 GB, recall >= 0.95)"
    )
    print(table[cols].to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    _write_results(args, truth, rows)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
