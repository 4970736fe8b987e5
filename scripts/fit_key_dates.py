"""Refit the key-date ranker and write it as JSON (``src/helpers/data/timeline_key_dates_ranker.json`` by default).

From the development set (the 12 Timeline17 topics of ``../shared/benchmarks/timeline17`` and the Syria topic of
``../shared/corpora/t17-syria``, its BBC and Reuters collections one topic), or from your own labelled collections
in the same layout: one folder per collection with ``InputDocs/<YYYY-MM-DD>/*.txt`` (articles by publication day)
and ``timelines/*.txt`` (a ``YYYY-MM-DD`` line, the sentences saying what happened, a line of dashes; one file per
timeline, several allowed):

    python scripts/fit_key_dates.py                                    # the development set
    python scripts/fit_key_dates.py --data my_collections --out my_ranker.json
    python scripts/fit_key_dates.py --data a_root --topic a_root=wildfires   # collections of one story together

Before writing, it prints the date F1 of rankers fitted with each topic held out (and each subject: collections
sharing a name before "_", e.g. the five BP oil-spill collections), beside the unsupervised mention score. Use
the result with ``key_dates(docs, ranker_file="my_ranker.json")`` (notebook 03: parameter ``key_dates_ranker``).
Deterministic: the same data gives the same file. Takes about two minutes on the development set (tagging).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV = [SHARED / "benchmarks" / "timeline17", SHARED / "corpora" / "t17-syria"]
DEV_TOPICS = {"t17-syria": "SyrianCrisis"}  # the two Syria collections tell one story
OUT = REPO / "src" / "helpers" / "data" / "timeline_key_dates_ranker.json"


def date_f1(rows, scores, gold) -> dict[str, float]:
    """Mean date F1 per collection's timelines, selecting as many days as each timeline lists."""
    import numpy as np

    rows = rows.assign(_score=scores)
    out = {}
    for (collection, timeline), dates in gold.groupby(["collection", "timeline"])["date"]:
        wanted = set(dates)
        candidates = rows.loc[rows["collection"] == collection].sort_values(["_score", "date"], ascending=[False, True])
        chosen = set(candidates["date"].head(len(wanted)))
        hit = len(chosen & wanted)
        out[f"{collection}/{timeline}"] = 2 * hit / (len(chosen) + len(wanted)) if hit else 0.0
    return {k: float(np.round(v, 4)) for k, v in out.items()}


def main(argv=None) -> int:
    sys.path.insert(0, str(REPO / "src"))  # harmless when helpers is installed (editable)
    import pandas as pd

    from helpers.timeline.ranking import MODEL_FEATURES, fit

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, action="append", help="folder of collections (repeatable); default: dev set")
    ap.add_argument("--topic", action="append", default=[], help="FOLDER=TOPIC: the folder's collections share TOPIC")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--C", type=float, default=fit.DEFAULT_C)
    ap.add_argument("--no-validation", action="store_true", help="skip the held-out runs")
    args = ap.parse_args(argv)
    roots = args.data or DEV
    topics = dict(DEV_TOPICS) if not args.data else {}
    topics |= dict(t.split("=", 1) for t in args.topic)
    missing = [r for r in roots if not Path(r).is_dir()]
    if missing:
        print(f"SKIP: no labelled collections at {', '.join(map(str, missing))}")
        return 0 if not args.data else 2
    t0 = time.perf_counter()
    loaded = [fit.load_collections(r, topics.get(Path(r).name)) for r in roots]
    docs = pd.concat([d for d, _ in loaded], ignore_index=True)
    gold = pd.concat([g for _, g in loaded], ignore_index=True)
    if docs.empty or gold.empty:
        print("no collection with InputDocs/ and timelines/ found")
        return 2
    rows = fit.candidate_rows(docs, gold)
    print(
        f"{docs['collection'].nunique()} collections, {docs['topic'].nunique()} topics, {len(docs)} articles, "
        f"{len(rows)} candidate days, {int(rows['label'].sum())} gold days ({time.perf_counter() - t0:.0f} s)"
    )
    meta = {"data": [str(Path(r).name) for r in roots], "features_tried": "see benchmarks/t17_key_dates.py"}
    if not args.no_validation and rows["topic"].nunique() > 1:
        baseline = date_f1(rows, rows["mentions_score"].to_numpy(), gold)
        for group in ("topic", "subject"):
            if rows[group].nunique() < 2:
                continue
            held = date_f1(rows, fit.held_out_scores(rows, group, C=args.C), gold)
            mean = sum(held.values()) / len(held)
            base = sum(baseline.values()) / len(baseline)
            print(f"{group} held out: date F1 {mean:.3f} per timeline (mention score {base:.3f})")
            meta[f"held_out_{group}_date_f1"] = round(mean, 4)
        meta["mention_score_date_f1"] = round(sum(baseline.values()) / len(baseline), 4)
    ranker = fit.fit_ranker(rows, MODEL_FEATURES, C=args.C, meta=meta)
    ranker.write(args.out)
    print("weights (standardised features):")
    for name, w in sorted(zip(ranker.features, ranker.coef), key=lambda x: -abs(x[1])):
        print(f"  {name:<20} {w:+.3f}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
