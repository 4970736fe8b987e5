"""The corpus and tokenise layers (what notebook 01 computes) on real news, this code against the code before
issue 13, side by side: alternating runs in fresh processes on the same documents, median of each step.

    python benchmarks/corpus_layers.py --size 3000 --repeats 3

Steps: ``load`` (``load_corpus`` of the JSONL), ``tokenise`` (sentences and tokens: ``sentences_and_tokens`` now,
``tokens`` and ``sentences`` before, as notebook 01 ran them), ``statistics`` (``document_stats``, ``vocabulary``,
``distinctive_terms``). The baseline is commit ``525a31a`` in a temporary git worktree, imported through
``PYTHONPATH``. Results: ``benchmarks/results/corpus_layers.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import real_corpus  # noqa: E402

BASELINE = "525a31a"
OUT = ROOT / "benchmarks" / "results" / "corpus_layers.json"
STEPS = """
import json, sys, time
from helpers import tokenise
from helpers.corpus import load_corpus
t = {}
t0 = time.perf_counter(); docs = load_corpus(sys.argv[1]); t["load"] = time.perf_counter() - t0
t0 = time.perf_counter()
if hasattr(tokenise, "sentences_and_tokens"):
    sents, toks = tokenise.sentences_and_tokens(docs)
else:
    toks, sents = tokenise.tokens(docs), tokenise.sentences(docs)
t["tokenise"] = time.perf_counter() - t0
t0 = time.perf_counter()
tokenise.document_stats(docs, toks); tokenise.vocabulary(toks); tokenise.distinctive_terms(toks)
t["statistics"] = time.perf_counter() - t0
t["documents"], t["tokens"] = len(docs), len(toks)
print(json.dumps(t))
"""


def measure(src: Path, corpus: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(src))
    proc = subprocess.run(
        [sys.executable, "-c", STEPS, str(corpus)], env=env, capture_output=True, text=True, check=True, cwd=src
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=3000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if real_corpus.missing():
        return 0
    work = Path(tempfile.mkdtemp(prefix="storytrace-layers-"))
    corpus = real_corpus.write_jsonl(real_corpus.build(args.size), work / "corpus.jsonl")
    base = work / "baseline"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(base), BASELINE], cwd=ROOT, check=True, capture_output=True
    )
    runs: dict[str, list[dict]] = {"baseline": [], "now": []}
    try:
        for _ in range(args.repeats):
            for label, src in (("baseline", base / "src"), ("now", ROOT / "src")):
                runs[label].append(measure(src, corpus))
                print(label, {k: round(v, 2) for k, v in runs[label][-1].items()}, flush=True)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, capture_output=True)
    steps = ["load", "tokenise", "statistics"]
    median = {label: {s: round(statistics.median(r[s] for r in rs), 2) for s in steps} for label, rs in runs.items()}
    result = {
        "size": args.size,
        "documents": runs["now"][0]["documents"],
        "tokens": runs["now"][0]["tokens"],
        "repeats": args.repeats,
        "baseline_commit": BASELINE,
        "median_seconds": median,
        "speed_up": {s: round(median["baseline"][s] / median["now"][s], 2) for s in steps},
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "runs": runs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("median_seconds", "speed_up")}), f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
