"""Story clustering: storytrace families against a TF-IDF baseline, on ECB+, DUC 2004 and AllSides (NeuS).

The number of stories is never given. Measures: adjusted Rand index (ARI) and pairwise F1 (precision and recall
of "same story" document pairs). Peers, side by side in one run:

- ``baseline``: TF-IDF cosine >= 0.3 (sklearn defaults, English stopwords) + connected components;
- ``storytrace``: families as :func:`helpers.neardup.families.trace` makes them (default method, no model):
  ``story_clusters``, then split where links are not verified (``families.verification``);
- ``storytrace, unverified``: ``story_clusters`` alone (the families before verification);
- ``storytrace+emb`` (with ``--embeddings``): ``storytrace`` with MiniLM document embeddings mixed in.

Also the sample check: the five sample documents plus the T17 Syria articles (same topic, other stories) as
distractors - the sample must form one family and no distractor may join it.

Data: ``../shared/benchmarks/stories`` (``ecbplus_dev.jsonl`` label ``subtopic``, ``duc2004.jsonl`` label
``cluster``, ``neus_allsides_dev.jsonl`` label ``story_id``; text ``full_text``) and
``../shared/corpora/t17-syria``. These are development sets: only general parameters were tuned on them.

Run: ``python benchmarks/story_clustering.py [--sets ecb,duc,allsides,sample] [--embeddings]``; results are
printed and written to ``benchmarks/results/story_clustering.json``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
STORIES = SHARED / "benchmarks" / "stories"
T17 = SHARED / "corpora" / "t17-syria"
RESULTS = REPO / "benchmarks" / "results" / "story_clustering.json"
SETS = {
    "ecb": ("ECB+ dev (topics 1-35)", "ecbplus_dev.jsonl", "subtopic"),
    "duc": ("DUC 2004", "duc2004.jsonl", "cluster"),
    "allsides": ("AllSides / NeuS dev", "neus_allsides_dev.jsonl", "story_id"),
}


def load_set(key: str) -> pd.DataFrame:
    """Documents table of one benchmark set with its gold ``label``."""
    _, fname, label = SETS[key]
    d = pd.read_json(STORIES / fname, lines=True, dtype=False)
    missing = {"doc_id", "full_text", label} - set(d.columns)
    if missing:
        raise SystemExit(f"{fname}: missing fields {sorted(missing)}; has {sorted(d.columns)}")
    return pd.DataFrame(
        {
            "doc_id": d["doc_id"].astype(str),
            "text": d["full_text"].fillna("").astype(str),
            "label": d[label].astype(str),
        }
    )


def load_sample_with_distractors() -> pd.DataFrame:
    """The bundled sample (label ``sample``) plus every T17 Syria article (label = its file, all distinct)."""
    from helpers.corpus import load_corpus

    sample = load_corpus(REPO / "data" / "sample")
    rows = []
    for f in sorted(T17.glob("*/InputDocs/*/*.txt")):
        text = f.read_text(encoding="utf-8", errors="replace")
        text = re.sub(r" ``|'' ", '"', text).replace(" ,", ",").replace(" .", ".").replace(" 's", "'s")
        rows.append(
            {
                "doc_id": f"t17/{f.parts[-4]}/{f.parent.name}/{f.stem}",
                "title": "",
                "text": text,
                "published": pd.Timestamp(f.parent.name, tz="UTC"),
                "label": f"t17/{f.stem}",
            }
        )
    from helpers.corpus import Documents

    docs = Documents(pd.concat([pd.DataFrame(sample).assign(label="sample"), pd.DataFrame(rows)], ignore_index=True))
    docs.boilerplate = sample.boilerplate
    return docs


def pair_scores(y_true, y_pred) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of same-cluster pairs."""
    from sklearn.metrics.cluster import pair_confusion_matrix

    c = pair_confusion_matrix(y_true, y_pred)
    tp, fp, fn = c[1, 1], c[0, 1], c[1, 0]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return float(p), float(r), float(2 * p * r / (p + r)) if p + r else 0.0


def baseline(docs: pd.DataFrame, threshold: float = 0.3) -> np.ndarray:
    """TF-IDF cosine >= threshold + connected components (the issue's reference baseline)."""
    from scipy.sparse.csgraph import connected_components
    from sklearn.feature_extraction.text import TfidfVectorizer

    X = TfidfVectorizer(stop_words="english").fit_transform(docs["text"])
    return connected_components((X @ X.T) >= threshold, directed=False)[1]


