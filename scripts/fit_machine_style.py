"""Refit the machine-style model and write it as JSON (``src/helpers/data/machine_style_model.json`` by default).

From the development set (default ``../shared/benchmarks/machine-text``: one folder per domain with ``human.json``
and one JSON list per generator), or from your own labelled texts:

    python scripts/fit_machine_style.py                                   # the development set
    python scripts/fit_machine_style.py --labelled mine.jsonl --out my_model.json \\
        [--text-column text] [--label-column label] [--group-column pair_id]

Labels: 1/0, true/false or machine/human. Give a machine rewrite and its original the same group, so that the
calibration folds never split a pair. Deterministic: the same data gives the same file. Use the result with
``helpers.style.machine_style(docs, model="my_model.json")``. Takes about two minutes on the development set.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "benchmarks" / "machine-text"
OUT = REPO / "src" / "helpers" / "data" / "machine_style_model.json"


def main(argv=None) -> int:
    from helpers.style import fit

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEV, help="development set folder (<domain>/human.json ...)")
    ap.add_argument("--labelled", type=Path, help="your own labelled .jsonl/.json/.csv/.tsv instead of --data")
    ap.add_argument("--text-column")
    ap.add_argument("--label-column")
    ap.add_argument("--group-column", help="rows that belong together (a rewrite and its original)")
    ap.add_argument("--exclude-domain", action="append", default=[], help="development-set domain to leave out")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--C", type=float, default=fit.DEFAULT_C)
    ap.add_argument("--per-side", type=int, default=fit.PER_SIDE)
    ap.add_argument("--hand-weight", type=float, default=fit.HAND_WEIGHT)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    if args.labelled:
        frame = fit.load_labelled(args.labelled, args.text_column, args.label_column, args.group_column)
        source = {"data": args.labelled.name}
    else:
        if not args.data.is_dir():
            print(f"no development set at {args.data} (give --data or --labelled)", file=sys.stderr)
            return 2
        frame = fit.load_machine_text(args.data, tuple(args.exclude_domain))
        source = {
            "data": "L2R machine-text (Hao et al. 2024), development set",
            "skipped_domains": [f"{d}: {why}" for d, why in frame.attrs.get("skipped_domains", [])],
        }
    print(f"{len(frame)} texts; computing features ...", flush=True)
    frame = fit.with_features(frame)
    if not args.labelled:
        frame = fit.two_sided_domains(frame)
        source["one_sided_domains_dropped"] = frame.attrs.get("one_sided", [])
        source["domains"] = sorted(frame["domain"].unique().tolist())
        source["generators"] = sorted(g for g in frame["generator"].unique().tolist() if g != "human")
    if frame["label"].nunique() < 2:
        print("need judged texts of both labels (at least 50 words each)", file=sys.stderr)
        return 2
    print(f"{len(frame)} judged texts ({frame.attrs.get('unjudged', 0)} too short or not English); fitting ...")
    model = fit.fit_model(frame, C=args.C, per_side=args.per_side, hand_weight=args.hand_weight, meta=source)
    path = model.write(args.out)
    size = path.stat().st_size
    print(
        f"wrote {path} ({size / 1024:.0f} KiB, {len(model.features)} features, {len(model.ngrams)} n-grams) "
        f"in {time.perf_counter() - t0:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
