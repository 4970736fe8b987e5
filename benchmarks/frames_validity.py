"""Validity of the frame scores against human frame labels: development numbers, with held-out folds.

    python benchmarks/frames_validity.py [--methods tfidf,minilm] [--folds 5]

Data (``../shared/benchmarks/frames``, skipped with a message when absent): GVFC (1,300 headlines on U.S. gun
violence, up to two of nine frames) and climate-narratives (428 climate articles, five generic frames), their
frames mapped onto Media Frames dimensions by ``helpers/data/framing_gvfc_mfc.csv`` (see its ``fit`` column:
several mappings are loose). Only the dimensions a set labels are scored on it.

Media Frames dimensions, for each exemplar method:
* cross-set: the frame model fitted on one set, tested on the other (GVFC -> climate, climate -> GVFC);
* k-fold within each set, fitted on the training folds only, and fitted on the training folds plus the whole
  other set (how the shipped model is made, with the test fold held out);
* baselines in the same run: the lexicon alone (terms per 100 words of the shipped lexicon; and of the
  first version's lexicon read from git history, when git is there), and the most-frequent-frames baseline
  (every document gets the k frames most frequent in the training part).
Metrics: ROC AUC per frame and its macro mean; micro-F1 when each document gets its k highest-scored frames
(k = 3 and 5, ranking only the frames the set labels), with its ceiling (a perfect ranking: a document with
fewer than k frames caps precision); the decision rule's micro-F1 (``frames`` column).
Model variants side by side (``VARIANTS``): the previous evidence model, with frame priors, with the learned
vocabulary (``helpers.framing.weak``), both (shipped), and both with per-frame weights (not shipped).
Generic frames: k-fold within climate-narratives (the only set labelled with them).

These are development numbers: the lexicon, exemplars and model form were written and chosen while looking at
these sets. Writes ``benchmarks/results/frames_validity.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import KFold

from helpers.framing import devsets
from helpers.framing.analyse import SCORED_FRAMES
from helpers.framing.dimensions import (
    FEATURES,
    document_evidence,
    fit_frame_model,
    frame_features,
    frame_probabilities,
    frame_use,
)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FRAMES = SHARED / "benchmarks" / "frames"
RESULTS = REPO / "benchmarks" / "results" / "frames_validity.json"
FIRST_LEXICON_COMMIT = "ac3738a"  # the framing stage before issue 14 (its framing_mfc.csv)


LEX_RATE = FEATURES.index("lex_rate")
VOC_TOP = FEATURES.index("voc_top3")
EVIDENCE = FEATURES[:5]
PER_FRAME = 50  # lexicon, exemplars, length: the model before the learned vocabulary
# model variants measured side by side: (features used, frame priors, per-frame weights from this many positives)
VARIANTS = {
    "evidence (previous model)": (EVIDENCE, False, 0),
    "evidence + frame priors": (EVIDENCE, True, 0),
    "evidence + learned vocabulary": (FEATURES, False, 0),
    "evidence + vocabulary + priors (shipped)": (FEATURES, True, 0),
    "evidence + vocabulary + priors + per-frame weights": (FEATURES, True, PER_FRAME),
}
SHIPPED = "evidence + vocabulary + priors (shipped)"


def _arrays(docs, labels, scheme, frames, method, lexicon=None):
    counts, words, sims, vocab = document_evidence(docs, scheme, frames, method, lexicon=lexicon)
    order = pd.factorize(sims["doc_id"])[1]
    L = labels.reindex(index=order, columns=frames).to_numpy(float)
    return frame_features(counts, words, sims, frames, vocab=vocab), np.nan_to_num(L), ~np.isnan(L)


def macro_auc(p, L, K, frames) -> tuple[float, dict]:
    per = {}
    for j, f in enumerate(frames):
        k = K[:, j]
        if k.any() and 0 < L[k, j].sum() < k.sum():
            per[f] = round(float(roc_auc_score(L[k, j], p[k, j])), 4)
    return (round(float(np.mean(list(per.values()))), 4) if per else float("nan")), per


def micro_f1_at(p, L, K, k) -> float:
    pp = np.where(K, p, -np.inf)
    top = np.argsort(-pp, axis=1, kind="stable")[:, :k]
    pred = np.zeros(L.shape, bool)
    np.put_along_axis(pred, top, True, axis=1)
    pred &= K
    return _f1(pred, L, K)


def _f1(pred, L, K) -> float:
    tp = (pred & (L == 1)).sum()
    fp = (pred & (L == 0)).sum()
    fn = (~pred & (L == 1) & K).sum()
    return round(float(2 * tp / max(2 * tp + fp + fn, 1)), 4)


def most_frequent(L_train, K_train, n) -> np.ndarray:
    """Scores that rank every document's frames by their frequency in the training part."""
    freq = (L_train * K_train).sum(axis=0) / np.maximum(K_train.sum(axis=0), 1)
    return np.tile(freq, (n, 1))


