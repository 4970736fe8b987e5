"""The learned story similarity against the hand-weighted one, with folds held out by data set.

Five labelled development sets: ECB+, DUC 2004, AllSides (``story_clustering.py``) and the rewrite sets ``rw-a``,
``rw-b`` (``rewrite_sets.py``). Each set's candidate pairs (the edges of ``story_similarity``'s k-NN graph) and
their features are computed once (:func:`~helpers.neardup.families.story_model.labelled_pairs`). Leave one set
out: the model scoring a set is fitted on the pairs of the four others only (it never saw a pair of it). Side by
side in one run, on every set:

- ``hand-weighted``: families as shipped before the model (``story_clusters`` with ``story_model=None``, then
  verification);
- ``hand-weighted, unverified``: the same before verification;
- ``learned clusters``: average linkage over the held-out model's P(same story), cut at 0.5
  (``story_use="cluster"``);
- ``learned clusters + background``: the same with the clustering's background test (``story_background``);
- ``learned clusters + verified``: ``learned clusters``, then verification as in the hand-weighted path;
- ``hand-weighted, split at P < t`` (t = 0.3, 0.4, 0.5): the hand-weighted families split into the components
  of their links with P(same story) >= t (links between two snippets kept), families of 4 or more documents then
  cut in two where the links across their spectral bisection have a mean P < t (``story_cut``), then verified
  (``story_use="split"``);
- ``hand-weighted, split at P < 0.3, cut from k`` (k = 0: no cut, as before; 3; 6): the same with
  ``story_cut_min`` k.

Measures: ARI and pair F1 against the story labels; on the rewrite sets also variant recall and distractor alone
(``rewrites.measures``). The sample check (the five sample documents one family, none of the 654 T17 Syria
articles in it) uses the model fitted on all five sets (the shipped one). Choice: the learned method with the
best mean held-out ARI among those passing the sample check; it becomes the default only if that mean beats the
hand-weighted families'. Development numbers.

Run: ``python benchmarks/story_model.py [--cache DIR]``; results in ``benchmarks/results/story_model.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rewrite_sets  # noqa: E402
import story_clustering  # noqa: E402
from rewrites import measures  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "story_model.json"
STORY_SETS = ("ecb", "duc", "allsides")
SETS = (*STORY_SETS, *rewrite_sets.SETS)


def development_set(name: str) -> pd.DataFrame:
    """One labelled development set: ``doc_id``, ``title``, ``text``, ``story_id`` (and the rewrite sets' roles)."""
    if name in rewrite_sets.SETS:
        return rewrite_sets.build(name)
    d = story_clustering.load_set(name)
    return d.rename(columns={"label": "story_id"}).assign(title="")


def scores(name: str, d: pd.DataFrame, fam: np.ndarray) -> dict:
    """ARI and pair F1 (and the rewrite measures on a rewrite set)."""
    from sklearn.metrics import adjusted_rand_score

    if name in rewrite_sets.SETS:
        m = measures(d, fam)
        keys = ("ARI", "pair_P", "pair_R", "pair_F1", "variant_recall", "distractor_alone", "outside_alone")
        return {k: m[k] for k in keys}
    p, r, f1 = story_clustering.pair_scores(d["story_id"].to_numpy(), fam)
    ari = adjusted_rand_score(d["story_id"], fam)
    return {"ARI": round(float(ari), 4), "pair_P": round(p, 4), "pair_R": round(r, 4), "pair_F1": round(f1, 4)}


def features(name: str, d: pd.DataFrame, p, cache: Path | None):
    """The set's similarity and labelled candidate pairs (features cached under ``cache`` when given)."""
    from helpers.neardup.families import story_similarity
    from helpers.neardup.families.documents import prepared
    from helpers.neardup.families.story_model import pair_features

    dp = prepared(d)
    sim = story_similarity(dp, p)
    path = cache / f"{name}.parquet" if cache else None
    if path is not None and path.is_file():
        X = pd.read_parquet(path)
    else:
        X = pair_features(dp, sim, p)
        if path is not None:
            X.to_parquet(path)
    label = pd.Series(d["story_id"].astype(str).to_numpy(), index=dp["doc_id"].to_numpy())
    X["same_story"] = (label[X["doc_a"]].to_numpy() == label[X["doc_b"]].to_numpy()).astype(int)
    return dp, sim, X


def families_for(dp, sim, X, model, p, background: bool, verify: bool) -> np.ndarray:
    """Families clustered on a model's probabilities over the candidate pairs ``X`` (``story_use="cluster"``)."""
    from scipy import sparse

    from helpers.neardup.families import family_context, story_clusters, verify_families

    n = len(sim.doc_ids)
    P = sparse.csr_matrix((model.probability(X), (X["i"], X["j"])), shape=(n, n))
    q = replace(p, story_model="given", story_use="cluster", story_background=background)
    fam = story_clusters(dp, q, similarity=sim, probability=(P + P.T).tocsr())
    if verify:
        fam = verify_families(fam, sim, family_context(dp, fam, sim, q), q)
    return fam["family_id"].to_numpy()


def split_families(dp, sim, model, p, threshold: float, cut_min: int | None = None) -> np.ndarray:
    """Hand-weighted families split where links have P < ``threshold`` (``story_use="split"``) and cut where two
    stories meet (``story_cut_min``: ``cut_min``, None: the default), then verified: what ``trace`` does with
    ``story_model``."""
    from helpers.neardup.families import family_context, story_clusters, verify_families
    from helpers.neardup.families.story_model import split_unlikely_links

    q = replace(p, story_model="given", story_use="split", story_threshold=threshold)
    q = q if cut_min is None else replace(q, story_cut_min=cut_min)
    fam = story_clusters(dp, replace(q, story_model=None), similarity=sim)
    fam = fam.assign(family_id=split_unlikely_links(fam["family_id"].to_numpy(), dp, sim, q, model))
    return verify_families(fam, sim, family_context(dp, fam, sim, q), q)["family_id"].to_numpy()


def hand_weighted(dp, sim, p, verify: bool) -> np.ndarray:
    from helpers.neardup.families import family_context, story_clusters, verify_families

    q = replace(p, story_model=None)
    fam = story_clusters(dp, q, similarity=sim)
    if verify:
        fam = verify_families(fam, sim, family_context(dp, fam, sim, q), q)
    return fam["family_id"].to_numpy()


SPLITS = (0.3, 0.4, 0.5)  # story_threshold of the split (with the default story_cut_min)
CUT_MINS = (0, 3, 6)  # story_cut_min beside the default (0: no cut, the split before issue 12's cut)


def methods(dp, sim, X, model, p) -> dict:
    """The families compared on one set, each as a function of nothing (timed one by one)."""
    out = {
        "hand-weighted, unverified": lambda: hand_weighted(dp, sim, p, False),
        "hand-weighted": lambda: hand_weighted(dp, sim, p, True),
        "learned clusters": lambda: families_for(dp, sim, X, model, p, False, False),
        "learned clusters + background": lambda: families_for(dp, sim, X, model, p, True, False),
        "learned clusters + verified": lambda: families_for(dp, sim, X, model, p, False, True),
    }
    for t in SPLITS:
        out[f"hand-weighted, split at P < {t}"] = lambda t=t: split_families(dp, sim, model, p, t)
    for k in CUT_MINS:
        out[f"hand-weighted, split at P < 0.3, cut from {k}"] = lambda k=k: split_families(dp, sim, model, p, 0.3, k)
    return out


def main(argv=None) -> int:
    from helpers.neardup.families import FamilyParams
    from helpers.neardup.families.story_model import fit_story_model

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, help="folder for the sets' pair features (reused when present)")
    ap.add_argument("--C", type=float, default=1.0)
    args = ap.parse_args(argv)
    if not (rewrite_sets.available() and story_clustering.STORIES.exists()):
        print(f"SKIP: development data not found under {rewrite_sets.SHARED}")
        return 0
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    p = FamilyParams()
    data = {}
    for name in SETS:
        t0 = time.perf_counter()
        d = development_set(name)
        data[name] = (d, *features(name, d, p, args.cache))
        X = data[name][3]
        print(f"{name}: {len(d)} docs, {len(X)} pairs ({X['same_story'].sum()} same story) "
              f"{time.perf_counter() - t0:.0f}s", flush=True)  # fmt: skip
    rows = []
    for held in SETS:
        train = pd.concat([data[s][3].assign(corpus=s) for s in SETS if s != held], ignore_index=True)
        model = fit_story_model(train, train["same_story"].to_numpy(), train["corpus"], C=args.C)
        d, dp, sim, X = data[held]
        runs = methods(dp, sim, X, model, p)
        for method, run in runs.items():
            t0 = time.perf_counter()
            res = {"set": held, "method": method, **scores(held, d, run())}
            res["seconds"] = round(time.perf_counter() - t0, 1)
            rows.append(res)
            extra = f"  variants {res['variant_recall']:.3f}  alone {res['distractor_alone']:.3f}" if (
                "variant_recall" in res) else ""  # fmt: skip
            print(f"{held:9s} {method:26s} ARI {res['ARI']:.3f}  F1 {res['pair_F1']:.3f}{extra}", flush=True)
    table = pd.DataFrame(rows)
    mean = table.groupby("method", sort=False)[["ARI", "pair_F1"]].mean().round(4)
    print("\nmean over the five held-out sets\n" + mean.to_string())
    full = pd.concat([data[s][3].assign(corpus=s) for s in SETS], ignore_index=True)
    shipped = fit_story_model(full, full["same_story"].to_numpy(), full["corpus"], C=args.C)
    sample = sample_check(shipped, p)
    print("sample check (model fitted on all five sets):", json.dumps(sample, indent=1))
    choice = chosen(mean, sample)
    print("choice:", choice)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "story_model",
                "python": platform.python_version(),
                "development": True,
                "folds": "leave one set out: the model scoring a set was fitted on the other four sets' pairs",
                "goal": {"rewrite ARI": 0.90, "ECB+ ARI": 0.95, "AllSides ARI": 0.80},
                "C": args.C,
                "results": rows,
                "mean_over_sets": mean.reset_index().to_dict(orient="records"),
                "sample_check": sample,
                "choice": choice,
            },
            indent=2,
        )
    )
    print(f"written {RESULTS.relative_to(REPO)}")
    return 0