def ours(docs: pd.DataFrame, method: str = "tfidf", verify: bool = True) -> np.ndarray:
    """Family labels as ``trace`` makes them (``verify=False``: story clusters before verification)."""
    f = importlib.import_module("helpers.neardup.families")
    p = f.FamilyParams()
    d = f.prepare_documents(docs)
    sim = f.story_similarity(d, p, method)
    fam = f.story_clusters(d, p, method, similarity=sim)
    if verify:
        fam = f.verify_families(fam, sim, f.family_context(d, fam, sim, p), p)
    return fam["family_id"].to_numpy()


def evaluate(name: str, docs: pd.DataFrame, fn) -> dict:
    from sklearn.metrics import adjusted_rand_score

    t0 = time.perf_counter()
    pred = fn(docs)
    secs = time.perf_counter() - t0
    y = docs["label"].to_numpy()
    p, r, f1 = pair_scores(y, pred)
    out = {
        "method": name,
        "docs": len(docs),
        "stories": int(pd.Series(y).nunique()),
        "clusters": int(pd.Series(pred).nunique()),
        "ARI": round(float(adjusted_rand_score(y, pred)), 4),
        "pair_P": round(p, 4),
        "pair_R": round(r, 4),
        "pair_F1": round(f1, 4),
        "seconds": round(secs, 1),
    }
    if (docs["label"] == "sample").any():
        # T17 articles carry no gold stories: only the sample check is meaningful here
        sample = docs["label"].to_numpy() == "sample"
        fams = set(pred[sample])
        out.update(stories=None, ARI=None, pair_P=None, pair_R=None, pair_F1=None)
        out["sample_families"] = len(fams)
        out["distractors_in_sample_family"] = int(np.isin(pred[~sample], list(fams)).sum())
        out["passed"] = len(fams) == 1 and out["distractors_in_sample_family"] == 0
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="ecb,duc,allsides,sample")
    ap.add_argument("--embeddings", action="store_true", help="also run with MiniLM embeddings (slow on CPU)")
    args = ap.parse_args(argv)
    if not STORIES.exists():
        print(f"SKIP: benchmark data not found at {STORIES} (needs the shared folder beside the repo)")
        return 0
    methods = [
        ("baseline tfidf>=0.3+cc", baseline),
        ("storytrace, unverified", lambda d: ours(d, verify=False)),
        ("storytrace", ours),
    ]
    if args.embeddings:
        from helpers.neardup.semantic import embeddings_available

        if embeddings_available():
            methods.append(("storytrace+emb", lambda d: ours(d, "embeddings")))
        else:
            print("note: --embeddings asked but the embeddings extra is not installed; skipped")
    rows = []
    for key in args.sets.split(","):
        key = key.strip()
        if key == "sample":
            if not T17.exists():
                print(f"SKIP sample check: {T17} not found")
                continue
            docs, title = load_sample_with_distractors(), "sample + T17 Syria distractors"
        elif key in SETS:
            docs, title = load_set(key), SETS[key][0]
        else:
            print(f"unknown set {key!r}; choose from {', '.join(SETS)}, sample")
            continue
        for name, fn in methods:
            res = evaluate(name, docs, fn)
            res["set"] = title
            rows.append(res)
            if "sample_families" in res:
                print(
                    f"{title:32s} {name:24s} sample in {res['sample_families']} famil"
                    f"{'y' if res['sample_families'] == 1 else 'ies'}, {res['distractors_in_sample_family']} "
                    f"distractors in them: {'PASS' if res['passed'] else 'FAIL'}  {res['seconds']:.0f}s",
                    flush=True,
                )
            else:
                print(
                    f"{title:32s} {name:24s} ARI {res['ARI']:.3f}  pair F1 {res['pair_F1']:.3f}  "
                    f"clusters {res['clusters']}/{res['stories']}  {res['seconds']:.0f}s",
                    flush=True,
                )
    table = pd.DataFrame(rows)
    if not table.empty:
        cols = ["set", "method", "docs", "stories", "clusters", "ARI", "pair_P", "pair_R", "pair_F1", "seconds"]
        cols += [c for c in ("sample_families", "distractors_in_sample_family", "passed") if c in table]
        print()
        print(table[cols].to_string(index=False))
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(
            json.dumps(
                {
                    "benchmark": "story_clustering",
                    "python": platform.python_version(),
                    "goal": {"ECB+ ARI": 0.90, "AllSides ARI": 0.85},
                    "results": rows,
                },
                indent=2,
            )
        )
        print(f"\nwritten {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