def report(p, L, K, frames, train=None, uses=None) -> dict:
    auc, per = macro_auc(p, L, K, frames)
    out = {"macro_auc": auc, "auc": per, "micro_f1@3": micro_f1_at(p, L, K, 3), "micro_f1@5": micro_f1_at(p, L, K, 5)}
    if uses is not None:
        out["decision_micro_f1"] = _f1(uses & K, L, K)
    # the most any ranking can reach: k predictions per document against its 1-2 (GVFC) or 0-5 (climate) frames
    out["ceiling_perfect_ranking"] = {"micro_f1@3": micro_f1_at(L, L, K, 3), "micro_f1@5": micro_f1_at(L, L, K, 5)}
    if train is not None:
        base = most_frequent(*train, len(L))
        out["baseline_most_frequent"] = {
            "micro_f1@3": micro_f1_at(base, L, K, 3),
            "micro_f1@5": micro_f1_at(base, L, K, 5),
        }
    return out


def kfold(F, L, K, frames, folds, variant, extra=None) -> dict:
    """k-fold within one set (``extra``: another set's arrays added to every training part)."""
    use, priors, per_frame = VARIANTS[variant]
    P, B, U = np.zeros(L.shape), np.zeros(L.shape), np.zeros(L.shape, bool)
    for tr, te in KFold(folds, shuffle=True, random_state=0).split(F):
        Ft, Lt, Kt = F[tr], L[tr], K[tr]
        if extra is not None:
            Ft, Lt, Kt = (np.concatenate([a, b]) for a, b in zip((Ft, Lt, Kt), extra))
        m = fit_frame_model(Ft, Lt, Kt, frames, priors=priors, use=use, per_frame=per_frame)
        P[te] = frame_probabilities(F[te], m, frames)
        U[te] = frame_use(P[te], F[te], m)
        B[te] = most_frequent(L[tr], K[tr], len(te))
    out = report(P, L, K, frames, uses=U)
    out["baseline_most_frequent"] = {"micro_f1@3": micro_f1_at(B, L, K, 3), "micro_f1@5": micro_f1_at(B, L, K, 5)}
    out["baseline_lexicon_rate"] = report(F[:, :, LEX_RATE], L, K, frames)
    out["baseline_vocabulary"] = report(F[:, :, VOC_TOP], L, K, frames)
    return out


