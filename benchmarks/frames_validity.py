"""Validity of the frame lexicon (helpers/data/framing_mfc.csv) against labelled frame data, where it can be had.

Agreement: each labelled text gets the frame with the highest lexicon rate (no hit: "Other"); accuracy and macro-F1
against the gold primary frame, beside the majority-class baseline and a seeded random-label baseline (same label
distribution), in one run.

Labelled data is looked for under ``shared/benchmarks/frames*/`` and ``shared/corpora/mfc*/`` (computed relative to
this file): Media Frames Corpus JSON as distributed by Card et al. (``{id: {"text": ..., "primary_frame": "13.0"}}``;
codes 1-15 follow Boydstun et al. 2014), or CSV/JSONL with a text column (``text``/``headline``/``title``) and a label
column (``primary_frame``/``frame``/``label``: a code 1-15 or a frame name).

When none is found (the case on this project's machines: MFC texts come from LexisNexis and are not redistributed,
and no PyPI, npm or Debian package ships frame-labelled text — see ``TRIED``), it says so plainly, and reports only
what can be measured without labels: lexicon coverage and the dominant-frame distribution on real news in
``shared/`` (BBC/Reuters Syria articles, DUC 2004 newswire, AllSides snippets). That is description, not validity.

Run: ``python benchmarks/frames_validity.py [--limit N]``; writes ``benchmarks/results/frames_validity.json``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
RESULTS = REPO / "benchmarks" / "results" / "frames_validity.json"

TRIED = [
    "PyPI: searched the package index list for media frames / framing corpus / frame classification / gun violence "
    "frames / SemEval framing: only 'newsframes' (NewsFrames 1.3.7) is relevant, and its wheel holds code only "
    "(a classifier that downloads its model from the Hugging Face hub at run time: not allowed here, no labels)",
    "npm registry list: no package with news-frame labels",
    "Debian (apt-cache search frame corpus / news corpus): nothing relevant",
    "shared/: seeds, t17-syria, pan13, msrp, tempeval3, stories (ECB+, DUC 2004, AllSides) carry no frame labels",
    "Media Frames Corpus (Card et al. 2015): annotations are public but article texts are LexisNexis content that "
    "must be rebuilt from a subscription; not available offline",
]

CODE_TO_FRAME = None  # filled from helpers.framing.MFC_FRAMES (code k -> k-th frame)


def _frames():
    from helpers.framing import MFC_FRAMES

    return MFC_FRAMES


def _label_to_frame(value) -> str | None:
    frames = _frames()
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    s = str(value).strip()
    m = re.fullmatch(r"(\d{1,2})(?:\.\d+)?", s)
    if m and 1 <= int(m.group(1)) <= 15:
        return frames[int(m.group(1)) - 1]
    low = s.casefold()
    for f in frames:
        if low == f.casefold() or low == f.split()[0].casefold() or low.startswith(f.split(",")[0].casefold()):
            return f
    return None


def find_labelled() -> list[Path]:
    """Candidate labelled files under shared/."""
    out = []
    for pattern in ("benchmarks/frames*", "corpora/mfc*", "benchmarks/mfc*", "corpora/frames*"):
        for d in sorted(SHARED.glob(pattern)):
            files = (
                [d]
                if d.is_file()
                else sorted(p for p in d.rglob("*") if p.suffix.lower() in (".json", ".jsonl", ".csv", ".tsv"))
            )
            out.extend(files)
    return out


def read_labelled(path: Path) -> pd.DataFrame:
    """``text, gold`` rows from one labelled file (MFC JSON, CSV/TSV or JSONL); unknown formats give no rows."""
    rows = []
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            items = data.values() if isinstance(data, dict) else data
            for it in items:
                if isinstance(it, dict) and it.get("text") and it.get("primary_frame") is not None:
                    rows.append((it["text"], _label_to_frame(it["primary_frame"])))
        else:
            df = (
                pd.read_json(path, lines=True)
                if path.suffix.lower() == ".jsonl"
                else pd.read_csv(path, sep="\t" if path.suffix.lower() == ".tsv" else ",")
            )
            tcol = next((c for c in ("text", "headline", "title", "sentence") if c in df), None)
            lcol = next((c for c in ("primary_frame", "frame", "label", "code") if c in df), None)
            if tcol and lcol:
                rows = [(t, _label_to_frame(v)) for t, v in zip(df[tcol], df[lcol])]
    except Exception as exc:  # a file we cannot parse is reported, not fatal
        print(f"  skipped {path}: {exc}")
    out = pd.DataFrame(rows, columns=["text", "gold"])
    return out[out["gold"].notna() & out["text"].astype(str).str.strip().ne("")]


def predict(texts: list[str]) -> list[str]:
    """The lexicon's dominant frame per text ("Other" when no frame term is found)."""
    from helpers import framing

    docs = pd.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts})
    res = framing.analyse(docs, include_title=False)  # MFC frames only: no story frames by default
    cols = [f for f in _frames() if f != "Other"]
    m = res.table[cols].fillna(0).to_numpy()
    best = m.argmax(axis=1)
    return [cols[b] if m[i, b] > 0 else "Other" for i, b in enumerate(best)]


def scores(gold: list[str], pred: list[str]) -> dict:
    from sklearn.metrics import accuracy_score, f1_score

    return {
        "accuracy": round(float(accuracy_score(gold, pred)), 4),
        "macro_f1": round(float(f1_score(gold, pred, average="macro", zero_division=0)), 4),
    }