def sample_check(model, p) -> dict:
    """The sample with the T17 Syria distractors, families by every method (learned ones on ``model``)."""
    if not story_clustering.T17.exists():
        return {"skipped": f"{story_clustering.T17} not found"}
    docs = story_clustering.load_sample_with_distractors()
    _, dp, sim, X = (None, *features("sample", docs.assign(story_id=docs["label"]), p, None))
    sample = docs["label"].to_numpy() == "sample"
    out = {}
    for name, run in methods(dp, sim, X, model, p).items():
        fam = run()
        fams = set(fam[sample])
        inside = int(np.isin(fam[~sample], list(fams)).sum())
        out[name] = {"sample_families": len(fams), "distractors_in_it": inside, "passed": len(fams) == 1 and not inside}
    return out


def chosen(mean: pd.DataFrame, sample: dict) -> dict:
    """The learned method with the best mean held-out ARI among those passing the sample check, against the
    hand-weighted families; the default only if it is better."""
    learned = [m for m in mean.index if not m.startswith("hand-weighted") or "split" in m]
    ok = [m for m in learned if sample.get(m, {}).get("passed")]
    best = max(ok, key=lambda m: mean.at[m, "ARI"]) if ok else None
    hand = float(mean.at["hand-weighted", "ARI"])
    return {
        "admissible (sample check passed)": ok,
        "best": best,
        "best mean ARI": None if best is None else float(mean.at[best, "ARI"]),
        "hand-weighted mean ARI": hand,
        "default": best is not None and float(mean.at[best, "ARI"]) > hand,
    }


if __name__ == "__main__":
    sys.exit(main())