def first_lexicon() -> pd.DataFrame | None:
    """The frame lexicon of the framing stage before issue 14, from git history (None without git)."""
    try:
        text = subprocess.run(
            ["git", "-C", str(REPO), "show", f"{FIRST_LEXICON_COMMIT}:src/helpers/data/framing_mfc.csv"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return pd.read_csv(io.StringIO(text), comment="#", dtype=str, keep_default_na=False)


def mfc(sets, method, folds) -> dict:
    (gd, gl), (cd, cl) = sets["gvfc"], sets["climate"]
    t0 = time.perf_counter()
    G, C = _arrays(gd, gl, "mfc", SCORED_FRAMES, method), _arrays(cd, cl, "mfc", SCORED_FRAMES, method)
    out = {"seconds_features": round(time.perf_counter() - t0, 1)}
    for variant, (use, priors, per_frame) in VARIANTS.items():
        r = out[variant] = {}
        for name, (tr, te) in {"gvfc -> climate": (G, C), "climate -> gvfc": (C, G)}.items():
            m = fit_frame_model(*tr, SCORED_FRAMES, priors=priors, use=use, per_frame=per_frame)
            p = frame_probabilities(te[0], m, SCORED_FRAMES)
            r[name] = report(p, te[1], te[2], SCORED_FRAMES, train=tr[1:], uses=frame_use(p, te[0], m))
            r[name]["baseline_lexicon_rate"] = report(te[0][:, :, LEX_RATE], te[1], te[2], SCORED_FRAMES)
            r[name]["baseline_vocabulary"] = report(te[0][:, :, VOC_TOP], te[1], te[2], SCORED_FRAMES)
        for name, own, other in (("gvfc", G, C), ("climate", C, G)):
            r[f"{name} {folds}-fold"] = kfold(*own, SCORED_FRAMES, folds, variant)
            if variant == SHIPPED:
                r[f"{name} {folds}-fold, other set added to training"] = kfold(
                    *own, SCORED_FRAMES, folds, variant, extra=other
                )
    old = first_lexicon()
    if old is not None and method == "tfidf":
        for name, (docs, lab) in (("gvfc", sets["gvfc"]), ("climate", sets["climate"])):
            F, L, K = _arrays(docs, lab, "mfc", SCORED_FRAMES, method, lexicon=old)
            out[f"{name}: first version's lexicon, rate alone"] = report(F[:, :, LEX_RATE], L, K, SCORED_FRAMES)
    return out


def generic(climate, method, folds) -> dict:
    docs, _, labels = climate
    F, L, K = _arrays(docs, labels, "generic", devsets.GENERIC_FRAMES, method)
    return {
        f"climate {folds}-fold, {variant}": kfold(F, L, K, devsets.GENERIC_FRAMES, folds, variant)
        for variant in VARIANTS
    }


def _line(name: str, r: dict) -> str:
    b = r.get("baseline_most_frequent", {})
    lex = r.get("baseline_lexicon_rate", {})
    return (
        f"  {name:<48} AUC {r['macro_auc']:.3f} (lexicon {lex.get('macro_auc', float('nan')):.3f}, "
        f"vocabulary {r.get('baseline_vocabulary', {}).get('macro_auc', float('nan')):.3f})  "
        f"F1@3 {r['micro_f1@3']:.3f} (most frequent {b.get('micro_f1@3', float('nan')):.3f})  "
        f"F1@5 {r['micro_f1@5']:.3f} ({b.get('micro_f1@5', float('nan')):.3f})  "
        f"ceiling {r['ceiling_perfect_ranking']['micro_f1@3']:.3f} / {r['ceiling_perfect_ranking']['micro_f1@5']:.3f}"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--methods", default="tfidf,minilm")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    if not FRAMES.is_dir():
        print(f"{FRAMES} not found: frame-labelled development data absent, nothing measured (skipped)")
        return 0
    gvfc = devsets.read_gvfc(FRAMES / "gvfc" / "english.csv")
    climate = devsets.read_climate(FRAMES / "climate-narratives" / "articles_metadata.tsv")
    sets = {"gvfc": gvfc, "climate": climate[:2]}
    result = {
        "benchmark": "frames_validity",
        "note": "development numbers: lexicon, exemplars and model chosen while looking at these two sets",
        "mapping": devsets.frame_mapping().to_dict("records"),
        "mfc": {},
        "generic": {},
    }
    for method in [m for m in args.methods.split(",") if m]:
        print(f"== Media Frames dimensions, exemplars: {method}")
        result["mfc"][method] = r = mfc(sets, method, args.folds)
        for name, v in r.items():
            if isinstance(v, dict) and "macro_auc" in v:
                print(_line(name, v))
            elif isinstance(v, dict):
                print(f" {name}")
                for evaluation, w in v.items():
                    print(_line(evaluation, w))
        print(f"== generic frames (climate-narratives), exemplars: {method}")
        result["generic"][method] = g = generic(climate, method, args.folds)
        for name, v in g.items():
            print(_line(name, v))
            print("    per frame:", v["auc"])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
