"""What the sensationalism score separates, on the data there is (development checks, no paired gold set).

    python benchmarks/tone_validity.py [--limit N] [--reference]

No set of the same articles written once sensationally and once neutrally is in ``../shared``; the checks here
are what can be measured honestly, each beside the earlier measures in the same run (boosters per 1,000 words,
and absolute VADER compound, the measures the issue found at 75-79 % and 40 % on such pairs):

1. climate-narratives: articles of outlets rated "questionable source" by Media Bias/Fact Check against
   the other outlets' articles: ROC AUC (unpaired; says whether the score tracks outlet style, not whether it
   ranks two versions of one article).
2. AllSides headline + lead snippets: each headline against its own lead sentence, as two texts scored alike
   (paired share; headlines are written to catch the eye, so this checks that headline devices register; it is
   not the sensational-versus-neutral pairing of the goal).
The hand-written pairs (same content, sensational and neutral versions) are in ``tests/test_framing.py``
(``TONE_PAIRS``): a handful of constructed examples, not a measurement.

``--reference --limit 1500`` prints the 90th percentiles of each part over real news documents (Timeline17,
DUC 2004 and ECB+ articles of ``benchmarks/real_corpus.py``), the ``ToneParams.reference`` levels.
Writes ``benchmarks/results/tone_validity.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from helpers.framing import TONE_PARTS, analyse, devsets, sensationalism, tone_table
from helpers.tokenise import tokens

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
RESULTS = REPO / "benchmarks" / "results" / "tone_validity.json"
sys.path.insert(0, str(REPO / "benchmarks"))


def measures(docs: pd.DataFrame) -> pd.DataFrame:
    """Per document: sensationalism, boosters per 1,000 words and |VADER compound| (mean over sentences)."""
    r = analyse(docs, include_title=False)
    t = r.table.set_index("doc_id")
    return pd.DataFrame(
        {
            "sensationalism": t["sensationalism"],
            "boosters_per_1k": t["boosters_per_1k"],
            "abs_vader": (
                r.sentences.assign(a=r.sentences["sentiment"].abs()).groupby("doc_id")["a"].mean().reindex(t.index)
            ),
        }
    )


def outlet_check(limit: int) -> dict:
    path = SHARED / "benchmarks" / "frames" / "climate-narratives" / "articles_metadata.tsv"
    if not path.is_file():
        return {"skipped": f"{path} absent"}
    docs, _, _ = devsets.read_climate(path)
    docs = docs.head(limit)
    m = measures(docs[["doc_id", "title", "text"]])
    y = (docs.set_index("doc_id")["bias"] == "questionable_source").reindex(m.index).to_numpy()
    return {
        "documents": len(m),
        "questionable": int(y.sum()),
        **{f"auc_{k}": round(float(roc_auc_score(y, m[k].fillna(0))), 4) for k in m.columns},
    }


def headline_check(limit: int) -> dict:
    path = SHARED / "benchmarks" / "stories" / "neus_allsides_dev.jsonl"
    if not path.is_file():
        return {"skipped": f"{path} absent"}
    raw = pd.read_json(path, lines=True).head(limit)
    raw = raw[(raw["title"].str.len() > 0) & (raw["text"].str.len() > 0)]
    docs = pd.concat(
        [
            pd.DataFrame({"doc_id": "h" + raw["doc_id"], "title": "", "text": raw["title"]}),
            pd.DataFrame({"doc_id": "l" + raw["doc_id"], "title": "", "text": raw["text"]}),
        ],
        ignore_index=True,
    )
    m = measures(docs)
    out = {"pairs": len(raw)}
    for k in m.columns:
        h = m[k].reindex("h" + raw["doc_id"]).to_numpy()
        lead = m[k].reindex("l" + raw["doc_id"]).to_numpy()
        ok = ~np.isnan(h) & ~np.isnan(lead)
        out[f"headline_above_{k}"] = round(float((h[ok] > lead[ok]).mean()), 4)
        out[f"ties_{k}"] = round(float((h[ok] == lead[ok]).mean()), 4)
    return out


def reference(limit: int) -> dict:
    from real_corpus import build  # noqa: PLC0415 (a benchmark script beside this one)

    rows = [r for r in build(14000) if r["set"] in ("timeline17", "duc", "ecb")][:limit]
    docs = pd.DataFrame(rows)[["doc_id", "text"]]
    toks = tokens(docs)
    texts = dict(zip(docs["doc_id"], docs["text"]))
    parts = tone_table(toks, texts, None)
    first = parts.groupby("doc_id")["sent_id"].transform("min") == parts["sent_id"]
    parts["headline"] = first.to_numpy()  # no titles: the first sentence is the headline, as in analyse
    rates = sensationalism(parts)
    out = {}
    for part in TONE_PARTS:
        v = rates[part].to_numpy()
        q = float(np.percentile(v, 90))
        out[part] = round(q if q > 0 else float(v[v > 0].mean()) if (v > 0).any() else 1.0, 3)
    return {"documents": len(docs), "p90": out}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=3000, help="documents per check")
    ap.add_argument("--reference", action="store_true", help="print the parts' reference levels")
    args = ap.parse_args(argv)
    if not SHARED.is_dir():
        print(f"{SHARED} not found: nothing measured (skipped)")
        return 0
    if args.reference:
        print(json.dumps(reference(min(args.limit, 2000)), indent=1))
        return 0
    result = {
        "benchmark": "tone_validity",
        "note": "development checks; no sensational/neutral pairs of the same article exist in ../shared",
        "questionable_outlets_vs_others": outlet_check(args.limit),
        "headline_vs_own_lead": headline_check(args.limit),
    }
    print(json.dumps(result, indent=1))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
