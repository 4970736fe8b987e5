"""PAN13 text alignment: helpers.neardup.align on the PAN 2013 training corpus, scored with PAN's plagdet.

Measures, as the PAN evaluation defines them (Potthast et al. 2010), over all pairs of a case type pooled:
character-level macro recall (per true case: share of its characters, suspicious + source, covered by
detections that overlap it in both documents), macro precision (the same per detection), granularity (mean
number of detections per detected case) and plagdet = F1 / log2(1 + granularity). Reported per obfuscation
type and overall (all pairs), plus the share of no-reuse pairs (folder 01 and the no-reuse pairs of folder 05)
with any detection. Reference (best PAN system, Sanchez-Perez et al. 2014, PAN13 test corpus): 0.878 overall,
0.900 none, 0.884 random, 0.887 translation, 0.561 summary.

    python benchmarks/pan13_alignment.py                 # all 5,185 pairs (about 2 minutes on one core)
    python benchmarks/pan13_alignment.py --sample 150    # 150 pairs per folder, seeded (quick)
    python benchmarks/pan13_alignment.py --sample 150 -p max_gap=3 -p validate=0.3   # try parameters

Writes ``benchmarks/results/pan13_alignment.json`` (full runs only unless --out is given).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "pan13-train"
FOLDERS = [
    "01-no-plagiarism",
    "02-no-obfuscation",
    "03-random-obfuscation",
    "04-translation-obfuscation",
    "05-summary-obfuscation",
]
REFERENCE = {
    "overall": 0.878,
    "02-no-obfuscation": 0.900,
    "03-random-obfuscation": 0.884,
    "04-translation-obfuscation": 0.887,
    "05-summary-obfuscation": 0.561,
}


def read_cases(xml_path: Path) -> list[tuple]:
    """True cases of one pair: (susp, t_off, t_len, src, s_off, s_len)."""
    root = ET.parse(xml_path).getroot()
    susp = root.get("reference", "").replace(".txt", "")
    out = []
    for f in root.iter("feature"):
        if f.get("name") == "plagiarism" and f.get("this_offset") is not None:
            out.append(
                (
                    susp,
                    int(f.get("this_offset")),
                    int(f.get("this_length")),
                    f.get("source_reference", "").replace(".txt", ""),
                    int(f.get("source_offset")),
                    int(f.get("source_length")),
                )
            )
    return out


# ---- PAN measures (annotation = (susp, t_off, t_len, src, s_off, s_len)) -------------------------------------


def _overlaps(a: tuple, b: tuple) -> bool:
    return (
        a[0] == b[0]
        and a[3] == b[3]
        and b[1] < a[1] + a[2]
        and a[1] < b[1] + b[2]
        and b[4] < a[4] + a[5]
        and a[4] < b[4] + b[5]
    )


def _covered(ann: tuple, others: list[tuple]) -> int:
    """Characters of ``ann`` (suspicious + source) covered by the ``others`` that overlap it."""
    hits = [o for o in others if _overlaps(ann, o)]
    if not hits:
        return 0
    t = np.zeros(ann[2], dtype=bool)
    s = np.zeros(ann[5], dtype=bool)
    for o in hits:
        t[max(0, o[1] - ann[1]) : max(0, min(ann[2], o[1] + o[2] - ann[1]))] = True
        s[max(0, o[4] - ann[4]) : max(0, min(ann[5], o[4] + o[5] - ann[4]))] = True
    return int(t.sum() + s.sum())


def _macro(xs: list[tuple], ys: list[tuple]) -> float:
    """Mean over ``xs`` of the share of each covered by overlapping ``ys`` (recall; swapped: precision)."""
    if not xs and not ys:
        return 1.0
    if not xs or not ys:
        return 0.0
    by_doc = defaultdict(list)
    for y in ys:
        by_doc[y[0]].append(y)
    return sum(_covered(x, by_doc.get(x[0], [])) / (x[2] + x[5]) for x in xs) / len(xs)


def _granularity(cases: list[tuple], dets: list[tuple]) -> float:
    by_doc = defaultdict(list)
    for d in dets:
        by_doc[d[0]].append(d)
    counts = [sum(_overlaps(c, d) for d in by_doc.get(c[0], [])) for c in cases]
    detected = [k for k in counts if k > 0]
    return sum(detected) / len(detected) if detected else 1.0


def plagdet(cases: list[tuple], dets: list[tuple]) -> dict:
    cases, dets = sorted(set(cases)), sorted(set(dets))
    rec, prec = _macro(cases, dets), _macro(dets, cases)
    gran = _granularity(cases, dets)
    f1 = 2 * rec * prec / (rec + prec) if rec + prec > 0 else 0.0
    return {
        "plagdet": f1 / math.log2(1 + gran),
        "recall": rec,
        "precision": prec,
        "granularity": gran,
        "cases": len(cases),
        "detections": len(dets),
    }


# ---- run -----------------------------------------------------------------------------------------------------


def load_pairs(sample: int | None, seed: int, folders: list[str] | None = None) -> list[tuple[str, str, str, list]]:
    rng = np.random.default_rng(seed)
    out = []
    for folder in FOLDERS:
        if folders and not any(folder.startswith(f) for f in folders):
            continue
        lines = [ln.split() for ln in (DATA / folder / "pairs").read_text().splitlines() if ln.strip()]
        if sample and sample < len(lines):
            idx = np.sort(rng.choice(len(lines), size=sample, replace=False))
            lines = [lines[i] for i in idx]
        for susp, src in lines:
            xml = DATA / folder / f"{susp[:-4]}-{src[:-4]}.xml"
            out.append((folder, susp, src, read_cases(xml) if xml.exists() else []))
    return out


def run(
    sample: int | None = None,
    seed: int = 0,
    overrides: dict | None = None,
    verbose: bool = True,
    folders: list[str] | None = None,
) -> dict:
    from helpers.neardup.align import AlignParams, align, prepare_text

    params = AlignParams(**(overrides or {}))
    pairs = load_pairs(sample, seed, folders)
    pairs.sort(key=lambda p: (p[1], p[2]))
    texts: dict[str, str] = {}

    def text(name: str, sub: str) -> str:
        if name not in texts:
            texts[name] = (DATA / sub / name).read_text(encoding="utf-8", errors="replace")
        return texts[name]

    per_folder_cases = defaultdict(list)
    per_folder_dets = defaultdict(list)
    flagged = defaultdict(lambda: [0, 0])  # no-reuse pairs: [with detection, total]
    t0 = time.perf_counter()
    for k, (folder, susp, src, cases) in enumerate(pairs):
        a, b = text(susp, "susp"), text(src, "src")
        res = align(a, b, params)
        dets = [
            (susp[:-4], int(r.a_start), int(r.a_end - r.a_start), src[:-4], int(r.b_start), int(r.b_end - r.b_start))
            for r in res.itertuples()
        ]
        per_folder_cases[folder].extend(cases)
        per_folder_dets[folder].extend(dets)
        if not cases:
            flagged[folder][0] += bool(dets)
            flagged[folder][1] += 1
        if len(texts) > 600:
            texts.clear()
            prepare_text.cache_clear()
        if verbose and (k + 1) % 250 == 0:
            print(f"  {k + 1}/{len(pairs)} pairs, {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    elapsed = time.perf_counter() - t0
    results = {}
    for folder in FOLDERS:
        if per_folder_cases[folder]:
            results[folder] = plagdet(per_folder_cases[folder], per_folder_dets[folder])
    all_cases = [c for f in FOLDERS for c in per_folder_cases[f]]
    all_dets = [d for f in FOLDERS for d in per_folder_dets[f]]
    results["overall"] = plagdet(all_cases, all_dets)
    neg = {
        f: {"pairs": v[1], "with_detection": v[0], "share": v[0] / v[1] if v[1] else 0.0} for f, v in flagged.items()
    }
    tot = [sum(v[0] for v in flagged.values()), sum(v[1] for v in flagged.values())]
    neg["all_no_reuse"] = {"pairs": tot[1], "with_detection": tot[0], "share": tot[0] / tot[1] if tot[1] else 0.0}
    return {
        "pairs": len(pairs),
        "sample_per_folder": sample,
        "seed": seed,
        "seconds": round(elapsed, 1),
        "pairs_per_second": round(len(pairs) / elapsed, 2),
        "params": params.__dict__,
        "scores": results,
        "no_reuse_detection": neg,
        "reference_sanchez_perez_2014": REFERENCE,
    }


def _print(res: dict) -> None:
    print(f"\nPAN13 train, {res['pairs']} pairs ({res['pairs_per_second']} pairs/s)")
    print(f"{'case type':30s} {'plagdet':>8s} {'recall':>7s} {'prec':>7s} {'gran':>6s} {'cases':>6s} {'ref':>6s}")
    for name, s in res["scores"].items():
        ref = REFERENCE.get(name)
        print(
            f"{name:30s} {s['plagdet']:8.3f} {s['recall']:7.3f} {s['precision']:7.3f} {s['granularity']:6.3f} "
            f"{s['cases']:6d} {ref if ref else '':>6}"
        )
    for name, v in res["no_reuse_detection"].items():
        print(
            f"no-reuse pairs with a detection, {name:22s} {v['with_detection']:4d}/{v['pairs']:<5d} = {v['share']:.3f}"
        )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sample", type=int, default=None, help="pairs per folder (seeded subsample)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("-p", "--param", action="append", default=[], help="AlignParams override key=value")
    ap.add_argument("--folders", nargs="*", default=None, help="only these case types (e.g. 01 05)")
    ap.add_argument(
        "--out", default=None, help="results JSON (default: benchmarks/results/pan13_alignment.json for full runs)"
    )
    args = ap.parse_args(argv)
    if not DATA.exists():
        print(f"PAN13 data not found at {DATA}: skipping.")
        return 0
    overrides = {}
    for kv in args.param:
        k, v = kv.split("=", 1)
        overrides[k] = float(v) if "." in v else int(v)
    res = run(args.sample, args.seed, overrides, folders=args.folders)
    _print(res)
    out = args.out or (
        None if args.sample or args.folders else str(REPO / "benchmarks" / "results" / "pan13_alignment.json")
    )
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(res, indent=2))
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
