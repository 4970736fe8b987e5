"""Rewrites: every machine version in its original's family, and no other story in it (issue 12's measures).

On the development rewrite sets of ``rewrite_sets.py`` (real BBC news, their versions by four LLMs, originals
whose versions are held out, and same-topic articles of other outlets; no dates), side by side in one run:

- ``baseline``: TF-IDF cosine >= 0.3 + connected components (no lineage);
- ``before``: the code before issue 12 (commit ``832adf9``, run from ``git archive`` in a subprocess);
- ``storytrace unverified``: this code with family verification off (``VerificationParams(enabled=False)``:
  the families of average linkage, as before issue 12's precision step);
- ``storytrace``: this code as shipped (families by :func:`~helpers.neardup.families.story_similarity` and
  average linkage, split where links are not verified, ``families.verification``; no learned part; lineage
  by the shipped origin model, which was fitted on *all* of ``l2r_news.jsonl``, so on
  these sets' stories too: its origin accuracy is in-sample);
- ``storytrace, origin held out``: the same families, lineage by an origin model fitted (as
  ``scripts/fit_lineage.py`` does) on the L2R stories of the *other* set only, so it never saw the test
  stories. With ``--by-generator`` each generator G is held out in turn: the origin model is also fitted
  without G's versions, and the test set keeps only G's versions (plus every original and distractor). The
  machine-style model is the shipped one in every run (it saw the rewrites' domain; ``lineage.py`` measures
  origin with held-out style models).

Measures (exactly the issue's): ARI and pair F1 against ``story_id``; *variant recall* (machine versions in
their original's family); *distractor alone* (originals without versions that stay in a family of their own;
also shown for the outside articles, and for both together); *origin accuracy* (among stories whose original
and versions all share one family, the share whose lineage root inside the corpus - parent empty or
external - is the original and nothing else; from ``trace``'s lineage as it is).

Run: ``python benchmarks/rewrites.py [--sets rw-a,rw-b] [--by-generator] [--skip-before]``; results go to
``benchmarks/results/rewrites.json``. Development numbers: the sets are built from the development data.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rewrite_sets  # noqa: E402
from story_clustering import baseline, pair_scores  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "rewrites.json"
BEFORE = "832adf9"
GENERATORS = ["GPT-3-Turbo", "GPT-4o", "Llama-3-70B", "Gemini-1.5-Pro"]
_BEFORE_SCRIPT = """
import importlib, sys
import pandas as pd
fam = importlib.import_module("helpers.neardup.families")
d = pd.read_json(sys.argv[1], lines=True, dtype=False)
t = fam.trace(d[["doc_id", "title", "text"]], detail=False)
t.families.merge(t.lineage[["doc_id", "parent"]], on="doc_id").to_csv(sys.argv[2], index=False)
"""


def measures(d: pd.DataFrame, family: np.ndarray, parent: pd.Series | None = None) -> dict:
    """The issue's measures of families ``family`` (and lineage ``parent`` by doc_id) on a rewrite set ``d``."""
    from sklearn.metrics import adjusted_rand_score

    fam = pd.Series(family, index=d["doc_id"].to_numpy())
    y = d["story_id"].to_numpy()
    p, r, f1 = pair_scores(y, family)
    size = fam.map(fam.value_counts())
    orig = d[d["role"] == "original"].set_index("story_id")["doc_id"]
    versions = d[d["role"] == "version"]
    in_family = fam[versions["doc_id"]].to_numpy() == fam[orig.reindex(versions["story_id"]).to_numpy()].to_numpy()
    alone = {role: float((size[d.loc[d["role"] == role, "doc_id"]] == 1).mean()) for role in rewrite_sets.ROLES_ALONE}
    out = {
        "docs": len(d),
        "ARI": round(float(adjusted_rand_score(y, family)), 4),
        "pair_P": round(p, 4),
        "pair_R": round(r, 4),
        "pair_F1": round(f1, 4),
        "variant_recall": round(float(in_family.mean()), 4),
        "variant_recall_by_generator": {
            g: round(float(in_family[(versions["kind"] == g).to_numpy()].mean()), 4)
            for g in sorted(versions["kind"].unique())
        },
        "distractor_alone": round(alone["held-out original"], 4),
        "outside_alone": round(alone["distractor"], 4),
        "all_unrewritten_alone": round(
            float((size[d.loc[d["role"].isin(rewrite_sets.ROLES_ALONE), "doc_id"]] == 1).mean()), 4
        ),
    }
    if parent is not None:
        out.update(_origin_accuracy(d, fam, parent))
    return out


