"""Refit the story model (P(same story) of two documents) and write it as JSON
(``src/helpers/data/story_model.json`` by default).

From the labelled development sets (default: ECB+, DUC 2004 and AllSides from ``../shared/benchmarks/stories``,
and the rewrite sets ``rw-a``, ``rw-b`` built by ``benchmarks/rewrite_sets.py``), or from your own labels:

    python scripts/fit_story_model.py                                          # the development sets
    python scripts/fit_story_model.py --labelled mine.jsonl --out my_story_model.json [--story-column story_id]

A labelled file (``.jsonl`` or ``.csv``) has ``doc_id``, ``text``, a story column (documents of one story share a
label; a document alone is a story of its own) and optionally ``title`` and ``published``. The candidate pairs are
the edges of the story-similarity graph of each file (or set), labelled same story or not; a logistic regression
(scikit-learn, fixed seed; each file or set weighs the same) is fitted on their features. Use the result with
``families(docs, story_model="my_story_model.json")`` or ``FamilyParams(story_model=...)``. Deterministic; the
development sets take a few minutes on two cores (most of it the sentence coverage of AllSides' 8,277 snippets).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from helpers.corpus.records import read_labelled_table

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "helpers" / "data" / "story_model.json"
DEV_SETS = ("ecb", "duc", "allsides", "rw-a", "rw-b")


def read_labelled(path: Path, story: str) -> pd.DataFrame:
    """A labelled table as ``doc_id``, ``title``, ``text``, ``story_id`` (and ``published`` when given)."""
    d = read_labelled_table(path, {"doc_id", "text", story})
    out = pd.DataFrame({"doc_id": d["doc_id"].astype(str), "text": d["text"].fillna("").astype(str)})
    out["title"] = d["title"].fillna("").astype(str) if "title" in d else ""
    out["story_id"] = d[story].astype(str)
    if "published" in d:
        out["published"] = d["published"]
    return out


def development_sets() -> dict[str, pd.DataFrame]:
    """The labelled development sets (``benchmarks/story_model.py`` loads the same)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import story_model as bench

    return {name: bench.development_set(name) for name in DEV_SETS}


def main(argv=None) -> int:
    from helpers.neardup.families.story_model import fit_story_model, labelled_pairs

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labelled", type=Path, nargs="*", help="your own labelled files (.jsonl/.csv), one corpus each")
    ap.add_argument("--story-column", default="story_id")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--C", type=float, default=1.0)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    if args.labelled:
        sets = {p.name: read_labelled(p, args.story_column) for p in args.labelled}
        data = "your labels: " + ", ".join(sets)
    else:
        sets = development_sets()
        data = "development sets " + ", ".join(DEV_SETS) + " (ECB+, DUC 2004, AllSides, two L2R rewrite sets)"
    frames = []
    for name, d in sets.items():
        X = labelled_pairs(d)
        print(f"{name}: {len(d)} documents, {len(X)} candidate pairs, {X['same_story'].sum()} same story", flush=True)
        frames.append(X.assign(corpus=name))
    X = pd.concat(frames, ignore_index=True)
    if X["same_story"].nunique() < 2:
        print("the candidate pairs need both same-story and other pairs to fit a model", file=sys.stderr)
        return 2
    model = fit_story_model(X, X["same_story"].to_numpy(), X["corpus"], C=args.C, meta={"data": data})
    model.save(args.out)
    print("coefficients (per standard deviation):", dict(zip(model.features, model.coef.round(2))))
    print(f"wrote {args.out} in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
