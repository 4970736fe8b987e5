"""Story families at scale: exact (all pairs) against approximate candidates, in one process and on Dask.

    python benchmarks/story_scale.py --quality                   # recall and ARI on the development sets
    python benchmarks/story_scale.py --sizes 10000,100000 --engines exact,ann --workers 0,2

Measures (development numbers: the sets in ``../shared``, the parameters of ``CandidateParams`` chosen on 5,000
documents of ``benchmarks/real_corpus.py``):

- **candidate recall**: each document's ``knn`` best edges (>= ``min_raw``) found by the approximate candidates,
  against exact k-NN over all pairs (k = 30), on real news (``real_corpus.py``, 10,000 documents, its own dates)
  and on the planted corpus (10,000): of all exact edges, of those the time decay keeps above ``min_raw``, and of
  those inside an exact family (see :func:`candidate_recall`);
- **ARI exact vs ANN** of the story families (:func:`helpers.neardup.families.story_clusters`) on the development
  story sets (ECB+, DUC 2004, AllSides; ``story_clustering.py``) and rewrite sets (``rewrite_sets.py``), with the
  ARI of each against the gold labels beside it;
- **scale**: the planted-family corpus of ``story_scale_corpus.py`` at each size: seconds per stage (documents,
  vectors, similarity with candidates, clustering), peak resident memory of the whole process tree (psutil,
  sampled every 0.2 s: the run, its Dask scheduler and workers), its CPU seconds, ARI of exact and ANN families
  against each other and against the planted stories. Each run is a child process.

Results: ``benchmarks/results/story_scale.json``. The machine is shared: ``load_avg_1min`` is recorded per run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results" / "story_scale.json"
CACHE = HERE / ".cache"
sys.path.insert(0, str(HERE))


def _ann(params=None):
    from dataclasses import replace

    from helpers.neardup.families.candidates import CandidateParams
    from helpers.neardup.families.params import FamilyParams

    p = params or FamilyParams()
    return replace(p, candidates=replace(CandidateParams(), engine="ann"))


# ------------------------------------------------------------------------------------------- quality
def _edge_keys(rows, cols, n: int) -> np.ndarray:
    """Directed edges as one int64 key each."""
    return np.concatenate(rows).astype(np.int64) * n + np.concatenate(cols)


def candidate_recall(n: int = 10_000, corpus: str = "real") -> dict:
    """Recall of each document's exact ``knn`` best edges (>= ``min_raw``; chosen as both engines choose them, by
    the raw similarity unless ``choose_after_decay``) among the approximate ones, three ways:

    - ``all``: every exact edge;
    - ``decay_kept``: exact edges whose time-decayed raw similarity still reaches ``min_raw`` (the edges of the
      story graph the clustering reads: further apart in time, a pair cannot help form a family);
    - ``family``: decay-kept exact edges inside a family of the exact path (both documents in one family of 2
      or more): the edges that form families;
    - ``family_any_gap``: all exact edges inside an exact family, also those the decay removes (documents months
      apart in one family through a lexical copy link or through the family's other members).
    """
    from story_scale_corpus import cached

    from helpers.neardup.families import similarity as S
    from helpers.neardup.families import story_clusters
    from helpers.neardup.families.decay import epoch_days
    from helpers.neardup.families.documents import prepare_documents
    from helpers.neardup.families.params import FamilyParams
    from helpers.neardup.families.vectors import story_vectors

    if corpus == "real":
        from real_corpus import build

        raw_docs = pd.DataFrame(build(n))
    else:
        raw_docs = cached(n)
    d = prepare_documents(raw_docs)
    v = story_vectors(d)
    p = FamilyParams(candidates="exact")
    # exact k-NN chosen as the approximate engine chooses: by the raw similarity over all time (default) or, with
    # CandidateParams.choose_after_decay, by the decayed one
    days = epoch_days(d["published"]) if _ann(p).candidates.choose_after_decay else None
    t = time.perf_counter()
    (r, c, vals, *_), _ = S._exact_edges(v.words, v.specifics, None, p, days)
    exact_s = time.perf_counter() - t
    t = time.perf_counter()
    (r2, c2, *_), _ = S._ann_edges(v.words, v.specifics, None, d["published"], _ann(p))
    ann_s = time.perf_counter() - t
    m = len(d)
    exact, found = _edge_keys(r, c, m), np.isin(_edge_keys(r, c, m), _edge_keys(r2, c2, m))
    rows, cols, raw = np.concatenate(r), np.concatenate(c), np.concatenate(vals)
    days = (d["published"] - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds().to_numpy() / 86400.0
    gap = np.nan_to_num(np.abs(days[rows] - days[cols]), nan=0.0)  # undated pairs are not decayed
    decayed = raw * np.power(0.5, np.maximum(0.0, gap - p.time_window_days) / p.time_halflife_days)
    kept = decayed >= p.min_raw
    sim = S.story_similarity(d, p, vectors=v)
    fam = story_clusters(d, p, similarity=sim)["family_id"].to_numpy()
    sizes = np.bincount(fam)
    inside = (fam[rows] == fam[cols]) & (sizes[fam[rows]] > 1)
    out = {"corpus": corpus, "docs": m, "dated": int(d["published"].notna().sum()), "k": p.knn}
    masks = {"all": np.ones(len(exact), bool), "decay_kept": kept, "family": inside & kept, "family_any_gap": inside}
    for name, mask in masks.items():
        out[f"edges_{name}"] = int(mask.sum())
        out[f"recall_{name}"] = round(float(found[mask].mean()), 4) if mask.any() else None
    out.update(exact_s=round(exact_s, 1), ann_s=round(ann_s, 1))
    print("candidate recall", out, flush=True)
    return out


def _sets():
    """(name, documents with ``label``) of every development story and rewrite set."""
    import rewrite_sets
    import story_clustering

    for key in ("ecb", "duc", "allsides"):
        yield key, story_clustering.load_set(key)
    if rewrite_sets.available():
        for key in rewrite_sets.SETS:
            d = rewrite_sets.build(key)
            yield key, d.assign(label=d["story_id"].astype(str))


def family_agreement() -> list[dict]:
    """ARI between exact and ANN families on each development set (and of each against the gold labels)."""
    from sklearn.metrics import adjusted_rand_score as ari

    from helpers.neardup.families import story_clusters
    from helpers.neardup.families.params import FamilyParams

    rows = []
    for name, docs in _sets():
        t = time.perf_counter()
        exact = story_clusters(docs, FamilyParams(candidates="exact"))["family_id"].to_numpy()
        te = time.perf_counter() - t
        t = time.perf_counter()
        ann = story_clusters(docs, _ann())["family_id"].to_numpy()
        ta = time.perf_counter() - t
        y = docs["label"].to_numpy()
        row = {"set": name, "docs": len(docs), "ARI_exact_vs_ann": round(float(ari(exact, ann)), 4)}
        row.update(ARI_gold_exact=round(float(ari(y, exact)), 4), ARI_gold_ann=round(float(ari(y, ann)), 4))
        row.update(exact_s=round(te, 1), ann_s=round(ta, 1))
        print(row, flush=True)
        rows.append(row)
    return rows


def corpus_agreement(n: int = 10_000) -> list[dict]:
    """ARI between the families from exact and from approximate candidates (same vectors) on real news
    (``real_corpus.py``), the planted corpus and AllSides, with each against the labels."""
    import story_clustering
    from real_corpus import build
    from sklearn.metrics import adjusted_rand_score as ari
    from story_scale_corpus import cached

    from helpers.neardup.families import story_clusters, story_similarity
    from helpers.neardup.families.documents import prepare_documents
    from helpers.neardup.families.params import FamilyParams
    from helpers.neardup.families.vectors import story_vectors

    corpora = {
        "real": lambda: pd.DataFrame(build(n)),
        "planted": lambda: cached(n).rename(columns={"story": "label"}),
        "allsides": lambda: story_clustering.load_set("allsides"),
    }
    rows = []
    for name, load in corpora.items():
        docs = load()
        d = prepare_documents(docs)
        v = story_vectors(d)
        fams, secs = {}, {}
        for engine, p in (("exact", FamilyParams(candidates="exact")), ("ann", _ann())):
            t = time.perf_counter()
            sim = story_similarity(d, p, vectors=v)
            fams[engine] = story_clusters(d, p, similarity=sim)["family_id"].to_numpy()
            secs[engine] = round(time.perf_counter() - t, 1)
        row = {"corpus": name, "docs": len(d), "dated": int(d["published"].notna().sum())}
        row["ARI_exact_vs_ann"] = round(float(ari(fams["exact"], fams["ann"])), 4)
        y = docs["label"].astype(str).to_numpy()
        row.update({f"ARI_gold_{e}": round(float(ari(y, f)), 4) for e, f in fams.items()})
        row.update({f"{e}_s": s for e, s in secs.items()})
        print(row, flush=True)
        rows.append(row)
    return rows


# ------------------------------------------------------------------------------------------- scale
def child(size: int, engine: str, workers: int, out: Path, worker_memory: str = "auto", build_threads: int = 1) -> None:
    """One run (in a child process): story clusters of the planted corpus, wall and CPU seconds per stage."""
    from contextlib import nullcontext

    from story_scale_corpus import cached

    from helpers.distributed import cluster, story_vectors_dask
    from helpers.neardup.families import story_clusters, story_similarity
    from helpers.neardup.families.candidates import CandidateParams
    from helpers.neardup.families.documents import prepare_documents
    from helpers.neardup.families.params import FamilyParams
    from helpers.neardup.families.vectors import story_vectors

    docs = cached(size)
    p = FamilyParams(candidates=CandidateParams(engine=engine, build_threads=build_threads))
    stages, cpu, ends = {}, {}, {}

    def timed(name, step, *args, **kwargs):
        t, c = time.perf_counter(), time.process_time()
        result = step(*args, **kwargs)
        stages[name], cpu[name], ends[name] = time.perf_counter() - t, time.process_time() - c, time.time()
        info = {"stages_s": {k: round(s, 1) for k, s in stages.items()}, "stage_end": ends, "lexical_copies": lexical}
        out.write_text(json.dumps(info | {"stages_cpu_s": {k: round(s, 1) for k, s in cpu.items()}}))
        return result  # the stages so far are written after each: a run stopped by the timeout still reports them

    # the lexical copy step inside the similarity, timed on its own (its window is read in measure)
    from helpers.neardup.families import similarity as _similarity

    lexical_pairs, lexical = _similarity._lexical_pairs, {}

    def timed_lexical(*args, **kwargs):  # CPU of its own thread: it may run beside the index build
        t, c = time.time(), time.thread_time()
        result = lexical_pairs(*args, **kwargs)
        lexical.update(start=t, end=time.time(), cpu_s=round(time.thread_time() - c, 1), pairs=len(result))
        return result

    _similarity._lexical_pairs = timed_lexical
    with cluster(workers, quiet=True, memory_limit=worker_memory) if workers else nullcontext():
        d = timed("documents", prepare_documents, docs)
        stories = docs["story"].to_numpy()
        del docs  # the client keeps the prepared table only
        vectors = [timed("vectors", story_vectors_dask if workers else story_vectors, d)]
        # handed over, not kept: story_similarity frees the words' TF-IDF once the graph exists
        sim = timed("similarity", lambda: story_similarity(d, p, vectors=vectors.pop()))
        fam = timed("clustering", story_clusters, d, p, similarity=sim)
    fam.assign(story=stories).to_parquet(out.with_suffix(".parquet"), index=False)
    info = {"stages_s": {k: round(s, 1) for k, s in stages.items()}, "edges": int(sim.raw.nnz // 2)}
    info["lexical_copies"] = lexical  # start/end (epoch s), CPU s of the thread that ran it (on the client), pairs
    info["stages_cpu_s"] = {k: round(s, 1) for k, s in cpu.items()}  # this process's CPU (not the workers')
    out.write_text(json.dumps(info | {"stage_end": ends}))


def measure(
    size: int,
    engine: str,
    workers: int,
    timeout: float,
    max_gb: float = 0,
    worker_memory: str = "auto",
    build_threads: int = 1,
) -> dict:
    """Run :func:`child` in a subprocess; wall time and peak resident memory of its process tree. The tree is
    killed after ``timeout`` seconds, or as soon as it holds more than ``max_gb`` (0: no limit), so that a run
    cannot push a shared machine into swap."""
    import psutil
    from process_tree import tree_memory

    out = CACHE / f"story_scale_run_{size}_{engine}_{workers}.json"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, __file__, "--child", f"{size},{engine},{workers}", "--info", str(out)]
    cmd += ["--worker-memory", worker_memory, "--build-threads", str(build_threads)]
    load = os.getloadavg()[0]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=str(REPO))
    ps = psutil.Process(proc.pid)
    peak, cpu, samples, stopped = 0, {}, [], ""
    while proc.poll() is None:
        try:
            client = ps.memory_info().rss  # the run itself (with a LocalCluster: the client and the scheduler)
        except psutil.NoSuchProcess:
            client = 0
        samples.append((time.time(), tree_memory(ps, cpu), client))
        peak = max(peak, samples[-1][1])
        if max_gb and peak > max_gb * 1e9:
            stopped = f"killed above {max_gb:g} GB (process tree)"
        elif time.perf_counter() - t > timeout:
            stopped = f"timeout after {timeout:.0f} s"
        if stopped:
            for q in ps.children(recursive=True) + [ps]:
                try:
                    q.kill()
                except psutil.NoSuchProcess:
                    pass
            proc.wait()
            break
        time.sleep(0.2)
    row = {"size": size, "engine": engine, "workers": workers, "seconds": round(time.perf_counter() - t, 1)}
    if build_threads != 1:
        row["build_threads"] = build_threads
    row.update(peak_rss_gb=round(peak / 1e9, 2), load_avg_1min=[round(load, 1), round(os.getloadavg()[0], 1)])
    row["cpu_s"] = round(sum(cpu.values()), 1)  # CPU of the process tree (last sample): on a busy machine, wall grows
    if proc.returncode != 0 or not out.exists():
        row["error"] = stopped or f"exit {proc.returncode}"
    if out.exists():  # the stages finished (all of them, or those before a timeout)
        row.update(json.loads(out.read_text()))
        ends = row.pop("stage_end", {})
        row["stages_peak_gb"] = _stage_peaks([(t, m) for t, m, _ in samples], ends)
        lex = row.get("lexical_copies", {})
        if "end" in lex:  # the lexical copy step inside the similarity: wall and peaks of its window
            inside = [(m, c) for t, m, c in samples if lex["start"] <= t <= lex["end"]] or [(0, 0)]
            lex["seconds"] = round(lex.pop("end") - lex.pop("start"), 1)
            lex["peak_gb"] = round(max(m for m, _ in inside) / 1e9, 2)
            lex["client_peak_gb"] = round(max(c for _, c in inside) / 1e9, 2)
            lex["workers_peak_gb"] = round(max(m - c for m, c in inside) / 1e9, 2)
        if workers:  # the client (and scheduler) process, and the workers (nannies included) beside it
            row["stages_client_peak_gb"] = _stage_peaks([(t, c) for t, _, c in samples], ends)
            row["stages_workers_peak_gb"] = _stage_peaks([(t, m - c) for t, m, c in samples], ends)
    print(row, flush=True)
    return row


def _stage_peaks(samples: list, ends: dict) -> dict:
    """Peak resident memory of the process tree (GB) during each stage, from ``(time, bytes)`` samples and each
    stage's end time; the samples after the last stage end go to ``"after"`` (a stage cut by the timeout)."""
    out, start = {}, 0.0
    for name, end in list(ends.items()) + [("after", float("inf"))]:
        inside = [m for t, m in samples if start <= t < end]
        if inside:
            out[name] = round(max(inside) / 1e9, 2)
        start = end
    return out


def agreement(runs: list[dict]) -> None:
    """ARI against the planted stories, and between exact and ANN families of the same size."""
    from sklearn.metrics import adjusted_rand_score as ari

    labels = {}
    for r in runs:
        path = CACHE / f"story_scale_run_{r['size']}_{r['engine']}_{r['workers']}.parquet"
        if "error" not in r and path.exists():
            fam = pd.read_parquet(path)
            labels[(r["size"], r["engine"], r["workers"])] = fam["family_id"].to_numpy()
            r["ARI_planted"] = round(float(ari(fam["story"], fam["family_id"])), 4)
    for r in runs:
        exact = labels.get((r["size"], "exact", 0))
        one = labels.get((r["size"], r["engine"], 0))
        mine = labels.get((r["size"], r["engine"], r["workers"]))
        if exact is not None and mine is not None and r["engine"] != "exact":
            r["ARI_vs_exact"] = round(float(ari(exact, mine)), 4)
        if one is not None and mine is not None and r["workers"]:
            r["ARI_vs_one_process"] = round(float(ari(one, mine)), 4)
            r["identical_to_one_process"] = bool((pd.factorize(one)[0] == pd.factorize(mine)[0]).all())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quality", action="store_true", help="candidate recall and ARI on the development sets")
    ap.add_argument("--recall", action="store_true", help="candidate recall only")
    ap.add_argument("--agreement", action="store_true", help="exact vs ANN families: real, planted 10k, AllSides")
    ap.add_argument("--sizes", default="", help="corpus sizes of the scale runs, e.g. 10000,100000")
    ap.add_argument("--engines", default="exact,ann")
    ap.add_argument("--workers", default="0", help="0 (one process) and/or a number of local Dask workers")
    ap.add_argument("--exact-up-to", type=int, default=20_000, help="largest size the exact engine runs at")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--max-gb", type=float, default=0, help="kill a run whose process tree holds more (0: no limit)")
    ap.add_argument("--worker-memory", default="auto", help="Dask memory_limit of each local worker, e.g. 4GB")
    ap.add_argument("--out", type=Path, default=RESULTS, help="results file (merged into when it exists)")
    ap.add_argument("--build-threads", type=int, default=1, help="threads building each HNSW index (1: deterministic)")
    ap.add_argument("--child")
    ap.add_argument("--info", type=Path)
    args = ap.parse_args(argv)
    if args.child:
        size, engine, workers = args.child.split(",")
        child(int(size), engine, int(workers), args.info, args.worker_memory, args.build_threads)
        return 0
    if not (REPO.parent / "shared" / "benchmarks").is_dir():
        print("skipped: ../shared/benchmarks not found beside the checkout")
        return 0
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    if args.quality or args.recall:
        results["candidate_recall"] = [candidate_recall(10_000, corpus) for corpus in ("real", "planted")]
    if args.quality:
        results["family_agreement"] = family_agreement()
    if args.agreement:
        results["corpus_agreement"] = corpus_agreement()
    if args.sizes:
        CACHE.mkdir(parents=True, exist_ok=True)
        runs = []
        for size in (int(s) for s in args.sizes.split(",")):
            for engine in args.engines.split(","):
                for workers in (int(w) for w in args.workers.split(",")):
                    if (engine == "exact" and (workers or size > args.exact_up_to)) or (workers and engine != "ann"):
                        continue
                    limits = (args.timeout, args.max_gb, args.worker_memory, args.build_threads)
                    runs.append(measure(size, engine, workers, *limits))
        agreement(runs)
        old = [r for r in results.get("scale", []) if (r["size"], r["engine"], r["workers"]) not in
               {(x["size"], x["engine"], x["workers"]) for x in runs}]  # fmt: skip
        results["scale"] = sorted(old + runs, key=lambda r: (r["size"], r["workers"], r["engine"]))
    results["machine"] = {"cores": os.cpu_count(), "python": sys.version.split()[0]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
