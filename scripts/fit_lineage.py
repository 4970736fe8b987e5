"""Refit the origin model (which member of a family is the original) and write it as JSON
(``src/helpers/data/lineage_model.json`` by default).

From the development rewrites (default ``../shared/benchmarks/rewrites/l2r_news.jsonl``: BBC originals and their
rewrites by four language models; ``story_id`` is the family, ``kind == "original"`` the original), or from your
own labelled families:

    python scripts/fit_lineage.py                                              # the development set
    python scripts/fit_lineage.py --labelled mine.jsonl --out my_lineage.json \\
        [--family-column story_id] [--original-column is_original]

A labelled file (``.jsonl`` or ``.csv``) has ``doc_id``, ``text``, a family column and a column saying which member
is the original (1/0, true/false; or ``kind`` = ``original``); families without exactly one original are skipped.
Use the result with ``trace(docs, lineage=LineageParams(model="my_lineage.json"))`` or the notebook parameter
``lineage_model``.

Machine style is a feature. On the development set its texts are also in the machine-style training data
(``machine-text/NewsArticle``), so the script first fits a machine-style model without that domain and scores the
rewrites with it: the origin model then learns how far style can be trusted on text the style model never saw.
Your own texts are scored by the shipped machine-style model. Deterministic (fixed seeds); the development set
takes about five minutes on two cores (most of it the machine-style features).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "benchmarks"
DEV = SHARED / "rewrites" / "l2r_news.jsonl"
MACHINE_TEXT = SHARED / "machine-text"
OUT = REPO / "src" / "helpers" / "data" / "lineage_model.json"
DEV_STYLE_DOMAIN = "NewsArticle"  # the machine-text domain that holds the development rewrites


def main(argv=None) -> int:
    from helpers.neardup.families import origin_training as ot

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labelled", type=Path, help="your own labelled families (.jsonl/.csv) instead of the dev set")
    ap.add_argument("--family-column", default="story_id")
    ap.add_argument("--original-column", help="column flagging the original (default: is_original, else kind)")
    ap.add_argument("--text-column", default="text")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--C", type=float, default=ot.DEFAULT_C)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    path = args.labelled or DEV
    if not path.is_file():
        print(f"no labelled families at {path} (give --labelled)", file=sys.stderr)
        return 2
    docs = ot.labelled_documents(path, args.family_column, args.original_column, args.text_column)
    print(f"{len(docs)} documents in {docs['family'].nunique()} families ({docs.attrs['dropped_families']} skipped)")
    style, source = None, {"data": path.name}
    if not args.labelled:
        if not MACHINE_TEXT.is_dir():
            print(f"no machine-style development set at {MACHINE_TEXT}", file=sys.stderr)
            return 2
        print(f"machine style without {DEV_STYLE_DOMAIN} (a few minutes) ...", flush=True)
        frame = ot.style_training_frame(MACHINE_TEXT, (DEV_STYLE_DOMAIN,))
        style = ot.style_scores(docs, ot.held_out_style_model(frame))
        source = {
            "data": "L2R news rewrites (Hao et al. 2024), development set",
            "machine_style": f"model fitted without the {DEV_STYLE_DOMAIN} domain (the rewrites' own texts)",
        }
    ctx, fam, pairs, cues = ot.given_family_tables(docs, docs["family"], style=style)
    members = docs[["doc_id", "family", "is_original"]]
    feats = ot.family_features(members, pairs, cues, ctx.d.set_index("doc_id")["n_words"])
    model = ot.fit_origin_model(feats, C=args.C, meta=source)
    acc = ot.origin_accuracy(feats, model).mean()
    model = type(model)(model.features, model.coef, model.scale, {**model.meta, "training_accuracy": round(acc, 4)})
    model.write(args.out)
    print("weights (per typical difference):", model.weights().round(2).to_dict())
    print(f"original ranked first in {acc:.1%} of training families (in-sample; see benchmarks/lineage.py)")
    print(f"wrote {args.out} in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
