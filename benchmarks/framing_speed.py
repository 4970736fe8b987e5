"""Speed of the framing step on real news: the framing notebook's calls, and ``analyse`` against the first
version's ``analyse`` side by side (a ratio measured in one run: the machine is shared, absolute times drift).

    python benchmarks/framing_speed.py --size 10000 [--baseline-size 500] [--baseline-commit ac3738a]
        [--steps-commit 07c6500]

The corpus is ``benchmarks/real_corpus.py``'s (Timeline17, AllSides, DUC, ECB+, BBC and their rewrites). As
in a run, the texts are tokenised once beforehand (notebook 01's ``load_tokens``, not timed here) and framing
reads that token table. The notebook's calls are timed one by one: ``analyse``, ``keyness_comparisons``,
``story_frames`` and ``framing_shift`` + ``shift_summary``. The families a run would take from notebook 02
are stood in for by the corpus's own story labels (each label's first document the parent of the others), so
that the family steps see families of real sizes.

Times are wall and CPU seconds of the process (on a machine shared with other jobs, CPU time is the steadier
of the two). The baseline is the framing package of ``--baseline-commit`` (extracted from git history into a temporary
folder) running ``analyse`` in a subprocess on the first ``--baseline-size`` documents; the new ``analyse``
runs on the same documents in the same way, so the ratio compares like with like. With ``--steps-commit``, every
notebook step is also timed with that commit's package and with this one, each in a fresh process on the same
``--size`` documents, ``--repeats`` rounds alternating old and new, the run of median CPU seconds reported (old beside
new, CPU seconds: the steadier measure on a shared machine; wall seconds and the machine's 1-minute load before and
after each run are recorded too). The new side converts the token table to plain strings first, as notebook 04
does (``plain_tokens``, counted).
Writes ``benchmarks/results/framing_speed.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "framing_speed.json"
sys.path.insert(0, str(REPO / "benchmarks"))

_TIME_ANALYSE = textwrap.dedent(
    """
    import sys, time
    import pandas as pd
    sys.path.insert(0, sys.argv[1])
    from helpers import framing
    from helpers.tokenise import tokens
    docs = pd.read_json(sys.argv[2], lines=True)[["doc_id", "title", "text"]]
    docs["title"] = docs["title"].fillna("")
    t0 = time.perf_counter()
    kw = {}
    if "text_tokens" in framing.analyse.__code__.co_varnames:
        kw["text_tokens"] = tokens(docs[["doc_id", "text"]])  # as in a run: notebook 01 tokenised the texts
    t1, c1 = time.perf_counter(), time.process_time()
    framing.analyse(docs, **kw)
    print(time.perf_counter() - t1, time.process_time() - c1)
    """
)


def _time_analyse(src: Path, corpus: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of ``analyse`` of the package in ``src`` on ``corpus``, in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", _TIME_ANALYSE, str(src), str(corpus)], capture_output=True, text=True, check=True
    )
    wall, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def baseline(rows: list[dict], commit: str, size: int, repeats: int = 3) -> dict:
    """The first version's ``analyse`` against the new one on the same ``size`` documents."""
    from real_corpus import write_jsonl

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old = tmp / "old"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "src/helpers"], capture_output=True)
        if archive.returncode:
            return {"skipped": f"git archive {commit} failed: {archive.stderr.decode()[:200]}"}
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
        corpus = write_jsonl(rows[:size], tmp / "corpus.jsonl")
        runs = {"new": [], "old": []}
        for _ in range(repeats):  # alternate, so that a busy spell of the shared machine hits both
            runs["new"].append(_time_analyse(REPO / "src", corpus))
            runs["old"].append(_time_analyse(old / "src", corpus))
    wall = {k: float(np.median([w for w, _ in v])) for k, v in runs.items()}
    cpu = {k: float(np.median([c for _, c in v])) for k, v in runs.items()}
    return {
        "documents": size,
        "commit": commit,
        "repeats": repeats,
        "old_wall_s": round(wall["old"], 1),
        "new_wall_s": round(wall["new"], 1),
        "old_cpu_s": round(cpu["old"], 1),
        "new_cpu_s": round(cpu["new"], 1),
        "old_docs_per_cpu_s": round(size / cpu["old"], 1),
        "new_docs_per_cpu_s": round(size / cpu["new"], 1),
        "speedup_cpu": round(cpu["old"] / cpu["new"], 1),
        "speedup_wall": round(wall["old"] / wall["new"], 1),
    }