def _origin_accuracy(d: pd.DataFrame, fam: pd.Series, parent: pd.Series) -> dict:
    """Among stories whose original and versions share one family: the share whose family root is the original."""
    root = parent.reindex(fam.index).fillna("")
    is_root = (root == "") | root.str.startswith("external")
    roots = fam[is_root.to_numpy()].groupby(fam[is_root.to_numpy()]).apply(lambda s: list(s.index))
    ok = n = 0
    for _story, g in d[d["role"].isin(["original", "version"])].groupby("story_id"):
        if len(g) < 2 or fam[g["doc_id"]].nunique() != 1:
            continue
        n += 1
        original = g.loc[g["role"] == "original", "doc_id"].iloc[0]
        ok += roots.get(fam[original], []) == [original]
    return {"origin_accuracy": round(ok / n, 4) if n else None, "origin_stories": n}


def run_before(d: pd.DataFrame, commit: str = BEFORE) -> pd.DataFrame:
    """``doc_id, family_id, role, parent`` from the code of ``commit`` (git archive, run in a subprocess)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "src"], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive.stdout, check=True)
        d.to_json(tmp / "in.jsonl", orient="records", lines=True)
        env = {"PYTHONPATH": str(tmp / "src"), "PATH": "/usr/bin:/bin", "HOME": str(tmp)}
        subprocess.run(
            [sys.executable, "-c", _BEFORE_SCRIPT, str(tmp / "in.jsonl"), str(tmp / "out.csv")], check=True, env=env
        )
        return pd.read_csv(tmp / "out.csv", dtype={"doc_id": str, "parent": str}, keep_default_na=False)


class HeldOutOrigin:
    """Origin models that never saw a test set's stories: fitted on the L2R families of the other set's stories
    (optionally without one generator's versions), with the shipped machine-style model. The training tables of
    each story half are computed once."""

    def __init__(self):
        self._tables: dict = {}

    def _train_tables(self, stories: frozenset):
        from helpers.neardup.families import origin_training as ot

        if stories not in self._tables:
            docs = ot.labelled_documents(rewrite_sets.L2R)
            docs = docs[docs["family"].isin(stories)].reset_index(drop=True)
            ctx, _fam, pairs, cues = ot.given_family_tables(docs, docs["family"])
            self._tables[stories] = (docs, pairs, cues, ctx.d.set_index("doc_id")["n_words"])
        return self._tables[stories]

    def model_file(self, test: str, folder: Path, drop_generator: str | None = None) -> Path:
        from helpers.neardup.families import origin_training as ot

        stories = frozenset(
            s
            for other in rewrite_sets.SETS
            if other != test
            for s in rewrite_sets.build(other).query("role == 'original'")["story_id"]
        )
        docs, pairs, cues, n_words = self._train_tables(stories)
        if drop_generator:
            docs = docs[docs["kind"] != drop_generator]
        feats = ot.family_features(docs[["doc_id", "family", "is_original"]], pairs, cues, n_words)
        meta = {"trained_on": sorted(set(rewrite_sets.SETS) - {test}), "left_out_generator": drop_generator}
        return ot.fit_origin_model(feats, meta=meta).write(folder / f"origin-{test}-{drop_generator or 'all'}.json")


def run_storytrace(d: pd.DataFrame, origin_model: str = "", verify: bool = True) -> tuple[np.ndarray, pd.Series]:
    from helpers.neardup.families import LineageParams, VerificationParams, trace

    t = trace(
        d[["doc_id", "title", "text"]],
        detail=False,
        lineage=LineageParams(model=origin_model),
        verification=VerificationParams(enabled=verify),
    )
    f = t.families.set_index("doc_id")["family_id"].reindex(d["doc_id"]).to_numpy()
    return f, t.lineage.set_index("doc_id")["parent"]


def evaluate(name: str, d: pd.DataFrame, args, origins: HeldOutOrigin, generator: str | None = None) -> list[dict]:
    rows = []

    def add(method: str, secs: float, res: dict):
        res.update(set=name, generator=generator or "all", method=method, seconds=round(secs, 1))
        rows.append(res)
        print(
            f"{name:5s} {generator or 'all':15s} {method:30s} ARI {res['ARI']:.3f}  P {res['pair_P']:.3f}  "
            f"F1 {res['pair_F1']:.3f}  variants {res['variant_recall']:.3f}  alone {res['distractor_alone']:.3f} "
            f"(outside {res['outside_alone']:.3f})  origin {res.get('origin_accuracy') or float('nan'):.3f}  "
            f"{secs:.0f}s",
            flush=True,
        )

    t0 = time.perf_counter()
    add("baseline", time.perf_counter() - t0, measures(d, baseline(d)))
    if not args.skip_before:
        t0 = time.perf_counter()
        b = run_before(d).set_index("doc_id")
        add(
            "before", time.perf_counter() - t0, measures(d, b["family_id"].reindex(d["doc_id"]).to_numpy(), b["parent"])
        )
    if generator is None:  # the shipped origin model saw every generator: only the all-versions run
        t0 = time.perf_counter()
        fam, parent = run_storytrace(d, verify=False)
        add("storytrace unverified (origin in-sample)", time.perf_counter() - t0, measures(d, fam, parent))
        t0 = time.perf_counter()
        fam, parent = run_storytrace(d)
        add("storytrace (origin in-sample)", time.perf_counter() - t0, measures(d, fam, parent))
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        model = origins.model_file(name, Path(tmp), generator)
        fit_secs = time.perf_counter() - t0
        t0 = time.perf_counter()
        fam, parent = run_storytrace(d, str(model))
        res = measures(d, fam, parent)
        res["origin_fit_seconds"] = round(fit_secs, 1)
        add("storytrace, origin held out", time.perf_counter() - t0, res)
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default=",".join(rewrite_sets.SETS))
    ap.add_argument("--by-generator", action="store_true", help="hold out each generator in turn")
    ap.add_argument("--skip-before", action="store_true", help="do not run the code before issue 12")
    ap.add_argument("--out", type=Path, default=RESULTS, help="results JSON")
    ap.add_argument("--generators", default=",".join(GENERATORS), help="with --by-generator: which to hold out")
    ap.add_argument("--generators-only", action="store_true", help="with --by-generator: skip the all-versions run")
    args = ap.parse_args(argv)
    if not rewrite_sets.available():
        print(f"SKIP: development data not found under {rewrite_sets.SHARED}")
        return 0
    origins = HeldOutOrigin()
    rows = []
    for name in args.sets.split(","):
        d = rewrite_sets.build(name)
        if not args.generators_only:
            rows += evaluate(name, d, args, origins)
        if args.by_generator:
            for g in args.generators.split(","):
                sub = d[(d["role"] != "version") | (d["kind"] == g)].reset_index(drop=True)
                rows += evaluate(name, sub, args, origins, g)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "benchmark": "rewrites",
                "python": platform.python_version(),
                "development": True,
                "goal": {"ARI": 0.90, "variant_recall": 0.95, "distractor_alone": 0.90, "origin_accuracy": 0.90},
                "results": rows,
            },
            indent=2,
        )
    )
    print(f"\nwritten {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
