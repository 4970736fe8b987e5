"""Speed of family verification against the steps of ``trace`` it follows, in one run on real news.

On a corpus from ``real_corpus.py`` (default 10,000 documents): the seconds of story similarity, clustering and
the family context (what ``trace`` computes anyway) and of :func:`~helpers.neardup.families.verify_families`
(the step this benchmark is about), and how many links and families it checked and split. The verification's
share is a ratio within one run; notebook 02's whole time is in ``pipeline_current.json``.

Run: ``python benchmarks/real_corpus.py --size 10000 --out /tmp/real10k.jsonl`` then
``python benchmarks/verification_speed.py /tmp/real10k.jsonl``; results in
``benchmarks/results/verification_speed.json``.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "verification_speed.json"


def main(argv: list[str]) -> int:
    from helpers.neardup.families import (
        FamilyParams,
        family_context,
        prepare_documents,
        story_clusters,
        story_similarity,
        verify_families,
    )
    from helpers.neardup.families.verification import link_evidence

    if not argv or not Path(argv[0]).exists():
        print("usage: verification_speed.py CORPUS.jsonl (make one with real_corpus.py)")
        return 0
    docs = pd.read_json(argv[0], lines=True, dtype=False)
    p = FamilyParams()
    secs = {}
    t = time.perf_counter()
    d = prepare_documents(docs)
    sim = story_similarity(d, p)
    secs["similarity"] = time.perf_counter() - t
    t = time.perf_counter()
    fam = story_clusters(d, p, similarity=sim)
    secs["clustering"] = time.perf_counter() - t
    t = time.perf_counter()
    ctx = family_context(d, fam, sim, p)
    secs["family context"] = time.perf_counter() - t
    t = time.perf_counter()
    out = verify_families(fam, sim, ctx, p)
    secs["verification"] = time.perf_counter() - t
    ev = link_evidence(fam, sim, ctx, p, all_coverage=False)
    before = secs["similarity"] + secs["clustering"] + secs["family context"]
    res = {
        "benchmark": "verification_speed",
        "python": platform.python_version(),
        "docs": len(d),
        "seconds": {k: round(v, 2) for k, v in secs.items()},
        "verification share of similarity + clustering + context": round(secs["verification"] / before, 3),
        "links checked": len(ev),
        "links needing sentence coverage": int(ev["coverage"].notna().sum()),
        "families before": int(fam["family_id"].nunique()),
        "families after": int(out["family_id"].nunique()),
    }
    print(json.dumps(res, indent=2))
    RESULTS.write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