_TIME_STEPS = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, sys.argv[1])
    sys.path.insert(0, sys.argv[2])
    import helpers
    from framing_speed import notebook_steps
    rows = [json.loads(line) for line in open(sys.argv[3], encoding="utf-8")]
    print(json.dumps({"package": helpers.__file__, **notebook_steps(rows)}))
    """
)


def _package(commit: str, into: Path) -> Path | None:
    """``src`` of ``commit`` extracted from git history into ``into`` (None when git cannot)."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "src/helpers"], capture_output=True)
    if archive.returncode:
        return None
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / "src"


def steps_side_by_side(rows: list[dict], commit: str, rounds: int = 1) -> dict:
    """The notebook's calls (:func:`notebook_steps`) with the package of ``commit`` and with this checkout's, each
    in a fresh process on the same documents, one after the other (``rounds`` times, alternating; medians): CPU
    seconds per step, old beside new."""
    from real_corpus import write_jsonl

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old_src = _package(commit, tmp / "old")
        if old_src is None:
            return {"skipped": f"git archive {commit} failed"}
        corpus = write_jsonl(rows, tmp / "corpus.jsonl")
        every: dict[str, list] = {"old": [], "new": []}
        load: dict[str, list] = {"old": [], "new": []}
        for _ in range(rounds):
            for name, src in (("old", old_src), ("new", REPO / "src")):
                before = os.getloadavg()[0]
                out = subprocess.run(
                    [sys.executable, "-c", _TIME_STEPS, str(src), str(REPO / "benchmarks"), str(corpus)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                every[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
                load[name].append([round(before, 1), round(os.getloadavg()[0], 1)])  # 1-minute load before, after
    old, new = (_median_run(every[k]) for k in ("old", "new"))
    cpu = {k: {"old": old["cpu_seconds"].get(k), "new": v} for k, v in new["cpu_seconds"].items()}
    return {
        "documents": len(rows),
        "commit": commit,
        "rounds": rounds,
        "notebook_cpu_s_every_round": {k: [r["notebook_cpu_s"] for r in v] for k, v in every.items()},
        "load_1min_before_after": load,
        "cpu_seconds": cpu,
        "wall_seconds": {k: {"old": old["wall_seconds"].get(k), "new": v} for k, v in new["wall_seconds"].items()},
        "old_notebook_cpu_s": old["notebook_cpu_s"],
        "new_notebook_cpu_s": new["notebook_cpu_s"],
        "speedup_cpu": round(old["notebook_cpu_s"] / new["notebook_cpu_s"], 2),
        "old_notebook_wall_s": old["notebook_wall_s"],
        "new_notebook_wall_s": new["notebook_wall_s"],
        "new_docs_per_cpu_s": new["notebook_docs_per_cpu_s"],
        "old_docs_per_cpu_s": old["notebook_docs_per_cpu_s"],
        "new_docs_per_wall_s": new["notebook_docs_per_wall_s"],
        "old_docs_per_wall_s": old["notebook_docs_per_wall_s"],
        "new_run": new,
    }


def _median_run(runs: list[dict]) -> dict:
    """The run of median notebook CPU seconds among ``runs`` (each step's times from that one run)."""
    return sorted(runs, key=lambda r: r["notebook_cpu_s"])[(len(runs) - 1) // 2]


def notebook_steps(rows: list[dict]) -> dict:
    """The framing notebook's calls on ``rows``, timed one by one (tokens made beforehand, as in a run)."""
    from helpers import framing
    from helpers.tokenise import tokens

    docs = pd.DataFrame(rows)[["doc_id", "title", "text", "source", "label"]].fillna("")
    t0 = time.perf_counter()
    toks = tokens(docs[["doc_id", "text"]])
    times = {"tokenise (notebook 01, not counted)": time.perf_counter() - t0}
    lineage = docs[["doc_id", "label"]].rename(columns={"label": "family_id"})
    first = lineage.groupby("family_id")["doc_id"].transform("first")
    lineage["parent"] = first.where(first != lineage["doc_id"], "")

    cpu: dict[str, float] = {}

    def timed(name, func):
        t, c = time.perf_counter(), time.process_time()
        value = func()
        times[name] = time.perf_counter() - t
        cpu[name] = time.process_time() - c
        return value

    if hasattr(framing, "plain_tokens"):  # as notebook 04 reads notebook 01's tokens (counted: the notebook does it)
        toks = timed("plain_tokens", lambda: framing.plain_tokens(toks))
    res = timed("analyse", lambda: framing.analyse(docs, text_tokens=toks))
    pairs = timed("lineage_pairs", lambda: framing.lineage_pairs(docs, lineage=lineage))
    timed("keyness_comparisons", lambda: framing.keyness_comparisons(docs, pairs, toks=toks))
    timed("origin_keyness", lambda: framing.origin_keyness(docs, pairs, toks=toks))
    texts = dict(zip(res.view["doc_id"], res.view["text"]))
    story = timed("story_frames", lambda: framing.story_frames(res.tokens, texts, framing.story_groups(docs, lineage)))
    shift = timed(
        "framing_shift",
        lambda: framing.framing_shift(
            docs, pairs, story_phrases=framing.story_lexicon(story), text_tokens=toks, matcher="frame"
        ),
    )
    timed("shift_summary", lambda: framing.shift_summary(shift, res))
    counted = sum(v for k, v in times.items() if "not counted" not in k)
    counted_cpu = sum(cpu.values())
    return {
        "documents": len(docs),
        "lineage_pairs": len(pairs),
        "wall_seconds": {k: round(v, 1) for k, v in times.items()},
        "cpu_seconds": {k: round(v, 1) for k, v in cpu.items()},
        "notebook_wall_s": round(counted, 1),
        "notebook_cpu_s": round(counted_cpu, 1),
        "notebook_docs_per_wall_s": round(len(docs) / counted, 1),
        "notebook_docs_per_cpu_s": round(len(docs) / counted_cpu, 1),
        "analyse_docs_per_cpu_s": round(len(docs) / cpu["analyse"], 1),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--baseline-size", type=int, default=500, help="0: no baseline")
    ap.add_argument("--baseline-commit", default="ac3738a")
    ap.add_argument("--repeats", type=int, default=3, help="alternating runs of old and new (medians)")
    ap.add_argument(
        "--steps-commit", default="", help="also time every notebook step with this commit's package beside this one"
    )
    args = ap.parse_args(argv)
    from real_corpus import SHARED, build

    if not SHARED.is_dir():
        print(f"{SHARED} not found: nothing measured (skipped)")
        return 0
    rows = build(args.size)
    result: dict = {"benchmark": "framing_speed"}
    if args.baseline_size:
        result["baseline"] = baseline(rows, args.baseline_commit, args.baseline_size, args.repeats)
        print(json.dumps(result["baseline"], indent=1))
    if args.steps_commit:  # the new side is the notebook's measurement too
        side = steps_side_by_side(rows, args.steps_commit, args.repeats)
        result["notebook"] = side.pop("new_run", None) or notebook_steps(rows)
        result["steps_side_by_side"] = side
        print(json.dumps(side, indent=1))
    else:
        result["notebook"] = notebook_steps(rows)
    print(json.dumps(result["notebook"], indent=1))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