def evaluate(lab: pd.DataFrame) -> dict:
    gold = lab["gold"].tolist()
    t0 = time.perf_counter()
    pred = predict(lab["text"].astype(str).tolist())
    secs = time.perf_counter() - t0
    majority = Counter(gold).most_common(1)[0][0]
    rng = np.random.default_rng(13)
    labels, counts = np.unique(gold, return_counts=True)
    rand = rng.choice(labels, size=len(gold), p=counts / counts.sum()).tolist()
    return {
        "n": len(gold),
        "lexicon": scores(gold, pred),
        "majority_baseline": {**scores(gold, [majority] * len(gold)), "label": majority},
        "random_baseline_seed13": scores(gold, rand),
        "seconds": round(secs, 2),
    }


# ------------------------------------------------------------------------------------------ description only
def _t17_texts(limit: int) -> list[str]:
    base = SHARED / "corpora" / "t17-syria"
    files = sorted(base.glob("*/InputDocs/*/*.txt"))[:limit]
    out = []
    for f in files:
        t = f.read_text(encoding="utf-8", errors="replace")
        t = t.replace("``", '"').replace("''", '"')
        t = re.sub(r" ([.,;:!?%)'])", r"\1", t)
        out.append(t)
    return out


def _jsonl_texts(name: str, limit: int, field: str = "full_text") -> list[str]:
    path = SHARED / "benchmarks" / "stories" / name
    if not path.is_file():
        return []
    df = pd.read_json(path, lines=True, nrows=limit)
    return df[field].astype(str).tolist()


def describe(name: str, texts: list[str]) -> dict:
    """Coverage of the lexicon on unlabelled real news: share of texts with a frame term, dominant frames."""
    from helpers import framing

    if not texts:
        return {"corpus": name, "n": 0, "note": "not found under shared/"}
    docs = pd.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts})
    t0 = time.perf_counter()
    res = framing.analyse(docs, include_title=False)  # MFC frames only: no story frames by default
    secs = time.perf_counter() - t0
    cols = [f for f in _frames() if f != "Other"]
    m = res.table[cols].fillna(0)
    any_hit = (m > 0).any(axis=1)
    dom = pd.Series([cols[i] for i in m.to_numpy().argmax(axis=1)])[any_hit.to_numpy()]
    hits = res.frame_hits[res.frame_hits["lexicon"] == "frames"]
    top_forms = {
        f: [w for w, _ in Counter(hits.loc[hits["category"] == f, "text"].str.lower()).most_common(5)] for f in cols
    }
    return {
        "corpus": name,
        "n": len(texts),
        "words": int(res.table["n_words"].sum()),
        "share_with_frame_term": round(float(any_hit.mean()), 3),
        "frame_terms_per_1k_words": round(
            float(len(hits[~hits["negated"]]) / max(1, res.table["n_words"].sum()) * 1000), 1
        ),
        "dominant_frame_share": {k: round(v, 3) for k, v in dom.value_counts(normalize=True).head(6).items()},
        "top_matched_forms": top_forms,
        "seconds": round(secs, 2),
        "docs_per_second": round(len(texts) / secs, 1) if secs else None,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=400, help="texts per unlabelled corpus for the description")
    args = ap.parse_args(argv)
    result = {"benchmark": "frames_validity", "lexicon": "helpers/data/framing_mfc.csv"}
    if not SHARED.is_dir():
        print(f"shared/ not found at {SHARED}: nothing to measure (skipped)")
        result["status"] = "skipped: shared/ absent"
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=2))
        return 0
    files = find_labelled()
    labelled = pd.concat([read_labelled(f) for f in files], ignore_index=True) if files else pd.DataFrame()
    if len(labelled):
        print(f"labelled frame data: {len(labelled)} texts from {len(files)} file(s)")
        ev = evaluate(labelled)
        result.update(status="evaluated", files=[str(f.relative_to(SHARED)) for f in files], agreement=ev)
        table = pd.DataFrame(
            [
                {"method": "frame lexicon (argmax rate)", **ev["lexicon"]},
                {
                    "method": f"majority class ({ev['majority_baseline']['label']})",
                    **{k: ev["majority_baseline"][k] for k in ("accuracy", "macro_f1")},
                },
                {"method": "random, label distribution (seed 13)", **ev["random_baseline_seed13"]},
            ]
        )
        print(table.to_string(index=False))
    else:
        print(
            "NO LABELLED FRAME DATA AVAILABLE OFFLINE: lexicon validity (agreement with Media Frames labels) "
            "is NOT measured."
        )
        print("What was tried:")
        for t in TRIED:
            print(f"  - {t}")
        print(
            "Put labelled data (MFC JSON, or CSV/JSONL with text + primary_frame) under shared/benchmarks/frames/ "
            "and rerun to get agreement beside the majority-class baseline."
        )
        result.update(status="no labelled data offline: validity not measured", tried=TRIED)
    print("\nDescription only (no labels): lexicon coverage on real news in shared/")
    desc = [
        describe("t17-syria (BBC, Reuters)", _t17_texts(args.limit)),
        describe("DUC 2004 newswire", _jsonl_texts("duc2004.jsonl", args.limit)),
        describe("AllSides headline+lead snippets", _jsonl_texts("neus_allsides_dev.jsonl", args.limit)),
    ]
    result["description"] = desc
    rows = [
        {
            "corpus": d["corpus"],
            "n": d["n"],
            "with frame term": d.get("share_with_frame_term"),
            "terms/1k words": d.get("frame_terms_per_1k_words"),
            "top dominant frame": next(iter(d.get("dominant_frame_share", {}) or {"-": 0})),
            "docs/s": d.get("docs_per_second"),
        }
        for d in desc
    ]
    print(pd.DataFrame(rows).to_string(index=False))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"\nwrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
