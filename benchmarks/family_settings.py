"""Family settings against both kinds of development set: how ``specifics_weight`` and ``background_ratio`` trade
same-topic merging on the rewrite sets against the story sets, and which setting each rewrite set picks.

For every setting of the grid: ARI (and, on the rewrite sets, pair precision, variant recall, distractor alone) on
``rw-a`` and ``rw-b`` (``rewrite_sets.py``), ARI on ECB+, DUC 2004 and AllSides (``story_clustering.py``), and
the sample check (the five sample documents one family, none of the 654 T17 Syria articles in it). Selection, each
way: among settings keeping every story set within ``TOLERANCE`` ARI of ``REFERENCE`` (the settings before this
benchmark) and passing the sample check, the best on one rewrite set, reported on the other (held out). Families
only (``story_clusters``, no lineage). Development numbers.

Run: ``python benchmarks/family_settings.py``; results in ``benchmarks/results/family_settings.json`` (about two
minutes on two busy cores).
"""

from __future__ import annotations

import itertools
import json
import platform
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rewrite_sets  # noqa: E402
import story_clustering  # noqa: E402
from rewrites import measures  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "family_settings.json"
GRID = {"specifics_weight": [0.2, 0.25, 0.3], "background_ratio": [1.5, 1.6, 1.65, 1.7, 1.75]}
REFERENCE = {"specifics_weight": 0.3, "background_ratio": 1.5}
TOLERANCE = 0.01
STORY_SETS = ("ecb", "duc", "allsides")


def _scores(name: str, d, fam: np.ndarray) -> dict:
    from sklearn.metrics import adjusted_rand_score

    if name == "sample":
        sample = d["label"].to_numpy() == "sample"
        fams = set(fam[sample])
        return {"sample_ok": bool(len(fams) == 1 and not np.isin(fam[~sample], list(fams)).any())}
    if name in rewrite_sets.SETS:
        m = measures(d, fam)
        return {k: m[k] for k in ("ARI", "pair_P", "pair_R", "variant_recall", "distractor_alone", "outside_alone")}
    return {"ARI": round(float(adjusted_rand_score(d["label"], fam)), 4)}


def grid_results() -> list[dict]:
    from helpers.neardup.families import FamilyParams, story_clusters, story_similarity
    from helpers.neardup.families.documents import prepared

    data = {k: story_clustering.load_set(k) for k in STORY_SETS}
    data.update({k: rewrite_sets.build(k) for k in rewrite_sets.SETS})
    data["sample"] = story_clustering.load_sample_with_distractors()
    rows = {}
    for name, d in data.items():
        dp = prepared(d)
        for w in GRID["specifics_weight"]:
            sim = story_similarity(dp, FamilyParams(specifics_weight=w))  # background_ratio is clustering only
            for r in GRID["background_ratio"]:
                p = FamilyParams(specifics_weight=w, background_ratio=r)
                fam = story_clusters(dp, p, similarity=sim)["family_id"].to_numpy()
                rows.setdefault((w, r), {"specifics_weight": w, "background_ratio": r})[name] = _scores(name, d, fam)
        print(f"  {name} done", flush=True)
    return list(rows.values())


def select(rows: list[dict]) -> dict:
    """Each rewrite set picks the best ARI among the admissible settings; the other set is held out."""
    ref = next(x for x in rows if all(x[k] == v for k, v in REFERENCE.items()))
    ok = [
        x
        for x in rows
        if x["sample"]["sample_ok"] and all(x[s]["ARI"] >= ref[s]["ARI"] - TOLERANCE for s in STORY_SETS)
    ]
    out = {}
    for pick, test in itertools.permutations(rewrite_sets.SETS, 2):
        best = max(ok, key=lambda x: x[pick]["ARI"])
        out[f"chosen on {pick}"] = {
            "setting": {k: best[k] for k in GRID},
            f"{pick} ARI (chosen on)": best[pick]["ARI"],
            f"{test} ARI held out": best[test]["ARI"],
            f"{test} ARI reference": ref[test]["ARI"],
            "story sets": {s: best[s]["ARI"] for s in STORY_SETS},
            "story sets reference": {s: ref[s]["ARI"] for s in STORY_SETS},
        }
        print(json.dumps({f"chosen on {pick}": out[f"chosen on {pick}"]}), flush=True)
    return out


def main() -> int:
    if not rewrite_sets.available():
        print(f"SKIP: development data not found under {rewrite_sets.SHARED}")
        return 0
    rows = grid_results()
    for x in rows:
        print(
            f"w {x['specifics_weight']:.2f} ratio {x['background_ratio']:.2f}  "
            + "  ".join(f"{s} {x[s]['ARI']:.3f}" for s in (*rewrite_sets.SETS, *STORY_SETS))
            + f"  sample {'ok' if x['sample']['sample_ok'] else 'FAILS'}"
        )
    chosen = select(rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "family_settings",
                "python": platform.python_version(),
                "development": True,
                "grid": GRID,
                "reference": REFERENCE,
                "tolerance": TOLERANCE,
                "selection": chosen,
                "results": rows,
            },
            indent=2,
        )
    )
    print(f"\nwritten {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
